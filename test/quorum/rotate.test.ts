// Rotation: a quorum of the old set yields the old secret (to change the PIN from) and a
// new set for a new secret, with new threshold, count and custodians.
import t from 'tap';
import { combine } from '../../src/quorum/combine.js';
import { derivePin } from '../../src/quorum/pin.js';
import { readShare } from '../../src/quorum/read-share.js';
import { rotate } from '../../src/quorum/rotate.js';
import { newSecret, split } from '../../src/quorum/split.js';
import { caught } from '../helpers/errors.js';
import { assertNoSecrets } from './helpers/secrets.js';

const original = newSecret();
const originalHex = original.toString('hex');
const old = split(original, { threshold: 2, of: 3, custodians: ['alice', 'bob', 'carol'], label: 'hca-user-pin' });
const oldTexts = old.shares.map((s) => s.text);

t.test('a quorum of the old set makes a new set for a new secret', async (t) => {
  const r = rotate([oldTexts[2]!, oldTexts[0]!], old.manifest, { threshold: 3, of: 5, custodians: ['bob', 'dave', 'eve', 'frank', 'grace'] });
  t.equal(r.oldSecret.toString('hex'), originalHex, 'the old secret, to change the PIN from');
  t.not(r.newSecret.toString('hex'), originalHex, 'a new secret');
  t.equal(r.newSecret.length, 32);
  t.not(derivePin(r.newSecret, 16).toString('latin1'), derivePin(r.oldSecret, 16).toString('latin1'), 'so a new PIN');
  t.equal(r.manifest.threshold, 3);
  t.equal(r.manifest.count, 5);
  t.equal(r.manifest.label, 'hca-user-pin', 'the label carries over');
  t.equal(r.manifest.replaces, old.manifest.setId, 'the new manifest names the set it replaces');
  t.not(r.manifest.setId, old.manifest.setId);
  t.same(
    r.shares.map((s) => s.custodian),
    ['bob', 'dave', 'eve', 'frank', 'grace'],
  );
  const texts = r.shares.map((s) => s.text);
  t.equal(combine([texts[1]!, texts[3]!, texts[4]!], r.manifest).toString('hex'), r.newSecret.toString('hex'), 'the new shares rebuild the new secret');
  // Old and new sets do not mix.
  t.equal((await caught(() => readShare(oldTexts[1]!, r.manifest))).code, 'share.foreign-set', 'an old share is refused by the new manifest');
  t.equal((await caught(() => readShare(texts[0]!, old.manifest))).code, 'share.foreign-set', 'a new share is refused by the old manifest');
  assertNoSecrets(t, r, { shares: [...oldTexts, ...texts], buffers: [r.oldSecret, r.newSecret] }, 'the rotation result');
});

t.test('a new label can be given', async (t) => {
  const r = rotate(oldTexts, old.manifest, { threshold: 2, of: 2, custodians: ['alice', 'bob'], label: 'hca-user-pin-2026' });
  t.equal(r.manifest.label, 'hca-user-pin-2026');
  t.equal(r.oldSecret.toString('hex'), originalHex, 'more than the threshold is fine');
});

t.test('rotation needs a valid quorum of the old set, and valid new options', async (t) => {
  const tooFew = await caught(() => rotate([oldTexts[0]!], old.manifest, { threshold: 2, of: 2, custodians: ['a', 'b'] }));
  t.equal(tooFew.code, 'share.too-few');
  const wrong = await caught(() => rotate([oldTexts[0]!, oldTexts[0]!], old.manifest, { threshold: 2, of: 2, custodians: ['a', 'b'] }));
  t.equal(wrong.code, 'share.duplicate');
  const badOptions = await caught(() => rotate(oldTexts, old.manifest, { threshold: 3, of: 2, custodians: ['a', 'b'] }));
  t.equal(badOptions.code, 'split.invalid');
  for (const error of [tooFew, wrong, badOptions]) assertNoSecrets(t, error, { shares: oldTexts, buffers: [original] }, `the ${error.code} error`);
});
