// Builds dist/ for `npm test` (its pretest) only when dist/ is not already the build of the
// sources as they are: `tsc -p tsconfig.json --noCheck` is a full emit of about 320 files and
// costs about 15 s of wall (one core) even when nothing changed, on every run, and on CI right
// after `npm ci`'s prepare has built the same dist/ (BENCHMARKS.md, "Ninth pass").
//
// The guard is a stamp kept beside the test bundle in node_modules/.cache/ (not in dist/: the
// journal header's tool hash covers every file of dist/). It holds the SHA-256 of everything
// the build is made from (src/, the tsconfig, package.json and the lock, this file, node's
// version) and the SHA-256 of every file of dist/ as that build left it. dist/ is rebuilt, in
// full, unless both still match: a changed source, a dist/ file edited, deleted or added by
// hand, or a half-written build (the stamp is removed first and written last) all lead to a
// full build. tsc's --incremental is not used: it does not write again an output that was
// deleted (BENCHMARKS.md, "Eighth pass" (e)).
//
//   node scripts/build-dist.mjs          build dist/ unless the stamp says it is current
//   node scripts/build-dist.mjs --stamp  record that dist/ was just built from these sources
//                                        (npm's prepare, after its type-checked `tsc`)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashTree } from './tree-digest.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(REPO, 'dist');
const STAMP = join(REPO, 'node_modules', '.cache', 'keyceremony-build', 'dist-stamp.json');
const THIS_FILE = fileURLToPath(import.meta.url);

const digest = (paths) => hashTree(createHash('sha256'), REPO, paths).digest('hex');

function sourcesDigest() {
  const sources = ['src', 'tsconfig.json', 'package.json', 'package-lock.json'].map((path) => join(REPO, path));
  return digest([...sources, THIS_FILE]) + `:${process.version}`;
}

const distDigest = () => digest([DIST]);

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeStamp() {
  mkdirSync(dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, `${JSON.stringify({ sources: sourcesDigest(), dist: distDigest() }, null, 2)}\n`);
}

if (process.argv.includes('--stamp')) {
  writeStamp();
} else {
  const stamp = readStamp();
  if (stamp && existsSync(DIST) && stamp.sources === sourcesDigest() && stamp.dist === distDigest()) {
    console.log(`dist/ is the build of the current sources (${relative(REPO, STAMP)}): not built again`);
  } else {
    rmSync(STAMP, { force: true });
    execFileSync(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', join(REPO, 'tsconfig.json'), '--noCheck'], { stdio: 'inherit', cwd: REPO });
    writeStamp();
  }
}
