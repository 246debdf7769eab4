// self-sign: a self-signed root certificate, signed inside the HSM after the lints of its
// X.509 profile passed on a throwaway key; what will be signed is shown before approval.
// With a `ledger`, the root key's CA ledger records the certificate's serial: `{ to }` opens
// it (a new key's first certificate), `{ from, to }` continues it (a root certificate renewed).
import { z } from 'zod';
import { keyLogin } from '../shared/keys.js';
import { common, id, keyLabel, ledgerProduced, ledgerSpec, subject, checkLedgerReferences } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({
  ...common,
  type: z.literal('self-sign'),
  key: keyLabel,
  subject,
  profile: id(),
  output: z.string(),
  validity: z.strictObject({ years: z.number().int().min(1).max(30) }).optional(),
  ledger: ledgerSpec.optional(),
});
export type SelfSignStep = z.infer<typeof schema>;

export const selfSignSpec = {
  type: 'self-sign',
  schema,
  screen: { busy: 'busy.sign' },
  sensitive: true,
  title: { en: 'Self-sign the root certificate', 'zh-TW': '自簽根憑證' },
  governedBy: ['key-generation', 'key-usage'],
  login: keyLogin,
  produces: (step) => [{ name: step.output, kind: 'certificate', field: ['output'] }, ...ledgerProduced(step)],
  prepares: true,
  works: true,
  x509: (step) => ({
    subject: { at: 'subject', name: step.subject },
    signing: { operation: 'self-signed certificate', profile: step.profile, key: step.key, subjectKey: 'signing key', output: step.output },
  }),
  check: (step, scan) => {
    const key = scan.useKey(scan.at('key'), step.key);
    if (key) scan.needLogin(scan.at('key'), key.token, step.type);
    scan.needProfile(scan.at('profile'), step.profile);
    checkLedgerReferences(step.ledger, scan);
  },
  scriptRows: (step, { t, code, dn }) => [
    [t.key, code(step.key)],
    [t.subject, dn(step.subject)],
    [t.profile, code(step.profile)],
    ...(step.validity ? [[t.validity, t.validityYears(step.validity.years)] as const] : []),
    [t.output, code(step.output)],
  ],
  screenNotes: (_step, { t }) => [{ kind: 'text', text: t('signing.readAloud'), tone: 'muted' }],
  screenFacts: (step, { t, dn, key }) => [
    { label: t('facts.subject'), value: dn(step.subject) },
    { label: t('facts.issuer'), value: t('facts.selfSigned') },
    ...key(step.key),
    { label: t('facts.validity'), value: step.validity ? t('facts.validityYears', { years: step.validity.years }) : t('facts.validityProfile') },
    { label: t('facts.profile'), value: step.profile },
    { label: t('facts.output'), value: step.output },
  ],
} satisfies StepSpec<SelfSignStep>;
