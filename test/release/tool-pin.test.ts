// A definition that pins the keyceremony release (`tool: { sha256 }`): the release check
// against a SHA256SUMS written by coreutils, the pin refused from a git checkout before
// anything is written, and how validate and plan show it. The run from a real installed
// release is in installed.test.ts.
import t from 'tap';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInstalledRelease } from '../../src/release/installed-release.js';
import { checkToolPin } from '../../src/release/tool-pin.js';
import { groupedHex } from '../../src/util/fingerprint.js';
import { caught } from '../helpers/errors.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { run, softhsm } from '../helpers/softhsm.js';

const REPO = new URL('../../', import.meta.url).pathname;

t.test('checkInstalledRelease: intact, changed, extra, and not a release', async (t) => {
  const root = t.testdir({ 'package.json': '{"version":"9.9.9"}', dist: { 'a.js': 'a' }, 'README.md': 'r' });
  t.same(checkInstalledRelease(root), { installed: false, root }, 'no SHA256SUMS: a checkout');
  const sums = await run('sha256sum', ['package.json', 'dist/a.js', 'README.md'], { cwd: root });
  writeFileSync(join(root, 'SHA256SUMS'), sums.stdout);
  const coreutils = (await run('sha256sum', ['SHA256SUMS'], { cwd: root })).stdout.split(' ')[0];
  t.match(
    checkInstalledRelease(root),
    { installed: true, files: 3, problems: [], bundleSha256: coreutils },
    'intact; the bundle hash is what sha256sum prints',
  );
  appendFileSync(join(root, 'dist/a.js'), ' ');
  writeFileSync(join(root, 'dist/b.js'), 'b');
  t.match(checkInstalledRelease(root), { problems: ['changed dist/a.js', 'extra dist/b.js'] });
});

const intact = {
  installed: true as const,
  root: '/opt/keyceremony',
  files: 3,
  problems: [],
  bundleSha256: 'ab'.repeat(32),
  digests: new Map<string, string>(),
};

t.test('checkToolPin: no pin, the pinned release, a checkout, a changed release, another release', async (t) => {
  const pinned = { file: 'ceremonies/x.yaml', tool: { sha256: 'ab'.repeat(32) } };
  t.doesNotThrow(() => checkToolPin({ file: 'x.yaml', tool: undefined }, { installed: false, root: '/src' }), 'no pin: anything runs');
  t.doesNotThrow(() => checkToolPin(pinned, intact), 'the pinned release, intact');
  let error = await caught(() => checkToolPin(pinned, { installed: false, root: '/src/keyceremony' }));
  t.equal(error.exitCode, 2);
  t.equal(error.code, 'tool.not-release');
  t.match(
    error.message,
    `ceremonies/x.yaml pins keyceremony to the release with bundle hash ${groupedHex('ab'.repeat(32))}, but this keyceremony (/src/keyceremony) is not an installed release`,
  );
  error = await caught(() => checkToolPin(pinned, { ...intact, problems: ['changed dist/cli/bin.js'] }));
  t.equal(error.code, 'tool.modified');
  t.match(error.message, 'differs from its SHA256SUMS: changed dist/cli/bin.js');
  error = await caught(() => checkToolPin(pinned, { ...intact, bundleSha256: 'cd'.repeat(32) }));
  t.equal(error.code, 'tool.other-release');
  t.match(error.message, `but this release's bundle hash is ${groupedHex('cd'.repeat(32))}`);
});

t.test('run refuses a pinned definition from a git checkout, before the workdir or the HSM', async (t) => {
  const hsm = softhsm(t);
  const dir = t.testdir({});
  const definition = join(dir, 'pinned.yaml');
  writeFileSync(definition, `${readFileSync(join(REPO, 'ceremonies/hca-token-init.yaml'), 'utf8')}\ntool: { sha256: ${'ab'.repeat(32)} }\n`);
  writeFileSync(join(dir, 'pinned.answers.yaml'), readFileSync(join(REPO, 'ceremonies/hca-token-init.answers.yaml'), 'utf8'));
  const workdir = join(dir, 'workdir');
  const result = await keyceremonyInProcess(
    ['run', definition, '--hsm', hsm.profile({ hca: 'HCA-PIN' }), '--workdir', workdir, '--answers', join(dir, 'pinned.answers.yaml')],
    { env: hsm.env },
  );
  t.equal(result.code, 2);
  t.match(
    result.stderr,
    /keyceremony: error: .*pinned\.yaml pins keyceremony to the release with bundle hash AB.*, but this keyceremony .* is not an installed release: it has no SHA256SUMS/,
  );
  t.match(result.stderr, 'keyceremony: hint: run the ceremony with the approved release');
  t.notOk(existsSync(workdir), 'no workdir');
  const listed = await run('softhsm2-util', ['--show-slots'], { env: hsm.env });
  t.notMatch(listed.stdout, 'HCA-PIN', 'no token was initialised');
});

t.test('validate names a malformed pin; plan prints the pin, or warns that there is none', async (t) => {
  const dir = t.testdir({});
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, `${readFileSync(join(REPO, 'ceremonies/hca-token-init.yaml'), 'utf8')}\ntool: { sha256: "AB CD" }\n`);
  const invalid = await keyceremonyInProcess(['validate', bad]);
  t.equal(invalid.code, 2);
  t.match(invalid.stderr, /bad\.yaml:\d+:\d+: tool\.sha256 must be the bundle hash `keyceremony self-check` prints/);

  const good = join(dir, 'good.yaml');
  writeFileSync(good, `${readFileSync(join(REPO, 'ceremonies/hca-token-init.yaml'), 'utf8')}\ntool: { sha256: ${'ab'.repeat(32)} }\n`);
  for (const lang of ['en', 'zh-TW']) {
    const plan = await keyceremonyInProcess(['plan', good, '--lang', lang]);
    t.equal(plan.code, 0, plan.stderr);
    t.match(plan.stdout, groupedHex('ab'.repeat(32)), `${lang}: the pinned bundle hash`);
  }
  const unpinned = await keyceremonyInProcess(['plan', join(REPO, 'ceremonies/hca-token-init.yaml')]);
  t.match(unpinned.stdout, 'this script does not pin a keyceremony release');
});
