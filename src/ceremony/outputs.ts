// Write-once outputs (DESIGN principle 5). A file is written under a temporary name created
// with O_EXCL, fsynced, then linked to its final name — link() fails if the name exists, so
// an output is never overwritten and never half-written under its real name — and the
// folder is fsynced so the name survives a crash. Neither name follows a symbolic link: the
// temporary file is opened O_EXCL|O_NOFOLLOW, and link() never follows its new name.
import { closeSync, constants, fsyncSync, linkSync, lstatSync, openSync, readdirSync, unlinkSync, writeSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { KeyceremonyError } from '../errors.js';
import { INPUT_FILE_LIMIT } from '../util/bounded-read.js';
import { fingerprint } from '../util/fingerprint.js';
import { folderInWorkdir, insideWorkdir, linkRefused, readWorkdirFile } from '../util/safe-path.js';
import { errorCode, fsyncDirectory, storageProblem } from '../util/storage.js';
import type { FileRecord } from './types.js';

/** Writes `data` to `file` exactly once; refuses if `file` exists. Mode 0644 unless given. */
export function writeOnce(file: string, data: Uint8Array | string, mode = 0o644): void {
  const dir = join(file, '..');
  const temp = join(dir, `.${file.slice(dir.length + 1)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (error) {
    throw storageError(error, file);
  }
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, file);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') {
        if (isLink(file)) throw linkRefused(file);
        throw new KeyceremonyError(`output ${file} already exists; keyceremony never overwrites an output`, {
          code: 'output.exists',
          hint: 'use a new workdir, or move the existing file aside and record why as an exception',
        });
      }
      throw storageError(error, file);
    }
    fsyncDirectory(dir);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone; nothing to clean.
    }
  }
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Why writing `file` failed, said the way every writer of the workdir says it (util/storage.ts). */
export function storageError(error: unknown, file: string): KeyceremonyError {
  const code = errorCode(error) ?? 'EIO';
  const plain: Record<string, string> = {
    EEXIST: 'it already exists',
    ENOENT: 'its folder does not exist',
    ELOOP: 'a symbolic link is in its place, and keyceremony does not write through links',
  };
  return new KeyceremonyError(`cannot write ${file}: ${plain[code] === undefined ? storageProblem(error, code) : `${plain[code]} (${code})`}`, {
    code: `storage.${code}`,
    hint: 'free space or fix permissions on the workdir, then `keyceremony resume <workdir>`; nothing was recorded for this output',
    cause: error,
  });
}

/** The outputs folder of one ceremony workdir; every name in it is checked by insideWorkdir. */
export class OutputStore {
  readonly dir: string;

  private constructor(private readonly workdir: string) {
    this.dir = join(workdir, 'outputs');
  }

  static create(workdir: string): OutputStore {
    folderInWorkdir(workdir, 'outputs');
    return new OutputStore(workdir);
  }

  path(name: string): string {
    return insideWorkdir(this.workdir, `outputs/${name}`);
  }

  exists(name: string): boolean {
    return existsSync(this.path(name));
  }

  write(name: string, kind: FileRecord['kind'], data: Uint8Array | string, step: string): FileRecord {
    writeOnce(this.path(name), data);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    return { name, kind, ...fingerprint(bytes), bytes: bytes.length, step };
  }

  /** The record of an output already on disk, written before a crash, that the witnesses adopt. */
  recordOf(name: string, kind: FileRecord['kind'], step: string): FileRecord {
    const bytes = this.read(name);
    return { name, kind, ...fingerprint(bytes), bytes: bytes.length, step };
  }

  /**
   * Temporary files writeOnce left for `name` when the process stopped mid-write
   * (`.<name>.<pid>.tmp`, complete or not). Only resume looks, holding the workdir lock.
   */
  leftovers(name: string): string[] {
    const prefix = `.${name}.`;
    return readdirSync(this.dir).filter((file) => file.startsWith(prefix) && /^\d+\.tmp$/.test(file.slice(prefix.length)));
  }

  read(name: string): Buffer {
    return readWorkdirFile(this.workdir, `outputs/${name}`, INPUT_FILE_LIMIT);
  }

  /**
   * An output the journal does not know (written just before a crash) is moved aside, not
   * deleted and not adopted silently; the caller journals where it went and its hash.
   */
  moveAside(name: string, stamp: string): { movedTo: string; sha256: string } {
    const aside = folderInWorkdir(this.workdir, 'outputs/.unrecorded');
    const target = join(aside, `${name}.${stamp}`);
    const { sha256 } = fingerprint(this.read(name));
    renameSync(this.path(name), target);
    fsyncDirectory(this.dir);
    return { movedTo: target, sha256 };
  }
}
