// Fixtures that take long to make (RSA-4096 ceremonies, the whole dry-run chain) are made
// once per `npm test` run and shared by the test files, which tap runs as separate processes
// side by side. A fixture lives in <tmpdir>/keyceremony-test-cache/<name>-<key>/, where <key>
// is the SHA-256 of everything it is made from (the ceremony files, dist/, the test helper
// that makes it), so that any change to those makes a new one.
//
// The first process that needs a fixture builds it into a temporary folder and renames that
// into place; a folder under its final name is therefore always whole, and a build that
// failed or was killed is never used. A lock file (created with its content in one link())
// makes the other processes wait instead of building the same thing; if its holder is gone,
// the lock is taken over. Even two builders at once stay correct: the second rename fails
// and that builder uses the first one's fixture.
//
// Tests never change a fixture in place: they copy what they need (copyFixture).
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { hashTree } from '../../scripts/tree-digest.mjs';
import { join } from 'node:path';

export const CACHE_ROOT = join(tmpdir(), 'keyceremony-test-cache');
/** A fixture nobody has used for this long is removed when another one is built. */
const UNUSED_FOR_MS = 2 * 24 * 3600 * 1000;
/** Longer than any build on a loaded 2-core machine; a wait past it is a hung builder. */
const WAIT_MS = 15 * 60 * 1000;

/** SHA-256 (hex, 24 digits) over files and folders (every file in them, by relative path) and extra strings. */
export function fixtureKey(sources: { paths: string[]; extra?: string[] }): string {
  const hash = createHash('sha256');
  // Each path's files by their path relative to it (a folder's own name is not part of the key).
  for (const path of sources.paths) hashTree(hash, path, [path]);
  for (const text of sources.extra ?? []) hash.update(`${text}\0`);
  return hash.digest('hex').slice(0, 24);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, or returns false when a live process holds it. A dead holder's lock is taken over. */
function tryLock(lock: string): boolean {
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, lock);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number(readFileOrEmpty(lock));
      if (holder > 0 && alive(holder)) return false;
      rmSync(lock, { force: true });
    }
    return false;
  } finally {
    rmSync(mine, { force: true });
  }
}

function readFileOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Removes fixtures nobody used for a while, and temporary folders of builders that are gone. */
function prune(): void {
  for (const name of readdirSync(CACHE_ROOT)) {
    const path = join(CACHE_ROOT, name);
    const builder = /\.building-(\d+)-/.exec(name);
    try {
      if (builder ? !alive(Number(builder[1])) : Date.now() - statSync(path).mtimeMs > UNUSED_FOR_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

/**
 * The folder of fixture `name` for `key`, built by `build(dir)` into an empty folder if no
 * process has built it yet. `build` throws to fail: nothing is then kept.
 */
export async function cachedFixture(name: string, key: string, build: (dir: string) => Promise<void>): Promise<string> {
  mkdirSync(CACHE_ROOT, { recursive: true });
  const final = join(CACHE_ROOT, `${name}-${key}`);
  const lock = `${final}.lock`;
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(final)) {
    if (tryLock(lock)) {
      try {
        if (!existsSync(final)) await buildInPlace(final, build);
      } finally {
        rmSync(lock, { force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`fixture ${name}: still locked by process ${readFileOrEmpty(lock)} after ${WAIT_MS / 60000} minutes (${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // Marks it as used, for prune().
  const now = new Date();
  utimesSync(final, now, now);
  return final;
}

async function buildInPlace(final: string, build: (dir: string) => Promise<void>): Promise<void> {
  prune();
  const building = mkdtempSync(`${final}.building-${process.pid}-`);
  try {
    await build(building);
    renameSync(building, final);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    // Someone else's build got there first (only without the lock, after a takeover race).
    if (existsSync(final) && ['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
}

/** A private copy of (part of) a fixture, for a test to change as it likes. */
export function copyFixture(fixture: string, to: string, part = ''): string {
  cpSync(join(fixture, part), to, { recursive: true, verbatimSymlinks: true });
  return to;
}
