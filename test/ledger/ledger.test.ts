// The CA ledger (issue 17 item 5): its hash chain, its key binding, serials never issued
// twice, CRL numbers one up, and no revocation of a serial it does not know. Each refusal
// is exit 2 and names the file and the entry.
import { execFileSync } from 'node:child_process';
import t, { type Test } from 'tap';
import { InputError } from '../../src/errors.js';
import { appendEntry, checkLedgerKey, checkNewSerial, checkRevocable, ledgerBytes, nextCrlNumber, openLedger, parseLedger, type Ledger } from '../../src/ledger/ledger.js';

const KEY = 'a'.repeat(64);
const at = { ceremony: 'grca-issue-hca-g3', step: 'issue', time: '2026-12-05T10:00:00Z' };

function sample(): Ledger {
  let l = openLedger({ spkiSha256: KEY, issuer: 'CN=Root', opened: { ...at, ceremony: 'dryrun-root-init', step: 'self-sign' } });
  l = appendEntry(l, { entry: 'certificate', serial: '00AB12', subject: 'CN=Root', certificateSha256: 'b'.repeat(64), ...at });
  l = appendEntry(l, { entry: 'certificate', serial: '7f', subject: 'CN=HCA G3', certificateSha256: 'c'.repeat(64), ...at });
  l = appendEntry(l, { entry: 'crl', crlNumber: '1', revoked: [], crlSha256: 'd'.repeat(64), ...at });
  return l;
}

function refused(t: Test, fn: () => unknown, code: string, pattern: RegExp): void {
  try {
    fn();
    t.fail(`${code}: not refused`);
  } catch (e) {
    t.ok(e instanceof InputError && e.exitCode === 2, `${code}: exit 2`);
    t.equal((e as InputError).code, code);
    t.match((e as Error).message, pattern);
  }
}

t.test('a ledger written and read back verifies, keeps its lines and counts CRL numbers up by one', async (t) => {
  const bytes = ledgerBytes(sample());
  const read = parseLedger(bytes, 'root.ledger');
  t.equal(read.entries.length, 3);
  t.equal(read.entries[0]!.entry === 'certificate' && read.entries[0]!.serial, 'ab12', 'serials kept as lower-case hex without leading zeros');
  t.equal(nextCrlNumber(read), 2n);
  t.equal(nextCrlNumber(openLedger({ spkiSha256: KEY, issuer: 'CN=X', opened: at })), 1n, 'a key’s first CRL is number 1');
  const longer = appendEntry(read, { entry: 'crl', crlNumber: nextCrlNumber(read).toString(), revoked: ['7F'], crlSha256: 'e'.repeat(64), ...at });
  t.ok(ledgerBytes(longer).subarray(0, bytes.length).equals(bytes), 'appending keeps every earlier byte');
  t.equal(parseLedger(ledgerBytes(longer), 'x').entries.length, 4);
});

t.test('the chain checks without keyceremony: each prev is sha256sum of the line before it', async (t) => {
  const lines = ledgerBytes(sample()).toString().trimEnd().split('\n');
  for (let i = 1; i < lines.length; i++) {
    const digest = execFileSync('sha256sum', { input: lines[i - 1] }).toString().split(' ')[0];
    t.equal((JSON.parse(lines[i]!) as { prev: string }).prev, digest, `entry ${i + 1}`);
  }
});

t.test('attack: an entry changed, removed, reordered or cut off is refused, naming file and entry', async (t) => {
  const lines = ledgerBytes(sample()).toString().trimEnd().split('\n');
  const join = (ls: string[]) => Buffer.from(ls.map((l) => `${l}\n`).join(''));
  // An issued serial erased from the record, rehashing nothing: the next entry no longer chains.
  const changed = [...lines];
  changed[1] = changed[1]!.replace('ab12', 'ab13');
  refused(t, () => parseLedger(join(changed), 'root.ledger'), 'ledger.chain', /^ledger root\.ledger, entry 3: does not carry the SHA-256 of entry 2/);
  refused(t, () => parseLedger(join([lines[0]!, lines[2]!, lines[3]!]), 'root.ledger'), 'ledger.sequence', /entry 2: has seq 2, expected 1/);
  refused(t, () => parseLedger(join([lines[0]!, lines[2]!, lines[1]!, lines[3]!]), 'root.ledger'), 'ledger.sequence', /entry 2/);
  refused(t, () => parseLedger(Buffer.from(join(lines).toString().slice(0, -10)), 'root.ledger'), 'ledger.truncated', /cut off/);
  refused(t, () => parseLedger(join([lines[0]!.replace('{', '{ ')]), 'root.ledger'), 'ledger.not-canonical', /entry 1: .*edited/);
  refused(t, () => parseLedger(join(['[]']), 'root.ledger'), 'ledger.json', /entry 1: is not a JSON object/);
  refused(t, () => parseLedger(join(['{"format":"other","seq":0}']), 'root.ledger'), 'ledger.header', /entry 1/);
});

t.test('attack: a ledger rehashed by hand that breaks its own rules is still refused', async (t) => {
  let l = sample();
  l = appendEntry(l, { entry: 'certificate', serial: 'ab12', subject: 'CN=Impostor', certificateSha256: 'f'.repeat(64), ...at });
  refused(t, () => parseLedger(ledgerBytes(l), 'r.ledger'), 'ledger.serial-twice', /entry 5: serial ab12 was issued twice/);
  let skip = sample();
  skip = appendEntry(skip, { entry: 'crl', crlNumber: '3', revoked: [], crlSha256: 'f'.repeat(64), ...at });
  refused(t, () => parseLedger(ledgerBytes(skip), 'r.ledger'), 'ledger.crl-number', /entry 5: CRL number 3 does not follow 1/);
  let unknown = sample();
  unknown = appendEntry(unknown, { entry: 'crl', crlNumber: '2', revoked: ['99'], crlSha256: 'f'.repeat(64), ...at });
  refused(t, () => parseLedger(ledgerBytes(unknown), 'r.ledger'), 'ledger.revoked-unknown', /entry 5: revokes serial 99/);
});

t.test('the ledger of another key is refused', async (t) => {
  const l = sample();
  t.doesNotThrow(() => checkLedgerKey(l, KEY, 'root.ledger'));
  refused(t, () => checkLedgerKey(l, 'b'.repeat(64), 'root.ledger'), 'ledger.other-key', /^ledger root\.ledger, entry 1: belongs to the key with SPKI SHA-256 a{64}, not to the signing key/);
});

t.test('a serial already issued is refused, naming the entry that issued it', async (t) => {
  const l = sample();
  t.doesNotThrow(() => checkNewSerial(l, '0100', 'root.ledger'));
  refused(t, () => checkNewSerial(l, '00ab12', 'root.ledger'), 'ledger.serial-reused', /^ledger root\.ledger, entry 2: serial ab12 was already issued \(to CN=Root\)/);
});

t.test('revoking a serial the ledger does not know is refused, naming the step and the file', async (t) => {
  const l = sample();
  t.doesNotThrow(() => checkRevocable(l, ['7F', 'AB12'], 'root.ledger', 'step crl'));
  refused(t, () => checkRevocable(l, ['7f', '1234'], 'root.ledger', 'step crl'), 'ledger.revoked-unknown', /^step crl: revokes serial 1234, which ledger root\.ledger does not know/);
});
