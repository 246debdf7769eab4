// What every writer of the workdir shares: making a new name durable, and saying in plain
// words why the disk refused. The journal, the outputs and state.json all fail the same
// way on a full or read-only disk, so they say it the same way.
import * as nodeFs from 'node:fs';
import { constants } from 'node:fs';

/** The file operations fsyncDirectory uses; the journal passes its own to see them in tests. */
export interface DirectorySyncFileSystem {
  openSync(path: string, flags: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
}

/** After a create, rename or link: fsync the folder, so the new name survives a crash. */
export function fsyncDirectory(dir: string, fs: DirectorySyncFileSystem = nodeFs): void {
  const fd = fs.openSync(dir, constants.O_RDONLY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The errno name (`ENOSPC`) of a failed file operation, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What the disk or the file system said, whatever the operation was. */
const PLAIN: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder of that name is in the way',
  EIO: 'the disk reported an input/output error',
};

/**
 * `the disk is full (ENOSPC)`: plain words for the failures of the medium, else Node's own
 * description (`no such file or directory (ENOENT)` from `ENOENT: no such file or directory,
 * open '…'`). `code` defaults to the error's; a writer may give one for an error that has none.
 */
export function storageProblem(error: unknown, code = errorCode(error)): string {
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  const plain = PLAIN[code];
  if (plain !== undefined) return `${plain} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  const description = new RegExp(`^${code}: ([^,]+)`).exec(message)?.[1];
  return description === undefined ? `${message} (${code})` : `${description} (${code})`;
}

/** The message of whatever was thrown: an Error's, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whatever was thrown, as an Error (a thrown string or object becomes one with its text). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A failed system call as Node reports it (fs, child_process): code and syscall, maybe path and dest. */
export type SystemError = NodeJS.ErrnoException & { code: string; syscall: string; dest?: string };

export function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && 'syscall' in error && typeof error.syscall === 'string';
}
