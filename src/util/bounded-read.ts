// Reading a file someone hands to keyceremony (a definition, an answers file, a CSR on a USB
// stick) without letting the file decide how much is read: only regular files are read —
// a FIFO would block and /dev/zero never ends —, and never more than a cap for its kind.
// The file is opened non-blocking, so opening a FIFO returns at once and fstat refuses it
// before a single byte is read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from '../errors.js';

export const MiB = 1024 * 1024;

/** Definitions, answers files, HSM profiles and X.509 profiles: hand-written YAML. */
export const YAML_FILE_LIMIT = 1 * MiB;
/** CSRs, certificates and share-set manifests brought to a ceremony. */
export const INPUT_FILE_LIMIT = 16 * MiB;
/** A dry-run share file: a few lines of share text. */
export const SHARE_FILE_LIMIT = 64 * 1024;

export interface BoundedRead {
  /** What the file is, for messages: `definition file`, `input "hca-g3-csr"`. */
  what: string;
  maxBytes: number;
  /** O_NOFOLLOW: a symbolic link is refused (ELOOP) instead of followed. */
  noFollow?: boolean;
}

const CHUNK = 64 * 1024;

/**
 * The file's bytes, at most `maxBytes` of them. A file that is not a regular file, or is
 * larger, is refused (InputError); other failures to open (ENOENT, EACCES, ELOOP) are
 * thrown as they come, so that each caller can say them in its own words.
 */
export function readBounded(file: string, limit: BoundedRead): Buffer {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (limit.noFollow ? constants.O_NOFOLLOW : 0);
  const fd = openSync(file, flags);
  try {
    return readOpenFile(fd, file, limit);
  } finally {
    closeSync(fd);
  }
}

/** readBounded for a file the caller opened itself (O_NONBLOCK, so a FIFO did not block). */
export function readOpenFile(fd: number, file: string, limit: BoundedRead): Buffer {
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    throw new InputError(`${limit.what} ${file} is not a regular file (it is ${fileType(stat)})`, {
      hint: 'give the path of an ordinary file; keyceremony does not read devices, pipes or folders',
      code: 'file.not-regular',
      details: { file },
    });
  }
  if (stat.size > limit.maxBytes) throw tooLarge(file, limit);
  // Read until the end, but never more than one byte past the cap: a file that grows
  // while it is read is refused like one that was too large from the start.
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit.maxBytes + 1 - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > limit.maxBytes) throw tooLarge(file, limit);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(file: string, limit: BoundedRead): InputError {
  return new InputError(`${limit.what} ${file} is larger than ${sizeText(limit.maxBytes)}`, {
    hint: `keyceremony reads at most ${sizeText(limit.maxBytes)} here; check that this is the right file`,
    code: 'file.too-large',
    details: { file, limit: sizeText(limit.maxBytes) },
  });
}

function sizeText(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function fileType(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
