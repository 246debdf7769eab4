// Every refusal of issue 3 item 3, each with its own code and a message that names the
// share, the group or the custodian, and never a character of a share or the secret.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { combine } from '../../src/quorum/combine.js';
import { encodeEnvelope } from '../../src/quorum/envelope.js';
import type { ShareSetManifest } from '../../src/quorum/manifest.js';
import { readShare } from '../../src/quorum/read-share.js';
import { ShareError } from '../../src/quorum/share-error.js';
import { newSecret, split } from '../../src/quorum/split.js';
import { caught } from '../helpers/errors.js';
import { assertNoSecrets } from './helpers/secrets.js';

const secret = newSecret();
const { shares, manifest } = split(secret, { threshold: 3, of: 5, custodians: ['alice', 'bob', 'carol', 'dave', 'eve'], label: 'hca-user-pin' });
const other = split(newSecret(), { threshold: 3, of: 5, custodians: ['alice', 'bob', 'carol', 'dave', 'eve'], label: 'hca-user-pin' });
const text = (i: number) => shares[i - 1]!.text;
const set = `set ${manifest.setId} ("hca-user-pin")`;
const allShares = [...shares, ...other.shares].map((s) => s.text);

/** A share of this set's id made outside split(): the manifest never committed to it. */
function forged(index: number): string {
  const payload = randomBytes(34);
  payload[0] = index;
  return encodeEnvelope({ setId: manifest.setId, threshold: 3, index, payload });
}

/** Replaces the character at canonical position `at` (dashes not counted) with another symbol. */
function typo(share: string, at: number): string {
  const chars = share.replace(/-/g, '').split('');
  chars[at] = chars[at] === '7' ? '8' : '7';
  return chars.join('');
}

async function refusal(t: Test, fn: () => unknown, code: string, message: string, hint: RegExp | string) {
  const error = await caught(fn);
  t.ok(error instanceof ShareError, 'a ShareError');
  t.equal(error.code, code);
  t.equal(error.message, message);
  t.match(error.hint, hint);
  t.equal(error.exitCode, 1);
  assertNoSecrets(t, error, { shares: [...allShares, forged(2)], buffers: [secret] }, `the ${code} error`);
  return error as ShareError;
}

t.test('a quorum of good shares combines', async (t) => {
  t.equal(combine([text(5), text(1), text(3)], manifest).toString('hex'), secret.toString('hex'));
});

t.test('malformed share', async (t) => {
  await refusal(
    t,
    () => combine([text(1), 'my share is UUUU-UUUU', text(3)], manifest),
    'share.malformed',
    'the 2nd share given has a character that is not a share character in groups 2, 3 and 4',
    'except I, L, O and U',
  );
  await refusal(
    t,
    () => combine([text(1), text(2).replace(/-/g, '').slice(0, -8), text(3)], manifest),
    'share.malformed',
    'the 2nd share given is 8 characters short: a share of this set has 19 groups',
    'type the remaining groups',
  );
  await refusal(
    t,
    () => combine([text(1), `${text(2)}-${text(2)}`, text(3)], manifest),
    'share.malformed',
    'the 2nd share given is 95 characters too long: a share of this set has 19 groups',
    'remove what was typed after group 19',
  );
});

t.test('checksum mismatch names the group', async (t) => {
  const error = await refusal(
    t,
    () => combine([text(1), typo(text(2), 33), text(3)], manifest),
    'share.checksum',
    'the 2nd share given has a mistake in group 7',
    'the groups before group 7 are right',
  );
  t.same(error.groups, [7]);
  await refusal(
    t,
    () => readShare(typo(text(4), 90), manifest, 'dave'),
    'share.checksum',
    'the share entered by dave has a mistake in group 19',
    'read the share again',
  );
});

t.test('a share from another set', async (t) => {
  await refusal(
    t,
    () => combine([text(1), other.shares[1]!.text, text(3)], manifest),
    'share.foreign-set',
    `the 2nd share given (share 2) is from share set ${other.manifest.setId}, not from ${set}`,
    `use the share issued for set ${manifest.setId}`,
  );
  await refusal(
    t,
    () => readShare(other.shares[0]!.text, manifest, 'alice'),
    'share.foreign-set',
    `share 1 entered by alice is from share set ${other.manifest.setId}, not from ${set}`,
    'older, rotated set',
  );
});

t.test('duplicate index', async (t) => {
  await refusal(
    t,
    () => combine([text(1), text(2), text(1)], manifest),
    'share.duplicate',
    'share 1 (alice) is given twice, as the 1st and the 3rd share',
    'each share counts once',
  );
  // Typed differently (lower case, spaces) it is still the same share.
  await refusal(
    t,
    () => combine([text(4), text(4).toLowerCase().replace(/-/g, ' '), text(1)], manifest),
    'share.duplicate',
    'share 4 (dave) is given twice, as the 1st and the 2nd share',
    'each share counts once',
  );
});

t.test('index not in the manifest', async (t) => {
  await refusal(
    t,
    () => combine([forged(6), text(2), text(3)], manifest),
    'share.index',
    `the 1st share given (share 6) is not in ${set}, which has shares 1 to 5`,
    'altered',
  );
});

t.test('commitment mismatch', async (t) => {
  await refusal(
    t,
    () => combine([text(1), forged(2), text(3)], manifest),
    'share.commitment',
    `the 2nd share given (share 2, bob) does not match the manifest's commitment for share 2 of ${set}`,
    'this is not the share issued to bob',
  );
  // A manifest whose commitments were swapped refuses the real shares.
  const swapped: ShareSetManifest = { ...manifest, shares: manifest.shares.map((s, i, all) => ({ ...s, commitment: all[(i + 1) % all.length]!.commitment })) };
  await refusal(
    t,
    () => readShare(text(3), swapped, 'carol'),
    'share.commitment',
    `share 3 (carol) does not match the manifest's commitment for share 3 of ${set}`,
    'or the manifest was altered',
  );
});

t.test("another custodian's share", async (t) => {
  await refusal(
    t,
    () => readShare(text(2), manifest, 'alice'),
    'share.custodian',
    `alice entered share 2 of ${set}, which belongs to bob`,
    'bob must enter share 2',
  );
  t.same(readShare(text(2), manifest, 'Bob'), { index: 2, custodian: 'bob' }, 'names compare without case');
});

t.test('fewer than the threshold', async (t) => {
  await refusal(
    t,
    () => combine([text(1), text(4)], manifest),
    'share.too-few',
    `only 2 shares of ${set} given (share 1 from alice and share 4 from dave), 3 are needed`,
    '1 more of bob, carol and eve must enter their share',
  );
  await refusal(t, () => combine([], manifest), 'share.too-few', `no shares of ${set} given, 3 are needed`, '3 more of alice, bob, carol, dave and eve');
});

t.test('a rebuilt secret that fails the verifier', async (t) => {
  const tampered: ShareSetManifest = { ...manifest, verifier: other.manifest.verifier };
  await refusal(
    t,
    () => combine([text(1), text(2), text(3)], tampered),
    'share.verifier',
    `the shares 1, 2 and 3 of ${set} rebuild a secret that does not match the manifest's verifier`,
    'do not try the PIN on the HSM',
  );
});

t.test('checks run in the order the shares were given; the first problem is reported', async (t) => {
  const error = await caught(() => combine([text(1), typo(text(2), 50), other.shares[2]!.text], manifest));
  t.equal(error.code, 'share.checksum');
  t.equal(error.message, 'the 2nd share given has a mistake in group 11');
});

t.test('readShare says whose a good share is, however it is typed', async (t) => {
  const typed = text(5).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/-/g, '  ');
  t.same(readShare(typed, manifest), { index: 5, custodian: 'eve' });
  t.same(readShare(text(5), manifest, 'eve'), { index: 5, custodian: 'eve' });
});
