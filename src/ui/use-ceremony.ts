// The one connection between the machine and React: subscribe to the actor, expose its
// snapshot, and send events. `send` answers with the refusal the machine gave to exactly
// that event (context.refusal is kept until a later success, so it cannot be shown as is).
import { useCallback, useSyncExternalStore } from 'react';
import type { Actor, SnapshotFrom } from 'xstate';
import type { CeremonyMachine } from '../ceremony/compile.js';
import type { CeremonyEvent, Problem } from '../ceremony/types.js';

export type CeremonyActor = Actor<CeremonyMachine>;
export type CeremonySnapshot = SnapshotFrom<CeremonyMachine>;

export interface CeremonyHandle {
  snapshot: CeremonySnapshot;
  send: (event: CeremonyEvent) => Problem | undefined;
}

export function sendAndReport(actor: CeremonyActor, event: CeremonyEvent): Problem | undefined {
  const before = actor.getSnapshot().context.refusal;
  actor.send(event);
  const after = actor.getSnapshot().context.refusal;
  return after && after !== before ? after : undefined;
}

export function useCeremony(actor: CeremonyActor): CeremonyHandle {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const subscription = actor.subscribe({ next: onChange, error: onChange });
      return () => subscription.unsubscribe();
    },
    [actor],
  );
  const snapshot = useSyncExternalStore(subscribe, () => actor.getSnapshot());
  const send = useCallback((event: CeremonyEvent) => sendAndReport(actor, event), [actor]);
  return { snapshot, send };
}
