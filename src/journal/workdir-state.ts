// What a workdir's state.json says about its journal: how far the journal had got when the
// last snapshot was saved (`journalHead`) and whether the ceremony ended (`status`). Both
// `journal verify` and `report` check the journal against it, so a journal cut at a record
// boundary, or one that lost its seal, is caught. Read here once, for both, and for resume.
import { existsSync } from 'node:fs';
import { KeyceremonyError } from '../errors.js';
import { jsonProblem } from '../util/json-error.js';
import { insideWorkdir, readWorkdirFile } from '../util/safe-path.js';
import { isSha256Hex, type JournalHead } from './record.js';

export const STATE_FILE = 'state.json';
/** state.json holds a snapshot of the machine and no file contents: far less than this. */
export const STATE_READ_LIMIT = 64 * 1024 * 1024;
/** A ceremony in one of these states has ended, so its journal must end with its seal. */
const ENDED_STATUSES = new Set(['completed', 'aborted']);

export interface WorkdirState {
  journalHead?: JournalHead;
  ended: boolean;
  status?: string;
}

/** A state.json as read: its JSON object and the journal head it names, if it names one. */
export interface StateFile {
  value: Record<string, unknown>;
  journalHead: JournalHead | undefined;
}

/**
 * The one reader of state.json: undefined when there is none. A file that is not a JSON
 * object, or names a journal head that is not `{ seq, hash }` of a record, goes to `fail`
 * with the reason, worded to follow the file's path; each caller makes its own error of it.
 */
export function readStateFile(workdir: string, fail: (reason: string) => never): StateFile | undefined {
  if (!existsSync(insideWorkdir(workdir, STATE_FILE))) return undefined;
  const bytes = readWorkdirFile(workdir, STATE_FILE, STATE_READ_LIMIT);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return fail(`is not valid JSON: ${jsonProblem(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('is not a JSON object');
  const { journalHead } = value as Record<string, unknown>;
  if (journalHead === undefined) return { value: value as Record<string, unknown>, journalHead: undefined };
  const { seq, hash } = (journalHead ?? {}) as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || !isSha256Hex(hash)) {
    return fail('has a journalHead that is not { seq, hash } of a record');
  }
  return { value: value as Record<string, unknown>, journalHead: { seq, hash } };
}

/** What journal verify and report check: undefined when there is no state.json; a state.json that cannot be read fails (exit 1). */
export function readWorkdirState(workdir: string, command: string): WorkdirState | undefined {
  const file = insideWorkdir(workdir, STATE_FILE);
  const read = readStateFile(workdir, (reason) => {
    throw new KeyceremonyError(`${command}: ${file} ${reason}`, {
      hint: `${STATE_FILE} holds the journal head that shows whether the journal was cut short; restore it from the backup copy`,
      code: 'journal.state',
    });
  });
  if (read === undefined) return undefined;
  const { status } = read.value;
  const state: WorkdirState = { ended: typeof status === 'string' && ENDED_STATUSES.has(status) };
  if (typeof status === 'string') state.status = status;
  if (read.journalHead) state.journalHead = read.journalHead;
  return state;
}
