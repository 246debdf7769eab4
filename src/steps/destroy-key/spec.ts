// destroy-key: two witnesses; the label and the SPKI fingerprint are typed back before
// C_DestroyObject, and the key is then proven gone. A definition may state the earliest
// moment the key may go (`notBefore`, e.g. when the last certificate it signed expires and
// it need sign no more CRLs): before it the step refuses, unless two participants have
// recorded an exception during the step (issue 17 item 7).
import { z } from 'zod';
import { keyLogin, typedHex } from '../shared/keys.js';
import { common, keyLabel } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';

/** An instant with its offset, so that no reader has to guess the time zone. */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/, { error: 'must be a date and time with its offset, e.g. 2037-12-31T23:59:59+08:00' })
  .refine((text) => !Number.isNaN(Date.parse(text)), { error: 'is not a real date and time' });

const schema = z.strictObject({
  ...common,
  type: z.literal('destroy-key'),
  key: keyLabel,
  /** Not before this instant, unless two participants record an exception in the step. */
  notBefore: instant.optional(),
});
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
  /** The terminal's clock when the key was inspected, against the definition's notBefore. */
  inspectedAt: string;
  /** True when inspectedAt is before the definition's notBefore. */
  early: boolean;
}

/** Participants who recorded an exception during this step: two of them let a destruction before notBefore go ahead. */
export function earlyDestructionExceptions(step: DestroyKeyStep, exceptions: ReadonlyArray<{ by: string; step: string | null }>): string[] {
  return [...new Set(exceptions.filter((e) => e.step === step.id).map((e) => e.by))];
}

export const destroyKeySpec = {
  type: 'destroy-key',
  schema,
  screen: { busy: 'busy.destroy' },
  sensitive: true,
  title: { en: 'Destroy the key', 'zh-TW': '銷毀金鑰' },
  destroys: (step) => step.key,
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
    if (step.notBefore && inspected?.early !== false && earlyDestructionExceptions(step, context.exceptions).length < 2) {
      return refusal(
        step.id,
        'destroy.too-early',
        `step ${step.id}: key "${step.key}" may not be destroyed before ${step.notBefore} (the definition's notBefore); it is ${inspected?.inspectedAt ?? 'earlier'}`,
        'wait until then, or have two participants record an exception in this step saying why it goes now',
        { key: step.key, notBefore: step.notBefore },
      );
    }
    if ((submission.values.label ?? '') !== step.key)
      return refusal(step.id, 'destroy.label', `step ${step.id}: the label typed back is not "${step.key}"`, undefined, { key: step.key });
    const typed = typedHex(submission.values['spki-sha256']);
    if (typed.length < 16 || !inspected?.spkiSha256?.startsWith(typed)) {
      return refusal(
        step.id,
        'destroy.fingerprint',
        `step ${step.id}: the fingerprint typed back does not match the key on the token (at least 16 hex digits)`,
        undefined,
        { key: step.key },
      );
    }
    return undefined;
  },
  scriptRows: (step, { t, code }) => [
    [t.key, code(step.key)],
    ...(step.notBefore ? [[t.detailLabels.destroyNotBefore ?? 'notBefore', step.notBefore] as const] : []),
  ],
  screenNotes: (_step, { t }) => [{ kind: 'text', text: t('destroy.warning'), tone: 'warn' }],
  screenFacts: (step, { key }) => key(step.key),
  asks: (step, { t, context, valueName, fingerprint }) => {
    const inspected = context.prepared as { spkiSha256?: string } | undefined;
    return [
      {
        name: valueName('label'),
        label: t('destroy.label'),
        check: (value) => (value === step.key ? undefined : t('destroy.labelMismatch', { label: step.key })),
      },
      fingerprint('spki-sha256', t('destroy.fingerprint'), inspected?.spkiSha256, t('destroy.fingerprintMismatch')),
    ];
  },
} satisfies StepSpec<DestroyKeyStep>;
