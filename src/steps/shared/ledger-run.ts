// The ledger a certificate or CRL step reads and writes (docs/ledger-format.md): the one
// brought in (or made by an earlier step), checked for its chain and for the signing key,
// or a new one for a key's first entries; and the new file written once with the entries
// appended.
import type { CeremonyContext, FileRecord } from '../../ceremony/types.js';
import { appendEntry, checkLedgerKey, ledgerBytes, openLedger, parseLedger, type Ledger } from '../../ledger/ledger.js';
import type { CeremonyDeps } from '../run-types.js';
import type { LedgerSpec } from './step-schema.js';
import { fileBytes } from './x509-run.js';

export interface IssuerKey {
  spkiSha256: string;
  subject: string;
}

/** The ledger the step continues, bound to the issuing key, or a new one opened here. */
export function ledgerFor(deps: CeremonyDeps, context: CeremonyContext, spec: LedgerSpec, issuer: IssuerKey, at: { step: string; time: Date }): Ledger {
  if (!spec.from) return openLedger({ spkiSha256: issuer.spkiSha256, issuer: issuer.subject, opened: { ceremony: deps.definition.ceremony, step: at.step, time: at.time.toISOString() } });
  const ledger = parseLedger(fileBytes(deps.workdir, context, spec.from), spec.from);
  checkLedgerKey(ledger, issuer.spkiSha256, spec.from);
  return ledger;
}

export { appendEntry };

export const writeLedger = (deps: CeremonyDeps, step: { id: string }, spec: LedgerSpec, ledger: Ledger): FileRecord => deps.outputs.write(spec.to, 'ledger', ledgerBytes(ledger), step.id);
