// Where a running ceremony is and what it waits for, read off a snapshot. The answers
// driver and the terminal UI both decide what to ask from this.
import type { Definition, Step } from '../definition/definition.js';
import type { CeremonyContext } from './types.js';

export type Phase = 'awaiting' | 'reauthenticating' | 'distributing' | 'failed' | 'busy' | 'completed' | 'aborted';

export interface Position {
  phase: Phase;
  step: Step | undefined;
  index: number;
}

interface SnapshotLike {
  context: CeremonyContext;
  hasTag(tag: string): boolean;
}

export function positionOf(definition: Definition, snapshot: SnapshotLike): Position {
  const index = snapshot.context.stepIndex;
  const step = definition.steps[index];
  const phase: Phase = snapshot.hasTag('completed')
    ? 'completed'
    : snapshot.hasTag('aborted')
      ? 'aborted'
      : snapshot.hasTag('failed')
        ? 'failed'
        : snapshot.hasTag('reauthenticating')
          ? 'reauthenticating'
          : snapshot.hasTag('distributing')
            ? 'distributing'
            : snapshot.hasTag('awaiting')
              ? 'awaiting'
              : 'busy';
  return { phase, step, index };
}

/** The key under which the SecretStore collects the shares of one step for one credential. */
export function shareCollection(step: string, credential: string): string {
  return `collect:${step}:${credential}`;
}
