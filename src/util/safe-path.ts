// Every path inside a ceremony workdir goes through here (the idea of rite's `safe_path`).
// Anyone with the terminal's account can change a workdir between two runs (DESIGN principle
// 6): a symbolic link planted at `dry-run-shares/hc1` or `outputs/` would send shares or
// outputs wherever it points, and a linked `journal.jsonl` would be appended through. So a
// name must be a plain relative path, no folder on the way may be a link, and files are
// opened with O_NOFOLLOW, so a link planted between the check and the open is refused by
// the kernel too.
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, writeSync, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.js';
import { readOpenFile } from './bounded-read.js';
import { decodeUtf8 } from './utf8.js';
import { errorCode } from './storage.js';

const LINK_HINT = 'someone changed the workdir: keyceremony never follows a link inside it; keep the workdir as it is as evidence and investigate';

export function linkRefused(path: string): InputError {
  return new InputError(`${path} is a symbolic link; keyceremony does not read or write through links in a workdir`, {
    hint: LINK_HINT,
    code: 'workdir.symlink',
  });
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * `<dir>/<name>`, after checking that `name` stays inside `dir`: relative, no `..`, and no
 * part of it (folders on the way, the file itself) an existing symbolic link.
 */
export function insideWorkdir(dir: string, name: string): string {
  const parts = name.split('/');
  if (name === '' || isAbsolute(name) || name.includes('\0') || parts.some((part) => part === '..' || part === '')) {
    throw new InputError(`"${name}" is not a plain path inside the workdir ${dir}`, { code: 'workdir.path' });
  }
  let path = dir;
  for (const part of parts) {
    path = join(path, part);
    const stat = lstatOrUndefined(path);
    if (stat === undefined) break; // nothing further down exists yet
    if (stat.isSymbolicLink()) throw linkRefused(path);
  }
  return join(dir, name);
}

/** Opens a workdir file without following a link (ELOOP becomes the refusal above). */
export function openInWorkdir(dir: string, name: string, flags: number, mode?: number): number {
  const path = insideWorkdir(dir, name);
  try {
    return openSync(path, flags | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') throw linkRefused(path);
    throw error;
  }
}

/** A folder in the workdir, made if missing; one that exists must be a real folder, not a link to one. */
export function folderInWorkdir(dir: string, name: string, mode = 0o755): string {
  const path = insideWorkdir(dir, name);
  try {
    mkdirSync(path, { mode });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) throw linkRefused(path);
    if (!stat.isDirectory()) throw new InputError(`${path} is not a folder`, { hint: LINK_HINT, code: 'workdir.not-folder' });
  }
  return path;
}

/** A workdir file's bytes (a regular file, not through a link), at most `maxBytes`. */
export function readWorkdirFile(dir: string, name: string, maxBytes: number): Buffer {
  const fd = openInWorkdir(dir, name, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    return readOpenFile(fd, join(dir, name), { what: 'workdir file', maxBytes });
  } finally {
    closeSync(fd);
  }
}

/** A workdir text file (the definition's copy, an X.509 profile's copy): readWorkdirFile, strictly UTF-8. */
export function readWorkdirText(dir: string, name: string, maxBytes: number, kind: string): string {
  return decodeUtf8(readWorkdirFile(dir, name, maxBytes), join(dir, name), kind);
}

/**
 * Appends to a file in the workdir that only keyceremony writes (a dry-run share file). It
 * is created with O_EXCL; an existing one must be a regular file with no other name (a hard
 * link would carry the text to wherever its other name is) before anything is added.
 */
export function appendToWorkdirFile(dir: string, name: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openInWorkdir(dir, name, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    fd = openInWorkdir(dir, name, constants.O_WRONLY | constants.O_APPEND);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.nlink !== 1) {
      throw new InputError(`${join(dir, name)} is not a file keyceremony made (${stat.isFile() ? `it has ${stat.nlink} names` : 'not a regular file'})`, {
        hint: LINK_HINT,
        code: 'workdir.foreign-file',
      });
    }
    fchmodSync(fd, mode);
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    closeSync(fd);
  }
}
