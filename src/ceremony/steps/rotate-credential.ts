// rotate-credential: a quorum of the old set, a new random PIN, a new share set typed back
// by every new custodian, then C_SetPIN. Afterwards the old shares open nothing.
import type { StepOf } from '../../definition/definition.js';
import type { StepKind } from './kind.js';

export const rotateCredential: StepKind<StepOf<'rotate-credential'>> = {
  collects: (step) => step.credential,
  distributes: (step) => [step.credential],
  work: 'rotateCredential',
};
