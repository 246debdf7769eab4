// Issue 16 item 6: split() combines every threshold subset of a new set in memory and checks
// each against the verifier before any share is handed out; shapes with more than 100,000
// quorums are refused in plain words, at split and when a definition is validated.
import t from 'tap';
import { combine } from '../../src/quorum/combine.js';
import { shamirSplit } from '../../src/quorum/shamir.js';
import { checkEveryQuorum, newSecret, split, subsetsOf } from '../../src/quorum/split.js';
import { rotate } from '../../src/quorum/rotate.js';
import { MAX_QUORUM_COMBINATIONS, quorumCombinations, tooManyQuorums } from '../../src/util/quorum-shape.js';
import { translator } from '../../src/ui/i18n/index.js';
import { problemText } from '../../src/ui/problem-text.js';
import { caught } from '../helpers/errors.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `custodian-${i + 1}`);

t.test('quorumCombinations counts the quorums of exactly threshold shares', async (t) => {
  t.equal(quorumCombinations(3, 5), 10);
  t.equal(quorumCombinations(2, 2), 1);
  t.equal(quorumCombinations(2, 255), 32385);
  t.equal(quorumCombinations(255, 255), 1);
  t.equal(quorumCombinations(9, 18), 48620);
  t.equal(quorumCombinations(10, 20), 184756);
  t.equal(quorumCombinations(128, 255), Infinity, 'past 2^53 is Infinity, not a rounded number');
  t.equal(tooManyQuorums(9, 18), undefined, '48,620 quorums are allowed');
  t.equal(
    tooManyQuorums(10, 20),
    '10-of-20 has 184,756 different quorums of 10 shares; every one is combined and checked before any share is shown, and at most 100,000 can be',
  );
  t.match(tooManyQuorums(128, 255), /^128-of-255 has more than 2\^53 different quorums/);
});

t.test('subsetsOf lists every subset of a size once, in order', async (t) => {
  t.same(
    [...subsetsOf(4, 2)],
    [
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ],
  );
  t.same([...subsetsOf(3, 3)], [[0, 1, 2]]);
  t.same([...subsetsOf(3, 4)], []);
  const all = [...subsetsOf(9, 4)].map((s) => s.join(','));
  t.equal(all.length, quorumCombinations(4, 9));
  t.equal(new Set(all).size, all.length, 'no subset twice');
});

for (const [threshold, of, expected] of [
  [3, 5, 10],
  [2, 2, 1],
  [2, 3, 3],
  [5, 9, 126],
] as const) {
  t.test(`${threshold}-of-${of}: split checks all ${expected} quorums and says so`, async (t) => {
    const { shares, manifest, quorumsChecked } = split(newSecret(), { threshold, of, custodians: names(of), label: 'hca-user-pin' });
    t.equal(quorumsChecked, expected);
    t.equal(
      combine(
        shares.slice(-threshold).map((s) => s.text),
        manifest,
      ).length,
      32,
    );
  });
}

t.test('a rotation reports the quorums of its new set', async (t) => {
  const old = split(newSecret(), { threshold: 2, of: 3, custodians: ['alice', 'bob', 'carol'], label: 'hca-user-pin' });
  const r = rotate([old.shares[0]!.text, old.shares[2]!.text], old.manifest, { threshold: 3, of: 5, custodians: ['bob', 'dave', 'eve', 'frank', 'grace'] });
  t.equal(r.quorumsChecked, 10);
});

t.test('a set in which one quorum does not rebuild the secret is refused, naming that quorum', async (t) => {
  // SoftHSM cannot make this fault, nor can secrets.js-grempe on its own: corrupt one byte of
  // share 4 of a real 3-of-5 split, as a memory fault would: 1,2,3 passes, and 1,2,4 is the
  // first quorum in order that meets it.
  const secret = newSecret();
  const payloads = shamirSplit(secret, 5, 3);
  payloads[3]![5]! ^= 0x01;
  const seen: string[] = [];
  const error = await caught(() =>
    checkEveryQuorum(payloads, 3, (rebuilt) => {
      const ok = rebuilt.equals(secret);
      seen.push(ok ? 'ok' : 'bad');
      return ok;
    }),
  );
  t.equal(error.message, 'shares 1, 2, 4 do not rebuild the secret; no share of this set is handed out');
  t.equal(error.code, 'split.quorum');
  t.match(error.hint, /do not use this terminal/);
  t.equal(
    problemText(translator('zh-TW'), 'zh-TW', { step: 'init', ...error.toRecord() }),
    '新分持碼中有一個門檻組合無法還原秘密：不發放任何分持碼',
    'the screen says it in zh-TW too, with no English original after it',
  );
  t.same(seen, ['ok', 'bad'], 'stopped at the first bad quorum (1,2,3 passed)');
  // The old check combined only the first and the last quorum: for 2-of-5 that is 1,2 and 4,5,
  // so a bad share 3 went out. Every quorum finds it.
  const middle = shamirSplit(secret, 5, 2);
  middle[2]![3]! ^= 0x80;
  for (const quorum of [
    [0, 1],
    [3, 4],
  ])
    t.ok(
      checkEveryQuorum(
        quorum.map((i) => middle[i]!),
        2,
        (rebuilt) => rebuilt.equals(secret),
      ) === 1,
      `quorum ${quorum.map((i) => i + 1).join(',')} alone passes`,
    );
  const missed = await caught(() => checkEveryQuorum(middle, 2, (rebuilt) => rebuilt.equals(secret)));
  t.equal(missed.message, 'shares 1, 3 do not rebuild the secret; no share of this set is handed out');
  const clean = shamirSplit(secret, 4, 2);
  t.equal(
    checkEveryQuorum(clean, 2, (rebuilt) => rebuilt.equals(secret)),
    6,
    'a good 2-of-4 set passes all 6',
  );
});

t.test('a shape with more than 100,000 quorums is refused before anything is split', async (t) => {
  t.equal(MAX_QUORUM_COMBINATIONS, 100_000);
  const secret = newSecret();
  const error = await caught(() => split(secret, { threshold: 10, of: 20, custodians: names(20) }));
  t.equal(error.code, 'split.invalid');
  t.equal(error.exitCode, 2);
  t.equal(
    error.message,
    'cannot split the secret: 10-of-20 has 184,756 different quorums of 10 shares; every one is combined and checked before any share is shown, and at most 100,000 can be',
  );
  t.match(error.hint, /at most 100,000 quorums, e\.g\. a smaller threshold or fewer shares/);
  t.equal(problemText(translator('zh-TW'), 'zh-TW', { step: 'init', ...error.toRecord() }), '無法以此門檻與份數產生新的分持組');
  t.equal(secret.length, 32, 'the secret is untouched');
  t.notOk(secret.equals(Buffer.alloc(32)), 'and not wiped: the caller still owns it');
});
