// The ledgers brought to a ceremony, against the steps that continue them, before anyone
// signs in (exit 2, nothing written but the setup, which is discarded): each belongs to the
// key that signs with it (its issuer certificate's key, when that is an input too), and a CRL
// revokes only serials the ledger knows, each once, and none an earlier CRL revoked. The steps check again when they sign, and a
// certificate step checks its serial against the ledger before the witnesses approve.
import type { Definition } from '../definition/definition.js';
import { checkLedgerKey, crlRevocationsFor, openLedger, parseLedger, parseSerialList } from '../ledger/ledger.js';
import { readWorkdirFile } from '../util/safe-path.js';
import { INPUT_FILE_LIMIT } from '../util/bounded-read.js';
import type { FileRecord } from './types.js';

export async function checkLedgerInputs(definition: Definition, workdir: string, inputs: Record<string, FileRecord>): Promise<void> {
  for (const step of definition.steps) {
    // Any step that keeps a CA ledger (the certificate steps and issue-crl): found by its `ledger`, not its type.
    if (!('ledger' in step) || !step.ledger) continue;
    const open = step.ledger.open;
    if (open && inputs[open.issuedSerials] && 'revoked' in step) {
      // A ledger opened from the key's history: a CRL revokes only serials of the list brought in.
      const serials = parseSerialList(readWorkdirFile(workdir, `inputs/${open.issuedSerials}`, INPUT_FILE_LIMIT), open.issuedSerials);
      const opened = openLedger({
        spkiSha256: '',
        issuer: '',
        opened: { ceremony: definition.ceremony, step: step.id, time: '' },
        history: { lastCrlNumber: open.lastCrlNumber, issuedSerials: serials, issuedSerialsSha256: '' },
      });
      crlRevocationsFor(opened, step.revoked ?? [], `${step.ledger.to} (opened with ${open.issuedSerials})`, `step ${step.id}`, '');
    }
    if (!step.ledger.from || !inputs[step.ledger.from]) continue;
    const file = step.ledger.from;
    const ledger = parseLedger(readWorkdirFile(workdir, `inputs/${file}`, INPUT_FILE_LIMIT), file);
    const issuerName = 'issuer' in step ? step.issuer : undefined;
    if (issuerName && inputs[issuerName]) {
      const { derFromDerOrPem, describeCertificate } = await import('../x509/index.js');
      const issuer = describeCertificate(
        derFromDerOrPem(readWorkdirFile(workdir, `inputs/${issuerName}`, INPUT_FILE_LIMIT), 'CERTIFICATE', `certificate ${issuerName}`),
      );
      checkLedgerKey(ledger, issuer.spkiSha256.sha256, file);
    }
    // Known to the ledger, listed once, and not revoked by an earlier CRL (whose revocation every CRL carries forward).
    if ('revoked' in step) crlRevocationsFor(ledger, step.revoked ?? [], file, `step ${step.id}`, '');
  }
}
