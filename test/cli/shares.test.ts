// `keyceremony shares check --manifest <file>`: a custodian checks their share. The built
// CLI is run as a child process (stdin is not a terminal: the share is read from it), and
// the hidden terminal prompt is driven in-process with a fake TTY.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { command } from '../../src/cli/commands/shares.js';
import type { CliIo } from '../../src/cli/io.js';
import { encodeEnvelope } from '../../src/quorum/envelope.js';
import { serializeManifest } from '../../src/quorum/manifest.js';
import { formatForPaper } from '../../src/quorum/share-text.js';
import { newSecret, split } from '../../src/quorum/split.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { caught } from '../helpers/errors.js';
import { forbiddenStrings } from '../quorum/helpers/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'kc-shares-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const secret = newSecret();
const secretCopy = Buffer.from(secret.toString('hex'), 'hex');
const set = split(secret, { threshold: 2, of: 3, custodians: ['chen', 'lin', 'wang'], label: 'hca-user-pin' });
const other = split(newSecret(), { threshold: 2, of: 3, custodians: ['chen', 'lin', 'wang'], label: 'hca-user-pin' });
const manifestFile = join(dir, 'hca-user-pin.json');
writeFileSync(manifestFile, serializeManifest(set.manifest));
const text = (i: number) => set.shares[i - 1]!.text;
const forbidden = forbiddenStrings({ shares: [...set.shares, ...other.shares].map((s) => s.text), buffers: [secretCopy] });

function assertSilentAboutShares(t: { ok(value: unknown, message: string): unknown }, output: string) {
  t.ok(!forbidden.some((s) => output.includes(s)), 'the output shows no share and no secret');
}

t.test('a good share: exit 0, its index and custodian, and the commitment matches', async (t) => {
  // The real executable with the share on a real stdin pipe; the other commands here run in-process (helpers/in-process.ts).
  const result = await keyceremony(['shares', 'check', '--manifest', manifestFile], { input: `${text(2)}\n` });
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, '');
  t.match(result.stdout, `manifest    ${manifestFile}`);
  t.match(result.stdout, `set ${set.manifest.setId} ("hca-user-pin"), 2 of 3 shares`);
  t.match(result.stdout, /SHA-256 ([0-9A-F]{4} ){15}[0-9A-F]{4}\n/);
  t.match(result.stdout, 'share       well formed: every group and the checksum match');
  t.match(result.stdout, `index       2 of set ${set.manifest.setId}, custodian lin`);
  t.match(result.stdout, `commitment  matches share 2 of set ${set.manifest.setId} ("hca-user-pin")`);
  assertSilentAboutShares(t, result.stdout + result.stderr);
});

t.test('the share may be typed as on paper: several lines, spaces, lower case', async (t) => {
  const result = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile], { input: `${formatForPaper(text(3)).toLowerCase()}\n` });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, 'custodian wang');
});

t.test('a share from another set: exit 1, named as such', async (t) => {
  const result = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile], { input: other.shares[0]!.text });
  t.equal(result.code, 1);
  t.match(result.stdout, 'share       well formed');
  t.match(result.stdout, `index       1 of set ${other.manifest.setId}\n`);
  t.match(result.stdout, `set         NOT set ${set.manifest.setId}`);
  t.equal(
    result.stderr,
    `keyceremony: error: share 1 is from share set ${other.manifest.setId}, not from set ${set.manifest.setId} ("hca-user-pin")\n` +
      `keyceremony: hint: it belongs to another credential or to an older, rotated set; use the share issued for set ${set.manifest.setId}\n`,
  );
  assertSilentAboutShares(t, result.stdout + result.stderr);
});

t.test('a corrupted group: exit 1, the group is named', async (t) => {
  const plain = text(1).replace(/-/g, '');
  const corrupted = plain.slice(0, 61) + (plain[61] === 'Q' ? 'R' : 'Q') + plain.slice(62);
  const result = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile], { input: corrupted });
  t.equal(result.code, 1);
  t.match(result.stdout, 'share       NOT well formed');
  t.notMatch(result.stdout, 'index');
  t.match(result.stderr, 'keyceremony: error: the share has a mistake in group 13\n');
  t.match(result.stderr, 'keyceremony: hint: read the share again from the paper');
  assertSilentAboutShares(t, result.stdout + result.stderr);
});

t.test('a well-formed share of this set that is not the committed one: exit 1', async (t) => {
  const payload = randomBytes(34);
  payload[0] = 3;
  const forged = encodeEnvelope({ setId: set.manifest.setId, threshold: 2, index: 3, payload });
  const result = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile], { input: forged });
  t.equal(result.code, 1);
  t.match(result.stdout, 'index       3 of set');
  t.match(result.stdout, 'custodian wang');
  t.match(result.stdout, 'commitment  DOES NOT MATCH');
  t.match(
    result.stderr,
    `keyceremony: error: share 3 (wang) does not match the manifest's commitment for share 3 of set ${set.manifest.setId} ("hca-user-pin")`,
  );

  payload[0] = 4;
  const beyond = encodeEnvelope({ setId: set.manifest.setId, threshold: 2, index: 4, payload });
  const extra = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile], { input: beyond });
  t.equal(extra.code, 1);
  t.match(extra.stdout, `index       NOT IN set ${set.manifest.setId}`);
  t.match(extra.stderr, `keyceremony: error: share 4 is not in set ${set.manifest.setId} ("hca-user-pin"), which has shares 1 to 3`);
});

t.test('usage problems exit 2', async (t) => {
  const missing = await keyceremonyInProcess(['shares', 'check', '--manifest', join(dir, 'nope.json')], { input: text(1) });
  t.equal(missing.code, 2);
  t.equal(missing.stderr, `keyceremony: error: cannot read share-set manifest ${join(dir, 'nope.json')}: ENOENT\nkeyceremony: hint: check the path\n`);
  const badFile = join(dir, 'bad.json');
  writeFileSync(badFile, JSON.stringify({ ...set.manifest, threshold: 7 }));
  const bad = await keyceremonyInProcess(['shares', 'check', '--manifest', badFile], { input: text(1) });
  t.equal(bad.code, 2);
  t.match(bad.stderr, `keyceremony: error: ${badFile}: threshold must not be more than count (3)`);
  const noInput = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile]);
  t.equal(noInput.code, 2);
  t.match(noInput.stderr, 'keyceremony: error: shares check: no share was given');
  const noManifest = await keyceremonyInProcess(['shares', 'check'], { input: text(1) });
  t.equal(noManifest.code, 2);
  t.match(noManifest.stderr, 'keyceremony: error: shares check: --manifest is required');
  const stray = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile, text(1)]);
  t.equal(stray.code, 2, 'a share on the command line is refused (argv is visible to every user)');
  t.notMatch(stray.stderr, text(1).slice(20, 40));
  const unknown = await keyceremonyInProcess(['shares', 'list']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, 'shares: unknown subcommand "list"');
  const help = await keyceremonyInProcess(['shares', 'check', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, 'usage: keyceremony shares check --manifest <manifest.json>');
});

/** A CliIo whose stdin pretends to be a terminal. */
function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
  const tty = Object.assign(stdin, { setRawMode: (mode: boolean) => stdin.rawModes.push(mode) });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const io: CliIo = { stdin: tty, stdout, stderr, env: {} };
  return { io, stdin: tty, output: () => ({ out, err }) };
}

t.test('on a terminal the share is read at a prompt that echoes nothing', async (t) => {
  const term = fakeTerminal();
  const running = command(['check', '--manifest', manifestFile], term.io);
  const share = text(1).toLowerCase();
  // Typed in bursts, with a mistake corrected by backspace and a stray arrow key.
  term.stdin.write(share.slice(0, 30));
  term.stdin.write('x\x7f');
  term.stdin.write('\x1b[A');
  term.stdin.write(share.slice(30));
  term.stdin.write('\r');
  const code = await running;
  const { out, err } = term.output();
  t.equal(code, 0, err);
  t.match(out, 'custodian chen');
  t.match(out, 'commitment  matches share 1');
  t.match(err, `share of set ${set.manifest.setId} ("hca-user-pin") (not shown as you type): `);
  t.same(term.stdin.rawModes, [true, false], 'raw mode (no echo) on for the prompt, off after');
  assertSilentAboutShares(t, out + err);
  t.notMatch(err, /[0-9a-z]{5}-/, 'not even part of the share was echoed');
});

t.test('Ctrl-C at the prompt cancels (exit 2) and restores the terminal', async (t) => {
  const term = fakeTerminal();
  const running = command(['check', '--manifest', manifestFile], term.io);
  term.stdin.write(text(2).slice(0, 12));
  term.stdin.write('\x03');
  const error = await caught(() => running);
  t.equal(error.exitCode, 2);
  t.equal(error.message, 'shares check: cancelled at the prompt, no share was checked');
  t.same(term.stdin.rawModes, [true, false]);
});

t.test('an empty answer at the prompt is "no share" (exit 2)', async (t) => {
  const term = fakeTerminal();
  const running = command(['check', '--manifest', manifestFile], term.io);
  term.stdin.write('\r');
  const error = await caught(() => running);
  t.equal(error.exitCode, 2);
  t.equal(error.message, 'shares check: no share was given');
});

t.test('a terminal whose echo cannot be turned off is refused before anything is typed', async (t) => {
  const term = fakeTerminal();
  const noRaw = Object.assign(new PassThrough(), { isTTY: true });
  const error = await caught(() => command(['check', '--manifest', manifestFile], { ...term.io, stdin: noRaw }));
  t.equal(error.exitCode, 2);
  t.equal(error.message, 'shares check: cannot turn off echo on this terminal');
  t.notMatch(term.output().err, 'not shown as you type', 'no prompt was shown');
});
