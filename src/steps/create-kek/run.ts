// create-kek's effect: the new set's manifest written once every custodian has typed their
// share back. The KEK itself leaves the SecretStore here and exists only as shares.
import type { StepResult } from '../../ceremony/types.js';
import { newSecretName } from '../shared/share-sets-run.js';
import type { StepRun } from '../run-types.js';
import type { CreateKekStep } from './spec.js';

export const createKekRun: StepRun<CreateKekStep> = {
  work:
    ({ secrets, shareSets }) =>
    async ({ step }) => {
      try {
        return { ...shareSets.finish(step, [step.kek]), details: { kekBits: 256 } } satisfies StepResult;
      } finally {
        secrets.deleteSecret(newSecretName(step.id, step.kek));
      }
    },
};
