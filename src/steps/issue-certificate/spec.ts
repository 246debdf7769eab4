// issue-certificate: from a CSR brought to the ceremony (or made earlier). The subscriber's
// representative reads the CSR fingerprint aloud and the performer types it back; the
// witness approves what the screen shows will be signed. The definition states the key the
// CSR must carry (csrKey): a request for another key is refused before anyone approves.
// With a `ledger`, the serial (chosen before approval and shown) is one the issuing key has
// never signed, and the new ledger records it.
import { z } from 'zod';
import { DECLARED_ALGORITHMS, declaredAlgorithm, describeAlgorithm } from '../../util/key-algorithm.js';
import { keyLogin, typedHex } from '../shared/keys.js';
import { common, id, keyLabel, ledgerProduced, ledgerSpec, subject, checkLedgerReferences } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';

const schema = z.strictObject({
  ...common,
  type: z.literal('issue-certificate'),
  key: keyLabel,
  issuer: z.string(),
  csr: z.string(),
  /** The key the CSR must carry, written like keys.<label>.algorithm: `RSA-4096`, `EC-P-384`. */
  csrKey: z.enum(DECLARED_ALGORITHMS, { error: `must be the key the CSR carries: ${DECLARED_ALGORITHMS.join(', ')}` }).transform(declaredAlgorithm),
  profile: id(),
  output: z.string(),
  subject: subject.optional(),
  /** The certificates above the issuer, up to the root, when the issuer is not itself the root: the issued certificate's chain is verified through them. */
  chain: z.array(z.string()).min(1).optional(),
  /** The issuing key's CA ledger (docs/ledger-format.md): the serial is recorded, and one it already holds is refused. */
  ledger: ledgerSpec.optional(),
});
export type IssueCertificateStep = z.infer<typeof schema>;

export const issueCertificateSpec = {
  type: 'issue-certificate',
  schema,
  screen: { busy: 'busy.sign' },
  sensitive: true,
  title: { en: 'Issue the certificate', 'zh-TW': '簽發憑證' },
  evidences: ['usage-request'],
  governedBy: ['key-usage'],
  login: keyLogin,
  produces: (step) => [{ name: step.output, kind: 'certificate', field: ['output'] }, ...ledgerProduced(step)],
  prepares: true,
  works: true,
  x509: (step) => ({
    ...(step.subject ? { subject: { at: 'subject', name: step.subject } } : {}),
    signing: {
      operation: 'issued certificate',
      profile: step.profile,
      key: step.key,
      subjectKey: step.csrKey,
      issuer: step.issuer,
      csr: { name: step.csr, keyAt: 'csrKey' },
      output: step.output,
    },
  }),
  check: (step, scan) => {
    const key = scan.useKey(scan.at('key'), step.key);
    if (key) scan.needLogin(scan.at('key'), key.token, step.type);
    scan.fileReference(scan.at('issuer'), step.issuer, ['certificate']);
    scan.fileReference(scan.at('csr'), step.csr, ['csr']);
    step.chain?.forEach((name, j) => scan.fileReference(scan.at('chain', j), name, ['certificate']));
    scan.needProfile(scan.at('profile'), step.profile);
    checkLedgerReferences(step.ledger, scan);
  },
  checkSubmission: (step, submission, context) => {
    const csr = context.inputs[step.csr] ?? context.outputs[step.csr];
    const typed = typedHex(submission.values['csr-sha256']);
    if (typed.length < 16)
      return refusal(
        step.id,
        'csr.fingerprint-missing',
        `step ${step.id}: type at least the first 16 hex digits of the CSR fingerprint as read aloud by the subscriber`,
      );
    if (!csr || !csr.sha256.startsWith(typed))
      return refusal(
        step.id,
        'csr.fingerprint-mismatch',
        `step ${step.id}: the CSR fingerprint typed does not match the CSR brought to the ceremony`,
        'stop: the subscriber and the issuer are not looking at the same request',
      );
    return undefined;
  },
  scriptRows: (step, { t, code, dn }) => [
    [t.key, code(step.key)],
    [t.issuer, code(step.issuer)],
    [t.csr, code(step.csr)],
    [t.csrKey, describeAlgorithm(step.csrKey)],
    ...(step.subject ? [[t.subject, dn(step.subject)] as const] : []),
    [t.profile, code(step.profile)],
    [t.output, code(step.output)],
  ],
  screenNotes: (_step, { t }) => [
    { kind: 'text', text: t('signing.readAloud'), tone: 'muted' },
    { kind: 'text', text: t('signing.subscriberReads'), tone: 'muted' },
  ],
  screenFacts: (step, { t, dn, key }) => [
    { label: t('facts.csr'), value: step.csr },
    { label: t('facts.csrKey'), value: describeAlgorithm(step.csrKey) },
    ...(step.subject ? [{ label: t('facts.subject'), value: dn(step.subject) }] : []),
    { label: t('facts.issuer'), value: step.issuer },
    ...key(step.key),
    { label: t('facts.profile'), value: step.profile },
    { label: t('facts.output'), value: step.output },
  ],
  // The subscriber's CSR, its fingerprint typed back from the subscriber's own copy.
  asks: (step, { t, context, fingerprint }) => {
    const csr = context.inputs[step.csr] ?? context.outputs[step.csr];
    return [fingerprint('csr-sha256', t('csr.label'), csr?.sha256, t('csr.mismatch'))];
  },
} satisfies StepSpec<IssueCertificateStep>;
