// The start-up snapshot of an unpacked release: `keyceremony --build-startup-snapshot` builds
// it into the user's cache from dist/cli/startup.cjs, `validate` starts from it and prints
// exactly what it prints without it (valid and refused definitions), a snapshot Node refuses
// (built with other V8 settings) falls back to the normal start, and the release folder stays
// as released (self-check still finds no extra file).
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelease, launcher, unpack } from '../helpers/release.js';
import { run } from '../helpers/softhsm.js';

const release = await buildRelease(t);
const top = await unpack(t, release.tarball);
const scratch = mkdtempSync(join(tmpdir(), 'kc-snapshot-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

const withSnapshot = { HOME: join(scratch, 'home') };
const without = { HOME: join(scratch, 'no-home') };
const cacheDir = join(withSnapshot.HOME, '.cache/keyceremony');

const invalid = join(scratch, 'one-person.yaml');
writeFileSync(
  invalid,
  readFileSync(join(top, 'ceremonies/hca-g3-keygen.yaml'), 'utf8').replace(/witness: witness/, 'witness: nobody'),
);
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
  const probe = await run(process.execPath, ['--snapshot-blob', join(cacheDir, readdirSync(cacheDir)[0]!), join(top, 'dist/cli/startup.cjs'), 'plan', 'x.yaml'], { cwd: scratch });
  t.equal(probe.code, 2);
  t.match(probe.stderr, 'keyceremony: error: the start-up snapshot does not run "plan"');
});

t.test('a snapshot Node refuses (built with other V8 settings) falls back to the normal start', async (t) => {
  const [name] = readdirSync(cacheDir);
  const blob = join(cacheDir, name!);
  rmSync(blob);
  const foreign = await run(process.execPath, ['--hash-seed=7', '--snapshot-blob', blob, '--build-snapshot', join(top, 'dist/cli/startup.cjs')], { cwd: scratch });
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
