// The CA ledger (issue 17 item 5): its hash chain, its key binding, serials never issued
// twice, CRL numbers one up, and no revocation of a serial it does not know. Each refusal
// is exit 2 and names the file and the entry.
import { execFileSync } from 'node:child_process';
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { InputError } from '../../src/errors.js';
import { canonicalJson } from '../../src/journal/canonical-json.js';
import {
  appendEntry,
  checkLedgerKey,
  checkNewSerial,
  checkRevocable,
  crlRevocationsFor,
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

// Issue 17 (attack review): cumulative CRLs, serials listed once, serial bounds, normal form.
const T1 = '2026-12-05T10:00:00.000Z';
const T2 = '2026-12-06T10:00:00.000Z';

t.test('a CRL carries every earlier revocation forward with its first date and reason; a serial revoked again is refused', async (t) => {
  const l = sample();
  const first = crlRevocationsFor(l, [{ serial: '00AB12', reason: 'keyCompromise' }], 'root.ledger', 'step crl-2', T1);
  t.same(first, { carried: [], added: [{ serial: 'ab12', reason: 'keyCompromise', date: T1 }] }, 'normalised before the builder and the ledger');
  const two = appendEntry(l, { entry: 'crl', crlNumber: '2', revoked: ['ab12'], revocations: first.added, crlSha256: 'e'.repeat(64), ...at });
  const read = parseLedger(ledgerBytes(two), 'root.ledger');
  const next = crlRevocationsFor(read, [{ serial: '7F', reason: 'superseded' }], 'root.ledger', 'step crl-3', T2);
  t.same(next.carried, [{ serial: 'ab12', reason: 'keyCompromise', date: T1 }], 'the first date and reason, not this CRL’s thisUpdate');
  t.same(next.added, [{ serial: '7f', reason: 'superseded', date: T2 }]);
  refused(
    t,
    () => crlRevocationsFor(read, [{ serial: 'AB12', reason: 'superseded' }], 'root.ledger', 'step crl-3', T2),
    'ledger.revoked-again',
    /step crl-3: revoked\[0\] \(AB12\) was already revoked on 2026-12-05T10:00:00.000Z \(keyCompromise\) by CRL number 2, ledger root.ledger entry 5/,
  );
  // A ledger whose next CRL dropped a revoked serial (a CRL that "un-revokes") is refused.
  const dropped = appendEntry(two, { entry: 'crl', crlNumber: '3', revoked: [], revocations: [], crlSha256: 'f'.repeat(64), ...at });
  refused(
    t,
    () => parseLedger(ledgerBytes(dropped), 'root.ledger'),
    'ledger.not-cumulative',
    /entry 6: no longer lists serial ab12, which an earlier CRL revoked/,
  );
  const again = appendEntry(two, {
    entry: 'crl',
    crlNumber: '3',
    revoked: ['ab12'],
    revocations: [{ serial: 'ab12', reason: 'superseded', date: T2 }],
    crlSha256: 'f'.repeat(64),
    ...at,
  });
  refused(
    t,
    () => parseLedger(ledgerBytes(again), 'root.ledger'),
    'ledger.revoked-again',
    /entry 6: revokes serial ab12 again, which entry 5 \(CRL number 2\) revoked/,
  );
  // An entry written before CRLs were cumulative (no revocations) stays readable; its serials carry forward.
  const old = appendEntry(l, { entry: 'crl', crlNumber: '2', revoked: ['7f'], crlSha256: 'e'.repeat(64), ...at });
  const oldRead = parseLedger(ledgerBytes(old), 'old.ledger');
  t.same(
    crlRevocationsFor(oldRead, [], 'old.ledger', 'step crl-3', T2).carried,
    [{ serial: '7f', reason: 'unspecified', date: at.time }],
    'an old entry’s serials carry forward',
  );
});

t.test('a serial revoked twice in one CRL (00AB and ab) is refused naming both', async (t) => {
  refused(
    t,
    () =>
      crlRevocationsFor(
        sample(),
        [
          { serial: '00AB12', reason: 'superseded' },
          { serial: 'ab12', reason: 'keyCompromise' },
        ],
        'root.ledger',
        'step crl-2',
        T1,
      ),
    'ledger.revoked-twice',
    /step crl-2: revoked\[0\] \(00AB12\) and revoked\[1\] \(ab12\) are the same serial ab12/,
  );
  const twice = appendEntry(sample(), { entry: 'crl', crlNumber: '2', revoked: ['7f', '7f'], crlSha256: 'e'.repeat(64), ...at });
  refused(t, () => parseLedger(ledgerBytes(twice), 'root.ledger'), 'ledger.revoked-twice', /entry 5: lists serial 7f twice/);
});

t.test('serial 0 and serials over 20 octets are refused in a serial list and in a ledger; unnormalised ledger serials too', async (t) => {
  refused(
    t,
    () => parseSerialList(Buffer.from('ab12\n0000\n'), 'g2-serials.txt'),
    'ledger.serial-list',
    /serial list g2-serials.txt, line 2: serial 0000 is zero/,
  );
  const long = `80${'00'.repeat(19)}`; // 20 bytes, but the DER INTEGER needs a zero byte: 21 octets
  refused(
    t,
    () => parseSerialList(Buffer.from(`ab12\n${long}\n`), 'g2-serials.txt'),
    'ledger.serial-list',
    /line 2: serial 80+ is 21 octets long.*at most 20 octets/,
  );
  t.same(parseSerialList(Buffer.from(`7f${'ff'.repeat(19)}\n`), 'ok.txt'), [`7f${'ff'.repeat(19)}`], '20 octets pass');
  const line = (l: Ledger, i: number, edit: (o: Record<string, unknown>) => void): Buffer => {
    // Rewrite entry i and re-chain the rest, as a forger with the whole file would.
    let out = openLedger(l.header);
    for (const [k, e] of l.entries.entries()) {
      const { seq: _s, prev: _p, ...rest } = e as unknown as Record<string, unknown>;
      if (k + 1 === i) edit(rest);
      const full = { ...rest, seq: out.lines.length, prev: createHash('sha256').update(out.lines.at(-1)!).digest('hex') };
      out = { ...out, lines: [...out.lines, canonicalJson(full)] };
    }
    return ledgerBytes(out);
  };
  refused(
    t,
    () =>
      parseLedger(
        line(sample(), 1, (e) => (e.serial = '00ab12')),
        'r.ledger',
      ),
    'ledger.serial',
    /ledger r.ledger, entry 2: has no valid serial: serial 00ab12 is not normalised \(lower-case hex without leading zeros: ab12\)/,
  );
  refused(
    t,
    () =>
      parseLedger(
        line(sample(), 1, (e) => (e.serial = '0')),
        'r.ledger',
      ),
    'ledger.serial',
    /entry 2: has no valid serial: serial 0 is zero/,
  );
  refused(
    t,
    () =>
      parseLedger(
        line(sample(), 3, (e) => (e.revoked = ['07f'])),
        'r.ledger',
      ),
    'ledger.serial',
    /entry 4: revokes no valid serial: serial 07f is not normalised/,
  );
});
