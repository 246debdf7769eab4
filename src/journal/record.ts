// One journal record: its shape, its hash, and its line. The hash is SHA-256 over the RFC
// 8785 canonical JSON of the record without `hash`; the line is the canonical JSON of the
// whole record. Both the writer (journal.ts) and the verifier (verify.ts) use this module,
// so they cannot drift apart.
import * as crypto from 'node:crypto';
import { canonicalJson, plainJsonProblem } from './canonical-json.js';
import { findSecretKey } from './secret-keys.js';
import { JOURNAL_EVENTS, type TypedJournalRecord } from './events.js';
import { JOURNAL_TIME_PATTERN } from './time.js';

/** What a caller records: the rest (seq, time, prev, hash) is the journal's job. */
export interface JournalEntry {
  /** The step id from the definition, or null for ceremony-wide events. */
  step: string | null;
  /** A dotted name: `ceremony.opened`, `step.completed`, `exception.recorded`, … */
  event: string;
  /** Participant ids of the people who acted or witnessed. */
  who: string[];
  /** Plain JSON, never a secret. */
  data: Record<string, unknown>;
}

export interface JournalRecord extends JournalEntry {
  seq: number;
  time: string;
  /** The hash of the previous record; 64 zeros for record 1. */
  prev: string;
  hash: string;
}

/** A verified record read as its typed event (events.ts readJournalEvents): how report, history and bundle read records. */
export type JournalEventRecord = TypedJournalRecord<JournalRecord>;

/** The last record of a journal, as the runner keeps it in state.json (`journalHead`). */
export interface JournalHead {
  seq: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
export const OPENED_EVENT = JOURNAL_EVENTS.opened;
export const SEALED_EVENT = JOURNAL_EVENTS.sealed;
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
const RECORD_FIELD_COUNT = 8; // seq, time, step, event, who, data, prev, hash
const HASH_MEMBER_START = ',"hash":"';

// crypto.hash (Node 20.12+) is several times faster than createHash for short inputs, which
// is most of the cost of verifying a long journal; engines allows 20.11, hence the fallback.
const oneShotHash: ((algorithm: string, data: string | Uint8Array, encoding: 'hex') => string) | undefined =
  typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(data: string | Uint8Array): string {
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX_PATTERN.test(value);
}

/** `record 7 (step keygen, event step.completed)`: how messages name a record. */
export function describeRecord(record: Pick<JournalRecord, 'seq' | 'step' | 'event'>): string {
  return record.step === null ? `record ${record.seq} (event ${record.event})` : `record ${record.seq} (step ${record.step}, event ${record.event})`;
}

/** Why `entry` cannot be journaled (a programming error, not user input), or undefined. */
export function entryProblem(entry: JournalEntry): string | undefined {
  const { step, event, who, data } = entry as Partial<Record<keyof JournalEntry, unknown>>;
  if (typeof event !== 'string' || !EVENT_NAME_PATTERN.test(event))
    return `event ${JSON.stringify(event)} is not a dotted lower-case name such as step.completed`;
  if (step !== null && (typeof step !== 'string' || step === '')) return 'step must be a step id or null';
  if (!Array.isArray(who) || !who.every((id) => typeof id === 'string' && id !== '')) return 'who must be an array of participant ids';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'data must be a JSON object';
  const secret = findSecretKey(data, 'data');
  if (secret !== undefined) return `${secret} names a secret, and secrets never enter the journal`;
  return plainJsonProblem(data, 'data');
}

/** Why a parsed line is not a journal record, or undefined. Runs once per record when verifying. */
export function recordShapeProblem(value: Record<string, unknown>): string | undefined {
  const { seq, time, step, event, who, data, prev, hash } = value;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return 'seq must be a positive integer';
  if (typeof time !== 'string' || !JOURNAL_TIME_PATTERN.test(time)) return 'time must be ISO 8601 local time with milliseconds and UTC offset';
  if (step !== null && (typeof step !== 'string' || step === '')) return 'step must be a step id or null';
  if (typeof event !== 'string' || !EVENT_NAME_PATTERN.test(event)) return 'event must be a dotted lower-case name';
  if (!Array.isArray(who)) return 'who must be an array of participant ids';
  for (const id of who) if (typeof id !== 'string' || id === '') return 'who must be an array of participant ids';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'data must be a JSON object';
  // Whether prev and hash are SHA-256 values is left to the hash and chain checks, which
  // compare them with computed hashes anyway: a regular expression here is a tenth of the
  // time it takes to verify a long journal.
  if (typeof prev !== 'string') return 'prev must be the SHA-256 of the previous record';
  if (typeof hash !== 'string') return 'hash must be the SHA-256 of the record';
  // Every field above was present, so the key count alone rules out extra fields.
  if (Object.keys(value).length !== RECORD_FIELD_COUNT) {
    const extra = Object.keys(value).filter((key) => !['seq', 'time', 'step', 'event', 'who', 'data', 'prev', 'hash'].includes(key));
    return `unexpected field ${JSON.stringify(extra[0])}`;
  }
  return undefined;
}

/**
 * The bytes that `hash` covers: the line with its top-level hash member taken out. For a
 * canonical line this is exactly the canonical JSON of the record without `hash`, because
 * canonical JSON has no whitespace and the member sits between `event` and `prev` in key
 * order. It is found from the end: only `prev`, `seq`, `step`, `time` and `who` follow it,
 * and none of them can hold the text `,"hash":"` (a quote inside a string is escaped).
 * Hashing the stored bytes rather than a re-serialisation means any byte that changes,
 * even one that would parse to the same value, changes the hash.
 */
export function lineBody(line: string, hash: string): string | undefined {
  const at = line.lastIndexOf(HASH_MEMBER_START);
  if (at < 0 || hash.length !== 64) return undefined;
  const valueAt = at + HASH_MEMBER_START.length;
  // Compared in place rather than by building the member text: this runs once per record.
  if (!line.startsWith(hash, valueAt) || !line.startsWith('",', valueAt + 64)) return undefined;
  return line.slice(0, at + 1) + line.slice(valueAt + 66);
}

/**
 * Chains `entry` after `previous` (undefined for record 1): returns the record as it will
 * read back from the file and its line (without the newline). Throws an Error for an entry
 * that must not be journaled (a secret-looking key, data that is not plain JSON).
 */
export function createRecord(previous: JournalHead | undefined, entry: JournalEntry, time: string): { record: JournalRecord; line: string } {
  const problem = entryProblem(entry);
  if (problem !== undefined) throw new Error(`journal: refusing to record event ${JSON.stringify(entry.event)}: ${problem}`);
  const content = {
    seq: previous === undefined ? 1 : previous.seq + 1,
    time,
    step: entry.step,
    event: entry.event,
    who: entry.who,
    data: entry.data,
    prev: previous === undefined ? GENESIS_HASH : previous.hash,
  };
  const body = canonicalJson(content);
  const hash = sha256Hex(body);
  const line = canonicalJson({ ...content, hash });
  // Read the line back the way the verifier will, so a line that would not verify is never
  // written, and the caller gets the record exactly as the file holds it.
  const record = JSON.parse(line) as Record<string, unknown>;
  const shape = recordShapeProblem(record);
  if (shape !== undefined || lineBody(line, hash) !== body) {
    throw new Error(`journal: internal error: record ${content.seq} would not verify (${shape ?? 'hash member not where verification expects it'})`);
  }
  return { record: record as unknown as JournalRecord, line };
}
