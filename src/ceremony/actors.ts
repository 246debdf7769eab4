// The effects of a ceremony, as xstate actors provided at the composition root:
//   machine.provide({ actors: createActors(deps) })
// Each step type's effects live in its folder (src/steps/<type>/run.ts); this wraps them as
// the promise actors the machine invokes by name.
import { fromPromise } from 'xstate';
import type { ActorName } from '../steps/actors.js';
import { stepEffects } from '../steps/run-registry.js';
import type { CeremonyDeps, StepActorInput } from '../steps/run-types.js';

export type { CeremonyDeps } from '../steps/run-types.js';

export function createActors(deps: CeremonyDeps) {
  const effects = stepEffects(deps);
  return Object.fromEntries(Object.entries(effects).map(([name, run]) => [name, fromPromise<unknown, StepActorInput>(({ input }) => run(input))])) as Record<
    ActorName,
    ReturnType<typeof fromPromise<unknown, StepActorInput>>
  >;
}
