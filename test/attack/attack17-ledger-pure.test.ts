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

t.test('FINDING (low): a legacy-shaped crl entry after a cumulative one may drop a revoked serial; parseLedger accepts it', async (t) => {
  const l = base();
  // CRL 2 written without `revocations` (the pre-cumulative shape) and without serial a1b.
  const unrevoked = appendEntry(l, { entry: 'crl', crlNumber: '2', revoked: [], crlSha256: 'd'.repeat(64), ...at });
  const parsed = parseLedger(ledgerBytes(unrevoked), 'x');
  t.same((parsed.entries.at(-1) as { revoked: string[] }).revoked, [], 'ATTACK: the ledger says CRL 2 revoked nothing: a1b left the CRL');
  // What held: issue-crl still carries a1b forward with its first date and reason.
  t.same([...revokedSerials(parsed).keys()], ['a1b'], 'held: the next CRL still lists a1b');
  t.equal(nextCrlNumber(parsed), 3n);
});

t.test(
  'FINDING (low, availability): a crash while the resumed step writes its anchor leaves two anchors that both continue the same head: refused for good',
  async (t) => {
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
    const first = anchorOf(l1, l0, by); // written before the first crash
    const second = anchorOf(l1again, l0, by); // written by the resumed run, crash before the first is destroyed
    t.throws(
      () => currentAnchor([first, second], 'token'),
      { code: 'ledger.anchor-twice' },
      'no ceremony can sign with this key until someone removes an object by hand',
    );
  },
);

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
