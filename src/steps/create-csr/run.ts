// create-csr's effect: the request signed in the HSM, its proof of possession checked as
// the issuer will check it, written as PEM.
import { KeyceremonyError } from '../../errors.js';
import type { StepResult } from '../../ceremony/types.js';
import { describeAlgorithm } from '../../hsm/types.js';
import type { StepRun } from '../run-types.js';
import type { CreateCsrStep } from './spec.js';

export const createCsrRun: StepRun<CreateCsrStep> = {
  work:
    (deps) =>
    async ({ step }) => {
      // src/x509 is loaded on first use (see shared/x509-run.ts).
      const x = await import('../shared/x509-run.js');
      const tools = x.certificateTools(deps);
      const signer = tools.signerFor(step.key);
      const subject = x.nameAttributesFrom(step.subject);
      const { der } = await x.createCsr({ signer, subject, ...(step.hash ? { hash: step.hash } : {}) });
      // Proof of possession, checked as the issuer will: the request verifies with its own key.
      const summary = x.verifyCsr(der, { subject, algorithm: signer.algorithm });
      if (!summary.spki.equals(signer.spki))
        throw new KeyceremonyError(`step ${step.id}: the request's public key is not key ${step.key}`, { code: 'csr.key' });
      const file = tools.writePem(step, step.output, 'csr', 'CERTIFICATE REQUEST', der);
      return {
        outputs: [file],
        details: {
          subject: summary.subjectText,
          key: describeAlgorithm(summary.algorithm),
          spkiSha256: summary.spkiFingerprint.sha256,
          requestSha256: summary.fingerprint.sha256,
          signedWith: signer.signedWith,
        },
      } satisfies StepResult;
    },
};
