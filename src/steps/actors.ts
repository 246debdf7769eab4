// The names under which the machine invokes effects: pure, so the compiler can name an
// actor without importing any effect.
import type { StepType } from './index.js';

export type ActorName = `prepare:${StepType}` | `work:${StepType}` | 'relogin' | 'prepareShareSets';

export const actorName = <P extends 'prepare' | 'work', T extends StepType>(phase: P, type: T): `${P}:${T}` => `${phase}:${type}`;
