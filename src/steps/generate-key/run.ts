// generate-key's effect: the key pair made inside the HSM, recorded with its fingerprint.
import { InputError } from '../../errors.js';
import type { StepResult } from '../../ceremony/types.js';
import { tokenSummary } from '../shared/login-run.js';
import { keyAlgorithmOf } from '../../util/key-algorithm.js';
import { keyRecord } from '../shared/keys-run.js';
import type { StepRun } from '../run-types.js';
import type { GenerateKeyStep } from './spec.js';

export const generateKeyRun: StepRun<GenerateKeyStep> = {
  work:
    ({ sessions }) =>
    async ({ step }) => {
      const backup = step.backup === true;
      const key = await sessions.loggedIn(step.token).generateKeyPair(step.key.label, keyAlgorithmOf(step.key), { backup });
      // What the token was asked for and checked to hold (pkcs11-session.ts checkGenerated).
      const details = { extractable: backup, neverExtractable: !backup, wrapWithTrusted: backup };
      return { keys: [keyRecord(key, step.token, step.id)], details } satisfies StepResult;
    },
  // A key with the label that the journal does not record was made just before the
  // interruption: shown to the witnesses, who adopt it or stop.
  reconcile: (step, { context, sessions, answer }) => {
    if (context.keys[step.key.label]) return [];
    const key = sessions.session(step.token).findKeyPair(step.key.label);
    if (!key) return [];
    const data = { token: step.token, label: key.label, spkiSha256: key.fingerprint.sha256, words: key.fingerprint.words, id: key.id };
    if (answer?.reconcile !== 'adopt') {
      throw new InputError(`step ${step.id}: token "${step.token}" holds key "${key.label}" (SPKI SHA-256 ${key.fingerprint.sha256}) that the journal does not record`, {
        hint: `the key was made just before the interruption; the witnesses decide: adopt it (answers: steps.${step.id}.reconcile: adopt), or stop and destroy it in a destroy-key ceremony`,
        code: 'reconcile.unknown-key',
      });
    }
    return [
      {
        record: { event: 'hsm.unrecorded-key', data: { ...data, decision: 'adopt' } },
        adopt: { type: 'step.recovered', step: step.id, result: { keys: [keyRecord(key, step.token, step.id)], details: { adoptedAfterRestart: true, token: tokenSummary(sessions.session(step.token).token) } }, ...(answer.by ? { performer: answer.by } : {}), witnesses: answer.witness === undefined ? [] : ([] as string[]).concat(answer.witness), seq: 0, source: 'hsm' },
      },
    ];
  },
};
