// self-sign's effects: before approval, what will be signed in plain words, with the serial
// (chosen now; with a ledger, one the key never signed), and the lint key started; after,
// the root certificate signed in the HSM with that serial after its lints passed, and the
// ledger written on.
import type { StepResult } from '../../ceremony/types.js';
import { sha256 } from '../../util/fingerprint.js';
import { describeAlgorithm } from '../../util/key-algorithm.js';
import type { StepRun } from '../run-types.js';
import type { SelfSignStep } from './spec.js';

type X509Run = typeof import('../shared/x509-run.js');

/** The root's own key, which its ledger belongs to, named as the certificate will name it. */
function rootKey(x: X509Run, signer: { spki: Buffer }, step: SelfSignStep) {
  return { spkiSha256: sha256(signer.spki).toString('hex'), subject: x.formatName(x.buildName(x.nameAttributesFrom(step.subject))) };
}

export const selfSignRun: StepRun<SelfSignStep> = {
  prepare:
    (deps) =>
    async ({ step, context }) => {
      // src/x509 is loaded on first use (see shared/x509-run.ts).
      const x = await import('../shared/x509-run.js');
      const l = await import('../shared/ledger-run.js');
      const tools = x.certificateTools(deps);
      const p = tools.profile(step.profile);
      const now = deps.clock();
      const validity = x.profileValidity(p, now);
      const key = context.keys[step.key];
      x.prepareLintKey(key?.algorithm);
      const ledger = step.ledger && {
        ledger: l.ledgerFor(deps, context, step.ledger, rootKey(x, tools.signerFor(step.key), step), { step: step.id, time: now }),
        spec: step.ledger,
      };
      return {
        what: 'self-signed root certificate',
        serial: l.chooseSerial(deps, p.serial.bytes, ledger),
        subject: x.formatName(x.buildName(x.nameAttributesFrom(step.subject))),
        issuer: 'the same (self-signed)',
        key: key ? `${key.label} (${describeAlgorithm(key.algorithm)}), SPKI SHA-256 ${key.spkiSha256}` : step.key,
        spkiSha256: key?.spkiSha256,
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
      const now = deps.clock();
      const ledger = step.ledger && l.ledgerFor(deps, context, step.ledger, rootKey(x, signer, step), { step: step.id, time: now });
      // The token's anchor of this key's ledger, before the key signs anything.
      const guard = ledger && step.ledger && a.guardLedger(deps, step, step.ledger, ledger);
      const issued = await x.selfSignWithLints({
        signer,
        subject: x.nameAttributesFrom(step.subject),
        profile: tools.profile(step.profile),
        serial: l.approvedSerial(context, step),
        notBefore: now,
      });
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
