// generate-key's effect: the key pair made inside the HSM, recorded with its fingerprint and
// with the private key's attributes as the token reports them right after generation
// (issue 22 item 3: the record shows what the token says, rather than claiming that the key
// never left the HSM).
import { InputError } from '../../errors.js';
import type { StepResult } from '../../ceremony/types.js';
import { tokenSummary } from '../shared/login-run.js';
import { keyAlgorithmOf } from '../../util/key-algorithm.js';
import { keyRecord } from '../shared/keys-run.js';
import type { StepRun } from '../run-types.js';
import type { PrivateKeyAttributes } from '../../hsm/types.js';
import { KEY_ATTRIBUTES_RECORDED, type GenerateKeyStep } from './spec.js';
import { JOURNAL_EVENTS } from '../../journal/events.js';

/** The attributes the record shows, in PKCS#11 order of the key's life: sensitivity, extractability, origin, mutability. */
function recordedAttributes(a: PrivateKeyAttributes): Record<(typeof KEY_ATTRIBUTES_RECORDED)[number], boolean> {
  return Object.fromEntries(KEY_ATTRIBUTES_RECORDED.map((name) => [name, a[name]])) as Record<(typeof KEY_ATTRIBUTES_RECORDED)[number], boolean>;
}

export const generateKeyRun: StepRun<GenerateKeyStep> = {
  work:
    ({ sessions }) =>
    async ({ step }) => {
      const session = sessions.loggedIn(step.token);
      const key = await session.generateKeyPair(step.key.label, keyAlgorithmOf(step.key), { backup: step.backup === true });
      return {
        keys: [keyRecord(key, step.token, step.id)],
        details: { privateKeyAttributes: recordedAttributes(session.privateKeyAttributes(step.key.label)) },
      } satisfies StepResult;
    },
  // A key with the label that the journal does not record was made just before the
  // interruption: shown to the witnesses, who adopt it or stop.
  reconcile: (step, { context, sessions, answer }) => {
    if (context.keys[step.key.label]) return [];
    const key = sessions.session(step.token).findKeyPair(step.key.label);
    if (!key) {
      const absent = { token: step.token, label: step.key.label };
      return [{ record: { event: JOURNAL_EVENTS.hsmKeyAbsent, data: absent }, absent }];
    }
    const data = { token: step.token, label: key.label, spkiSha256: key.fingerprint.sha256, words: key.fingerprint.words, id: key.id };
    if (answer?.reconcile !== 'adopt') {
      throw new InputError(
        `step ${step.id}: token "${step.token}" holds key "${key.label}" (SPKI SHA-256 ${key.fingerprint.sha256}) that the journal does not record`,
        {
          hint: `the key was made just before the interruption; the witnesses decide: adopt it (answers: steps.${step.id}.reconcile: adopt), or stop and destroy it in a destroy-key ceremony`,
          code: 'reconcile.unknown-key',
        },
      );
    }
    return [
      {
        record: { event: JOURNAL_EVENTS.hsmUnrecordedKey, data: { ...data, decision: 'adopt' } },
        adopt: {
          type: 'step.recovered',
          step: step.id,
          result: {
            keys: [keyRecord(key, step.token, step.id)],
            details: { adoptedAfterRestart: true, token: tokenSummary(sessions.session(step.token).token) },
          },
          ...(answer.by ? { performer: answer.by } : {}),
          witnesses: answer.witness === undefined ? [] : ([] as string[]).concat(answer.witness),
          seq: 0,
          source: 'hsm',
        },
      },
    ];
  },
};
