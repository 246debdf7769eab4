// init-token's effect: C_InitToken with the new SO PIN, then C_InitPIN with the new user
// PIN, the share sets bound to the token, and their manifests written. Without an SO
// credential (a token with no SO PIN, HSM.md) the SO PIN is the empty one such a token takes.
import { InputError } from '../../errors.js';
import type { StepResult } from '../../ceremony/types.js';
import { tokenSummary } from '../shared/login-run.js';
import { newSecretName } from '../shared/share-sets-run.js';
import type { StepRun } from '../run-types.js';
import { initTokenCredentials, type InitTokenStep } from './spec.js';

export const initTokenRun: StepRun<InitTokenStep> = {
  work: (deps) => async ({ step }) => {
    const { definition, sessions, secrets, shareSets } = deps;
    const ref = sessions.tokenRef(step.token);
    const user = definition.credentials[step.user]!;
    const credentials = initTokenCredentials(step);
    const initialise = (soPin: Buffer) => {
      const made = deps.hsm.initToken(ref.label, soPin);
      const session = sessions.session(step.token);
      try {
        session.login('so', soPin);
        secrets.withPin(newSecretName(step.id, step.user), user.pinLength, (userPin) => session.initUserPin(userPin));
        shareSets.bind(step, session, credentials);
      } finally {
        sessions.close(step.token);
      }
      return made;
    };
    try {
      const so = step.so === undefined ? undefined : definition.credentials[step.so]!;
      const token = so === undefined ? initialise(Buffer.alloc(0)) : secrets.withPin(newSecretName(step.id, step.so!), so.pinLength, initialise);
      return { ...shareSets.finish(step, credentials), details: { token: tokenSummary(token) } } satisfies StepResult;
    } finally {
      for (const credential of credentials) secrets.deleteSecret(newSecretName(step.id, credential));
    }
  },
  // A token initialised but not recorded cannot be adopted: nobody holds shares of its PINs.
  reconcile: (step, { sessions, hsm }) => {
    const ref = sessions.tokenRef(step.token);
    if (hsm.tokens().some((t) => t.initialized && t.label === ref.label)) {
      throw new InputError(`step ${step.id}: token "${ref.label}" exists but the journal does not record its initialisation`, {
        hint: 'the interruption came between C_InitToken and the record; it must be re-initialised with the HSM vendor tools (record why) and the ceremony run again in a new workdir',
        code: 'reconcile.unknown-token',
      });
    }
    return [];
  },
};
