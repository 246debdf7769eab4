// generate-key: a key pair inside the HSM; the SPKI fingerprint is recorded and read aloud.
import type { StepOf } from '../../definition/definition.js';
import type { StepKind } from './kind.js';

export const generateKey: StepKind<StepOf<'generate-key'>> = {
  login: (step) => ({ token: step.token, userType: 'user' }),
  work: 'generateKey',
};
