// generate-key's effect: the key pair made inside the HSM, recorded with its fingerprint.
import type { StepResult } from '../../ceremony/types.js';
import type { KeyAlgorithm } from '../../hsm/types.js';
import { keyRecord } from '../shared/keys-run.js';
import type { StepRun } from '../run-types.js';
import type { GenerateKeyStep } from './spec.js';

export function keyAlgorithmOf(spec: GenerateKeyStep['key']): KeyAlgorithm {
  return spec.algorithm === 'RSA' ? { type: 'RSA', bits: spec.bits as 2048 | 3072 | 4096 } : { type: 'EC', curve: spec.curve as 'P-256' | 'P-384' | 'P-521' };
}

export const generateKeyRun: StepRun<GenerateKeyStep> = {
  work:
    ({ sessions }) =>
    async ({ step }) => {
      const key = await sessions.loggedIn(step.token).generateKeyPair(step.key.label, keyAlgorithmOf(step.key));
      return { keys: [keyRecord(key, step.token, step.id)] } satisfies StepResult;
    },
};
