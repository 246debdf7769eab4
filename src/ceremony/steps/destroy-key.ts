// destroy-key: two witnesses; the label and the SPKI fingerprint are typed back before
// C_DestroyObject, and the key is then proven gone.
import type { StepOf } from '../../definition/definition.js';
import { refusal, tokenOfKey, type StepKind } from './kind.js';

export const destroyKey: StepKind<StepOf<'destroy-key'>> = {
  login: (step, definition) => ({ token: tokenOfKey(definition, step.key), userType: 'user' }),
  prepare: 'inspectKey',
  check: (step, submission, context) => {
    const inspected = context.prepared as { label?: string; spkiSha256?: string } | undefined;
    if ((submission.values.label ?? '') !== step.key) return refusal(step.id, 'destroy.label', `step ${step.id}: the label typed back is not "${step.key}"`);
    const typed = (submission.values['spki-sha256'] ?? '').replace(/[\s:]/g, '').toLowerCase();
    if (typed.length < 16 || !inspected?.spkiSha256?.startsWith(typed)) {
      return refusal(step.id, 'destroy.fingerprint', `step ${step.id}: the fingerprint typed back does not match the key on the token (at least 16 hex digits)`);
    }
    return undefined;
  },
  work: 'destroyKey',
};
