// rotate-credential's effect: log in with the old PIN (from the old set's quorum), C_SetPIN
// to the new one, the new set bound to the token, its manifest written.
import type { StepResult } from '../../ceremony/types.js';
import { newSecretName, oldSecretName } from '../shared/share-sets-run.js';
import type { StepRun } from '../run-types.js';
import type { RotateCredentialStep } from './spec.js';

export const rotateCredentialRun: StepRun<RotateCredentialStep> = {
  work:
    ({ definition, sessions, secrets, shareSets }) =>
    async ({ step, context }) => {
      const spec = definition.credentials[step.credential]!;
      try {
        const session = sessions.session(spec.token);
        try {
          secrets.withPin(oldSecretName(step.id, step.credential), spec.pinLength, (oldPin) => {
            session.login(spec.user, oldPin);
            secrets.withPin(newSecretName(step.id, step.credential), spec.pinLength, (newPin) => session.setPin(oldPin, newPin));
          });
          shareSets.bind(step, session, [step.credential]);
          // A logout on purpose: a user session on a token with the audit key signs a checkpoint.
          await sessions.lock(spec.token, step.id);
        } finally {
          sessions.close(spec.token);
        }
        return { ...shareSets.finish(step, [step.credential]), details: { replaces: context.shareSets[step.credential]?.setId } } satisfies StepResult;
      } finally {
        secrets.deleteSecret(oldSecretName(step.id, step.credential));
        secrets.deleteSecret(newSecretName(step.id, step.credential));
      }
    },
};
