// Resume trusts the journal only (DESIGN principle 6). Every other file in the workdir is
// something anyone with the terminal's account could have edited since the run stopped, so
// before anything touches the HSM each is checked against what the verified journal
// recorded: the copies of the HSM and X.509 profiles, the inputs, the outputs, state.json,
// and (once the module is loaded) the tokens. Any difference refuses, naming the file, what
// changed, the journal's value and the value found.
import { relative } from 'node:path';
import type { Definition } from '../definition/definition.js';
import { InputError } from '../errors.js';
import type { Hsm } from '../hsm/hsm.js';
import type { JournalRecord } from '../journal/record.js';
import { INPUT_FILE_LIMIT } from '../util/bounded-read.js';
import { sha256 } from '../util/fingerprint.js';
import { insideWorkdir, readWorkdirFile } from '../util/safe-path.js';
import { producedFiles } from '../steps/index.js';
import type { CeremonyInput } from './compile.js';
import type { JournalHeader } from './journal-header.js';
import { compareSavedContext, rebuildFromJournal } from './rebuild.js';
import type { CeremonyContext, FileRecord } from './types.js';
import { x509ProfilePath, type SavedState } from './workdir.js';
import { errorCode } from '../util/storage.js';
import { fieldAt } from '../util/field-at.js';

const HINT =
  'the workdir was changed since the journal recorded it; nothing was done; stop, find out who changed it, and restore the file from a backup or start over';

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'nothing');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
};

/** `<file>: <what> is <found>, but the journal records <recorded>`, exit 2. */
export function changedError(file: string, what: string, recorded: unknown, found: unknown, code = 'resume.changed'): InputError {
  return new InputError(`${file}: ${what} is ${shown(found)}, but the journal records ${shown(recorded)}`, { hint: HINT, code });
}

/**
 * The bytes of a workdir file the journal recorded (read without following a link), or
 * undefined when it is gone.
 */
function recordedBytes(workdir: string, file: string): Buffer | undefined {
  try {
    return readWorkdirFile(workdir, relative(workdir, file), INPUT_FILE_LIMIT);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The file's bytes, refused unless they are the bytes the journal recorded. */
function checkFile(workdir: string, file: string, recorded: string, code = 'resume.changed'): Buffer {
  const bytes = recordedBytes(workdir, file);
  const found = bytes === undefined ? 'missing' : sha256(bytes).toString('hex');
  if (found !== recorded) throw changedError(file, 'its SHA-256', recorded, found, code);
  return bytes!;
}

/** The text of a copy the journal recorded (definition, HSM profile), refused unless it is those bytes. */
export function readRecordedCopy(workdir: string, file: string, recorded: string, code: string): string {
  return checkFile(workdir, file, recorded, code).toString('utf8');
}

/** The X.509 profile copies, the inputs and every output the journal recorded, byte for byte. */
export function checkRecordedFiles(workdir: string, header: JournalHeader, outputs: Record<string, FileRecord>): void {
  for (const [name, profile] of Object.entries(header.profiles)) checkFile(workdir, x509ProfilePath(workdir, name), profile.sha256);
  for (const input of Object.values(header.inputs)) checkFile(workdir, `${workdir}/inputs/${input.name}`, input.sha256);
  for (const output of Object.values(outputs)) checkFile(workdir, `${workdir}/outputs/${output.name}`, output.sha256);
}

/**
 * Every output the ceremony has still to write, and outputs/ itself, is not a symbolic link:
 * a link planted there would send a CSR or certificate wherever it points. Checked at resume
 * before anything runs, not only when the step that writes the file is reached (a step or two
 * later, once people have already acted).
 */
export function checkPlannedOutputs(workdir: string, definition: Definition, outputs: Record<string, FileRecord>): void {
  const recorded = new Set(Object.values(outputs).map((output) => output.name));
  for (const file of producedFiles(definition)) {
    if (!recorded.has(file.name)) insideWorkdir(workdir, `outputs/${file.name}`);
  }
}

/**
 * state.json is a cache of the context. Its journal head must be a record of the journal
 * (the journal's own check), and its context must be the one the journal gives at that
 * record: an edited participant list, step index or key is named with both values.
 */
export function checkSavedState(file: string, state: SavedState, definition: Definition, input: CeremonyInput, records: readonly JournalRecord[]): void {
  if (state.ceremony !== definition.ceremony) throw changedError(file, 'ceremony', definition.ceremony, state.ceremony);
  if (state.definitionSha256 !== definition.sha256) throw changedError(file, 'definitionSha256', definition.sha256, state.definitionSha256);
  const atHead = rebuildFromJournal(definition, input, records.slice(0, state.journalHead.seq));
  if (state.status !== atHead.context.status) throw changedError(file, 'status', atHead.context.status, state.status);
  const saved = fieldAt(state.snapshot, 'context');
  const difference = compareSavedContext(saved, atHead.context);
  if (difference) throw changedError(file, `${difference.field} (at journal record ${state.journalHead.seq})`, difference.journal, difference.saved);
}

/**
 * The tokens the journal saw are the tokens here: the same serial under each label. A token
 * swapped for another one with the same label is refused.
 */
export function checkRecordedTokens(hsm: Hsm, header: JournalHeader, context: CeremonyContext): void {
  const recorded = new Map<string, { label: string; serial: string }>();
  for (const [name, token] of Object.entries(header.hsm.tokens))
    if (token.serial !== undefined) recorded.set(name, { label: token.label, serial: token.serial });
  // Tokens this ceremony initialised: their serial is in the step's record.
  for (const result of Object.values(context.results)) {
    const label = fieldAt(result.details, 'token', 'label');
    const serial = fieldAt(result.details, 'token', 'serial');
    const name = Object.entries(header.hsm.tokens).find(([, t]) => t.label === label)?.[0];
    if (name && typeof serial === 'string' && !recorded.has(name)) recorded.set(name, { label: String(label), serial });
  }
  const present = hsm.tokens().filter((t) => t.initialized);
  for (const [name, { label, serial }] of recorded) {
    const withLabel = present.filter((t) => t.label === label);
    const found = withLabel.length === 0 ? 'not present' : withLabel.map((t) => t.serial).join(', ');
    if (withLabel.length !== 1 || withLabel[0]!.serial !== serial)
      throw changedError(`token "${name}" (label "${label}")`, 'its serial', serial, found, 'resume.token-changed');
  }
}
