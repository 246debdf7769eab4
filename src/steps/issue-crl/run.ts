// issue-crl's effect: the CRL signed in the HSM. With a ledger, numbered by it (last + 1)
// and revoking only serials it knows, and the ledger written on with the CRL's entry;
// without, numbered by the time of issue.
import type { StepResult } from '../../ceremony/types.js';
import { checkRevocable, nextCrlNumber } from '../../ledger/ledger.js';
import { sha256 } from '../../util/fingerprint.js';
import type { StepRun } from '../run-types.js';
import type { IssueCrlStep } from './spec.js';

export const issueCrlRun: StepRun<IssueCrlStep> = {
  work: (deps) => async ({ step, context }) => {
    // src/x509 is loaded on first use (see shared/x509-run.ts).
    const x = await import('../shared/x509-run.js');
    const l = await import('../shared/ledger-run.js');
    const tools = x.certificateTools(deps);
    const thisUpdate = deps.clock();
    const issuerCertificate = tools.certificate(context, step.issuer);
    const revokedSerials = (step.revoked ?? []).map((r) => r.serial);
    let ledger: ReturnType<typeof l.ledgerFor> | undefined;
    if (step.ledger) {
      const issuer = x.describeCertificate(issuerCertificate);
      ledger = l.ledgerFor(deps, context, step.ledger, { spkiSha256: issuer.spkiSha256.sha256, subject: issuer.subject }, { step: step.id, time: thisUpdate });
      checkRevocable(ledger, revokedSerials, step.ledger.from ?? step.ledger.to, `step ${step.id}`);
    }
    // CRL numbers only ever grow (RFC 5280 §5.2.3): the ledger's last + 1; without a ledger,
    // seconds since the epoch at issue time.
    const number = ledger ? nextCrlNumber(ledger) : BigInt(Math.floor(thisUpdate.getTime() / 1000));
    const signer = tools.signerFor(step.key);
    const der = await x.issueCrl({
      issuerSigner: signer,
      issuerCertificate,
      number,
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + step.nextUpdateDays * 86_400_000),
      revoked: (step.revoked ?? []).map((r) => ({ serial: r.serial, date: thisUpdate, reason: r.reason })),
    });
    const file = tools.writePem(step, step.output, 'crl', 'X509 CRL', der);
    const outputs = [file];
    if (ledger && step.ledger) {
      const written = l.appendEntry(ledger, { entry: 'crl', crlNumber: number.toString(), revoked: revokedSerials, crlSha256: sha256(der).toString('hex'), ceremony: deps.definition.ceremony, step: step.id, time: thisUpdate.toISOString() });
      outputs.push(l.writeLedger(deps, step, step.ledger, written));
    }
    return { outputs, details: { number: number.toString(), thisUpdate: thisUpdate.toISOString(), revoked: revokedSerials.length, signedWith: signer.signedWith, ...(step.ledger ? { ledger: { from: step.ledger.from ?? null, to: step.ledger.to } } : {}) } } satisfies StepResult;
  },
};
