// Write-once outputs (DESIGN principle 5). A file is written under a temporary name created
// with O_EXCL, fsynced, then linked to its final name — link() fails if the name exists, so
// an output is never overwritten and never half-written under its real name — and the
// folder is fsynced so the name survives a crash.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, unlinkSync, writeSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { KeyceremonyError } from '../errors.js';
import { fingerprint } from '../util/fingerprint.js';
import type { FileRecord } from './types.js';

export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `file` exactly once; refuses if `file` exists. Mode 0644 unless given. */
export function writeOnce(file: string, data: Uint8Array | string, mode = 0o644): void {
  const dir = join(file, '..');
  const temp = join(dir, `.${file.slice(dir.length + 1)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', mode);
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
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
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

export function storageError(error: unknown, file: string): KeyceremonyError {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const plain: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EEXIST: 'it already exists',
    ENOENT: 'its folder does not exist',
    EDQUOT: 'the disk quota is exhausted',
    EISDIR: 'a folder of that name is in the way',
    EIO: 'the disk reported an input/output error',
  };
  return new KeyceremonyError(`cannot write ${file}: ${plain[code] ?? code} (${code})`, {
    code: `storage.${code}`,
    hint: 'free space or fix permissions on the workdir, then `keyceremony resume <workdir>`; nothing was recorded for this output',
    cause: error,
  });
}

/** The outputs folder of one ceremony workdir. */
export class OutputStore {
  constructor(readonly dir: string) {}

  static create(workdir: string): OutputStore {
    const dir = join(workdir, 'outputs');
    mkdirSync(dir, { recursive: true });
    return new OutputStore(dir);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  exists(name: string): boolean {
    return existsSync(this.path(name));
  }

  write(name: string, kind: FileRecord['kind'], data: Uint8Array | string, step: string): FileRecord {
    writeOnce(this.path(name), data);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
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
    return readFileSync(this.path(name));
  }

  /**
   * An output the journal does not know (written just before a crash) is moved aside, not
   * deleted and not adopted silently; the caller journals where it went and its hash.
   */
  moveAside(name: string, stamp: string): { movedTo: string; sha256: string } {
    const aside = join(this.dir, '.unrecorded');
    mkdirSync(aside, { recursive: true });
    const target = join(aside, `${name}.${stamp}`);
    const { sha256 } = fingerprint(this.read(name));
    renameSync(this.path(name), target);
    fsyncDirectory(this.dir);
    return { movedTo: target, sha256 };
  }
}
