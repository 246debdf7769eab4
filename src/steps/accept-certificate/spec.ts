// accept-certificate: the subscriber's acceptance record. The checks run first (own key,
// exact subject, profile lints, chain), then the subscriber decides accept or reject (with
// a reason); the decision is written as <certificate>.acceptance.json.
import { z } from 'zod';
import { common, id, keyLabel, subject } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';

const schema = z.strictObject({
  ...common,
  type: z.literal('accept-certificate'),
  key: keyLabel,
  certificate: z.string(),
  chain: z.array(z.string()).min(1),
  subject,
  profile: id(),
});
export type AcceptCertificateStep = z.infer<typeof schema>;

export const acceptCertificateSpec = {
  type: 'accept-certificate',
  schema,
  sensitive: true,
  title: { en: 'Check and accept the certificate', 'zh-TW': '憑證接受確認' },
  governedBy: ['key-distribution'],
  // Its acceptance record (<certificate>.acceptance.json) is not among `produces`: the plan
  // lists the script's outputs, and resume has never moved an unrecorded one aside.
  prepares: true,
  works: true,
  check: (step, scan) => {
    scan.useKey(scan.at('key'), step.key);
    scan.fileReference(scan.at('certificate'), step.certificate, ['certificate']);
    step.chain.forEach((name, j) => scan.fileReference(scan.at('chain', j), name, ['certificate']));
    scan.needProfile(scan.at('profile'), step.profile);
  },
  checkSubmission: (step, submission, context) => {
    const decision = submission.values.decision;
    if (decision !== 'accept' && decision !== 'reject')
      return refusal(step.id, 'decision.missing', `step ${step.id}: the subscriber must decide accept or reject`);
    if (decision === 'accept' && context.prepared?.ok !== true) {
      return refusal(
        step.id,
        'certificate.not-acceptable',
        `step ${step.id}: the certificate cannot be accepted: ${typeof context.prepared?.problem === 'string' ? context.prepared.problem : 'the checks did not pass'}`,
        'record a rejection; revocation must then be requested from the issuer',
      );
    }
    if (decision === 'reject' && (submission.values.reason ?? '').trim() === '')
      return refusal(step.id, 'decision.reason', `step ${step.id}: a rejection needs a reason`);
    return undefined;
  },
  scriptRows: (step, { t, code, dn }) => [
    [t.key, code(step.key)],
    [t.certificate, code(step.certificate)],
    [t.chain, step.chain.map((c) => code(c))],
    [t.subject, dn(step.subject)],
    [t.profile, code(step.profile)],
  ],
  screenFacts: (step, { t, dn, key }) => [
    { label: t('facts.certificate'), value: step.certificate },
    { label: t('facts.subject'), value: dn(step.subject) },
    ...key(step.key),
    { label: t('facts.chain'), value: step.chain.join(t('list.separator')) },
    { label: t('facts.profile'), value: step.profile },
  ],
  asks: (_step, { t, context, valueName }) => {
    const acceptable = (context.prepared as { ok?: unknown } | undefined)?.ok === true;
    const accept = { value: 'accept', label: t('decision.accept') };
    const reject = { value: 'reject', label: t('decision.reject') };
    return [
      {
        name: valueName('decision'),
        label: t('decision.label'),
        kind: 'choice',
        choices: acceptable ? [accept, reject] : [reject, accept],
        check: (value) => (value === 'accept' && !acceptable ? t('decision.cannotAccept') : undefined),
      },
      { name: valueName('reason'), label: t('decision.reason'), shownWhen: (values) => values[valueName('decision')] === 'reject' },
    ];
  },
} satisfies StepSpec<AcceptCertificateStep>;
