// issue-certificate's effects: before approval, the request checked (proof of possession,
// subject) and what will be signed in plain words, with the serial (chosen now; with a ledger,
// one the issuing key never signed); after, the certificate signed in the HSM with that
// serial after its lints passed, its chain to the issuer verified, and the ledger written on.
import type { StepResult } from '../../ceremony/types.js';
import { describeAlgorithm } from '../../hsm/types.js';
import type { StepRun } from '../run-types.js';
import type { IssueCertificateStep } from './spec.js';

export const issueCertificateRun: StepRun<IssueCertificateStep> = {
  prepare:
    (deps) =>
    async ({ step, context }) => {
      // src/x509 is loaded on first use (see shared/x509-run.ts).
      const x = await import('../shared/x509-run.js');
      const l = await import('../shared/ledger-run.js');
      const a = await import('../shared/ledger-anchor-run.js');
      const tools = x.certificateTools(deps);
      const now = deps.clock();
      const p = tools.profile(step.profile);
      const csr = tools.csrOf(context, step.csr);
      const csrFile = context.inputs[step.csr] ?? context.outputs[step.csr]!;
      // The request must carry the key the definition states: refused here, before anyone approves.
      const request = x.verifyCsr(
        csr,
        { algorithm: step.csrKey, ...(step.subject ? { subject: x.nameAttributesFrom(step.subject) } : {}) },
        `certificate request ${step.csr}`,
      );
      const issuer = x.describeCertificate(tools.certificate(context, step.issuer));
      x.prepareLintKey(issuer.keyAlgorithm);
      const validity = x.profileValidity(p, now);
      const ledger = step.ledger && {
        ledger: l.ledgerFor(deps, context, step.ledger, { spkiSha256: issuer.spkiSha256.sha256, subject: issuer.subject }, { step: step.id, time: now }),
        spec: step.ledger,
      };
      // The token's anchor of the key's ledger: an older copy is refused here, before anyone
      // approves; work checks it again before the key signs.
      if (ledger) a.guardLedger(deps, step, ledger.spec, ledger.ledger);
      return {
        what: 'subordinate CA certificate',
        serial: l.chooseSerial(deps, p.serial.bytes, ledger),
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
      const issued = await x.issueCertificate({
        csr: tools.csrOf(context, step.csr),
        issuerSigner: signer,
        issuerCertificate,
        profile: tools.profile(step.profile),
        serial: l.approvedSerial(context, step),
        notBefore: now,
        expect: { algorithm: step.csrKey, ...(step.subject ? { subject: x.nameAttributesFrom(step.subject) } : {}) },
      });
      x.verifyChain([issued.der, issuerCertificate, ...(step.chain ?? []).map((name) => tools.certificate(context, name))]);
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
