// Which screen the ceremony needs now, read off the machine's snapshot (like the answers
// driver's eventsFor, but for people): one function, so the rules are in one place and can
// be tested without rendering anything. A pause is not a view of its own: the app shows it
// over the step's screen, which stays as it was (half-typed answers included).
import type { Definition, Step } from '../../definition/definition.js';
import { specOf } from '../../steps/index.js';
import { positionOf, type Position } from '../../ceremony/phase.js';
import type { CeremonyContext, Problem } from '../../ceremony/types.js';
import type { ScreenContext } from './screen-context.js';
import { readoutOf } from './record.js';

export type Activity = 'preparing' | 'splitting' | 'working' | 'relogging' | 'other';

export type View =
  | { kind: 'readout'; index: number }
  | { kind: 'finished'; status: 'completed' | 'aborted' }
  | { kind: 'busy'; step: Step | undefined; activity: Activity }
  | { kind: 'failed'; step: Step; failure: Problem }
  /** A step with a flow of its own (its spec's `flow`): the participants sign in, or sign off. */
  | { kind: 'participants'; step: Step }
  | { kind: 'sign-offs'; step: Step }
  | { kind: 'shares'; step: Step; credential: string; purpose: 'unlock' | 'reauthenticate' }
  | { kind: 'handout'; step: Step }
  | { kind: 'approval'; step: Step };

export interface SnapshotLike {
  context: CeremonyContext;
  value: unknown;
  hasTag(tag: string): boolean;
}

/** The substate of the current step while the HSM works (snapshot.value is { step: substate }). */
export function activityOf(value: unknown): Activity {
  if (typeof value !== 'object' || value === null) return 'other';
  const sub = Object.values(value as Record<string, unknown>)[0];
  return sub === 'preparing' || sub === 'splitting' || sub === 'working' || sub === 'relogging' ? sub : 'other';
}

/** The first finished step from `from` on whose keys or files have not been read aloud yet. */
export function pendingReadout(sc: ScreenContext, from: number): number | undefined {
  for (let i = from; i < Math.min(sc.context.stepIndex, sc.definition.steps.length); i++) if (readoutOf(sc, i)) return i;
  return undefined;
}

export function viewOf(sc: ScreenContext, snapshot: SnapshotLike, readFrom: number): View {
  const definition: Definition = sc.definition;
  const { context } = snapshot;
  const readout = pendingReadout(sc, readFrom);
  if (readout !== undefined) return { kind: 'readout', index: readout };
  const position: Position = positionOf(definition, snapshot);
  const step = position.step;
  if (position.phase === 'completed' || position.phase === 'aborted') return { kind: 'finished', status: position.phase };
  if (position.phase === 'busy' || !step) return { kind: 'busy', step, activity: activityOf(snapshot.value) };
  if (position.phase === 'failed')
    return { kind: 'failed', step, failure: context.failure ?? { step: step.id, code: undefined, message: '?', hint: undefined } };
  if (position.phase === 'reauthenticating') return { kind: 'shares', step, credential: context.shares?.credential ?? '', purpose: 'reauthenticate' };
  if (position.phase === 'distributing') return { kind: 'handout', step };
  const flow = specOf(step).flow;
  if (flow) return { kind: flow, step };
  const shares = context.shares;
  if (shares?.step === step.id) {
    const threshold = definition.credentials[shares.credential]?.threshold ?? 0;
    if (shares.accepted.length < threshold) return { kind: 'shares', step, credential: shares.credential, purpose: 'unlock' };
  }
  return { kind: 'approval', step };
}

/** A key that changes whenever the screen must start afresh (its forms emptied). */
export function viewKey(view: View, context: CeremonyContext): string {
  switch (view.kind) {
    case 'readout':
      return `readout:${view.index}`;
    case 'shares':
      return `shares:${view.step.id}:${view.credential}:${view.purpose}`;
    case 'sign-offs':
      return `sign-offs:${context.signOffs.length}`;
    case 'handout':
    case 'approval':
    case 'participants':
    case 'failed':
      return `${view.kind}:${view.step.id}`;
    default:
      return view.kind;
  }
}
