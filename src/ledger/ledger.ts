// The CA ledger of one issuing key (issue 17 item 5): every certificate serial the key has
// signed and every CRL number it has used, with the serials each CRL revokes. One file,
// JSON Lines, hash-chained: each line carries the SHA-256 of the line before it, so an
// entry changed, removed, reordered or cut off is found (docs/ledger-format.md). A ceremony
// reads the ledger the previous one wrote and writes a new file with its own entries
// appended; the old file is never changed. Pure: bytes in, bytes out, no files, no clock.
import { InputError } from '../errors.js';
import { canonicalJson } from '../journal/canonical-json.js';
import { sha256 } from '../util/fingerprint.js';

export const LEDGER_FORMAT = 'keyceremony-ca-ledger/1';

export interface LedgerHeader {
  seq: 0;
  format: typeof LEDGER_FORMAT;
  /** The issuing key: SHA-256 of its SubjectPublicKeyInfo (DER), lower-case hex. */
  spkiSha256: string;
  /** The issuer's name as text, for people; the key is what binds. */
  issuer: string;
  opened: { ceremony: string; step: string; time: string };
  /**
   * For a key that signed before keyceremony kept its ledger: what the definition declared
   * and the witnesses confirmed when the ledger was opened. CRL numbers go on from
   * lastCrlNumber, and the serials count as issued (never signed again, revocable).
   */
  history?: LedgerHistory;
}

export interface LedgerHistory {
  /** The last CRL number the key used before the ledger (decimal). */
  lastCrlNumber: string;
  /** The serials it issued before the ledger, normalised (normalSerial), in the list's order. */
  issuedSerials: string[];
  /** SHA-256 of the serial list file as brought to the ceremony (the journal has the same). */
  issuedSerialsSha256: string;
}

export interface CertificateEntry {
  seq: number;
  prev: string;
  entry: 'certificate';
  /** Lower-case hex without leading zero bytes' ambiguity: as the certificate carries it. */
  serial: string;
  subject: string;
  certificateSha256: string;
  ceremony: string;
  step: string;
  time: string;
}

/** The revocation reasons a CRL of ours may give (RFC 5280 §5.3.1 without certificateHold, which we do not support, and the delta-CRL removeFromCRL). */
export const REVOCATION_REASON_NAMES = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation'] as const;
export type RevocationReasonName = (typeof REVOCATION_REASON_NAMES)[number];

/** A serial's first revocation: kept in the ledger and given again, unchanged, by every later CRL of the key. */
export interface Revocation {
  serial: string;
  reason: RevocationReasonName;
  /** When it was revoked (ISO 8601, UTC): the thisUpdate of the CRL that first listed it. */
  date: string;
}

export interface CrlEntry {
  seq: number;
  prev: string;
  entry: 'crl';
  crlNumber: string;
  /** Every serial the CRL lists: the earlier CRLs' revocations carried forward, then its own new ones. */
  revoked: string[];
  /**
   * The serials this CRL revoked first, with reason and date. Absent only in entries written
   * before CRLs were cumulative (their new serials count as revoked at the entry's time,
   * reason unspecified: docs/ledger-format.md).
   */
  revocations?: Revocation[];
  crlSha256: string;
  ceremony: string;
  step: string;
  time: string;
}

export type LedgerEntry = CertificateEntry | CrlEntry;

export interface Ledger {
  header: LedgerHeader;
  entries: LedgerEntry[];
  /** The lines as read, for appending without rewriting them. */
  lines: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const SERIAL = /^[0-9a-f]+$/;
/** A positive decimal number without leading zeros: a CRL number as the ledger writes it. */
const DECIMAL = /^[1-9][0-9]*$/;

/** A serial as the ledger keeps it: lower-case hex, no leading zeros (so 00AB and ab are one serial). */
export function normalSerial(serial: string): string {
  const hex = serial.toLowerCase().replace(/^0+(?=.)/, '');
  if (!SERIAL.test(hex)) throw new InputError(`serial ${serial} is not hexadecimal`, { code: 'ledger.serial' });
  return hex;
}

/** A serial (hex) as the content octets of its DER INTEGER: what a certificate or CRL carries. */
export function serialInteger(serial: string): Buffer {
  const normal = normalSerial(serial);
  const bytes = Buffer.from(normal.length % 2 === 1 ? `0${normal}` : normal, 'hex');
  // A DER INTEGER is signed: a leading byte of 0x80 or more needs a zero before it.
  return (bytes[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * Why a serial cannot be a certificate's (RFC 5280 §4.1.2.2: a positive integer of at most
 * 20 octets), or undefined when it can.
 */
export function serialProblem(serial: string): string | undefined {
  const normal = normalSerial(serial);
  if (normal === '0') return 'is zero: a certificate serial is a positive integer (RFC 5280 §4.1.2.2)';
  const octets = serialInteger(normal).length;
  if (octets > 20) return `is ${octets} octets long: a certificate serial is at most 20 octets (RFC 5280 §4.1.2.2)`;
  return undefined;
}

/** Why a ledger's serial is not one it may hold (not normalised, zero, too long), or undefined. */
function ledgerSerialProblem(serial: unknown): string | undefined {
  if (typeof serial !== 'string' || !SERIAL.test(serial)) return `${JSON.stringify(serial)} is not a serial in lower-case hex`;
  if (normalSerial(serial) !== serial) return `serial ${serial} is not normalised (lower-case hex without leading zeros: ${normalSerial(serial)})`;
  const problem = serialProblem(serial);
  return problem && `serial ${serial} ${problem}`;
}

const lineHash = (line: string) => sha256(line).toString('hex');

function refuse(file: string, line: number, problem: string, code: string): never {
  throw new InputError(`ledger ${file}, entry ${line}: ${problem}`, {
    code,
    details: { file, line },
    hint: 'bring the ledger the previous ceremony of this key wrote (its SHA-256 is in that journal: keyceremony history links them); never edit a ledger',
  });
}

/** A new ledger for an issuing key: the header line alone (with its history, when it has one). */
export function openLedger(header: Omit<LedgerHeader, 'seq' | 'format'>): Ledger {
  const h: LedgerHeader = { seq: 0, format: LEDGER_FORMAT, ...header };
  if (h.history === undefined) delete h.history;
  return { header: h, entries: [], lines: [canonicalJson(h)] };
}

/**
 * The serials a key issued before its ledger, as the CA's database exports them: a text file,
 * one hexadecimal serial per line (upper or lower case, leading zeros allowed, a `\r\n` line
 * end too; the last line may end with a newline). A line that is not a serial, or a serial
 * listed twice, is refused naming the file and the line. Normalised as the ledger keeps them.
 */
export function parseSerialList(bytes: Buffer, file: string): string[] {
  const text = bytes.toString('utf8');
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const firstLine = new Map<string, number>();
  return lines.map((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const refuseLine = (problem: string): never => {
      throw new InputError(`serial list ${file}, line ${i + 1}: ${problem}`, {
        code: 'ledger.serial-list',
        details: { file, line: i + 1 },
        hint: 'export the serials the key issued again: one hexadecimal serial per line (e.g. 3A7F0C21), nothing else, no blank lines',
      });
    };
    if (!/^[0-9a-fA-F]+$/.test(line)) refuseLine(line === '' ? 'is blank, not a serial' : `${JSON.stringify(line.slice(0, 80))} is not a hexadecimal serial`);
    const serial = normalSerial(line);
    const problem = serialProblem(serial);
    if (problem) refuseLine(`serial ${line} ${problem}`);
    const earlier = firstLine.get(serial);
    if (earlier !== undefined) refuseLine(`serial ${serial} is listed twice (line ${earlier} too)`);
    firstLine.set(serial, i + 1);
    return serial;
  });
}

/** Reads and verifies a ledger: its header, every entry's shape, sequence and hash chain. */
export function parseLedger(bytes: Buffer, file: string): Ledger {
  const text = bytes.toString('utf8');
  if (!text.endsWith('\n')) refuse(file, text.split('\n').length, 'the file does not end with a newline: it was cut off', 'ledger.truncated');
  const lines = text.slice(0, -1).split('\n');
  const parsed = lines.map((line, i) => {
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      if (canonicalJson(value) !== line) refuse(file, i + 1, 'is not written in canonical JSON (RFC 8785): it was edited', 'ledger.not-canonical');
      return value as Record<string, unknown>;
    } catch (error) {
      if (error instanceof InputError) throw error;
      return refuse(file, i + 1, 'is not a JSON object', 'ledger.json');
    }
  });
  const header = parsed[0]!;
  if (header.format !== LEDGER_FORMAT || header.seq !== 0) refuse(file, 1, `is not a ${LEDGER_FORMAT} header`, 'ledger.header');
  if (typeof header.spkiSha256 !== 'string' || !HEX64.test(header.spkiSha256)) refuse(file, 1, 'has no spkiSha256 of the issuing key', 'ledger.header');
  if (header.history !== undefined && !validHistory(header.history))
    refuse(file, 1, 'has a history that is not { lastCrlNumber, issuedSerials, issuedSerialsSha256 }', 'ledger.header');
  for (const serial of header.history?.issuedSerials ?? []) {
    const problem = ledgerSerialProblem(serial);
    if (problem) refuse(file, 1, `has a history with ${problem}`, 'ledger.serial');
  }
  const entries: LedgerEntry[] = [];
  for (let i = 1; i < parsed.length; i++) {
    const e = parsed[i]!;
    if (e.seq !== i) refuse(file, i + 1, `has seq ${String(e.seq)}, expected ${i}: an entry was removed or moved`, 'ledger.sequence');
    if (e.prev !== lineHash(lines[i - 1]!)) refuse(file, i + 1, `does not carry the SHA-256 of entry ${i}: an entry before it was changed`, 'ledger.chain');
    if (e.entry === 'certificate') {
      const problem = ledgerSerialProblem(e.serial);
      if (problem) refuse(file, i + 1, `has no valid serial: ${problem}`, 'ledger.serial');
    } else if (e.entry === 'crl') {
      if (typeof e.crlNumber !== 'string' || !DECIMAL.test(e.crlNumber)) refuse(file, i + 1, 'has no valid CRL number', 'ledger.entry');
      if (!Array.isArray(e.revoked)) refuse(file, i + 1, 'has no valid list of revoked serials', 'ledger.entry');
      for (const serial of e.revoked as unknown[]) {
        const problem = ledgerSerialProblem(serial);
        if (problem) refuse(file, i + 1, `revokes no valid serial: ${problem}`, 'ledger.serial');
      }
      if (e.revocations !== undefined) {
        if (!Array.isArray(e.revocations)) refuse(file, i + 1, 'has revocations that are not a list', 'ledger.entry');
        for (const r of e.revocations as unknown[]) {
          const problem = revocationProblem(r);
          if (problem) refuse(file, i + 1, `has a revocation that ${problem}`, 'ledger.entry');
        }
      }
    } else {
      refuse(file, i + 1, `is of unknown kind ${JSON.stringify(e.entry)}`, 'ledger.entry');
    }
    entries.push(e as unknown as LedgerEntry);
  }
  const ledger = { header: header as unknown as LedgerHeader, entries, lines };
  // The ledger's own rules hold for what it says, too: no serial twice, CRL numbers one up,
  // both going on from the history it was opened with.
  const history = ledger.header.history;
  const seen = new Set<string>(history?.issuedSerials);
  const revokedBefore = new Map<string, FirstRevocation>();
  if (history && seen.size !== history.issuedSerials.length) refuse(file, 1, 'lists a serial of its history twice', 'ledger.serial-twice');
  let crlNumber = history ? BigInt(history.lastCrlNumber) : 0n;
  let cumulativeSince: CrlEntry | undefined;
  for (const e of entries) {
    if (e.entry === 'certificate') {
      if (seen.has(e.serial)) refuse(file, e.seq + 1, `serial ${e.serial} was issued twice`, 'ledger.serial-twice');
      seen.add(e.serial);
    } else {
      if (BigInt(e.crlNumber) !== crlNumber + 1n) refuse(file, e.seq + 1, `CRL number ${e.crlNumber} does not follow ${crlNumber}`, 'ledger.crl-number');
      crlNumber = BigInt(e.crlNumber);
      for (const s of e.revoked) if (!seen.has(s)) refuse(file, e.seq + 1, `revokes serial ${s}, which this ledger never issued`, 'ledger.revoked-unknown');
      // Once one CRL was written cumulative, an entry in the older shape after it could drop a
      // revocation from the record unseen (issue-crl would still carry it forward, but the ledger
      // would say CRL n revoked nothing): refused.
      if (e.revocations === undefined && cumulativeSince)
        refuse(
          file,
          e.seq + 1,
          `has no revocations, but entry ${cumulativeSince.seq + 1} (CRL number ${cumulativeSince.crlNumber}) was written cumulative: every later CRL entry must list its revocations`,
          'ledger.not-cumulative',
        );
      cumulativeSince ??= e.revocations !== undefined ? e : undefined;
      checkCumulative(e, revokedBefore, file);
      for (const r of crlRevocations(e, revokedBefore)) revokedBefore.set(r.serial, { revocation: r, entry: e });
    }
  }
  return ledger;
}

interface FirstRevocation {
  revocation: Revocation;
  /** The CRL entry that revoked it first. */
  entry: CrlEntry;
}

/**
 * A CRL entry's new revocations: its `revocations`, or, in an entry written before CRLs were
 * cumulative, each listed serial not revoked before it, at the entry's time, reason unspecified.
 */
function crlRevocations(e: CrlEntry, before: Map<string, FirstRevocation>): Revocation[] {
  return e.revocations ?? e.revoked.filter((s) => !before.has(s)).map((serial) => ({ serial, reason: 'unspecified' as const, date: e.time }));
}

/**
 * RFC 5280 §5.3.1: once listed, a serial stays on every later CRL of the issuer (only
 * certificateHold may be removed, and we do not support it). An entry lists each serial once;
 * one with `revocations` revokes there only serials no earlier CRL did, and lists every
 * earlier revocation too. Entries written before the rule (no `revocations`) are kept as
 * they are: issue-crl carries their serials forward all the same.
 */
function checkCumulative(e: CrlEntry, before: Map<string, FirstRevocation>, file: string): void {
  const listed = new Set<string>();
  for (const s of e.revoked) {
    if (listed.has(s)) refuse(file, e.seq + 1, `lists serial ${s} twice`, 'ledger.revoked-twice');
    listed.add(s);
  }
  if (e.revocations === undefined) return;
  const added = new Set<string>();
  for (const r of e.revocations) {
    const first = before.get(r.serial);
    if (first)
      refuse(
        file,
        e.seq + 1,
        `revokes serial ${r.serial} again, which entry ${first.entry.seq + 1} (CRL number ${first.entry.crlNumber}) revoked`,
        'ledger.revoked-again',
      );
    if (added.has(r.serial)) refuse(file, e.seq + 1, `revokes serial ${r.serial} twice`, 'ledger.revoked-twice');
    added.add(r.serial);
    if (!listed.has(r.serial)) refuse(file, e.seq + 1, `revokes serial ${r.serial} but does not list it`, 'ledger.not-cumulative');
  }
  for (const s of before.keys())
    if (!listed.has(s))
      refuse(
        file,
        e.seq + 1,
        `no longer lists serial ${s}, which an earlier CRL revoked: a CRL keeps every revocation (RFC 5280 §5.3.1)`,
        'ledger.not-cumulative',
      );
  for (const s of listed) if (!before.has(s) && !added.has(s)) refuse(file, e.seq + 1, `lists serial ${s} without its revocation`, 'ledger.not-cumulative');
}

function revocationProblem(value: unknown): string | undefined {
  const r = value as Partial<Revocation> | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'is not { serial, reason, date }';
  const serial = ledgerSerialProblem(r.serial);
  if (serial) return `has ${serial}`;
  if (!(REVOCATION_REASON_NAMES as readonly unknown[]).includes(r.reason))
    return `of serial ${r.serial} has no valid reason (${REVOCATION_REASON_NAMES.join(', ')})`;
  if (typeof r.date !== 'string' || Number.isNaN(Date.parse(r.date)) || new Date(r.date).toISOString() !== r.date)
    return `of serial ${r.serial} has no valid date (ISO 8601, UTC)`;
  if (Object.keys(r).some((k) => !['serial', 'reason', 'date'].includes(k))) return `of serial ${r.serial} has fields other than serial, reason and date`;
  return undefined;
}

/** Every serial the key's CRLs have revoked, each with its first revocation and the entry that made it. */
export function revokedSerials(ledger: Ledger): Map<string, FirstRevocation> {
  const revoked = new Map<string, FirstRevocation>();
  for (const e of ledger.entries) if (e.entry === 'crl') for (const r of crlRevocations(e, revoked)) revoked.set(r.serial, { revocation: r, entry: e });
  return revoked;
}

function validHistory(value: unknown): value is LedgerHistory {
  const h = value as Partial<LedgerHistory> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    typeof h.lastCrlNumber === 'string' &&
    DECIMAL.test(h.lastCrlNumber) &&
    Array.isArray(h.issuedSerials) &&
    h.issuedSerials.every((s) => typeof s === 'string') &&
    typeof h.issuedSerialsSha256 === 'string' &&
    HEX64.test(h.issuedSerialsSha256)
  );
}

/** The ledger belongs to the key that is about to sign, or it is refused. */
export function checkLedgerKey(ledger: Ledger, spkiSha256: string, file: string): void {
  if (ledger.header.spkiSha256 !== spkiSha256) {
    refuse(file, 1, `belongs to the key with SPKI SHA-256 ${ledger.header.spkiSha256}, not to the signing key (${spkiSha256})`, 'ledger.other-key');
  }
}

/** Every serial the key has signed: its history's, then the ledger's certificate entries. */
export const issuedSerials = (ledger: Ledger) =>
  new Set([...(ledger.header.history?.issuedSerials ?? []), ...ledger.entries.filter((e) => e.entry === 'certificate').map((e) => e.serial)]);

/** CRL number = the last one + 1; after the declared history's last; 1 for a new key's first CRL. Never from the clock. */
export function nextCrlNumber(ledger: Ledger): bigint {
  const last = ledger.entries.filter((e) => e.entry === 'crl').at(-1);
  return (last ? BigInt(last.crlNumber) : BigInt(ledger.header.history?.lastCrlNumber ?? 0)) + 1n;
}

/** Refuses a serial the key has already signed, before it signs it again. */
export function checkNewSerial(ledger: Ledger, serial: string, file: string): void {
  const s = normalSerial(serial);
  if (ledger.header.history?.issuedSerials.includes(s)) {
    throw new InputError(
      `ledger ${file}, entry 1: serial ${s} was already issued before the ledger (it is in the serial list the ledger was opened with); a serial is never issued twice`,
      {
        code: 'ledger.serial-reused',
        hint: 'nothing was signed with it: retry the step, which draws a new serial; a random serial that repeats means the generator must be checked (record an exception)',
      },
    );
  }
  const earlier = ledger.entries.find((e) => e.entry === 'certificate' && e.serial === s);
  if (earlier) {
    throw new InputError(
      `ledger ${file}, entry ${earlier.seq + 1}: serial ${s} was already issued (to ${(earlier as CertificateEntry).subject}); a serial is never issued twice`,
      {
        code: 'ledger.serial-reused',
        hint: 'nothing was signed with it: retry the step, which draws a new serial; a random serial that repeats means the generator must be checked (record an exception)',
      },
    );
  }
}

/** Refuses to revoke a serial the ledger does not know (a typo, or another CA's certificate). */
export function checkRevocable(ledger: Ledger, serials: string[], file: string, where: string): void {
  const known = issuedSerials(ledger);
  for (const serial of serials) {
    if (!known.has(normalSerial(serial))) {
      const history = ledger.header.history ? ` nor its history's ${ledger.header.history.issuedSerials.length} serials` : '';
      throw new InputError(
        `${where}: revokes serial ${serial}, which ledger ${file} does not know (its ${ledger.entries.length} entries${history} name no such certificate)`,
        {
          code: 'ledger.revoked-unknown',
          hint: 'check the serial against the certificate (openssl x509 -noout -serial) and that this is the issuer that signed it',
        },
      );
    }
  }
}

type NewEntry = Omit<CertificateEntry, 'seq' | 'prev'> | Omit<CrlEntry, 'seq' | 'prev'>;

/** The ledger with one entry more; the earlier lines are kept byte for byte. */
export function appendEntry(ledger: Ledger, entry: NewEntry): Ledger {
  const seq = ledger.lines.length;
  const full = { ...entry, seq, prev: lineHash(ledger.lines.at(-1)!) };
  if (full.entry === 'certificate') full.serial = normalSerial(full.serial);
  else full.revoked = full.revoked.map(normalSerial);
  return { header: ledger.header, entries: [...ledger.entries, full], lines: [...ledger.lines, canonicalJson(full)] };
}

export const ledgerBytes = (ledger: Ledger): Buffer => Buffer.from(ledger.lines.map((l) => `${l}\n`).join(''));

/**
 * What a new CRL of the key lists (issue 17; RFC 5280 §5.3.1): every serial an earlier CRL
 * revoked, carried forward with its first date and reason, then the step's new revocations
 * dated `date` (the new CRL's thisUpdate). The step lists only new revocations, normalised:
 * a serial listed twice (00AB and ab are one), one the ledger does not know, and one an
 * earlier CRL already revoked are refused, the last naming that CRL: its date and reason
 * stay as they were, and listing it again would show the witnesses a reason the CRL would
 * not carry.
 */
export function crlRevocationsFor(
  ledger: Ledger,
  requested: ReadonlyArray<{ serial: string; reason: RevocationReasonName }>,
  file: string,
  where: string,
  date: string,
): { carried: Revocation[]; added: Revocation[] } {
  const firstAt = new Map<string, number>();
  const added = requested.map((r, i) => {
    const serial = normalSerial(r.serial);
    const problem = serialProblem(serial);
    if (problem) throw new InputError(`${where}: revoked[${i}]: serial ${r.serial} ${problem}`, { code: 'ledger.serial' });
    const earlier = firstAt.get(serial);
    if (earlier !== undefined) {
      throw new InputError(`${where}: revoked[${earlier}] (${requested[earlier]!.serial}) and revoked[${i}] (${r.serial}) are the same serial ${serial}`, {
        code: 'ledger.revoked-twice',
        hint: 'list each revoked certificate once',
      });
    }
    firstAt.set(serial, i);
    return { serial, reason: r.reason, date };
  });
  checkRevocable(
    ledger,
    requested.map((r) => r.serial),
    file,
    where,
  );
  const before = revokedSerials(ledger);
  added.forEach((r, i) => {
    const first = before.get(r.serial);
    if (first) {
      throw new InputError(
        `${where}: revoked[${i}] (${requested[i]!.serial}) was already revoked on ${first.revocation.date} (${first.revocation.reason}) by CRL number ${first.entry.crlNumber}, ledger ${file} entry ${first.entry.seq + 1}`,
        {
          code: 'ledger.revoked-again',
          hint: 'every CRL keeps the earlier revocations by itself, with their first date and reason (RFC 5280 §5.3.1): list only new revocations',
        },
      );
    }
  });
  return { carried: [...before.values()].map((f) => f.revocation), added };
}
