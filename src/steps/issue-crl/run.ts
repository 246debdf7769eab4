// issue-crl's effect: the CRL signed in the HSM, numbered by the issuing key's CA ledger
// (last + 1, never the clock) and revoking only serials it knows, and the ledger written on
// with the CRL's entry.
import type { CeremonyContext, StepResult } from '../../ceremony/types.js';
import { crlRevocationsFor, nextCrlNumber, serialInteger } from '../../ledger/ledger.js';
import { sha256 } from '../../util/fingerprint.js';
import type { RunDeps, StepRun } from '../run-types.js';
import type { IssueCrlStep } from './spec.js';

const nextUpdateOf = (thisUpdate: Date, days: number) => new Date(thisUpdate.getTime() + days * 86_400_000);

/**
 * What prepare and work both read before a CRL is signed: the issuer, its key's ledger as of
 * `thisUpdate`, the revocations the CRL lists, and the token's anchor of that ledger checked
 * (an older copy of the ledger is refused). `approvedListSha256`: at work, the serial list a
 * ledger opens with must be the one the witnesses confirmed at prepare.
 */
async function crlBasis(deps: RunDeps, step: IssueCrlStep, context: CeremonyContext, thisUpdate: Date, approvedListSha256?: string) {
  // src/x509 is loaded on first use (see shared/x509-run.ts).
  const x = await import('../shared/x509-run.js');
  const l = await import('../shared/ledger-run.js');
  const a = await import('../shared/ledger-anchor-run.js');
  const tools = x.certificateTools(deps);
  const issuerCertificate = tools.certificate(context, step.issuer);
  const issuer = x.describeCertificate(issuerCertificate);
  const ledger = l.ledgerFor(
    deps,
    context,
    step.ledger,
    { spkiSha256: issuer.spkiSha256.sha256, subject: issuer.subject },
    { step: step.id, time: thisUpdate },
    approvedListSha256,
  );
  // Cumulative (RFC 5280 §5.3.1): every earlier revocation, with its first date and reason,
  // then the step's new ones; serials normalised before the CRL builder and the ledger see them.
  const { carried, added } = crlRevocationsFor(ledger, step.revoked ?? [], l.ledgerFile(step.ledger), `step ${step.id}`, thisUpdate.toISOString());
  // The token's anchor of this key's ledger, before the key signs anything.
  const guard = a.guardLedger(deps, step, step.ledger, ledger);
  return { x, l, a, tools, issuerCertificate, issuer, ledger, carried, added, guard };
}

export const issueCrlRun: StepRun<IssueCrlStep> = {
  // Before approval the screen says what will be signed, for the witnesses to read aloud: the
  // issuer's name, the CRL number the ledger gives, thisUpdate and nextUpdate, and how many
  // serials the CRL lists. The token's anchor of the key's ledger is checked here too, so an
  // older copy of the ledger is refused before anyone approves (work checks it again). A
  // ledger opened from the key's history (ledger.open) also shows what was declared (last CRL
  // number, how many serials, the list's SHA-256), to confirm against the CA's own records.
  prepare:
    (deps) =>
    async ({ step, context }) => {
      const l = await import('../shared/ledger-run.js');
      // Whole seconds: a CRL's times have no fractions, and what is read aloud is what is signed.
      const thisUpdate = new Date(Math.floor(deps.clock().getTime() / 1000) * 1000);
      const history = step.ledger.open ? l.declaredHistory(deps, context, step.ledger.open) : undefined;
      const { issuer, ledger, carried, added } = await crlBasis(deps, step, context, thisUpdate);
      return {
        issuer: issuer.subject,
        crlNumber: nextCrlNumber(ledger).toString(),
        thisUpdate: thisUpdate.toISOString(),
        nextUpdate: nextUpdateOf(thisUpdate, step.nextUpdateDays).toISOString(),
        revokedSerials: carried.length + added.length,
        ...(history ? { ledgerOpening: l.historyFacts(history) } : {}),
      };
    },
  work:
    (deps) =>
    async ({ step, context }) => {
      // The thisUpdate read aloud before approval (a step prepared by an older version has none).
      const prepared = context.prepared as { thisUpdate?: string; ledgerOpening?: { issuedSerialsSha256?: string } } | undefined;
      const thisUpdate = prepared?.thisUpdate ? new Date(prepared.thisUpdate) : deps.clock();
      const { x, l, a, tools, issuerCertificate, issuer, ledger, carried, added, guard } = await crlBasis(
        deps,
        step,
        context,
        thisUpdate,
        prepared?.ledgerOpening?.issuedSerialsSha256,
      );
      const listed = [...carried, ...added];
      // CRL numbers only ever grow (RFC 5280 §5.2.3): the ledger's last + 1.
      const number = nextCrlNumber(ledger);
      const signer = tools.signerFor(step.key);
      const nextUpdate = nextUpdateOf(thisUpdate, step.nextUpdateDays);
      const der = await x.issueCrl({
        issuerSigner: signer,
        issuerCertificate,
        number,
        thisUpdate,
        nextUpdate,
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
          issuer: issuer.subject,
          thisUpdate: thisUpdate.toISOString(),
          nextUpdate: nextUpdate.toISOString(),
          revoked: listed.length,
          newlyRevoked: added.length,
          signedWith: signer.signedWith,
          ...l.ledgerDetails(step.ledger, ledger),
          ...a.anchorDetails(guard, anchor),
        },
      } satisfies StepResult;
    },
};
