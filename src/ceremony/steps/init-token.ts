// init-token: new random SO and user PINs, each split among custodians. The shares are
// handed out and typed back *before* C_InitToken, so a token never holds a PIN that
// nobody has written down.
import type { StepOf } from '../../definition/definition.js';
import type { StepKind } from './kind.js';

export const initToken: StepKind<StepOf<'init-token'>> = {
  distributes: (step) => [step.so, step.user],
  work: 'initToken',
};

/** split-credential: the SO, logged in, sets a new user PIN from a fresh share set (C_InitPIN). */
export const splitCredential: StepKind<StepOf<'split-credential'>> = {
  login: (step, definition) => ({ token: definition.credentials[step.credential]!.token, userType: 'so' }),
  distributes: (step) => [step.credential],
  work: 'setUserPin',
};
