// A ceremony workdir: definition.yaml (copy), hsm-profile.yaml (copy), journal.jsonl,
// state.json (the last stable snapshot, no secrets), inputs/, outputs/, and a lock so that
// only one keyceremony process works on it at a time.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, KeyceremonyError } from '../errors.js';
import { fsyncDirectory, storageError } from './outputs.js';

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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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

  private constructor(readonly dir: string) {
    this.journalFile = join(dir, 'journal.jsonl');
    this.stateFile = join(dir, 'state.json');
    this.definitionFile = join(dir, 'definition.yaml');
    this.profileFile = join(dir, 'hsm-profile.yaml');
    this.lockFile = join(dir, '.lock');
  }

  /** A new ceremony: the folder must not exist or be empty. */
  static create(path: string): Workdir {
    const dir = resolve(path);
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new InputError(`workdir ${dir} is not empty`, {
        hint: 'every ceremony gets a new, empty workdir; to continue an interrupted ceremony use `keyceremony resume <workdir>`',
        code: 'workdir.not-empty',
      });
    }
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw storageError(error, dir);
    }
    const workdir = new Workdir(dir);
    workdir.lock();
    return workdir;
  }

  /** An existing ceremony (resume, report, verify). */
  static open(path: string, options: { lock: boolean }): Workdir {
    const dir = resolve(path);
    const workdir = new Workdir(dir);
    if (!existsSync(workdir.journalFile)) {
      throw new InputError(`${dir} is not a ceremony workdir: it has no journal.jsonl`, { hint: 'give the workdir a `keyceremony run` created', code: 'workdir.not-ceremony' });
    }
    if (options.lock) workdir.lock();
    return workdir;
  }

  private lock(): void {
    const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx', 0o644);
        writeSync(fd, JSON.stringify(info));
        fsyncSync(fd);
        closeSync(fd);
        this.locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(error, this.lockFile);
      }
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(readFileSync(this.lockFile, 'utf8')) as LockInfo;
      } catch {
        holder = undefined;
      }
      if (holder && holder.host === info.host && processAlive(holder.pid)) {
        throw new InputError(`workdir ${this.dir} is in use by keyceremony process ${holder.pid} (since ${holder.since})`, {
          hint: 'one run per workdir at a time; wait for it to finish or stop it (it can then be resumed)',
          code: 'workdir.locked',
        });
      }
      // The holder is gone (a crash): take the lock over, and let the caller record it.
      this.staleLock = holder ?? { pid: 0, host: 'unknown', since: 'unknown' };
      rmSync(this.lockFile, { force: true });
    }
    throw new KeyceremonyError(`could not lock workdir ${this.dir}`, { code: 'workdir.lock' });
  }

  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    rmSync(this.lockFile, { force: true });
  }

  /** write temp, fsync, rename, fsync folder: state.json is always a whole snapshot. */
  saveState(state: SavedState): void {
    const temp = `${this.stateFile}.tmp`;
    try {
      const fd = openSync(temp, 'w', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(state, null, 1)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.stateFile);
      fsyncDirectory(this.dir);
    } catch (error) {
      throw storageError(error, this.stateFile);
    }
  }

  loadState(): SavedState | undefined {
    if (!existsSync(this.stateFile)) return undefined;
    try {
      return JSON.parse(readFileSync(this.stateFile, 'utf8')) as SavedState;
    } catch (error) {
      throw new KeyceremonyError(`state file ${this.stateFile} is not valid JSON: ${(error as Error).message}`, {
        code: 'state.corrupt',
        hint: 'state.json is written atomically, so this should not happen; keep the workdir as is and report it',
      });
    }
  }

  get inputsDir(): string {
    return join(this.dir, 'inputs');
  }
}
