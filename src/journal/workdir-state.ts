// What a workdir's state.json says about its journal: how far the journal had got when the
// last snapshot was saved (`journalHead`) and whether the ceremony ended (`status`). Both
// `journal verify` and `report` check the journal against it, so a journal cut at a record
// boundary, or one that lost its seal, is caught. Read here once, for both.
import { existsSync } from 'node:fs';
import { KeyceremonyError } from '../errors.js';
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

/** undefined when there is no state.json; a state.json that cannot be read fails (exit 1). */
export function readWorkdirState(workdir: string, command: string): WorkdirState | undefined {
  const file = insideWorkdir(workdir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const fail = (reason: string): never => {
    throw new KeyceremonyError(`${command}: ${file} ${reason}`, {
      hint: `${STATE_FILE} holds the journal head that shows whether the journal was cut short; restore it from the backup copy`,
      code: 'journal.state',
    });
  };
  const bytes = readWorkdirFile(workdir, STATE_FILE, STATE_READ_LIMIT);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail('is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('is not a JSON object');
  const { journalHead, status } = value as Record<string, unknown>;
  const state: WorkdirState = { ended: typeof status === 'string' && ENDED_STATUSES.has(status) };
  if (typeof status === 'string') state.status = status;
  if (journalHead !== undefined) {
    const { seq, hash } = (journalHead ?? {}) as Record<string, unknown>;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || !isSha256Hex(hash)) {
      return fail('has a journalHead that is not { seq, hash } of a record');
    }
    state.journalHead = { seq, hash };
  }
  return state;
}
