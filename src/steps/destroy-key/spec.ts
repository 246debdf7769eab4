// destroy-key: two witnesses; the label and the SPKI fingerprint are typed back before
// C_DestroyObject, and the key is then proven gone.
import { z } from 'zod';
import { keyLogin, typedHex } from '../shared/keys.js';
import { common, keyLabel } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('destroy-key'), key: keyLabel });
export type DestroyKeyStep = z.infer<typeof schema>;

/** What inspecting the key before approval found (run.ts `prepare`). */
export interface InspectedKey {
  label: string;
  token: string;
  spkiSha256: string;
  words: string;
  algorithm: string;
  uri: string;
  id: string;
}

export const destroyKeySpec = {
  type: 'destroy-key',
  schema,
  screen: { busy: 'busy.destroy' },
  sensitive: true,
  title: { en: 'Destroy the key', 'zh-TW': '銷毀金鑰' },
  governedBy: ['key-destruction'],
  minWitnesses: { count: 2, because: 'destroys a key' },
  login: keyLogin,
  prepares: true,
  works: true,
  check: (step, scan) => {
    const key = scan.useKey(scan.at('key'), step.key);
    if (key) scan.needLogin(scan.at('key'), key.token, step.type);
    scan.keys.delete(step.key);
  },
  checkSubmission: (step, submission, context) => {
    const inspected = context.prepared as Partial<InspectedKey> | undefined;
    if ((submission.values.label ?? '') !== step.key) return refusal(step.id, 'destroy.label', `step ${step.id}: the label typed back is not "${step.key}"`);
    const typed = typedHex(submission.values['spki-sha256']);
    if (typed.length < 16 || !inspected?.spkiSha256?.startsWith(typed)) {
      return refusal(step.id, 'destroy.fingerprint', `step ${step.id}: the fingerprint typed back does not match the key on the token (at least 16 hex digits)`);
    }
    return undefined;
  },
} satisfies StepSpec<DestroyKeyStep>;
