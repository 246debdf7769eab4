// Issue 9, item 6: the secret canary. (1) It is not blind: every encoding it knows, planted
// in a file or a stream, is found, and only the dry-run-shares/ folders a dryRun profile
// asks for are exempt. (2) The whole Healthcare CA chain (`npm run dry-run`: fifteen ceremonies,
// among them token initialisation, a PIN rotation and a key destruction) leaves no share,
// secret or PIN in any file it wrote — journals, state.json, outputs, reports — nor in what
// it printed, nor in what `journal verify` and `report` print afterwards; (3) nor does any
// state.json a run saves on its way. The crash, fault and bad-input tests run the canary
// over their own runs too.
import t from 'tap';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32 } from '@scure/base';
import { keyceremony } from '../helpers/cli.js';
import { newCase, prepareChain } from '../helpers/chain.js';
import { runWithFaults } from '../helpers/faults.js';
import { assertNoSecretsLeaked, buildCanary, scanForSecrets } from '../helpers/canary.js';
import { run } from '../helpers/softhsm.js';
import { BIN } from '../helpers/cli.js';
import { productionProfile, productionStart } from '../helpers/production.js';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

// EC P-384 keys: RSA-4096 is not what these cases are about (see helpers/chain.ts).
const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
const canary = buildCanary(Object.values(chain.workdirs));

t.test('the canary finds every encoding it knows, wherever it is put', async (t) => {
  t.equal(canary.shares, 20, 'root SO and user, HCA SO and user: 4 sets of 5 shares');
  t.equal(canary.secrets, 4, 'each set combined, and checked against its manifest');
  t.equal(canary.pins, 4, 'one PIN per credential');
  const clean = await keyceremony(['journal', 'verify', chain.workdirs['hca-token-init']!]);
  t.same(scanForSecrets(canary, { roots: Object.values(chain.workdirs), streams: { verify: clean.stdout } }), [], 'the runs themselves are clean');

  // One of each kind, planted in a copy of a workdir.
  const share = canary.needles.find((n) => n.what.endsWith('as issued'))!.text;
  const secretHex = canary.needles.find((n) => n.what.endsWith(' hex') && n.what.startsWith('secret'))!.text;
  const secret = Buffer.from(secretHex, 'hex');
  const pin = canary.pinOf('hca-user-pin')!;
  const planted: Record<string, string | Buffer> = {
    'share as issued': `note: ${share}\n`,
    'share without dashes, lower case': share.replace(/-/g, '').toLowerCase(),
    'share payload hex': canary.needles.find((n) => n.what.endsWith('payload hex'))!.text.toUpperCase(),
    'secrets.js share string': JSON.stringify({ s: canary.needles.find((n) => n.what.endsWith('secrets.js share string'))!.text }),
    'secret hex, upper case': secretHex.toUpperCase(),
    'secret base64': secret.toString('base64'),
    'secret base32': base32.encode(secret),
    'secret raw bytes': Buffer.concat([Buffer.from([0, 1, 2]), secret, Buffer.from([3])]),
    'PIN text': `pin=${pin.toString('utf8')}`,
    'PIN base64': pin.toString('base64'),
  };
  const dir = mkdtempSync(join(tmpdir(), 'kc-canary-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [what, content] of Object.entries(planted)) {
    const copy = join(dir, what.replace(/\W+/g, '-'));
    cpSync(chain.workdirs['hca-token-init']!, copy, { recursive: true });
    writeFileSync(join(copy, 'outputs', 'leak.txt'), content);
    const hits = scanForSecrets(canary, { roots: [copy] });
    t.ok(hits.length > 0 && hits.every((h) => h.where.endsWith('leak.txt')), `found: ${what}`);
    if (typeof content === 'string') t.ok(scanForSecrets(canary, { streams: { stderr: content } }).length > 0, `found in a stream: ${what}`);
  }
  // The dry-run share files are exempt only where a dryRun profile puts them.
  const copy = join(dir, 'moved-share-file');
  cpSync(chain.workdirs['hca-token-init']!, copy, { recursive: true });
  t.same(scanForSecrets(canary, { roots: [copy] }), [], 'dry-run-shares/ is skipped');
  mkdirSync(join(copy, 'outputs', 'copied'));
  copyFileSync(join(copy, 'dry-run-shares', 'hc1'), join(copy, 'outputs', 'copied', 'hc1'));
  t.ok(scanForSecrets(canary, { roots: [copy] }).length > 0, 'a share file anywhere else is a leak');
});

t.test('every state.json a run saves on its way holds no secret', async (t) => {
  const c = newCase(chain, 'snapshots', 'hca-g3-keygen');
  const snapshots = join(c.dir, 'snapshots');
  // No fault: the child only keeps a copy of each state.json as it is saved.
  const result = await runWithFaults(c.runArgs, { snapshots }, { env: c.store.env });
  t.equal(result.code, 0, `the key generation completes ${result.stderr}`);
  const saved = readdirSync(snapshots);
  t.ok(saved.length >= 9, `${saved.length} snapshots saved, one per stable state (unlock with its shares entered, key made, …)`);
  assertNoSecretsLeaked(t, canary, { roots: [c.workdir, snapshots], streams: { stdout: result.stdout, stderr: result.stderr } }, 'the run and its snapshots');
});

t.test('the whole dry-run chain leaves no secret behind', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'kc-canary-chain-')), 'out');
  t.teardown(() => rmSync(join(out, '..'), { recursive: true, force: true }));
  // `npm run dry-run`, run once per test run and shared with test/e2e/dry-run-chain.test.ts.
  const { result } = await dryRunOutput(out);
  t.equal(result.code, 0, `npm run dry-run passes ${result.stderr}`);
  const workdirs = readdirSync(out, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'softhsm')
    .map((e) => join(out, e.name));
  t.equal(workdirs.length, 15, 'fifteen ceremony workdirs');
  const chainCanary = buildCanary(workdirs);
  // Root SO and user PINs, HCA SO and user PINs, the HCA user PIN after its rotation, the
  // key-encryption key of the HCA G3 backup (issue 18), and the DR token's SO and user PINs.
  t.equal(chainCanary.secrets, 8, 'eight share sets rebuilt, the rotated one and the KEK included');
  const streams: Record<string, string> = { 'dry-run stdout': result.stdout, 'dry-run stderr': result.stderr };
  for (const workdir of workdirs) {
    // In this process (helpers/in-process.ts): 18 node start-ups saved, the same output.
    const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
    const report = await keyceremonyInProcess(['report', workdir, '--format', 'html']);
    Object.assign(streams, { [`verify ${workdir}`]: verify.stdout + verify.stderr, [`report ${workdir}`]: report.stdout + report.stderr });
  }
  // Everything under the output folder except the token store (the HSM's, not ours) and
  // the dry-run-shares/ folders.
  const roots = readdirSync(out)
    .filter((name) => name !== 'softhsm')
    .map((name) => join(out, name));
  assertNoSecretsLeaked(t, chainCanary, { roots, streams }, 'the fifteen ceremonies');
});

t.test('core dumps on: a dry run warns and leaks nothing, a production start is refused', async (t) => {
  const c = newCase(chain, 'core-dumps-on', 'hca-g3-keygen');
  const dry = await run('sh', ['-c', 'ulimit -c unlimited && exec "$0" "$@"', process.execPath, BIN, ...c.runArgs], { env: c.store.env });
  t.equal(dry.code, 0, `the dry run completes ${dry.stderr}`);
  t.match(
    dry.stdout,
    'keyceremony: warning: core dumps are on (ulimit -c is unlimited): a crash of this dry run would write its PINs and shares to disk; run `ulimit -c 0`',
  );
  assertNoSecretsLeaked(t, canary, { roots: [c.workdir], streams: { stdout: dry.stdout, stderr: dry.stderr } }, 'the dry run with core dumps on');

  const production = newCase(chain, 'core-dumps-on-production', 'hca-g3-keygen');
  const refused = await productionStart(production, productionProfile(production), 'unlimited');
  t.equal(refused.code, 2, 'exit 2');
  t.match(
    refused.stderr,
    "keyceremony: error: core dumps are on (ulimit -c is unlimited): a crash would write the PINs and shares in this process's memory to disk",
  );
  t.match(refused.stderr, 'keyceremony: hint: run `ulimit -c 0` in this shell first');
  t.notOk(existsSync(production.workdir), 'refused before a workdir exists');
  const started = await productionStart(production, productionProfile(production), '0');
  t.equal(started.code, 3, `with core dumps off it starts (and is stopped at the terminal) ${started.stderr}`);
});
