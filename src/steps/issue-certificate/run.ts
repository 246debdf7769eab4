// issue-certificate's effects: before approval, the request checked (proof of possession,
// subject) and what will be signed in plain words; after, the certificate signed in the
// HSM after its lints passed, and its chain to the issuer verified.
import type { StepResult } from '../../ceremony/types.js';
import { describeAlgorithm } from '../../hsm/types.js';
import type { StepRun } from '../run-types.js';
import type { IssueCertificateStep } from './spec.js';

export const issueCertificateRun: StepRun<IssueCertificateStep> = {
  prepare: (deps) => async ({ step, context }) => {
    // src/x509 is loaded on first use (see shared/x509-run.ts).
    const x = await import('../shared/x509-run.js');
    const tools = x.certificateTools(deps);
    const now = deps.clock();
    const p = tools.profile(step.profile);
    const csr = tools.csrOf(context, step.csr);
    const csrFile = context.inputs[step.csr] ?? context.outputs[step.csr]!;
    // The request must carry the key the definition states: refused here, before anyone approves.
    const request = x.verifyCsr(csr, { algorithm: step.csrKey, ...(step.subject ? { subject: x.nameAttributesFrom(step.subject as Record<string, string>) } : {}) }, `certificate request ${step.csr}`);
    const issuer = x.describeCertificate(tools.certificate(context, step.issuer));
    x.prepareLintKey(issuer.keyAlgorithm);
    const validity = x.profileValidity(p, now);
    return {
      what: 'subordinate CA certificate',
      subject: request.subjectText,
      issuer: issuer.subject,
      key: `${describeAlgorithm(request.algorithm)}, SPKI SHA-256 ${request.spkiFingerprint.sha256}`,
      csrSha256: csrFile.sha256,
      csrWords: csrFile.words,
      proofOfPossession: 'the request signature verifies with its own key',
      profile: step.profile,
      notBefore: validity.notBefore.toISOString(),
      notAfter: validity.notAfter.toISOString(),
      extensions: x.extensionList(p),
      request: x.describeCsr(csr).text,
    };
  },
  work: (deps) => async ({ step, context }) => {
    const x = await import('../shared/x509-run.js');
    const tools = x.certificateTools(deps);
    const signer = tools.signerFor(step.key);
    const issued = await x.issueCertificate({
      csr: tools.csrOf(context, step.csr),
      issuerSigner: signer,
      issuerCertificate: tools.certificate(context, step.issuer),
      profile: tools.profile(step.profile),
      notBefore: deps.clock(),
      expect: { algorithm: step.csrKey, ...(step.subject ? { subject: x.nameAttributesFrom(step.subject as Record<string, string>) } : {}) },
    });
    x.verifyChain([issued.der, tools.certificate(context, step.issuer)]);
    const file = tools.writePem(step, step.output, 'certificate', 'CERTIFICATE', issued.der);
    return { outputs: [file], details: { ...x.certificateDetails(issued.der, issued.lints.length), signedWith: signer.signedWith } } satisfies StepResult;
  },
};
