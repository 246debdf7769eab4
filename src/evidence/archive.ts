// The evidence bundle's container: a gzip-compressed tar archive (node-tar, the package npm
// itself uses, so any `tar -xzf` opens it) holding one folder. Written reproducibly — sorted
// entries, one fixed time for every file, no owner names, modes 0644/0755 — under a
// temporary name and renamed into place, so a bundle is either whole or absent. Read back
// into memory with limits, refusing anything but plain files and folders inside that one
// folder: an archive handed to `bundle verify` may come from anyone.
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { ExitCode, InputError, KeyceremonyError } from '../errors.js';
import { controlCharacterProblem } from '../util/control-characters.js';
import { errorCode } from '../util/storage.js';

/** An archive larger than this is refused before it is read. */
export const ARCHIVE_LIMIT = 512 * 1024 * 1024;

export interface ArchiveContent {
  /** The one top-level folder. */
  folder: string;
  /** Path inside the folder → bytes. */
  files: Map<string, Buffer>;
}

/**
 * Writes `files` as `<folder>/<path>` into a new archive at `archive` (which must not
 * exist), every entry dated `time`.
 */
export function writeArchive(archive: string, folder: string, files: ReadonlyMap<string, Buffer>, time: Date): void {
  if (exists(archive))
    throw new InputError(`bundle: ${archive} already exists`, { hint: 'an evidence bundle is never overwritten; give --out a new file name' });
  const staging = mkdtempSync(join(dirname(archive), '.bundle-'));
  const partial = `${archive}.partial`;
  try {
    const top = join(staging, folder);
    mkdirSync(top, { mode: 0o755 });
    for (const [path, bytes] of files) {
      const file = join(top, path);
      mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
      writeFileSync(file, bytes, { mode: 0o644, flag: 'wx' });
      chmodSync(file, 0o644); // whatever the umask
    }
    const entries = [
      folder,
      ...[...folderNames(files.keys())].map((dir) => `${folder}/${dir}`),
      ...[...files.keys()].map((path) => `${folder}/${path}`),
    ].sort();
    for (const dir of entries.filter((entry) => !files.has(entry.slice(folder.length + 1)))) chmodSync(join(staging, dir), 0o755);
    tar.create({ gzip: { level: 9 }, sync: true, cwd: staging, portable: true, mtime: time, noDirRecurse: true, file: partial }, entries);
    renameSync(partial, archive);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}

function folderNames(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function refused(archive: string, why: string): KeyceremonyError {
  return new KeyceremonyError(`bundle verify: ${archive}: ${why}`, {
    hint: 'this is not an evidence bundle as keyceremony writes it; keep it as evidence and ask for the bundle again from the workdir',
    exitCode: ExitCode.failed,
    code: 'bundle.archive',
  });
}

/** The files of an archive, refused unless it is one folder of plain files within the limits. */
export function readArchive(archive: string, fileLimit: number): ArchiveContent {
  let size: number;
  try {
    size = statSync(archive).size;
  } catch (error) {
    throw new InputError(`bundle verify: cannot read ${archive}: ${errorCode(error) ?? String(error)}`, {
      hint: 'give the path of an evidence bundle (`keyceremony bundle <workdir>` writes one)',
    });
  }
  if (size > ARCHIVE_LIMIT) throw refused(archive, `it is ${size} bytes, more than an evidence bundle may be (${ARCHIVE_LIMIT})`);
  const files = new Map<string, Buffer>();
  const folders = new Set<string>();
  let problem: string | undefined;
  let unpacked = 0;
  const fail = (why: string) => {
    problem ??= why;
  };
  try {
    tar.list({
      file: archive,
      sync: true,
      strict: true,
      onReadEntry(entry) {
        const path = entry.path.replace(/\/$/, '');
        const parts = path.split('/');
        const shown = JSON.stringify(entry.path);
        if (controlCharacterProblem(entry.path)) fail(`entry ${shown} has a control character in its name`);
        else if (entry.path.startsWith('/') || parts.some((part) => part === '' || part === '.' || part === '..'))
          fail(`entry ${shown} is not a plain relative path`);
        else if (entry.type === 'Directory') folders.add(path);
        else if (entry.type !== 'File' && entry.type !== 'OldFile') fail(`entry ${shown} is a ${entry.type}, not a plain file`);
        else if (entry.size > fileLimit) fail(`entry ${shown} is ${entry.size} bytes, more than ${fileLimit}`);
        else if (files.has(path)) fail(`entry ${shown} appears twice`);
        else if ((unpacked += entry.size) > ARCHIVE_LIMIT) fail(`its files add up to more than ${ARCHIVE_LIMIT} bytes`);
        else {
          // Only a file that passed every check is kept in memory; the others are skipped.
          const chunks: Buffer[] = [];
          entry.on('data', (chunk: Buffer) => chunks.push(chunk));
          entry.on('end', () => files.set(path, Buffer.concat(chunks)));
          return;
        }
        entry.resume();
      },
    });
  } catch (error) {
    throw refused(archive, `it does not read as a gzip-compressed tar archive (${error instanceof Error ? error.message : String(error)})`);
  }
  if (problem) throw refused(archive, problem);
  const tops = new Set([...files.keys(), ...folders].map((path) => path.split('/')[0]!));
  if (tops.size !== 1) throw refused(archive, `it holds ${tops.size} top-level entries (${[...tops].slice(0, 5).join(', ')}), not one folder`);
  const folder = [...tops][0]!;
  const inside = new Map<string, Buffer>();
  for (const [path, bytes] of files) {
    if (!path.startsWith(`${folder}/`)) throw refused(archive, `${JSON.stringify(path)} is a file at the top, not inside a folder`);
    inside.set(path.slice(folder.length + 1), bytes);
  }
  return { folder, files: inside };
}
