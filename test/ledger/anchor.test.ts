// The ledger anchor's rules, without a token (src/ledger/anchor.ts): every verdict and every
// refusal, the anchor's value read back, and two anchors left by a crash mid-write. The token
// side is test/e2e/ledger-anchor.test.ts.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { InputError } from '../../src/errors.js';
import { anchorBytes, anchorOf, checkAnchor, currentAnchor, ledgerPosition, parseAnchor, type LedgerAnchor } from '../../src/ledger/anchor.js';
import { appendEntry, openLedger, type Ledger } from '../../src/ledger/ledger.js';

const SPKI = 'ab'.repeat(32);
const base = openLedger({ spkiSha256: SPKI, issuer: 'CN=Test CA', opened: { ceremony: 'open', step: 'self-sign', time: '2026-01-01T00:00:00.000Z' } });
const crl = (ledger: Ledger, n: string) =>
  appendEntry(ledger, {
    entry: 'crl',
    crlNumber: n,
    revoked: [],
    crlSha256: 'cd'.repeat(32),
    ceremony: 'c',
    step: `crl-${n}`,
    time: '2026-01-02T00:00:00.000Z',
  });
const one = crl(base, '1');
const two = crl(one, '2');
const three = crl(two, '3');
const by = { ceremony: 'grca-crl', step: 'crl', journal: 'ee'.repeat(32) };
const reader = { ...by, key: 'ROOT-CA', token: 'root' };
const anchorAt2 = anchorOf(two, one, by);

t.test('the anchor is where the ledger ends: seq, the SHA-256 of the last line (sha256sum), the last CRL number', async (t) => {
  const last = two.lines.at(-1)!;
  t.equal(anchorAt2.headSha256, execFileSync('sha256sum', { input: last }).toString().split(' ')[0]);
  t.match(anchorAt2, { format: 'keyceremony-ledger-anchor/1', spkiSha256: SPKI, seq: 2, lastCrlNumber: '2', previous: { seq: 1 } });
  t.same(parseAnchor(anchorBytes(anchorAt2), 'anchor'), anchorAt2, 'read back as written');
  t.equal(anchorBytes(anchorAt2).toString()[0], '{');
  t.equal(ledgerPosition(base).lastCrlNumber, null, 'no CRL yet');
});

t.test('verdicts', async (t) => {
  t.equal(checkAnchor({ anchor: undefined, ledger: two, opened: false, file: 'l', reader }), 'first-use');
  t.equal(checkAnchor({ anchor: undefined, ledger: base, opened: true, file: 'l', reader }), 'new-ledger');
  t.equal(checkAnchor({ anchor: anchorAt2, ledger: two, opened: false, file: 'l', reader: { ...reader, journal: 'ff'.repeat(32) } }), 'matches');
  t.throws(
    () => checkAnchor({ anchor: anchorAt2, ledger: three, opened: false, file: 'l', reader }),
    { code: 'ledger.anchor-ahead' },
    'a ledger past the anchor: entries appended off this token are refused',
  );
  t.equal(
    checkAnchor({ anchor: anchorAt2, ledger: one, opened: false, file: 'l', reader }),
    'resumed',
    'the same step of the same ceremony, from the ledger it started from',
  );
});

t.test('refusals name the ledger, the key and both positions', async (t) => {
  const refused = (o: Parameters<typeof checkAnchor>[0], code: string, message: RegExp) => {
    let error: unknown;
    try {
      checkAnchor(o);
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof InputError, `${code}: refused`);
    const e = error as InputError;
    t.equal(e.code, code);
    t.match(e.message, message);
    t.match(e.hint, /ceremony grca-crl, step crl/, 'the hint names who wrote the anchor');
  };
  const otherRun = { ...reader, journal: 'ff'.repeat(32) };
  refused(
    { anchor: anchorAt2, ledger: one, opened: false, file: 'root.ledger', reader: otherRun },
    'ledger.anchor-older',
    /ledger root\.ledger of key ROOT-CA \(SPKI SHA-256 abab.*\) on token root ends at seq 1 \(last CRL number 1,.*anchor .* at seq 2 \(last CRL number 2,.*older copy/,
  );
  refused({ anchor: anchorAt2, ledger: one, opened: false, file: 'l', reader: { ...reader, step: 'other' } }, 'ledger.anchor-older', /older copy/);
  const forked = crl(crl(one, '2'), '3').lines.slice(0, 3);
  const rewritten = { ...two, lines: [...forked.slice(0, 2), forked[2]!.replace('crl-2', 'crl-x')] };
  refused({ anchor: anchorAt2, ledger: rewritten, opened: false, file: 'l', reader }, 'ledger.anchor-other-chain', /rewritten \(and rehashed\) or forked/);
  refused(
    { anchor: anchorAt2, ledger: base, opened: true, file: 'new.ledger', reader },
    'ledger.anchor-second-ledger',
    /opens a new ledger new\.ledger for key ROOT-CA/,
  );
});

t.test('two anchors: the newer one when it follows the older one (a crash mid-write), else refused', async (t) => {
  const anchorAt1 = anchorOf(one, undefined, by);
  t.equal(currentAnchor([], 'x'), undefined);
  t.equal(currentAnchor([anchorAt1, anchorAt2], 'x'), anchorAt2);
  t.equal(currentAnchor([anchorAt2, anchorAt1], 'x'), anchorAt2);
  const stray: LedgerAnchor = { ...anchorAt2, previous: { seq: 1, headSha256: '00'.repeat(32) } };
  t.throws(() => currentAnchor([anchorAt1, stray], 'the anchor'), { code: 'ledger.anchor-twice' });
});

t.test('a data object keyceremony did not write is refused', async (t) => {
  for (const value of [
    'not json',
    '{}',
    JSON.stringify({ ...anchorAt2, seq: -1 }),
    JSON.stringify({ ...anchorAt2, lastCrlNumber: '01' }),
    JSON.stringify({ ...anchorAt2, writtenBy: null }),
  ]) {
    t.throws(() => parseAnchor(Buffer.from(value), 'the anchor'), { code: 'ledger.anchor-unreadable' }, value);
  }
});
