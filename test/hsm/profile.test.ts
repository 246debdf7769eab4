import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CAPABLE, capabilitiesByLabel, loadHsmProfile, tokenCapabilities } from '../../src/hsm/profile.js';
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

t.test('initArgs are passed on as written; a PIN or password in them is refused, naming the parameter and the line', async (t) => {
  const ok = write('init-args.yaml', `module: /x.so\ninitArgs: "configdir='sql:/srv/nss' flags=noModDB"\ndryRun: true\ntokens: {}\n`);
  t.equal(loadHsmProfile(ok).initArgs, "configdir='sql:/srv/nss' flags=noModDB");
  for (const parameter of ['pin', 'userPin', 'so_pin', 'password', 'Passwd', 'pwd', 'passphrase', 'clientSecret']) {
    const file = write(`secret-${parameter}.yaml`, `module: /x.so\ndryRun: true\ninitArgs: "configdir=/srv ${parameter}=1234"\ntokens: {}\n`);
    const error = await caught(() => loadHsmProfile(file));
    t.equal(error.exitCode, 2, parameter);
    t.match(error.message, `${file}:3:11: initArgs must not carry a PIN or password (parameter "${parameter}")`, parameter);
    t.notMatch(error.message, '1234', 'the value is not repeated');
  }
  const empty = write('init-args-empty.yaml', 'module: /x.so\ndryRun: true\ninitArgs: ""\ntokens: {}\n');
  t.throws(() => loadHsmProfile(empty), /initArgs must not be empty \(leave initArgs out when the module takes none\)/);
  const control = write('init-args-control.yaml', 'module: /x.so\ndryRun: true\ninitArgs: "a\\u001bb"\ntokens: {}\n');
  t.throws(() => loadHsmProfile(control), /initArgs contains a control character \(U\+001B at character 2\)/);
});

t.test('NSS softoken needs initArgs naming an absolute configdir (it crashes without one)', async (t) => {
  const nssModule = '/usr/lib/x86_64-linux-gnu/libsoftokn3.so';
  const none = write('nss-none.yaml', `module: ${nssModule}\ndryRun: true\ntokens: {}\n`);
  t.throws(() => loadHsmProfile(none), /:1:1: \(top level\) is required for NSS softoken \(libsoftokn3\.so\): initArgs with configdir='sql:<folder>'/);
  const noDir = write('nss-no-dir.yaml', `module: ${nssModule}\ninitArgs: "flags=noModDB"\ndryRun: true\ntokens: {}\n`);
  t.throws(() => loadHsmProfile(noDir), new RegExp(`${noDir}:2:11: initArgs must name the NSS database: configdir='sql:<folder>'`));
  const relative = write(
    'nss-relative.yaml',
    `module: ${nssModule}\ninitArgs: "configdir='sql:/srv/nss' tokens=<0x04=[configdir='sql:hca' tokenDescription='HCA']>"\ndryRun: true\ntokens: {}\n`,
  );
  t.throws(() => loadHsmProfile(relative), /initArgs configdir 'hca' must be an absolute path/);
  const good = write(
    'nss-good.yaml',
    `module: ${nssModule}\ninitArgs: "configdir='sql:/srv/nss' tokens=<0x04=[configdir='sql:/srv/nss/hca' tokenDescription='HCA']>"\ndryRun: true\ntokens: {}\n`,
  );
  t.match(loadHsmProfile(good).initArgs, "configdir='sql:/srv/nss/hca'");
});

t.test('capabilities: module-wide, overridden per token; unknown ones and a serial that cannot tell tokens apart are refused', async (t) => {
  const file = write(
    'capabilities.yaml',
    'module: /x.so\ndryRun: true\ncapabilities: { initToken: false, uniqueSerials: false }\ntokens:\n  hca: { label: HCA }\n  root: { label: ROOT, capabilities: { initToken: true, dataObjects: false } }\n',
  );
  const profile = loadHsmProfile(file);
  t.same(tokenCapabilities(profile, 'hca'), {
    initToken: false,
    initTokenLabel: true,
    soPin: true,
    uniqueSerials: false,
    dataObjects: true,
    ckaLocal: true,
    keyCopy: true,
  });
  t.same(tokenCapabilities(profile, 'root'), {
    initToken: true,
    initTokenLabel: true,
    soPin: true,
    uniqueSerials: false,
    dataObjects: false,
    ckaLocal: true,
    keyCopy: true,
  });
  t.same(capabilitiesByLabel(profile)('ROOT'), tokenCapabilities(profile, 'root'), 'the HSM layer finds them by label');
  t.same(
    capabilitiesByLabel(profile)('OTHER'),
    { ...ALL_CAPABLE, initToken: false, uniqueSerials: false },
    'a label not in the profile gets the module-wide ones',
  );
  t.same(
    tokenCapabilities(loadHsmProfile(write('plain.yaml', 'module: /x.so\ndryRun: true\ntokens: {}\n')), 'hca'),
    ALL_CAPABLE,
    'everything unless the profile says otherwise',
  );

  const unknown = write('capability-unknown.yaml', 'module: /x.so\ndryRun: true\ncapabilities: { wrap: false }\ntokens: {}\n');
  t.throws(() => loadHsmProfile(unknown), new RegExp(`${unknown}:3:17: capabilities.wrap is not a known key`));
  const notBoolean = write('capability-text.yaml', 'module: /x.so\ndryRun: true\ntokens:\n  hca: { label: HCA, capabilities: { soPin: "no" } }\n');
  t.throws(() => loadHsmProfile(notBoolean), /tokens\.hca\.capabilities\.soPin must be true or false/);
  const serial = write(
    'capability-serial.yaml',
    'module: /x.so\ndryRun: true\ncapabilities: { uniqueSerials: false }\ntokens:\n  hca: { label: HCA, serial: "0000000000000000" }\n',
  );
  t.throws(
    () => loadHsmProfile(serial),
    new RegExp(
      `${serial}:5:\\d+: tokens\\.hca\\.serial cannot tell tokens apart: this module gives tokens no serial of their own \\(uniqueSerials: false\\); tokens are found by label only`,
    ),
  );
});
