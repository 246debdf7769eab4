// issue-link-certificate's effects: before approval, what will be signed in plain words;
// after, the link certificate signed in the HSM after its lints passed (issueLinkCertificate),
// and its chain to the signing root verified.
import type { StepResult } from '../../ceremony/types.js';
import type { StepRun } from '../run-types.js';
import type { IssueLinkCertificateStep } from './spec.js';

export const issueLinkCertificateRun: StepRun<IssueLinkCertificateStep> = {
  prepare: (deps) => async ({ step, context }) => {
    // src/x509 is loaded on first use (see shared/x509-run.ts).
    const x = await import('../shared/x509-run.js');
    const tools = x.certificateTools(deps);
    const p = tools.profile(step.profile);
    const issuer = x.describeCertificate(tools.certificate(context, step.issuer));
    const certified = x.describeCertificate(tools.certificate(context, step.certifies));
    x.prepareLintKey(issuer.keyAlgorithm);
    const validity = x.profileValidity(p, deps.clock());
    return {
      what: 'link certificate',
      subject: certified.subject,
      issuer: issuer.subject,
      key: `SPKI SHA-256 ${certified.spkiSha256.sha256}`,
      profile: step.profile,
      notBefore: validity.notBefore.toISOString(),
      notAfter: validity.notAfter.toISOString(),
      extensions: x.extensionList(p),
    };
  },
  work: (deps) => async ({ step, context }) => {
    const x = await import('../shared/x509-run.js');
    const tools = x.certificateTools(deps);
    const signer = tools.signerFor(step.key);
    const issuerCertificate = tools.certificate(context, step.issuer);
    const issued = await x.issueLinkCertificate({
      issuerSigner: signer,
      issuerCertificate,
      newRootCertificate: tools.certificate(context, step.certifies),
      profile: tools.profile(step.profile),
      notBefore: deps.clock(),
    });
    x.verifyChain([issued.der, issuerCertificate]);
    const file = tools.writePem(step, step.output, 'certificate', 'CERTIFICATE', issued.der);
    return { outputs: [file], details: { ...x.certificateDetails(issued.der, issued.lints.length), signedWith: signer.signedWith } } satisfies StepResult;
  },
};
