// Every test file runs exactly once per `npm test`: either as a process of its own (tap's
// include and exclude in package.json, as `tap list` reads them) or inside the group of its
// folder (test/together/<folder>.test.ts, test/helpers/together.ts). A new file cannot be
// skipped silently, nor run twice.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { GROUPED_FOLDERS, groupedFiles, OWN_PROCESS, TEST_FILE } from '../helpers/together.js';
import { ROOT } from './helpers/source-graph.js';

// Not in `npm test` on purpose: `npm run test:release` runs it (package.json).
const ELSEWHERE = new Set(['test/release/slow/offline.test.ts']);
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
  for (const folder of GROUPED_FOLDERS) t.ok(byTap.includes(`test/together/${folder}.test.ts`), `test/${folder}/ has its group file`);
  for (const file of Object.keys(OWN_PROCESS)) t.ok(byTap.includes(file), `${file} keeps its own process (${OWN_PROCESS[file]})`);
});
