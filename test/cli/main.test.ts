import t from 'tap';
import { readFileSync } from 'node:fs';
import { keyceremonyFromDist as keyceremony } from '../helpers/cli.js';
import { softhsm } from '../helpers/softhsm.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

t.test('--version and --help answer without loading ink or pkcs11js', async (t) => {
  const v = await keyceremony(['--version'], { env: { ...process.env, NODE_DEBUG: 'module' } });
  t.equal(v.code, 0);
  t.equal(v.stdout, `keyceremony ${version}\n`);
  t.notMatch(v.stderr, /node_modules\/ink\//, 'ink is not loaded');
  t.notMatch(v.stderr, /node_modules\/pkcs11js\//, 'pkcs11js is not loaded');
  const h = await keyceremony(['--help']);
  t.equal(h.code, 0);
  t.match(h.stdout, 'keyceremony run <definition.yaml> --hsm <profile.yaml> --workdir <dir>');
  t.match(h.stdout, 'keyceremony hsm info --hsm <profile.yaml>');
});

t.test('no command and unknown commands are usage errors (exit 2)', async (t) => {
  const none = await keyceremony([]);
  t.equal(none.code, 2);
  const unknown = await keyceremony(['frobnicate']);
  t.equal(unknown.code, 2);
  t.equal(unknown.stderr, 'keyceremony: error: unknown command "frobnicate"\nkeyceremony: hint: run `keyceremony --help` for the list of commands\n');
  const badOption = await keyceremony(['hsm', 'info', '--hsm']);
  t.equal(badOption.code, 2);
  t.match(badOption.stderr, /^keyceremony: error: hsm info: option '--hsm <value>' argument missing/);
  const noProfile = await keyceremony(['hsm', 'info']);
  t.equal(noProfile.code, 2);
  t.match(noProfile.stderr, 'keyceremony: error: hsm info: --hsm is required');
  const badSub = await keyceremony(['hsm', 'list']);
  t.equal(badSub.code, 2);
  t.match(badSub.stderr, 'hsm: unknown subcommand "list"');
});

t.test('hsm info shows the module, tokens, PIN flags and mechanisms', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('HCA-DRYRUN');
  const profile = fx.profile({ hca: 'HCA-DRYRUN' });
  const info = await keyceremony(['hsm', 'info', '--hsm', profile], { env: fx.env });
  t.equal(info.code, 0, info.stderr);
  t.match(info.stdout, `module    ${fx.modulePath}`);
  t.match(info.stdout, /token {5}hca: label "HCA-DRYRUN", serial [0-9a-f]{16}, SoftHSM project SoftHSM v2, firmware 2\.6/);
  t.match(info.stdout, 'user PIN initialised yes, count low no, final try no, locked no');
  t.match(info.stdout, 'mechanisms: all 6 that keyceremony uses are supported');
  t.match(info.stdout, '(dry run: rehearsal tokens only)');
  t.notMatch(info.stdout + info.stderr, pins.userPin.toString());

  const missing = fx.profile({ hca: 'HCA-DRYRUN', root: 'ROOT-DRYRUN' }, { name: 'two.yaml' });
  const absent = await keyceremony(['hsm', 'info', '--hsm', missing], { env: fx.env });
  t.equal(absent.code, 2);
  t.match(absent.stdout, 'token     root: label "ROOT-DRYRUN" NOT PRESENT');
  t.match(absent.stderr, `keyceremony: error: hsm info: token "root" of ${missing} not present`);
});

t.test('a bad module path in the profile exits 2 naming the module', async (t) => {
  const fx = softhsm(t);
  const { writeFileSync } = await import('node:fs');
  const file = `${fx.dir}/bad.yaml`;
  writeFileSync(file, 'module: /opt/vendor/libnothere.so\ndryRun: false\ntokens:\n  hca: { label: HCA }\n');
  const result = await keyceremony(['hsm', 'info', '--hsm', file], { env: fx.env });
  t.equal(result.code, 2);
  t.match(result.stderr, 'keyceremony: error: PKCS#11 module /opt/vendor/libnothere.so does not exist');
  t.match(result.stderr, 'keyceremony: hint: check `module` in the HSM profile');
});

t.test('a reader that goes away (| head -1) is not an error', async (t) => {
  const { spawn } = await import('node:child_process');
  const { DIST_BIN: BIN } = await import('../helpers/cli.js');
  const definition = new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url).pathname;
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'validate', definition], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  t.equal(result.code, 0);
  t.equal(result.stderr, '', 'no EPIPE stack trace');
});
