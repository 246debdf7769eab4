// unlock: custodians enter shares until the threshold; the shares are checked against the
// manifest as they are typed, combined and verified, and only then is the PIN derived and
// C_Login called. lock: log out.
import type { StepOf } from '../../definition/definition.js';
import type { StepKind } from './kind.js';

export const unlock: StepKind<StepOf<'unlock'>> = {
  collects: (step) => step.credential,
  work: 'unlock',
};

export const lock: StepKind<StepOf<'lock'>> = {
  work: 'lock',
};
