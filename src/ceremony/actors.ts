// The effects of a ceremony, as xstate actors provided at the composition root:
//   machine.provide({ actors: createActors(deps) })
// Each step type's effects live in its folder (src/steps/<type>/run.ts); this wraps them as
// the promise actors the machine invokes by name, each with the output type the machine reads.
import { fromPromise } from 'xstate';
import type { CeremonyActors } from './compile.js';
import { stepEffects } from '../steps/run-registry.js';
import type { CeremonyDeps, StepActorInput, StepEffect } from '../steps/run-types.js';

export type { CeremonyDeps } from '../steps/run-types.js';

const asActor = <O>(run: StepEffect<StepActorInput['step'], O>) => fromPromise<O, StepActorInput>(({ input }) => run(input));

export function createActors(deps: CeremonyDeps): CeremonyActors {
  const effects = stepEffects(deps);
  // Object.fromEntries forgets the keys: each effect keeps its name, and so its output type.
  return Object.fromEntries(Object.entries(effects).map(([name, run]) => [name, asActor<unknown>(run)])) as CeremonyActors;
}
