// The signing steps: create-csr, self-sign, issue-certificate, issue-crl. Each signs inside
// the HSM with a key on a logged-in token and writes one output file.
import type { StepOf } from '../../definition/definition.js';
import { refusal, tokenOfKey, type StepKind } from './kind.js';

const login = (step: { key: string }, definition: Parameters<typeof tokenOfKey>[0]) => ({ token: tokenOfKey(definition, step.key), userType: 'user' as const });

export const createCsr: StepKind<StepOf<'create-csr'>> = { login, work: 'createCsr' };
export const selfSign: StepKind<StepOf<'self-sign'>> = { login, prepare: 'describeIssuance', work: 'selfSign' };
export const issueCrl: StepKind<StepOf<'issue-crl'>> = { login, work: 'issueCrl' };

/**
 * issue-certificate: the subscriber's representative reads the CSR fingerprint aloud and
 * the performer types it back; the witness approves what the screen shows will be signed.
 */
export const issueCertificate: StepKind<StepOf<'issue-certificate'>> = {
  login,
  prepare: 'describeIssuance',
  check: (step, submission, context) => {
    const csr = context.inputs[step.csr] ?? context.outputs[step.csr];
    const typed = (submission.values['csr-sha256'] ?? '').replace(/[\s:]/g, '').toLowerCase();
    if (typed.length < 16) return refusal(step.id, 'csr.fingerprint-missing', `step ${step.id}: type at least the first 16 hex digits of the CSR fingerprint as read aloud by the subscriber`);
    if (!csr || !csr.sha256.startsWith(typed)) return refusal(step.id, 'csr.fingerprint-mismatch', `step ${step.id}: the CSR fingerprint typed does not match the CSR brought to the ceremony`, 'stop: the subscriber and the issuer are not looking at the same request');
    return undefined;
  },
  work: 'issueCertificate',
};

/** accept-certificate: checks first (key, subject, profile, chain), then the subscriber decides. */
export const acceptCertificate: StepKind<StepOf<'accept-certificate'>> = {
  prepare: 'checkCertificate',
  check: (step, submission, context) => {
    const decision = submission.values.decision;
    if (decision !== 'accept' && decision !== 'reject') return refusal(step.id, 'decision.missing', `step ${step.id}: the subscriber must decide accept or reject`);
    if (decision === 'accept' && context.prepared?.ok !== true) {
      return refusal(step.id, 'certificate.not-acceptable', `step ${step.id}: the certificate cannot be accepted: ${String(context.prepared?.problem ?? 'the checks did not pass')}`, 'record a rejection; revocation must then be requested from the issuer');
    }
    if (decision === 'reject' && (submission.values.reason ?? '').trim() === '') return refusal(step.id, 'decision.reason', `step ${step.id}: a rejection needs a reason`);
    return undefined;
  },
  work: 'acceptCertificate',
};
