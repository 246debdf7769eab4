// npm test's pretest builds dist/ only when it is not already the build of the sources
// (scripts/build-dist.mjs). A stale dist/ would make every spawned-CLI test run old code, so
// this shows each way dist/ can fall out of step leading to a full build, on a small project
// laid out as the repository is: a copy of the script, and in place of tsc a stand-in that
// copies src/*.ts to dist/*.js and logs its arguments (the guard is under test, not tsc; npm
// test's own pretest runs the real one on every run).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const NOT_BUILT = 'not built again';

const top = mkdtempSync(join(tmpdir(), 'kc-build-dist-'));
t.teardown(() => rmSync(top, { recursive: true, force: true }));
mkdirSync(join(top, 'scripts'));
cpSync(join(REPO, 'scripts', 'build-dist.mjs'), join(top, 'scripts', 'build-dist.mjs'));
cpSync(join(REPO, 'scripts', 'tree-digest.mjs'), join(top, 'scripts', 'tree-digest.mjs'));
mkdirSync(join(top, 'src'));
writeFileSync(join(top, 'src', 'a.ts'), 'export const a: number = 1;\n');
writeFileSync(join(top, 'src', 'b.ts'), "export { a } from './a.js';\n");
writeFileSync(
  join(top, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', rootDir: 'src', outDir: 'dist', types: [] },
    include: ['src'],
  }),
);
writeFileSync(join(top, 'package.json'), '{"type":"module"}\n');
writeFileSync(join(top, 'package-lock.json'), '{}\n');
mkdirSync(join(top, 'node_modules', '.bin'), { recursive: true });
const TSC_LOG = join(top, 'tsc.log');
// The stand-in fails as tsc does on a syntax error, after writing what it could.
writeFileSync(
  join(top, 'node_modules', '.bin', 'tsc'),
  `#!/bin/sh
echo "$*" >> '${TSC_LOG}'
mkdir -p dist
status=0
for f in src/*.ts; do
  cp "$f" "dist/$(basename "$f" .ts).js"
  if grep -q 'SYNTAX ERROR' "$f"; then status=2; fi
done
if grep -q sourceMap tsconfig.json; then for f in dist/*.js; do echo '{}' > "$f.map"; done; fi
exit $status
`,
);
chmodSync(join(top, 'node_modules', '.bin', 'tsc'), 0o755);

function build(...args: string[]): { built: boolean; status: number | null } {
  const run = spawnSync(process.execPath, [join(top, 'scripts', 'build-dist.mjs'), ...args], { encoding: 'utf8', cwd: top });
  return { built: !run.stdout.includes(NOT_BUILT), status: run.status };
}
const out = (name: string) => join(top, 'dist', name);

t.test('the first build writes dist/; the next one, with nothing changed, does not build', async (t) => {
  t.same(build(), { built: true, status: 0 }, 'built');
  t.ok(existsSync(out('a.js')) && existsSync(out('b.js')), 'dist/ holds the build');
  t.equal(readFileSync(TSC_LOG, 'utf8'), `-p ${join(top, 'tsconfig.json')} --noCheck\n`, 'one full tsc build without the type check');
  t.same(build(), { built: false, status: 0 }, 'unchanged: not built again');
});

t.test('a changed source is built', async (t) => {
  writeFileSync(join(top, 'src', 'a.ts'), 'export const a: number = 2;\n');
  t.same(build(), { built: true, status: 0 });
  t.match(readFileSync(out('a.js'), 'utf8'), 'a: number = 2', 'the new source is in dist/');
  t.same(build(), { built: false, status: 0 });
});

t.test('a dist/ file deleted, edited or added by hand leads to a full build', async (t) => {
  rmSync(out('b.js'));
  t.same(build(), { built: true, status: 0 }, 'deleted');
  t.ok(existsSync(out('b.js')), 'the deleted output is written again');
  writeFileSync(out('a.js'), 'export const a = 99;\n');
  t.same(build(), { built: true, status: 0 }, 'edited');
  t.match(readFileSync(out('a.js'), 'utf8'), 'a: number = 2', 'the edit is replaced by the build');
  writeFileSync(out('extra.js'), '// dropped here\n');
  t.same(build(), { built: true, status: 0 }, 'a file added to dist/');
  rmSync(out('extra.js'));
  t.same(build(), { built: true, status: 0 }, 'and removed again: dist/ is not what the stamp recorded');
  t.same(build(), { built: false, status: 0 });
});

t.test('a tsconfig change or a missing stamp leads to a build; --stamp records a build made by tsc itself', async (t) => {
  const config = JSON.parse(readFileSync(join(top, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  config.compilerOptions.sourceMap = true;
  writeFileSync(join(top, 'tsconfig.json'), JSON.stringify(config));
  t.same(build(), { built: true, status: 0 }, 'tsconfig changed');
  t.ok(existsSync(out('a.js.map')), 'built with the new options');
  rmSync(join(top, 'node_modules', '.cache'), { recursive: true });
  t.same(build(), { built: true, status: 0 }, 'no stamp (npm ci empties node_modules/)');
  rmSync(join(top, 'node_modules', '.cache'), { recursive: true });
  t.equal(build('--stamp').status, 0, '--stamp (prepare, after its own tsc)');
  t.same(build(), { built: false, status: 0 }, 'after --stamp, the build it recorded is taken as current');
});

t.test('a failed build leaves no stamp, so the next run builds again', async (t) => {
  writeFileSync(join(top, 'src', 'a.ts'), 'export const a: number = ; // SYNTAX ERROR\n');
  const failed = build();
  t.not(failed.status, 0, 'tsc reports the syntax error, and so does the build');
  writeFileSync(join(top, 'src', 'a.ts'), 'export const a: number = 3;\n');
  t.same(build(), { built: true, status: 0 }, 'fixed: built again');
  t.match(readFileSync(out('a.js'), 'utf8'), 'a: number = 3');
  t.equal(readFileSync(TSC_LOG, 'utf8').trim().split('\n').length, 10, 'tsc ran once for each build the test expected, and never otherwise');
});
