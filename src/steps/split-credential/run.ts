// split-credential's effect: C_InitPIN with the new user PIN in the SO's session, the set
// bound to the token, its manifest written.
import type { StepResult } from '../../ceremony/types.js';
import { newSecretName } from '../shared/share-sets-run.js';
import type { StepRun } from '../run-types.js';
import type { SplitCredentialStep } from './spec.js';

export const splitCredentialRun: StepRun<SplitCredentialStep> = {
  work:
    ({ definition, sessions, secrets, shareSets }) =>
    async ({ step, context }) => {
      const spec = definition.credentials[step.credential]!;
      const session = sessions.loggedIn(spec.token);
      try {
        secrets.withPin(newSecretName(step.id, step.credential), spec.pinLength, (pin) => session.initUserPin(pin));
        shareSets.bind(step, session, [step.credential]);
        // C_InitPIN replaced the PIN of a set the credential already had: its cards open nothing now.
        const replaces = context.shareSets[step.credential]?.setId;
        return { ...shareSets.finish(step, [step.credential]), ...(replaces === undefined ? {} : { details: { replaces } }) } satisfies StepResult;
      } finally {
        secrets.deleteSecret(newSecretName(step.id, step.credential));
      }
    },
};
