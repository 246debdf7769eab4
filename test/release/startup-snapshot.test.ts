// The start-up snapshot of an unpacked release: `keyceremony --build-startup-snapshot` builds
// it into the user's cache from dist/cli/startup.cjs, `validate` starts from it and prints
// exactly what it prints without it (valid and refused definitions), a snapshot Node refuses
// (built with other V8 settings) falls back to the normal start, and the release folder stays
// as released (self-check still finds no extra file).
import t from 'tap';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelease, launcher, NODE_PATH_ONLY, unpack } from '../helpers/release.js';
import { run } from '../helpers/softhsm.js';

const release = await buildRelease(t);
const top = await unpack(t, release.tarball);
const scratch = mkdtempSync(join(tmpdir(), 'kc-snapshot-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

const withSnapshot = { HOME: join(scratch, 'home') };
const without = { HOME: join(scratch, 'no-home') };
const cacheDir = join(withSnapshot.HOME, '.cache/keyceremony');

const invalid = join(scratch, 'one-person.yaml');
writeFileSync(invalid, readFileSync(join(top, 'ceremonies/hca-g3-keygen.yaml'), 'utf8').replace(/witness: witness/, 'witness: nobody'));
const cases = [
  ['a valid definition', ['validate', join(top, 'ceremonies/hca-g3-keygen.yaml')]],
  ['a valid definition that names a CSR input', ['validate', join(top, 'ceremonies/grca-issue-hca-g3.yaml')]],
  ['a refused definition', ['validate', invalid]],
  ['a missing file', ['validate', join(scratch, 'nothing.yaml')]],
  ['no argument', ['validate']],
] as const;

t.test('--build-startup-snapshot writes one snapshot into the cache, named by bundle hash and Node version, and nothing into the release', async (t) => {
  const built = await launcher(top, ['--build-startup-snapshot'], withSnapshot);
  t.equal(built.code, 0, built.stderr);
  const bundleHash = (await run('sha256sum', ['SHA256SUMS'], { cwd: top })).stdout.split(' ')[0];
  t.same(readdirSync(cacheDir), [`startup-${bundleHash}-${process.version}.blob`]);
  t.match(built.stdout, `start-up snapshot for Node.js ${process.version}`);
  const check = await launcher(top, ['self-check'], withSnapshot);
  t.equal(check.code, 0, check.stderr);
  t.match(check.stdout, 'none extra');
  const extra = await launcher(top, ['--build-startup-snapshot', 'x'], withSnapshot);
  t.equal(extra.code, 2);
  t.match(extra.stderr, 'keyceremony: error: usage: keyceremony --build-startup-snapshot');
});

t.test('validate from the snapshot prints and exits exactly as without it', async (t) => {
  t.equal(readdirSync(cacheDir).length, 1, 'the snapshot exists');
  for (const [what, args] of cases) {
    const fast = await launcher(top, [...args], withSnapshot);
    const plain = await launcher(top, [...args], without);
    t.equal(fast.code, plain.code, `${what}: exit ${plain.code}`);
    t.equal(fast.stdout, plain.stdout, `${what}: stdout`);
    t.equal(fast.stderr, plain.stderr, `${what}: stderr`);
  }
  const refused = await launcher(top, ['validate', invalid], withSnapshot);
  t.equal(refused.code, 2);
  t.match(refused.stderr, /one-person\.yaml:\d+:\d+/, 'the refusal names file:line:col');
});

t.test('the snapshot runs only validate: any other command started from it is refused', async (t) => {
  const probe = await run(
    process.execPath,
    ['--snapshot-blob', join(cacheDir, readdirSync(cacheDir)[0]!), join(top, 'dist/cli/startup.cjs'), 'plan', 'x.yaml'],
    { cwd: scratch },
  );
  t.equal(probe.code, 2);
  t.match(probe.stderr, 'keyceremony: error: the start-up snapshot does not run "plan"');
});

/** A folder with a `node` that logs its arguments to `log`, then acts as `script` says (sh). */
function loggingNode(log: string, script: string): string {
  const dir = mkdtempSync(join(scratch, 'node-'));
  writeFileSync(join(dir, 'node'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n${script}\nexec '${process.execPath}' "$@"\n`);
  chmodSync(join(dir, 'node'), 0o755);
  return dir;
}

t.test('validate from the snapshot starts one node: no `node --version` first', async (t) => {
  const log = join(scratch, 'node-calls.log');
  const path = `${loggingNode(log, '')}:${NODE_PATH_ONLY}`;
  const result = await launcher(top, ['validate', join(top, 'ceremonies/hca-g3-keygen.yaml')], { ...withSnapshot, PATH: path });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, 'hca-g3-keygen is valid');
  const calls = readFileSync(log, 'utf8').trimEnd().split('\n');
  t.equal(calls.length, 1, calls.join(' | '));
  t.match(calls[0], /^--snapshot-blob \S+\/startup-[0-9a-f]{64}-v\d+\.\d+\.\d+\.blob \S+\/dist\/cli\/startup\.cjs validate /);
  // Every other command still checks the version first.
  rmSync(log);
  const version = await launcher(top, ['--version'], { ...withSnapshot, PATH: path });
  t.equal(version.code, 0, version.stderr);
  t.same(
    readFileSync(log, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => line.split(' ')[0]),
    ['--version', join(top, 'dist/cli/bin.js')],
  );
});

t.test('a Node too old to start from the snapshot (exit 9: no --snapshot-blob) gets the version check, exit 2', async (t) => {
  const log = join(scratch, 'old-node-calls.log');
  const old = loggingNode(
    log,
    `[ "$1" = --version ] && { echo v18.0.0; exit 0; }\n[ "$1" = --snapshot-blob ] && { echo 'node: bad option: --snapshot-blob' >&2; exit 9; }`,
  );
  const result = await launcher(top, ['validate', join(top, 'ceremonies/hca-g3-keygen.yaml')], { ...withSnapshot, PATH: `${old}:${NODE_PATH_ONLY}` });
  t.equal(result.code, 2, result.stderr);
  t.equal(result.stdout, '', 'validate did not run');
  t.match(result.stderr, `keyceremony: error: ${join(old, 'node')} is Node.js v18.0.0; keyceremony needs 20.11 or later\n`);
  t.same(
    readFileSync(log, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => line.split(' ')[0]),
    ['--snapshot-blob', '--version'],
  );
});

t.test('a snapshot Node refuses (built with other V8 settings) falls back to the normal start', async (t) => {
  const [name] = readdirSync(cacheDir);
  const blob = join(cacheDir, name!);
  rmSync(blob);
  const foreign = await run(process.execPath, ['--hash-seed=7', '--snapshot-blob', blob, '--build-snapshot', join(top, 'dist/cli/startup.cjs')], {
    cwd: scratch,
  });
  t.equal(foreign.code, 0, foreign.stderr);
  const [what, args] = cases[0];
  const result = await launcher(top, [...args], withSnapshot);
  t.equal(result.code, 0, `${what}: ${result.stderr}`);
  t.match(result.stdout, 'hca-g3-keygen is valid');
});

t.test('a snapshot is built only from an intact release', async (t) => {
  const home = { HOME: join(scratch, 'home-2') };
  writeFileSync(join(top, 'NOTICE'), '\n', { flag: 'a' });
  const built = await launcher(top, ['--build-startup-snapshot'], home);
  t.equal(built.code, 1);
  t.match(built.stderr, 'differs from its SHA256SUMS: changed NOTICE');
  t.notOk(existsSync(join(home.HOME, '.cache/keyceremony')), 'no snapshot was written');
});
