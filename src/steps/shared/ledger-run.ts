// The ledger a certificate or CRL step reads and writes (docs/ledger-format.md): the one
// brought in (or made by an earlier step), checked for its chain and for the signing key,
// or a new one for a key's first entries; and the new file written once with the entries
// appended. A certificate step's serial is chosen before approval, so the witnesses see it
// and a serial the ledger already records is refused before anyone approves.
import type { CeremonyContext, FileRecord } from '../../ceremony/types.js';
import { KeyceremonyError } from '../../errors.js';
import {
  appendEntry,
  checkLedgerKey,
  checkNewSerial,
  ledgerBytes,
  normalSerial,
  openLedger,
  parseLedger,
  parseSerialList,
  serialInteger,
  type Ledger,
  type LedgerHistory,
} from '../../ledger/ledger.js';
import { sha256 } from '../../util/fingerprint.js';
import type { CeremonyDeps } from '../run-types.js';
import type { LedgerSpec } from './step-schema.js';
import { describeCertificate, fileBytes, randomSerial } from './x509-run.js';

export interface IssuerKey {
  spkiSha256: string;
  subject: string;
}

/** The ledger the step continues, bound to the issuing key, or a new one opened here. */
export function ledgerFor(
  deps: CeremonyDeps,
  context: CeremonyContext,
  spec: LedgerSpec,
  issuer: IssuerKey,
  at: { step: string; time: Date },
  approvedListSha256?: string,
): Ledger {
  if (!spec.from) {
    const history = spec.open && declaredHistory(deps, context, spec.open, approvedListSha256);
    return openLedger({
      spkiSha256: issuer.spkiSha256,
      issuer: issuer.subject,
      opened: { ceremony: deps.definition.ceremony, step: at.step, time: at.time.toISOString() },
      history,
    });
  }
  const ledger = parseLedger(fileBytes(deps.workdir, context, spec.from), spec.from);
  checkLedgerKey(ledger, issuer.spkiSha256, spec.from);
  return ledger;
}

/**
 * The history a key's ledger opens with (ledger.open): the declared last CRL number and the
 * serials of the list brought in, with the list's SHA-256 (the same as its journal record).
 * The list is read at prepare, where the witnesses confirm its SHA-256, and again at work:
 * each time its bytes must still be the ones journaled when the ceremony started, and at
 * work the ones shown before approval (`approvedSha256`), or nothing is signed (a list
 * swapped in the workdir after approval is never used unseen).
 */
export function declaredHistory(deps: CeremonyDeps, context: CeremonyContext, open: NonNullable<LedgerSpec['open']>, approvedSha256?: string): LedgerHistory {
  // fileBytes refuses bytes other than the journaled ones (file.changed); what is left to check
  // is that they are also the bytes the witnesses were shown before approval.
  const bytes = fileBytes(deps.workdir, context, open.issuedSerials);
  const read = sha256(bytes).toString('hex');
  if (approvedSha256 !== undefined && approvedSha256 !== read) {
    throw new KeyceremonyError(
      `serial list ${open.issuedSerials} changed: its SHA-256 is now ${read}, not ${approvedSha256} as shown to the witnesses before approval`,
      {
        code: 'ledger.serial-list-changed',
        hint: 'nothing was signed; the file in the workdir was replaced: find out who changed it, record an exception, and run the ceremony again from the original list',
      },
    );
  }
  return { lastCrlNumber: open.lastCrlNumber, issuedSerials: parseSerialList(bytes, open.issuedSerials), issuedSerialsSha256: read };
}

/** What the witnesses confirm aloud of a declared history, and what the journal keeps of it. */
export const historyFacts = (h: LedgerHistory) => ({
  lastCrlNumber: h.lastCrlNumber,
  issuedSerials: h.issuedSerials.length,
  issuedSerialsSha256: h.issuedSerialsSha256,
});

/** The file named in messages about the ledger: the one read, or the one being opened. */
export const ledgerFile = (spec: LedgerSpec) => spec.from ?? spec.to;

/**
 * A new serial of the profile's length (the composition root's source, else the CSPRNG),
 * as lower-case hex; with a ledger, refused when the key has signed it before.
 */
export function chooseSerial(deps: CeremonyDeps, bytes: number, ledger: { ledger: Ledger; spec: LedgerSpec } | undefined): string {
  const serial = normalSerial((deps.serialSource ?? randomSerial)(bytes).toString('hex'));
  if (ledger) checkNewSerial(ledger.ledger, serial, ledgerFile(ledger.spec));
  return serial;
}

/** The serial prepare chose and the witnesses approved, as the DER INTEGER's bytes. */
export function approvedSerial(context: CeremonyContext, step: { id: string }): Buffer {
  const serial = (context.prepared as { serial?: unknown } | undefined)?.serial;
  if (typeof serial !== 'string' || !/^[0-9a-f]+$/.test(serial)) {
    throw new KeyceremonyError(`step ${step.id}: no serial was shown before approval`, {
      code: 'ledger.no-serial',
      hint: 'retry the step: its serial is chosen again and shown before the witnesses approve',
    });
  }
  return serialInteger(serial);
}

/**
 * After signing: the ledger with the certificate's entry, written once as ledger.to. The
 * serial is checked again against the ledger as read now, in case another step of this
 * ceremony wrote it since prepare.
 */
export function recordCertificate(
  deps: CeremonyDeps,
  step: { id: string },
  spec: LedgerSpec,
  ledger: Ledger,
  der: Buffer,
  time: Date,
): { file: FileRecord; written: Ledger } {
  const d = describeCertificate(der);
  checkNewSerial(ledger, d.serial, ledgerFile(spec));
  const written = appendEntry(ledger, {
    entry: 'certificate',
    serial: d.serial,
    subject: d.subject,
    certificateSha256: sha256(der).toString('hex'),
    ceremony: deps.definition.ceremony,
    step: step.id,
    time: time.toISOString(),
  });
  return { file: writeLedger(deps, step, spec, written), written };
}

/** What the journal records of the ledger a step read and wrote. */
export const ledgerDetails = (spec: LedgerSpec | undefined, opened?: Ledger) =>
  spec
    ? { ledger: { from: spec.from ?? null, to: spec.to, ...(spec.open && opened?.header.history ? { opened: historyFacts(opened.header.history) } : {}) } }
    : {};

export { appendEntry };

export const writeLedger = (deps: CeremonyDeps, step: { id: string }, spec: LedgerSpec, ledger: Ledger): FileRecord =>
  deps.outputs.write(spec.to, 'ledger', ledgerBytes(ledger), step.id);
