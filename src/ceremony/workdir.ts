// A ceremony workdir: definition.yaml (copy), hsm-profile.yaml (copy), journal.jsonl,
// state.json (the last stable snapshot, no secrets), inputs/, outputs/, and a lock so that
// only one keyceremony process works on it at a time.
//
// Set-up is all or nothing. `run` locks the new workdir, leaves the file SETUP-UNFINISHED
// in it, copies the definition, the profiles and the inputs, and creates the journal last;
// only then is the marker removed. A crash before the journal exists leaves the marker: the
// next `run` into the same workdir clears what that set-up left (nothing was recorded, and
// the lock kept everyone else out) and `resume` says to do so. A crash after it leaves a
// workdir that resume continues.
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError, KeyceremonyError } from '../errors.js';
import { readStateFile } from '../journal/workdir-state.js';
import { insideWorkdir } from '../util/safe-path.js';
import { storageError, writeOnce } from './outputs.js';
import { fsyncDirectory } from '../util/storage.js';
import { errorCode, isSystemError, type SystemError } from '../util/storage.js';
import { z } from 'zod';

export interface SavedState {
  version: 1;
  ceremony: string;
  definitionSha256: string;
  status: 'running' | 'completed' | 'aborted';
  /** The journal's last record when this snapshot was saved: a journal behind it was truncated. */
  journalHead: { seq: number; hash: string };
  savedAt: string;
  snapshot: unknown;
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

/** A temporary file this process writes and then renames or links: never through a link planted in its name. */
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

const SETUP_HINT = 'the workdir must be on a writable disk with free space; nothing was recorded, and the same workdir can be used once the cause is fixed';

/** A storage failure before the ceremony began: nothing was recorded, exit 2, and the hint says so. */
function setupError(error: unknown, file: string): InputError {
  const failure = storageError(error, file);
  return new InputError(failure.message, { hint: SETUP_HINT, code: failure.code, cause: error });
}

/**
 * What a failure of `run` before its journal exists becomes: a file system error (the disk
 * full or read-only while the definition, profiles and inputs are copied in, or the journal
 * created) is reported like bad input — exit 2, nothing recorded — not as a failed ceremony
 * to resume, nor as an internal error. Anything else passes unchanged.
 */
export function setupFailure(error: unknown, workdir: string): unknown {
  const errno = (e: unknown): SystemError | undefined => (isSystemError(e) ? e : undefined);
  if (error instanceof InputError) return error;
  if (error instanceof KeyceremonyError) {
    const cause = errno(error.cause);
    return cause ? new InputError(error.message, { hint: SETUP_HINT, code: error.code, cause }) : error;
  }
  const cause = errno(error);
  if (!cause) return error;
  return setupError(cause, cause.dest ?? cause.path ?? workdir);
}

interface FoundLock {
  /** Undefined when the file cannot be read as a lock (a crash of an older version, a damaged disk). */
  holder: LockInfo | undefined;
  /** Tells this lock file from any later one: its holder and start, or else its inode and time. */
  tag: string;
}

/** The lock file as it is now; undefined when there is none. */
function readLock(file: string): FoundLock | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw storageError(error, file);
  }
  try {
    // One open file for both: the content and the inode belong to the same lock.
    const stat = fstatSync(fd);
    const holder = parseLock(readFileSync(fd, 'utf8'));
    const tag = holder ? `${holder.pid}-${Date.parse(holder.since)}` : `i${stat.ino}-${Math.round(stat.mtimeMs)}`;
    return { holder, tag };
  } finally {
    closeSync(fd);
  }
}

const lockSchema = z.object({ pid: z.number(), host: z.string(), since: z.string().refine((since) => !Number.isNaN(Date.parse(since))) });

function parseLock(text: string): LockInfo | undefined {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(text));
    return parsed.success ? { pid: parsed.data.pid, host: parsed.data.host, since: parsed.data.since } : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Left in a workdir while `run` sets it up; its presence without a journal means the set-up never finished. */
export const SETUP_MARKER = 'SETUP-UNFINISHED';
const SETUP_NOTE =
  'keyceremony run is setting up this workdir. If this file is still here after that run has stopped, the set-up did not finish: nothing was recorded, and the next `keyceremony run` into this folder clears it.\n';

/** The lock file and what taking it over leaves for a moment: not content of the workdir. */
const isLockFile = (name: string) => name === '.lock' || name.startsWith('.lock.');

/** What set-up writes before its journal is whole: copies, their temporary files, a journal being created. */
const isSetupFile = (name: string) =>
  ['definition.yaml', 'hsm-profile.yaml', 'profiles', 'inputs', 'journal.jsonl', SETUP_MARKER].includes(name) || /^\.[^/]+\.\d+\.tmp$/.test(name);

/** The journal holds at least its first record, whole (a crash while creating it leaves less). */
function journalStarted(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'journal.jsonl')).includes(0x0a);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** A set-up that stopped before its journal was whole: the marker, nothing but set-up files, no record. */
function unfinishedSetup(dir: string, names: string[]): boolean {
  return names.includes(SETUP_MARKER) && names.every(isSetupFile) && !journalStarted(dir);
}

/** The workdir keeps its own copy of every X.509 profile the definition names (run copies them in). */
export function x509ProfilePath(workdir: string, name: string): string {
  return insideWorkdir(workdir, `profiles/${name}.yaml`);
}

export class Workdir {
  readonly journalFile: string;
  readonly stateFile: string;
  readonly definitionFile: string;
  readonly profileFile: string;
  readonly lockFile: string;
  /** Set when a lock left by a process that no longer runs (a crash) was taken over. */
  staleLock: LockInfo | undefined;
  private locked = false;
  /** The marker this run created to take a stale lock over; removed with the lock. */
  private takeoverMarker: string | undefined;

  private constructor(readonly dir: string) {
    this.journalFile = join(dir, 'journal.jsonl');
    this.stateFile = join(dir, 'state.json');
    this.definitionFile = join(dir, 'definition.yaml');
    this.profileFile = join(dir, 'hsm-profile.yaml');
    this.lockFile = join(dir, '.lock');
  }

  /**
   * A new ceremony: the folder must not exist, or be empty, or hold only what a set-up that
   * never finished left (cleared here, under the lock: `clearedSetup` says so).
   */
  static create(path: string): Workdir {
    const dir = resolve(path);
    const notEmpty = () =>
      new InputError(`workdir ${dir} is not empty`, {
        hint: 'every ceremony gets a new, empty workdir; to continue an interrupted ceremony use `keyceremony resume <workdir>`',
        code: 'workdir.not-empty',
        says: { key: 'workdir.notEmpty', params: { dir } },
      });
    const contents = () => (existsSync(dir) ? readdirSync(dir).filter((name) => !isLockFile(name)) : []);
    const found = contents();
    if (found.length > 0 && !unfinishedSetup(dir, found)) throw notEmpty();
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      // Node's recursive mkdir says ENOENT for any failure under an existing folder (a
      // read-only disk, for one); without recursion the real reason comes back.
      let reason = error;
      if (errorCode(error) === 'ENOENT' && existsSync(dirname(dir))) {
        try {
          mkdirSync(dir);
        } catch (again) {
          reason = again;
        }
      }
      throw setupError(reason, dir);
    }
    const workdir = new Workdir(dir);
    try {
      workdir.lock();
    } catch (error) {
      throw error instanceof KeyceremonyError && error.code?.startsWith('storage.') ? setupError(error.cause, workdir.lockFile) : error;
    }
    try {
      // A crashed run's lock in the making (its content written, not yet linked) is nobody's now.
      for (const name of readdirSync(dir)) {
        const pid = /^\.lock\.(\d+)\.tmp$/.exec(name)?.[1];
        if (pid !== undefined && Number(pid) !== process.pid && !processAlive(Number(pid))) rmSync(join(dir, name), { force: true });
      }
      // Under the lock: what is here now is what a finished-or-not set-up left, or nothing.
      const left = contents();
      if (left.length > 0) {
        if (!unfinishedSetup(dir, left)) throw notEmpty();
        workdir.clearedSetup = left.filter((name) => name !== SETUP_MARKER).sort();
        workdir.discardSetup();
      }
      writeOnce(join(dir, SETUP_MARKER), SETUP_NOTE);
    } catch (error) {
      workdir.unlock();
      throw error instanceof InputError ? error : setupFailure(error, dir);
    }
    return workdir;
  }

  /** What an unfinished set-up had left in the workdir, which create() removed. */
  clearedSetup: string[] | undefined;

  /** The journal exists: the workdir is a ceremony now, and resume continues it from here. */
  finishSetup(): void {
    rmSync(join(this.dir, SETUP_MARKER), { force: true });
    fsyncDirectory(this.dir);
  }

  /**
   * A run that stopped before its journal existed leaves nothing behind: everything in the
   * workdir is this run's own (create found it empty and the lock keeps others out), so it
   * is removed and the same workdir can take the ceremony once the cause is fixed.
   */
  discardSetup(): void {
    try {
      // The marker goes last: a crash while clearing still leaves a recognisable set-up.
      const names = readdirSync(this.dir).filter((name) => !isLockFile(name));
      for (const name of [...names.filter((n) => n !== SETUP_MARKER), ...names.filter((n) => n === SETUP_MARKER)])
        rmSync(join(this.dir, name), { recursive: true, force: true });
    } catch {
      // The failure being reported is what matters; what could not be removed stays, and
      // the next run says the workdir is not empty.
    }
  }

  /** An existing ceremony (resume, report, verify). */
  static open(path: string, options: { lock: boolean }): Workdir {
    const dir = resolve(path);
    const workdir = new Workdir(dir);
    if (existsSync(join(dir, SETUP_MARKER)) && !journalStarted(dir)) {
      throw new InputError(`the set-up of workdir ${dir} did not finish: the run stopped before its journal existed, so nothing was recorded`, {
        hint: 'start the ceremony again with `keyceremony run … --workdir <this workdir>`: it clears what the unfinished set-up left',
        code: 'workdir.setup-unfinished',
        details: { dir },
      });
    }
    // insideWorkdir refuses a journal.jsonl that is a symbolic link before anything reads it.
    if (!existsSync(insideWorkdir(dir, 'journal.jsonl'))) {
      throw new InputError(`${dir} is not a ceremony workdir: it has no journal.jsonl`, {
        hint: 'give the workdir a `keyceremony run` created',
        code: 'workdir.not-ceremony',
        details: { dir },
      });
    }
    if (options.lock) {
      workdir.lock();
      // A crash between creating the journal and removing the marker leaves it behind.
      if (existsSync(join(dir, SETUP_MARKER))) workdir.finishSetup();
    }
    return workdir;
  }

  private lock(): void {
    const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    // The lock gets its content before its name (write a temporary file, then link it), so a
    // lock file is never seen empty: an empty one would pass for a crashed holder's.
    const temp = `${this.lockFile}.${process.pid}.tmp`;
    try {
      const fd = openSync(temp, NEW_FILE, 0o644);
      try {
        writeSync(fd, JSON.stringify(info));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      rmSync(temp, { force: true });
      throw storageError(error, this.lockFile);
    }
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          linkSync(temp, this.lockFile);
          this.locked = true;
          return;
        } catch (error) {
          if (errorCode(error) !== 'EEXIST') throw storageError(error, this.lockFile);
        }
        const found = readLock(this.lockFile);
        if (!found) continue; // its holder just unlocked: try again
        if (found.holder && found.holder.host === info.host && processAlive(found.holder.pid)) throw this.inUse(found.holder.pid, found.holder.since);
        if (this.takeOver(temp, found)) return;
      }
      throw new KeyceremonyError(`could not lock workdir ${this.dir}`, { code: 'workdir.lock' });
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /**
   * Replaces a lock whose holder no longer runs (a crash). Two resumes may find the same
   * stale lock at once; only the one that creates this lock's takeover marker (by link, as
   * atomic as the lock itself) may replace it, and it does so by rename, so the workdir is
   * never without a lock for a third process to slip in. False: the lock changed meanwhile,
   * look again.
   */
  private takeOver(temp: string, stale: FoundLock): boolean {
    const marker = `${this.lockFile}.takeover-${stale.tag}`;
    try {
      linkSync(temp, marker);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw storageError(error, this.lockFile);
      const other = readLock(marker)?.holder;
      if (other && processAlive(other.pid)) throw this.inUse(other.pid, other.since);
      throw new KeyceremonyError(
        `workdir ${this.dir}: taking over the lock of a crashed run did not finish (process ${other?.pid ?? 'unknown'} no longer runs)`,
        {
          code: 'workdir.lock',
          hint: `make sure no keyceremony process works on this workdir, remove ${marker}, then resume again`,
        },
      );
    }
    if (readLock(this.lockFile)?.tag !== stale.tag) {
      rmSync(marker, { force: true });
      return false;
    }
    try {
      renameSync(temp, this.lockFile);
    } catch (error) {
      rmSync(marker, { force: true });
      throw storageError(error, this.lockFile);
    }
    this.locked = true;
    this.takeoverMarker = marker;
    // The holder is gone (a crash); the caller records that the lock was taken over.
    this.staleLock = stale.holder ?? { pid: 0, host: 'unknown', since: 'unknown' };
    return true;
  }

  private inUse(pid: number, since: string): InputError {
    return new InputError(`workdir ${this.dir} is in use by keyceremony process ${pid} (since ${since})`, {
      hint: 'one run per workdir at a time; wait for it to finish or stop it (it can then be resumed)',
      code: 'workdir.locked',
      details: { dir: this.dir },
    });
  }

  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    rmSync(this.lockFile, { force: true });
    if (this.takeoverMarker) rmSync(this.takeoverMarker, { force: true });
  }

  /** write temp, fsync, rename, fsync folder: state.json is always a whole snapshot. */
  saveState(state: SavedState): void {
    const temp = `${this.stateFile}.tmp`;
    try {
      const fd = openSync(temp, NEW_FILE, 0o644);
      try {
        writeSync(fd, `${JSON.stringify(state, null, 1)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.stateFile);
      fsyncDirectory(this.dir);
    } catch (error) {
      // A half-written copy is never read, but is not left lying about either.
      try {
        rmSync(temp, { force: true });
      } catch {
        // Not a file we could remove: the error below is the one to report.
      }
      const failure = storageError(error, this.stateFile);
      throw new KeyceremonyError(failure.message, {
        code: failure.code,
        hint: 'the run stopped here: the journal holds every record so far, and state.json the last state that could be saved; fix the cause, then `keyceremony resume <workdir>`',
        cause: error,
      });
    }
  }

  /** state.json as saved, or undefined; its content is checked against the journal by resume. */
  loadState(): SavedState | undefined {
    const corrupt = (reason: string) =>
      new InputError(`state file ${this.stateFile} ${reason}`, {
        code: 'state.corrupt',
        hint: 'state.json is written atomically, so it was damaged or edited: restore it from a backup copy; without it resume cannot tell whether the journal was cut short',
      });
    const read = readStateFile(this.dir, (reason) => {
      throw corrupt(reason);
    });
    if (read === undefined) return undefined;
    // The head is what the journal is checked against (a cut-off journal shows only there).
    if (read.journalHead === undefined) throw corrupt('has no journalHead { seq, hash } of a journal record');
    return read.value as unknown as SavedState;
  }

  get inputsDir(): string {
    return join(this.dir, 'inputs');
  }
}
