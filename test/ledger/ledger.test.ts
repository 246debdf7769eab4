// The CA ledger (issue 17 item 5): its hash chain, its key binding, serials never issued
// twice, CRL numbers one up, and no revocation of a serial it does not know. Each refusal
// is exit 2 and names the file and the entry.
import { execFileSync } from 'node:child_process';
import t, { type Test } from 'tap';
import { InputError } from '../../src/errors.js';
import {
  appendEntry,
  checkLedgerKey,
  checkNewSerial,
  checkRevocable,
  ledgerBytes,
  nextCrlNumber,
  openLedger,
  parseLedger,
  parseSerialList,
  type Ledger,
} from '../../src/ledger/ledger.js';

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
    const digest = execFileSync('sha256sum', { input: lines[i - 1] })
      .toString()
      .split(' ')[0];
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
  refused(
    t,
    () => checkLedgerKey(l, 'b'.repeat(64), 'root.ledger'),
    'ledger.other-key',
    /^ledger root\.ledger, entry 1: belongs to the key with SPKI SHA-256 a{64}, not to the signing key/,
  );
});

t.test('a serial already issued is refused, naming the entry that issued it', async (t) => {
  const l = sample();
  t.doesNotThrow(() => checkNewSerial(l, '0100', 'root.ledger'));
  refused(
    t,
    () => checkNewSerial(l, '00ab12', 'root.ledger'),
    'ledger.serial-reused',
    /^ledger root\.ledger, entry 2: serial ab12 was already issued \(to CN=Root\)/,
  );
});

t.test('revoking a serial the ledger does not know is refused, naming the step and the file', async (t) => {
  const l = sample();
  t.doesNotThrow(() => checkRevocable(l, ['7F', 'AB12'], 'root.ledger', 'step crl'));
  refused(
    t,
    () => checkRevocable(l, ['7f', '1234'], 'root.ledger', 'step crl'),
    'ledger.revoked-unknown',
    /^step crl: revokes serial 1234, which ledger root\.ledger does not know/,
  );
});

// A key that signed before keyceremony (the HCA G2 key): its ledger opens from the declared
// history, and the rules go on from it.
t.test('a ledger opened from a key history numbers CRLs after it and knows its serials', async (t) => {
  const serials = parseSerialList(Buffer.from('00AB12\r\n7f\n0C0FFEE\n'), 'g2-serials.txt');
  t.same(serials, ['ab12', '7f', 'c0ffee'], 'normalised: lower case, no leading zeros; CRLF accepted');
  const opened = openLedger({
    spkiSha256: KEY,
    issuer: 'CN=HCA G2',
    opened: at,
    history: { lastCrlNumber: '41', issuedSerials: serials, issuedSerialsSha256: 'f'.repeat(64) },
  });
  t.equal(nextCrlNumber(opened), 42n, 'the first CRL is the declared last + 1');
  checkRevocable(opened, ['00C0FFEE'], 'g2.ledger', 'step crl');
  refused(
    t,
    () => checkRevocable(opened, ['dead01'], 'g2.ledger', 'step crl'),
    'ledger.revoked-unknown',
    /revokes serial dead01, which ledger g2\.ledger does not know \(its 0 entries nor its history's 3 serials/,
  );
  refused(t, () => checkNewSerial(opened, '7F', 'g2.ledger'), 'ledger.serial-reused', /entry 1: serial 7f was already issued before the ledger/);
  const next = appendEntry(opened, { entry: 'crl', crlNumber: '42', revoked: ['ab12'], crlSha256: 'e'.repeat(64), ...at });
  const read = parseLedger(ledgerBytes(next), 'g2.ledger');
  t.same(read.header.history?.issuedSerials, serials, 'the history is read back from the header');
  t.equal(nextCrlNumber(read), 43n);
  const header = JSON.parse(ledgerBytes(next).toString().split('\n')[0]!) as { history: { lastCrlNumber: string } };
  t.equal(header.history.lastCrlNumber, '41');
  // The rules hold against the history: a CRL numbered from 1 again, or a listed serial signed here.
  const restarted = appendEntry(opened, { entry: 'crl', crlNumber: '1', revoked: [], crlSha256: 'e'.repeat(64), ...at });
  refused(t, () => parseLedger(ledgerBytes(restarted), 'g2.ledger'), 'ledger.crl-number', /entry 2: CRL number 1 does not follow 41/);
  const reused = appendEntry(opened, { entry: 'certificate', serial: 'c0ffee', subject: 'CN=X', certificateSha256: 'b'.repeat(64), ...at });
  refused(t, () => parseLedger(ledgerBytes(reused), 'g2.ledger'), 'ledger.serial-twice', /entry 2: serial c0ffee was issued twice/);
  const badHistory = Buffer.from(ledgerBytes(opened).toString().replace('"lastCrlNumber":"41"', '"lastCrlNumber":"041"'));
  refused(t, () => parseLedger(badHistory, 'g2.ledger'), 'ledger.header', /entry 1: has a history that is not/);
});

t.test('a serial list with a line that is not a serial, a blank line or a serial twice is refused naming file and line', async (t) => {
  refused(
    t,
    () => parseSerialList(Buffer.from('ab12\n7G\n'), 'g2-serials.txt'),
    'ledger.serial-list',
    /^serial list g2-serials\.txt, line 2: "7G" is not a hexadecimal serial/,
  );
  refused(t, () => parseSerialList(Buffer.from('ab12\n\n7f\n'), 'g2-serials.txt'), 'ledger.serial-list', /line 2: is blank/);
  refused(
    t,
    () => parseSerialList(Buffer.from('ab12\n7f\n00AB12\n'), 'g2-serials.txt'),
    'ledger.serial-list',
    /line 3: serial ab12 is listed twice \(line 1 too\)/,
  );
  refused(t, () => parseSerialList(Buffer.from(''), 'g2-serials.txt'), 'ledger.serial-list', /line 1: is blank/);
});
