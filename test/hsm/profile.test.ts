import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHsmProfile } from '../../src/hsm/profile.js';
import { InputError } from '../../src/errors.js';
import { caught } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kc-profile-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

t.test('a valid profile loads, with a relative module path resolved against the profile', async (t) => {
  const file = write('ok.yaml', 'module: ./lib/x.so\ndryRun: true\ntokens:\n  hca: { label: HCA-DRYRUN, serial: "1234" }\n');
  const profile = loadHsmProfile(file);
  t.equal(profile.modulePath, join(dir, 'lib/x.so'));
  t.same(profile.tokens.hca, { label: 'HCA-DRYRUN', serial: '1234' });
  t.equal(profile.dryRun, true);
});

t.test('an unknown key is an error naming the key and its line', async (t) => {
  const file = write('unknown.yaml', 'module: /x.so\ndryRun: false\ntokens:\n  hca:\n    label: HCA\n    pin: "1234"\n');
  const error = await caught(() => loadHsmProfile(file));
  t.type(error, InputError);
  t.equal(error.message, `${file}:6:5: tokens.hca.pin is not a known key`);
  t.equal(error.exitCode, 2);
  t.match(error.hint, /module, dryRun and tokens/);
});

t.test('a missing dryRun flag is required, a long label is refused', async (t) => {
  const file = write('missing.yaml', 'module: /x.so\ntokens:\n  hca: { label: "' + 'L'.repeat(33) + '" }\n');
  t.throws(() => loadHsmProfile(file), /dryRun is required/);
  t.throws(() => loadHsmProfile(file), /tokens\.hca\.label must be at most 32 bytes/);
});

t.test('bad YAML and a missing file name the file', async (t) => {
  const file = write('bad.yaml', 'module: [\n');
  t.throws(() => loadHsmProfile(file), new RegExp(`${file}:\\d+:\\d+: not valid YAML`));
  t.throws(() => loadHsmProfile(join(dir, 'nope.yaml')), /cannot read HSM profile file .*nope\.yaml: ENOENT/);
});

t.test('a token name must be simple', async (t) => {
  const file = write('name.yaml', 'module: /x.so\ndryRun: true\ntokens:\n  "HCA Token": { label: HCA }\n');
  t.throws(() => loadHsmProfile(file), /token names are lower case/);
});
