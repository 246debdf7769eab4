// issue-crl's effect: the CRL signed in the HSM, numbered by the issuing key's CA ledger
// (last + 1, never the clock) and revoking only serials it knows, and the ledger written on
// with the CRL's entry.
import type { StepResult } from '../../ceremony/types.js';
import { crlRevocationsFor, nextCrlNumber, serialInteger } from '../../ledger/ledger.js';
import { sha256 } from '../../util/fingerprint.js';
import type { StepRun } from '../run-types.js';
import type { IssueCrlStep } from './spec.js';

export const issueCrlRun: StepRun<IssueCrlStep> = {
  // A ledger opened from the key's history (ledger.open): before approval, the screen shows
  // what was declared (last CRL number, how many serials, the list's SHA-256) and the CRL
  // number it gives, so the witnesses confirm them aloud against the CA's own records.
  prepare:
    (deps) =>
    async ({ step, context }) => {
      const l = await import('../shared/ledger-run.js');
      const history = l.declaredHistory(deps, context, step.ledger.open!);
      return { crlNumber: (BigInt(history.lastCrlNumber) + 1n).toString(), ledgerOpening: l.historyFacts(history) };
    },
  work:
    (deps) =>
    async ({ step, context }) => {
      // src/x509 is loaded on first use (see shared/x509-run.ts).
      const x = await import('../shared/x509-run.js');
      const l = await import('../shared/ledger-run.js');
      const a = await import('../shared/ledger-anchor-run.js');
      const tools = x.certificateTools(deps);
      const thisUpdate = deps.clock();
      const issuerCertificate = tools.certificate(context, step.issuer);
      const issuer = x.describeCertificate(issuerCertificate);
      // The serial list a ledger opens with must be the one the witnesses confirmed at prepare.
      const approved = (context.prepared as { ledgerOpening?: { issuedSerialsSha256?: string } } | undefined)?.ledgerOpening?.issuedSerialsSha256;
      const ledger = l.ledgerFor(
        deps,
        context,
        step.ledger,
        { spkiSha256: issuer.spkiSha256.sha256, subject: issuer.subject },
        { step: step.id, time: thisUpdate },
        approved,
      );
      // Cumulative (RFC 5280 §5.3.1): every earlier revocation, with its first date and reason,
      // then the step's new ones; serials normalised before the CRL builder and the ledger see them.
      const { carried, added } = crlRevocationsFor(ledger, step.revoked ?? [], l.ledgerFile(step.ledger), `step ${step.id}`, thisUpdate.toISOString());
      const listed = [...carried, ...added];
      // CRL numbers only ever grow (RFC 5280 §5.2.3): the ledger's last + 1.
      const number = nextCrlNumber(ledger);
      // The token's anchor of this key's ledger, before the key signs anything.
      const guard = a.guardLedger(deps, step, step.ledger, ledger);
      const signer = tools.signerFor(step.key);
      const der = await x.issueCrl({
        issuerSigner: signer,
        issuerCertificate,
        number,
        thisUpdate,
        nextUpdate: new Date(thisUpdate.getTime() + step.nextUpdateDays * 86_400_000),
        revoked: listed.map((r) => ({ serial: serialInteger(r.serial), date: new Date(r.date), reason: r.reason })),
      });
      const file = tools.writePem(step, step.output, 'crl', 'X509 CRL', der);
      const written = l.appendEntry(ledger, {
        entry: 'crl',
        crlNumber: number.toString(),
        revoked: listed.map((r) => r.serial),
        revocations: added,
        crlSha256: sha256(der).toString('hex'),
        ceremony: deps.definition.ceremony,
        step: step.id,
        time: thisUpdate.toISOString(),
      });
      const outputs = [file, l.writeLedger(deps, step, step.ledger, written)];
      const anchor = a.advanceAnchor(deps, step, guard, written);
      return {
        outputs,
        details: {
          number: number.toString(),
          thisUpdate: thisUpdate.toISOString(),
          revoked: listed.length,
          newlyRevoked: added.length,
          signedWith: signer.signedWith,
          ...l.ledgerDetails(step.ledger, ledger),
          ...a.anchorDetails(guard, anchor),
        },
      } satisfies StepResult;
    },
};
