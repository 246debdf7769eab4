// The PKCS#11 module as a file: opened once, hashed, and loaded through the same open file.
// Loading a shared library runs its code (constructors first), so which library is loaded
// must be decided before it is loaded: the caller compares the SHA-256 with what the profile
// pins or the journal records, and only then loads. On Linux the loader is handed
// /proc/self/fd/N, the very file that was hashed, so a file swapped in at the same path
// between the hash and the load is not the one loaded.
import { closeSync, existsSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { errorCode } from '../util/storage.js';

export interface ModuleFile {
  /** The path as the profile gives it (made absolute). */
  path: string;
  /** The path with every symbolic link resolved, for the record. */
  realPath: string;
  sha256: string;
  bytes: number;
  /**
   * Which file this is (device and inode): the dynamic loader maps a file once per process,
   * whatever path names it, so two opens of one identity share one initialised module.
   */
  identity: string;
  /** What to hand the dynamic loader: the open file itself where the system allows it. */
  loadPath: string;
  close(): void;
}

const FD_PATHS = '/proc/self/fd';

/** Opens and hashes the module file; an InputError naming the file when it is not there. */
export function openModuleFile(path: string): ModuleFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = errorCode(error);
    throw new InputError(code === 'ENOENT' ? `PKCS#11 module ${path} does not exist` : `cannot open PKCS#11 module ${path}: ${code ?? String(error)}`, {
      hint: 'check `module` in the HSM profile; for SoftHSM on Debian it is /usr/lib/softhsm/libsofthsm2.so (apt-get install softhsm2)',
      code: 'hsm.module-missing',
      details: { module: path },
    });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new InputError(`PKCS#11 module ${path} is not a regular file`, {
        hint: 'check `module` in the HSM profile',
        code: 'hsm.module-missing',
        details: { module: path },
      });
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1 << 20);
    let bytes = 0;
    for (let read; (read = readSync(fd, chunk, 0, chunk.length, bytes)) > 0; bytes += read) hash.update(chunk.subarray(0, read));
    let closed = false;
    return {
      path,
      realPath: realpathSync(path),
      sha256: hash.digest('hex'),
      bytes,
      identity: `${stat.dev}:${stat.ino}`,
      loadPath: existsSync(FD_PATHS) ? `${FD_PATHS}/${fd}` : path,
      close: () => {
        if (closed) return;
        closed = true;
        closeSync(fd);
      },
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Refuses a module whose SHA-256 is not `expected` (from `source`: the profile's
 * moduleSha256, or the journal), before anything loads it.
 */
export function checkModuleSha256(file: ModuleFile, expected: string, source: string): void {
  if (file.sha256 === expected) return;
  throw new InputError(`PKCS#11 module ${file.path} has SHA-256 ${file.sha256}, but ${source} says ${expected}`, {
    hint: 'this is not the library the ceremony was set up with; nothing was loaded from it; stop and find out who changed it',
    code: 'hsm.module-changed',
    details: { module: file.path },
  });
}
