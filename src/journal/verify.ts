// Verifies a journal: every line is a record whose hash matches its bytes, the records are
// numbered from 1 without gaps and each names the previous one's hash, nothing follows the
// seal, and (given what the runner recorded) nothing was cut off the end. It reports the
// first thing that is wrong, by line and record, as the kind of damage it most likely is.
//
// One pass, one JSON.parse and one SHA-256 per record; the extra work to tell a moved
// record from a missing one is done once, only after something was found wrong.
import { Buffer, isUtf8 } from 'node:buffer';
import { canonicalJson } from './canonical-json.js';
import {
  GENESIS_HASH,
  OPENED_EVENT,
  SEALED_EVENT,
  describeRecord,
  isSha256Hex,
  lineBody,
  recordShapeProblem,
  sha256Hex,
  type JournalHead,
  type JournalRecord,
} from './record.js';
import { isAuditRecord } from './checkpoint.js';
import { eventDataProblem, type EventDataProblem } from './events.js';

export type JournalProblemKind = 'malformed' | 'changed' | 'missing' | 'duplicated' | 'reordered' | 'truncated' | 'after-seal' | 'unsealed' | 'event-data';

export interface JournalProblem {
  /** The record concerned, when there is one to name. */
  seq?: number;
  /** 1-based line of the journal file where the problem shows. */
  line: number;
  kind: JournalProblemKind;
  /** Names the record: `record 7 (step keygen, event step.completed) was changed: …`. */
  message: string;
  /** For `event-data`: the event, and where its data does not fit the event's schema. */
  eventData?: EventDataProblem;
}

export interface VerifyOptions {
  /**
   * The head the runner recorded (state.json `journalHead`). A journal cut at a record
   * boundary looks like one still in progress; this is how such a cut is noticed.
   */
  expectedHead?: JournalHead | undefined;
  /** The ceremony ended (completed or aborted), so the journal must end with its seal. */
  requireSeal?: boolean | undefined;
  /**
   * Also require every line to be byte for byte the RFC 8785 canonical JSON of its record,
   * as an independent JCS implementation would. Tampering is caught without it (the hash
   * covers the exact bytes of each line); it checks that the lines conform, and costs about
   * three times as long.
   */
  checkCanonicalForm?: boolean | undefined;
  /**
   * Also check each record's data against its event's schema (src/journal/events.ts), and
   * refuse an event keyceremony does not write: what `journal verify` does. Off for the
   * journal layer's own uses, which verify the chain of any records.
   */
  checkEventData?: boolean | undefined;
}

export type VerifyResult =
  | { ok: true; records: JournalRecord[]; head: JournalHead; sealed: boolean }
  | { ok: false; problem: JournalProblem; /** The records before the problem, all good. */ records: JournalRecord[] };

export function verifyJournal(input: string | Uint8Array, options: VerifyOptions = {}): VerifyResult {
  const { text, bytes, invalidUtf8Line } = decode(input);
  // The last segment is '' when the journal ends with a newline, as every complete one does.
  const segments = text.split('\n');
  const completeLines = segments.length - 1;
  const records: JournalRecord[] = [];
  const failure = (problem: JournalProblem): VerifyResult => ({ ok: false, problem, records });

  let seal: JournalRecord | undefined;
  for (let index = 0; index < completeLines; index++) {
    const line = index + 1;
    if (line === invalidUtf8Line) return failure({ line, kind: 'malformed', message: `line ${line} is not valid UTF-8 text` });
    const checked = checkLine(segments[index]!, line, options);
    if ('problem' in checked) return failure(checked.problem);
    const problem = sequenceProblem(checked.record, line, records, seal, segments);
    if (problem !== undefined) return failure(problem);
    records.push(checked.record);
    if (checked.record.event === SEALED_EVENT) seal = checked.record;
  }

  const tail = segments[completeLines]!;
  if (tail !== '') {
    // Counted in the file's bytes: decoding turns half a character into a replacement character.
    const tailBytes = bytes === undefined ? Buffer.byteLength(tail) : bytes.length - (bytes.lastIndexOf(0x0a) + 1);
    return failure(tornTailProblem(tail, tailBytes, completeLines + 1, records.at(-1)));
  }
  const last = records.at(-1);
  if (last === undefined) return failure({ line: 1, kind: 'truncated', message: 'the journal is empty: it has no ceremony.opened record' });

  const expected = options.expectedHead;
  if (expected !== undefined) {
    if (!Number.isSafeInteger(expected.seq) || expected.seq < 1 || !isSha256Hex(expected.hash)) {
      throw new TypeError(`verifyJournal: expectedHead ${JSON.stringify(expected)} is not a journal head`);
    }
    if (expected.seq > last.seq) {
      return failure({
        seq: last.seq + 1,
        line: records.length + 1,
        kind: 'truncated',
        message: `the journal was cut short: it ends at ${describeRecord(last)}, but the recorded journal head is record ${expected.seq}`,
      });
    }
    const atHead = records[expected.seq - 1]!;
    if (atHead.hash !== expected.hash) {
      // The chain was rebuilt from some record up to this one; report only what precedes it.
      records.length = expected.seq - 1;
      return failure({
        seq: atHead.seq,
        line: expected.seq,
        kind: 'changed',
        message: `${describeRecord(atHead)} was changed: its hash is not the one recorded as the journal head (the journal was rewritten up to this record)`,
      });
    }
  }
  if (options.requireSeal === true && seal === undefined) {
    return failure({
      line: records.length + 1,
      kind: 'unsealed',
      message: `the journal is not sealed: it ends at ${describeRecord(last)}, with no ceremony.sealed record after it`,
    });
  }
  return { ok: true, records, head: { seq: last.seq, hash: last.hash }, sealed: seal !== undefined };
}

export type VerifySummary =
  | {
      ok: true;
      count: number;
      first: JournalRecord;
      last: JournalRecord;
      head: JournalHead;
      sealed: boolean;
      /** The checkpoints and the records that make an audit key (checkpoint.ts). */ auditRecords: JournalRecord[];
    }
  | Extract<VerifyResult, { ok: false }>;

/**
 * verifyJournal for a journal that is only to be checked, not read: the same verdict,
 * keeping only the first and last record (holding 100,000 parsed records costs more in
 * garbage collection than the checks themselves). The usual case, a journal in order, is
 * decided here; anything unusual is handed to verifyJournal, so a problem is reported with
 * exactly its diagnosis (changed, missing, duplicated, reordered, …).
 */
export function verifyJournalSummary(input: string | Uint8Array, options: VerifyOptions = {}): VerifySummary {
  const full = (): VerifySummary => {
    const result = verifyJournal(input, options);
    return result.ok
      ? {
          ok: true,
          count: result.records.length,
          first: result.records[0]!,
          last: result.records.at(-1)!,
          head: result.head,
          sealed: result.sealed,
          auditRecords: result.records.filter(isAuditRecord),
        }
      : result;
  };
  const { text, invalidUtf8Line } = decode(input);
  if (invalidUtf8Line !== undefined || !text.endsWith('\n')) return full();
  const expected = options.expectedHead;
  let first: JournalRecord | undefined;
  let last: JournalRecord | undefined;
  let sealed = false;
  const auditRecords: JournalRecord[] = [];
  let atExpected: string | undefined;
  let start = 0;
  for (let line = 1; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const checked = checkLine(text.slice(start, end), line, options);
    start = end + 1;
    if ('problem' in checked) return full();
    const record = checked.record;
    const inOrder = record.seq === line && record.prev === (last?.hash ?? GENESIS_HASH) && !sealed && (record.event === OPENED_EVENT) === (line === 1);
    if (!inOrder) return full();
    first ??= record;
    last = record;
    if (record.event === SEALED_EVENT) sealed = true;
    if (isAuditRecord(record)) auditRecords.push(record);
    if (expected !== undefined && record.seq === expected.seq) atExpected = record.hash;
  }
  if (last === undefined || first === undefined) return full();
  if (expected !== undefined && atExpected !== expected.hash) return full();
  if (options.requireSeal === true && !sealed) return full();
  return { ok: true, count: last.seq, first, last, head: { seq: last.seq, hash: last.hash }, sealed, auditRecords };
}

/** Text and the first complete line that was not valid UTF-8 (decoding replaced it, so it must not verify). */
function decode(input: string | Uint8Array): { text: string; bytes?: Buffer; invalidUtf8Line?: number } {
  if (typeof input === 'string') return { text: input };
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { text, bytes };
  // The decoder never swallows a newline into a replacement character, so lines keep their numbers.
  for (let start = 0, line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) return { text, bytes }; // only the unterminated last line: a torn write may cut a character in half
    if (!isUtf8(bytes.subarray(start, end))) return { text, bytes, invalidUtf8Line: line };
    start = end + 1;
  }
}

type LineCheck = { record: JournalRecord } | { problem: JournalProblem };

/** One line on its own: JSON, a hash that matches its bytes, the record shape (and, when asked, its event's data). */
function checkLine(text: string, line: number, options: VerifyOptions): LineCheck {
  const malformed = (reason: string): LineCheck => ({ problem: { line, kind: 'malformed', message: `line ${line} is not a journal record: ${reason}` } });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return malformed(text === '' ? 'it is empty' : 'it is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed('it is not a JSON object');
  const fields = value as Record<string, unknown>;
  const hash = fields.hash;
  if (typeof hash !== 'string') return malformed('it has no hash');

  // The content is checked against its hash before its shape, so that an edit to any field
  // reads as what it is (a change), whatever it did to the field.
  const body = lineBody(text, hash);
  if (body === undefined || sha256Hex(body) !== hash) {
    const seq = typeof fields.seq === 'number' ? fields.seq : undefined;
    const message = text.endsWith('\r')
      ? `line ${line} was changed: it ends with a carriage return (the file was converted to CRLF line ends)`
      : `${nameOf(fields, line)} was changed: its hash does not match its content`;
    return { problem: { ...(seq === undefined ? {} : { seq }), line, kind: 'changed', message } };
  }
  const shape = recordShapeProblem(fields);
  if (shape !== undefined) return malformed(shape);
  const record = value as JournalRecord;
  if (options.checkCanonicalForm === true) {
    let canonical: string | undefined;
    try {
      canonical = canonicalJson(record);
    } catch (error) {
      return malformed(error instanceof Error ? error.message : String(error));
    }
    if (canonical !== text) {
      return {
        problem: {
          seq: record.seq,
          line,
          kind: 'changed',
          message: `${describeRecord(record)} was changed: the line is not the canonical JSON (RFC 8785) of the record`,
        },
      };
    }
  }
  if (options.checkEventData === true) {
    const eventData = eventDataProblem(record);
    if (eventData !== undefined) return { problem: { seq: record.seq, line, kind: 'event-data', message: eventDataMessage(record, eventData), eventData } };
  }
  return { record };
}

function eventDataMessage(record: JournalRecord, problem: EventDataProblem): string {
  if (problem.unknownEvent) return `${describeRecord(record)} is an event that keyceremony does not write`;
  return `${describeRecord(record)} does not fit its event: ${problem.path}: ${problem.issue.en}`;
}

/** Where a good record sits against the ones before it: numbering, chain, seal, header. */
function sequenceProblem(
  record: JournalRecord,
  line: number,
  records: readonly JournalRecord[],
  seal: JournalRecord | undefined,
  segments: readonly string[],
): JournalProblem | undefined {
  const expectedSeq = records.length + 1;
  const expectedPrev = records.at(-1)?.hash ?? GENESIS_HASH;
  // The usual case first, without building any message.
  if (record.seq === expectedSeq && record.prev === expectedPrev && seal === undefined && (record.event === OPENED_EVENT) === (record.seq === 1))
    return undefined;

  const name = describeRecord(record);
  if (record.seq < expectedSeq) {
    // Records before this line were accepted in order, so record n is on line n.
    if (records[record.seq - 1]!.hash === record.hash) {
      return { seq: record.seq, line, kind: 'duplicated', message: `${name} is duplicated: line ${line} repeats line ${record.seq}` };
    }
    return {
      seq: record.seq,
      line,
      kind: 'reordered',
      message: `${name} is out of order: it is at line ${line}, after record ${expectedSeq - 1}, and differs from the record ${record.seq} at line ${record.seq}`,
    };
  }
  if (seal !== undefined) {
    return {
      seq: record.seq,
      line,
      kind: 'after-seal',
      message: `${name} comes after the seal: the journal was sealed at record ${seal.seq}, and nothing may follow it`,
    };
  }
  if (record.seq > expectedSeq) return gapProblem(record, line, expectedSeq, segments);
  if (record.prev !== expectedPrev) {
    return {
      seq: record.seq,
      line,
      kind: 'changed',
      message:
        record.seq === 1
          ? `${name} was changed: its prev is not 64 zeros, so it does not start the chain`
          : `${name} does not chain to record ${record.seq - 1}: its prev is not the hash of record ${record.seq - 1} (one of the two was replaced)`,
    };
  }
  if (record.seq === 1 && record.event !== OPENED_EVENT) {
    return { seq: 1, line, kind: 'malformed', message: `${name} is not a journal header: record 1 must be ${OPENED_EVENT}` };
  }
  if (record.seq !== 1 && record.event === OPENED_EVENT) {
    return { seq: record.seq, line, kind: 'malformed', message: `${name} is a second ${OPENED_EVENT} record: only record 1 opens the ceremony` };
  }
  return undefined;
}

/**
 * A record ahead of its place. Whether records are missing, or were moved or copied, shows
 * only further down, so look there: the expected record later means a move; this same
 * record again later means this one is a copy; neither means records are gone.
 */
function gapProblem(record: JournalRecord, line: number, expectedSeq: number, segments: readonly string[]): JournalProblem {
  let expectedAt: number | undefined;
  let copyAt: number | undefined;
  for (let index = line; index < segments.length && (expectedAt === undefined || copyAt === undefined); index++) {
    const later = peekSeqAndHash(segments[index]!);
    if (later === undefined) continue;
    if (expectedAt === undefined && later.seq === expectedSeq) expectedAt = index + 1;
    if (copyAt === undefined && later.seq === record.seq && later.hash === record.hash) copyAt = index + 1;
  }
  const name = describeRecord(record);
  if (copyAt !== undefined) {
    return {
      seq: record.seq,
      line,
      kind: 'duplicated',
      message: `${name} is duplicated: a copy is at line ${line}, where record ${expectedSeq} belongs, and the record is again at line ${copyAt}`,
    };
  }
  if (expectedAt !== undefined) {
    return {
      seq: record.seq,
      line,
      kind: 'reordered',
      message: `${name} is out of order: it is at line ${line}, where record ${expectedSeq} belongs, and record ${expectedSeq} is at line ${expectedAt}`,
    };
  }
  const missing = record.seq === expectedSeq + 1 ? `record ${expectedSeq} is missing` : `records ${expectedSeq} to ${record.seq - 1} are missing`;
  return { seq: expectedSeq, line, kind: 'missing', message: `${missing}: line ${line} holds ${name}` };
}

function peekSeqAndHash(text: string): { seq: number; hash: string } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { seq, hash } = value as Record<string, unknown>;
    return typeof seq === 'number' && typeof hash === 'string' ? { seq, hash } : undefined;
  } catch {
    return undefined;
  }
}

/** The journal does not end with a newline: the process stopped while writing its last line. */
function tornTailProblem(tail: string, tailBytes: number, line: number, last: JournalRecord | undefined): JournalProblem {
  const after = last === undefined ? '' : `, after ${describeRecord(last)}`;
  let parses = true;
  try {
    JSON.parse(tail);
  } catch {
    parses = false;
  }
  const message = parses
    ? `the journal was cut while its last line was written: line ${line} has no line end${after}`
    : `the journal was cut while a record was written: line ${line} is incomplete (${tailBytes} bytes, no line end)${after}`;
  return { line, kind: 'truncated', message };
}

/** How a message names a line whose record may not have the right shape. */
function nameOf(fields: Record<string, unknown>, line: number): string {
  const { seq, step, event } = fields;
  if (typeof seq === 'number' && typeof event === 'string' && (step === null || typeof step === 'string')) return describeRecord({ seq, step, event });
  return `the record at line ${line}`;
}
