// Every test file runs exactly once per `npm test`: either as a process of its own (tap's
// include and exclude in package.json, as `tap list` reads them) or inside the group of its
// folder (test/all-of/<folder>.test.ts, test/helpers/together.ts). A new file cannot be
// skipped silently, nor run twice.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { GROUPED_FOLDERS, groupedFiles, OWN_PROCESS, TEST_FILE } from '../helpers/together.js';
import { ROOT } from './helpers/source-graph.js';

// Not in `npm test` on purpose: `npm run test:release` runs the first (package.json); `.ci/run`
// runs what the second checks, `npm run lint` and `prettier --check .` (checked below).
const ELSEWHERE = new Set(['test/release/slow/offline.test.ts', 'test/architecture/lint.test.ts']);
const NOT_TESTS = new Set(['helpers', 'fixtures', 'fixture', 'node_modules']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return NOT_TESTS.has(entry.name) ? [] : testFiles(path);
    return TEST_FILE.test(entry.name) ? [relative(ROOT, path)] : [];
  });
}

t.test('each test file is run by tap or by its folder group, exactly once', async (t) => {
  const tap = join(ROOT, 'node_modules', '.bin', 'tap');
  const { stdout } = await promisify(execFile)(tap, ['list'], { cwd: ROOT });
  const byTap = stdout.split('\n').filter(Boolean);
  const grouped = GROUPED_FOLDERS.flatMap((folder) => groupedFiles(folder));
  const runs = new Map<string, number>();
  for (const file of [...byTap, ...grouped]) runs.set(file, (runs.get(file) ?? 0) + 1);

  const all = testFiles(join(ROOT, 'test')).filter((file) => !ELSEWHERE.has(file));
  t.ok(all.length > 150, `${all.length} test files found`);
  t.same(
    all.filter((file) => runs.get(file) !== 1).map((file) => `${file}: run ${runs.get(file) ?? 0} times`),
    [],
    'a file run 0 times: add it to a group or to tap; run twice: exclude its folder in package.json',
  );
  t.same(
    [...runs.keys()].filter((file) => !all.includes(file)),
    [],
    'nothing runs that is not a test file',
  );
  for (const folder of GROUPED_FOLDERS) t.ok(byTap.includes(`test/all-of/${folder}.test.ts`), `test/${folder}/ has its group file`);
  for (const file of Object.keys(OWN_PROCESS)) t.ok(byTap.includes(file), `${file} keeps its own process (${OWN_PROCESS[file]})`);
  // tap starts the files in this order: the groups, among the longest, go first so that the
  // short files fill in around them instead of the UI group running alone at the end.
  const groups = byTap.filter((file) => file.startsWith('test/all-of/'));
  t.same(byTap.slice(0, groups.length), groups, 'tap starts the group files (test/all-of/) before every other file');
});

// ESLint and prettier left `npm test` for CI (issue 15 item 7 allows either; ESLint's type-aware
// run is about 100 s of CPU), and so did the type check (about 50 s of CPU from cold; tsx runs
// the tests without types): CI must still run all three before the tests, or the tree could drift.
t.test('.ci/run lints, checks the formatting and type-checks before npm test', async (t) => {
  const commands = readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  // A command runs as a line of its own, or as the condition of an `if` that reports its failure.
  const at = (command: string) => commands.findIndex((line) => line === command || line.startsWith(`if ! ${command} `));
  t.ok(at('npm run lint') >= 0, '.ci/run runs npm run lint');
  t.ok(at('npx prettier --check .') >= 0, '.ci/run runs npx prettier --check .');
  t.ok(at('npm run lint') > at('npm ci') && at('npx prettier --check .') > at('npm ci'), 'after npm ci');
  t.ok(at('npm run lint') < at('npm test') && at('npx prettier --check .') < at('npm test'), 'before npm test');
  t.ok(at('npm run typecheck') > at('npm ci') && at('npm run typecheck') < at('npm test'), '.ci/run runs npm run typecheck after npm ci, before npm test');
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  t.equal(scripts.lint, 'eslint .', 'npm run lint is ESLint over the whole tree');
  t.equal(scripts.typecheck, 'tsc -p tsconfig.json --noEmit && tsc -p test/tsconfig.json', 'npm run typecheck checks src/, then src/ and test/ together');
  t.equal(
    scripts.pretest,
    'node scripts/build-dist.mjs && node scripts/tap-plugins.mjs && node test/helpers/test-bundle.mjs',
    "npm test's pretest builds dist/ without a type check (unless it is already the build of the sources), tap's plugins as configured, and the test bundle the tests spawn",
  );
});

// npm ci installs tap's default plugin set, with @tapjs/typescript (ts-node). tap rebuilds it as
// package.json configures only for its next run, so without pretest's scripts/tap-plugins.mjs
// the first `npm test` after `npm ci` (every CI run) started each test process with ts-node
// registered beside tsx: about 3 s of CPU per process, for nothing (BENCHMARKS.md, "Seventh pass").
t.test('test processes start without ts-node (tap plugins built as configured before tap starts)', async (t) => {
  t.same(
    process.execArgv.filter((arg) => arg.includes('@tapjs/typescript')),
    [],
    'no --import of @tapjs/typescript in this test process',
  );
  t.ok(
    process.execArgv.some((arg) => arg.includes('tsx-loader.mjs')),
    'tsx transpiles (test/helpers/tsx-loader.mjs is preloaded)',
  );
});
