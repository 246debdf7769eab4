// issue-link-certificate's effects: before approval, what will be signed in plain words, with
// the serial (chosen now; with a ledger, one the signing root key never signed); after, the
// link certificate signed in the HSM with it after its lints passed (issueLinkCertificate),
// its chain to the signing root verified, and the ledger written on.
import type { StepResult } from '../../ceremony/types.js';
import type { StepRun } from '../run-types.js';
import type { IssueLinkCertificateStep } from './spec.js';

export const issueLinkCertificateRun: StepRun<IssueLinkCertificateStep> = {
  prepare:
    (deps) =>
    async ({ step, context }) => {
      // src/x509 is loaded on first use (see shared/x509-run.ts).
      const x = await import('../shared/x509-run.js');
      const l = await import('../shared/ledger-run.js');
      const tools = x.certificateTools(deps);
      const now = deps.clock();
      const p = tools.profile(step.profile);
      const issuer = x.describeCertificate(tools.certificate(context, step.issuer));
      const certified = x.describeCertificate(tools.certificate(context, step.certifies));
      x.prepareLintKey(issuer.keyAlgorithm);
      const validity = x.profileValidity(p, now);
      const ledger = step.ledger && {
        ledger: l.ledgerFor(deps, context, step.ledger, { spkiSha256: issuer.spkiSha256.sha256, subject: issuer.subject }, { step: step.id, time: now }),
        spec: step.ledger,
      };
      return {
        what: 'link certificate',
        serial: l.chooseSerial(deps, p.serial.bytes, ledger),
        subject: certified.subject,
        issuer: issuer.subject,
        key: `SPKI SHA-256 ${certified.spkiSha256.sha256}`,
        profile: step.profile,
        notBefore: validity.notBefore.toISOString(),
        notAfter: validity.notAfter.toISOString(),
        extensions: x.extensionList(p),
      };
    },
  work:
    (deps) =>
    async ({ step, context }) => {
      const x = await import('../shared/x509-run.js');
      const l = await import('../shared/ledger-run.js');
      const a = await import('../shared/ledger-anchor-run.js');
      const tools = x.certificateTools(deps);
      const signer = tools.signerFor(step.key);
      const issuerCertificate = tools.certificate(context, step.issuer);
      const now = deps.clock();
      const issuer = x.describeCertificate(issuerCertificate);
      const ledger =
        step.ledger && l.ledgerFor(deps, context, step.ledger, { spkiSha256: issuer.spkiSha256.sha256, subject: issuer.subject }, { step: step.id, time: now });
      // The token's anchor of this key's ledger, before the key signs anything.
      const guard = ledger && step.ledger && a.guardLedger(deps, step, step.ledger, ledger);
      const issued = await x.issueLinkCertificate({
        issuerSigner: signer,
        issuerCertificate,
        newRootCertificate: tools.certificate(context, step.certifies),
        profile: tools.profile(step.profile),
        serial: l.approvedSerial(context, step),
        notBefore: now,
      });
      x.verifyChain([issued.der, issuerCertificate]);
      const file = tools.writePem(step, step.output, 'certificate', 'CERTIFICATE', issued.der);
      const recorded = ledger && step.ledger ? l.recordCertificate(deps, step, step.ledger, ledger, issued.der, now) : undefined;
      const outputs = [file, ...(recorded ? [recorded.file] : [])];
      // The anchor moves to the ledger as written from memory, never as read back from outputs/:
      // whoever can write the workdir could have replaced the file in between.
      const anchor = guard && recorded ? a.advanceAnchor(deps, step, guard, recorded.written) : undefined;
      return {
        outputs,
        details: {
          ...x.certificateDetails(issued.der, issued.lints.length),
          signedWith: signer.signedWith,
          ...l.ledgerDetails(step.ledger),
          ...(guard ? a.anchorDetails(guard, anchor) : {}),
        },
      } satisfies StepResult;
    },
};
