// attack17 (review of issue 17 item 5): the pure ledger and anchor rules, attacked directly.
import t from 'tap';
import { createHash } from 'node:crypto';
import {
  appendEntry,
  checkNewSerial,
  crlRevocationsFor,
  ledgerBytes,
  nextCrlNumber,
  normalSerial,
  openLedger,
  parseLedger,
  parseSerialList,
  revokedSerials,
  serialProblem,
} from '../../src/ledger/ledger.js';
import { anchorOf, checkAnchor, currentAnchor } from '../../src/ledger/anchor.js';

const spki = 'a'.repeat(64);
const at = { ceremony: 'c', step: 's', time: '2026-01-01T00:00:00.000Z' };
const base = () => {
  let l = openLedger({ spkiSha256: spki, issuer: 'CN=x', opened: at });
  l = appendEntry(l, { entry: 'certificate', serial: '0A1B', subject: 'CN=a', certificateSha256: 'b'.repeat(64), ...at });
  l = appendEntry(l, {
    entry: 'crl',
    crlNumber: '1',
    revoked: ['a1b'],
    revocations: [{ serial: 'a1b', reason: 'keyCompromise', date: at.time }],
    crlSha256: 'c'.repeat(64),
    ...at,
  });
  return l;
};

t.test('a legacy-shaped crl entry after a cumulative one is refused: it could drop a revoked serial from the record', async (t) => {
  const l = base();
  // CRL 2 written without `revocations` (the pre-cumulative shape) and without serial a1b.
  const unrevoked = appendEntry(l, { entry: 'crl', crlNumber: '2', revoked: [], crlSha256: 'd'.repeat(64), ...at });
  t.throws(
    () => parseLedger(ledgerBytes(unrevoked), 'x.ledger'),
    {
      code: 'ledger.not-cumulative',
      message: /^ledger x\.ledger, entry 4: has no revocations, but entry 3 \(CRL number 1\) was written cumulative/,
    },
    'refused, naming the file, the line and the cumulative entry before it',
  );
  // Even listing a1b, the older shape is refused after a cumulative entry.
  const listed = appendEntry(l, { entry: 'crl', crlNumber: '2', revoked: ['a1b'], crlSha256: 'd'.repeat(64), ...at });
  t.throws(() => parseLedger(ledgerBytes(listed), 'x.ledger'), { code: 'ledger.not-cumulative' });
  // Older-shaped entries before any cumulative one stay readable (ledgers written before the rule).
  let legacy = openLedger({ spkiSha256: spki, issuer: 'CN=x', opened: at });
  legacy = appendEntry(legacy, { entry: 'certificate', serial: '0A1B', subject: 'CN=a', certificateSha256: 'b'.repeat(64), ...at });
  legacy = appendEntry(legacy, { entry: 'crl', crlNumber: '1', revoked: ['a1b'], crlSha256: 'c'.repeat(64), ...at });
  const parsed = parseLedger(ledgerBytes(legacy), 'old.ledger');
  t.same([...revokedSerials(parsed).keys()], ['a1b'], 'an older ledger still reads, a1b revoked');
  t.equal(nextCrlNumber(parsed), 2n);
});

t.test('a crash while the resumed step writes its anchor leaves several attempts of that step: they read as the newest, and the step runs again', async (t) => {
  const l0 = base();
  const l1 = appendEntry(l0, { entry: 'crl', crlNumber: '2', revoked: ['a1b'], revocations: [], crlSha256: 'e'.repeat(64), ...at });
  const l1again = appendEntry(l0, {
    entry: 'crl',
    crlNumber: '2',
    revoked: ['a1b'],
    revocations: [],
    crlSha256: 'f'.repeat(64),
    ...at,
    time: '2026-01-01T00:05:00.000Z',
  });
  const by = { ceremony: 'c', step: 'crl', journal: '1'.repeat(64) };
  const old = anchorOf(l0, undefined, { ceremony: 'b', step: 'crl', journal: '0'.repeat(64) });
  const first = anchorOf(l1, l0, by); // written before the first crash
  const second = anchorOf(l1again, l0, by); // written by the resumed run, crash before the first is destroyed
  const reader = { ...by, key: 'K', token: 'T' };
  for (const found of [
    [first, second],
    [old, first, second],
    [second, old, first],
  ]) {
    const current = currentAnchor(found, 'token');
    t.equal(current, found.includes(old) ? found.filter((a) => a !== old).at(-1) : found.at(-1), 'the newest attempt');
    t.equal(checkAnchor({ anchor: current, ledger: l0, opened: false, file: 'f', reader }), 'resumed', 'the same step of the same ceremony runs again');
  }
  // Attempts of another step, or of another ceremony, with the same previous head are not one step retried.
  const other = anchorOf(l1again, l0, { ...by, step: 'crl-other' });
  t.throws(() => currentAnchor([first, other], 'token'), { code: 'ledger.anchor-twice' });
  const elsewhere = anchorOf(l1again, l0, { ...by, journal: '2'.repeat(64) });
  t.throws(() => currentAnchor([old, first, elsewhere], 'token'), { code: 'ledger.anchor-twice' });
  // Two old anchors both continued: refused.
  const stale = anchorOf(l0, undefined, { ceremony: 'b2', step: 'crl', journal: '3'.repeat(64) });
  t.throws(() => currentAnchor([old, stale, first], 'token'), { code: 'ledger.anchor-twice' });
});

t.test('held: the resumed verdict only for the same journal, ceremony and step, and only from the anchored previous head', async (t) => {
  const l0 = base();
  const l1 = appendEntry(l0, { entry: 'crl', crlNumber: '2', revoked: ['a1b'], revocations: [], crlSha256: 'e'.repeat(64), ...at });
  const by = { ceremony: 'c', step: 'crl', journal: '1'.repeat(64) };
  const anchor = anchorOf(l1, l0, by);
  const reader = { ...by, key: 'K', token: 'T' };
  t.equal(checkAnchor({ anchor, ledger: l0, opened: false, file: 'f', reader }), 'resumed');
  t.throws(() => checkAnchor({ anchor, ledger: l0, opened: false, file: 'f', reader: { ...reader, journal: '2'.repeat(64) } }), {
    code: 'ledger.anchor-older',
  });
  t.throws(() => checkAnchor({ anchor, ledger: l0, opened: false, file: 'f', reader: { ...reader, step: 'other' } }), { code: 'ledger.anchor-older' });
  // A different ledger of the same length as the previous head (a fork of l0): not resumed.
  const fork = appendEntry(openLedger({ spkiSha256: spki, issuer: 'CN=x', opened: at }), {
    entry: 'certificate',
    serial: '77',
    subject: 'CN=b',
    certificateSha256: 'b'.repeat(64),
    ...at,
  });
  const fork2 = appendEntry(fork, { entry: 'certificate', serial: '78', subject: 'CN=b', certificateSha256: 'b'.repeat(64), ...at });
  t.throws(
    () => checkAnchor({ anchor, ledger: fork2, opened: false, file: 'f', reader }),
    { code: 'ledger.anchor-older' },
    'a shorter fork: refused (called an older copy)',
  );
  // Opened (a second ledger) while the anchor's previous is not null: refused, even for the same step.
  t.throws(() => checkAnchor({ anchor, ledger: openLedger({ spkiSha256: spki, issuer: 'x', opened: at }), opened: true, file: 'f', reader }), {
    code: 'ledger.anchor-second-ledger',
  });
  // Appended past the anchor: refused.
  const ahead = appendEntry(l1, { entry: 'crl', crlNumber: '3', revoked: ['a1b'], revocations: [], crlSha256: 'e'.repeat(64), ...at });
  t.throws(() => checkAnchor({ anchor, ledger: ahead, opened: false, file: 'f', reader: { ...reader, journal: '3'.repeat(64) } }), {
    code: 'ledger.anchor-ahead',
  });
});

t.test('held: normalisation (case, leading zeros, 20 octets, negative, zero)', async (t) => {
  const l = base();
  for (const s of ['a1b', 'A1B', '0a1b', '000A1B']) t.throws(() => checkNewSerial(l, s, 'f'), { code: 'ledger.serial-reused' }, `${s} is a1b`);
  for (const s of ['-1', '0x1f', ' a1b', 'a1b ', '', '٣']) t.throws(() => normalSerial(s), { code: 'ledger.serial' }, JSON.stringify(s));
  t.match(serialProblem('0'), /zero/);
  t.match(serialProblem('00'), /zero/);
  t.equal(serialProblem('7f'.padEnd(40, 'f')), undefined, '20 octets, high bit clear: allowed');
  t.match(serialProblem('80'.padEnd(40, '0')), /21 octets/, '20 bytes with the high bit set are 21 DER octets');
  t.throws(() => crlRevocationsFor(l, [{ serial: '00A1B', reason: 'keyCompromise' }], 'f', 's', at.time), { code: 'ledger.revoked-again' });
  t.throws(() => crlRevocationsFor(l, [{ serial: 'ff', reason: 'keyCompromise' }], 'f', 's', at.time), { code: 'ledger.revoked-unknown' });
  t.throws(
    () =>
      crlRevocationsFor(
        appendEntry(l, { entry: 'certificate', serial: 'ff', subject: 'CN=b', certificateSha256: 'b'.repeat(64), ...at }),
        [
          { serial: 'FF', reason: 'keyCompromise' },
          { serial: '00ff', reason: 'superseded' },
        ],
        'f',
        's',
        at.time,
      ),
    { code: 'ledger.revoked-twice' },
  );
  t.throws(() => parseSerialList(Buffer.from('\ufeff0A\n'), 'l'), { code: 'ledger.serial-list' }, 'a BOM is refused');
  t.throws(() => parseSerialList(Buffer.from('0A\n00a\n'), 'l'), { code: 'ledger.serial-list' }, '0A and 00a are one');
  t.throws(() => parseSerialList(Buffer.from('0A\n\n'), 'l'), { code: 'ledger.serial-list' }, 'a blank line');
  // A ledger line re-serialised with a leading-zero serial, rehashed: refused as not normalised.
  const text = ledgerBytes(l).toString().replace('"serial":"a1b"', '"serial":"0a1b"');
  const lines = text.trimEnd().split('\n');
  const h = createHash('sha256').update(lines[1]!).digest('hex');
  lines[2] = lines[2]!.replace(/"prev":"[0-9a-f]{64}"/, `"prev":"${h}"`);
  t.throws(() => parseLedger(Buffer.from(lines.join('\n') + '\n'), 'x'), { code: 'ledger.serial' });
});
