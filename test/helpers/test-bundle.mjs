// The keyceremony the tests spawn: an esbuild bundle of src/, made as the release makes its own
// (scripts/release/bundle.mjs, bundleForTests), in node_modules/.cache/keyceremony-test-bundle/<key>/.
//
// Why: a keyceremony process started from dist/ loads about 180 module files for `validate`
// and more for `run` (zod alone is 95 files; yaml is CommonJS and resolves each of its
// requires); from the bundle it loads a few chunks. `validate hca-g3-keygen` costs about
// 0.54 s of CPU from the bundle against 0.81 s from dist/ here, and the suite spawns hundreds
// of keyceremony processes (the CLIs and the fault runner's crashed and held runs).
// BENCHMARKS.md, "Seventh pass". test/cli/main.test.ts still spawns dist/cli/bin.js itself
// (DIST_BIN in helpers/cli.ts), as do scripts/dry-run.mjs and the release tests their own.
//
// <key> is the SHA-256 of everything the bundle is made from (src/, the tsconfig, package.json
// and the lock, the bundler and this file), so a bundle is never older than the sources:
// `npm test`'s pretest builds it (`node test/helpers/test-bundle.mjs`), and a test run by
// itself after a change to src/ builds it on first use (about 1 s), as a fixture is built.
// A bundle is built into a temporary folder and renamed into place, so a folder under its
// final name is always whole; two builders at once both succeed and one rename wins.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashTree } from '../../scripts/tree-digest.mjs';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(REPO, 'node_modules', '.cache', 'keyceremony-test-bundle');
const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * Output path under dist/ (without .js) and its source: the CLI's entry, and the modules the
 * fault runner (helpers/fault-cli.ts) imports by their dist/ path. Shared code is in chunks,
 * so the runner and main of one process are the same module instances, as in dist/.
 */
export const ENTRIES = {
  'cli/bin': 'src/cli/bin.ts',
  'cli/main': 'src/cli/main.ts',
  'cli/runner-deps': 'src/cli/runner-deps.ts',
  'ceremony/runner': 'src/ceremony/runner.ts',
  'hsm/hsm-error': 'src/hsm/hsm-error.ts',
  'hsm/pkcs11-hsm': 'src/hsm/pkcs11-hsm.ts',
  'hsm/profile': 'src/hsm/profile.ts',
};

/** SHA-256 (hex, 24 digits) of what the bundle is made from. */
export function testBundleKey() {
  const sources = ['src', 'tsconfig.json', 'package.json', 'package-lock.json', 'scripts/release/bundle.mjs'].map((path) => join(REPO, path));
  const hash = hashTree(createHash('sha256'), REPO, [...sources, THIS_FILE]);
  hash.update(`${process.version}\0`);
  return hash.digest('hex').slice(0, 24);
}

/**
 * The bundle's root for the current sources (package.json and dist/ in it), built first if
 * there is none. `dist` is the folder KC_DIST names for the fault runner.
 */
export function testBundle() {
  const top = join(CACHE, testBundleKey());
  if (!existsSync(join(top, 'dist', 'cli', 'bin.js'))) execFileSync(process.execPath, [THIS_FILE], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { top, bin: join(top, 'dist', 'cli', 'bin.js'), dist: pathToFileURL(join(top, 'dist')).href + '/' };
}

async function build() {
  const key = testBundleKey();
  const top = join(CACHE, key);
  if (existsSync(join(top, 'dist', 'cli', 'bin.js'))) return;
  const staging = `${top}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // The sources read the version from the package root's package.json (src/util/tool-version.ts).
  cpSync(join(REPO, 'package.json'), join(staging, 'package.json'));
  const { bundleForTests } = await import(pathToFileURL(join(REPO, 'scripts', 'release', 'bundle.mjs')).href);
  await bundleForTests({ root: REPO, top: staging, entries: ENTRIES });
  try {
    renameSync(staging, top);
  } catch {
    // Another process built the same bundle first.
    rmSync(staging, { recursive: true, force: true });
  }
  // Bundles of older sources, unused for an hour (no test of this checkout still runs them).
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (name !== key && Date.now() - statSync(path).mtimeMs > 3600 * 1000) rmSync(path, { recursive: true, force: true });
  }
}

if (process.argv[1] === THIS_FILE) await build();
