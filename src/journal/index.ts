// The journal's public face: the runner writes through Journal, `journal verify` and the
// report read through verifyJournal.
export { canonicalJson } from './canonical-json.js';
export {
  Journal,
  type JournalFileSystem,
  type JournalOptions,
  type OpenJournalOptions,
  type OpenedJournal,
  type SealRecord,
  type TornTail,
} from './journal.js';
export { GENESIS_HASH, OPENED_EVENT, SEALED_EVENT, createRecord, describeRecord, type JournalEntry, type JournalHead, type JournalRecord } from './record.js';
export { isSecretKey } from './secret-keys.js';
export { JOURNAL_TIME_PATTERN, formatJournalTime } from './time.js';
export {
  verifyJournal,
  verifyJournalSummary,
  type JournalProblem,
  type JournalProblemKind,
  type VerifyOptions,
  type VerifyResult,
  type VerifySummary,
} from './verify.js';
