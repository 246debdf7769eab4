// The secret store: collects shares for an unlock, refuses bad ones at once, keeps the
// rebuilt secret, lends it out and wipes every buffer it is done with.
import t from 'tap';
import { derivePin } from '../../src/quorum/pin.js';
import { SecretStore } from '../../src/quorum/secret-store.js';
import { newSecret, split } from '../../src/quorum/split.js';
import { caught } from '../helpers/errors.js';
import { assertNoSecrets } from './helpers/secrets.js';

const custodians = ['alice', 'bob', 'carol', 'dave', 'eve'];

function fixture() {
  const secret = newSecret();
  const copy = Buffer.from(secret.toString('hex'), 'hex');
  const set = split(secret, { threshold: 3, of: 5, custodians, label: 'hca-user-pin' });
  const other = split(newSecret(), { threshold: 3, of: 5, custodians, label: 'root-so-pin' });
  const text = (i: number) => set.shares[i - 1]!.text;
  const forbidden = { shares: [...set.shares, ...other.shares].map((s) => s.text), buffers: [copy] };
  return { secret: copy, ...set, other, text, forbidden };
}

const isZero = (b: Buffer) => b.every((byte) => byte === 0);

t.test('collects a quorum, combines it into a named secret and lends it out', async (t) => {
  const f = fixture();
  const store = new SecretStore();
  t.same(store.addShare('unlock', f.text(4), f.manifest, 'dave'), { index: 4, custodian: 'dave' });
  t.same(store.addShare('unlock', f.text(1), f.manifest, 'alice'), { index: 1, custodian: 'alice' });
  t.same(store.status('unlock', f.manifest), {
    setId: f.manifest.setId,
    shares: [
      { index: 4, custodian: 'dave' },
      { index: 1, custodian: 'alice' },
    ],
    threshold: 3,
    needed: 1,
  });
  const early = await caught(() => store.combine('unlock', f.manifest, 'hca-user-pin'));
  t.equal(early.code, 'share.too-few');
  t.equal(store.shares('unlock').length, 2, 'too few keeps the collection so more can be added');
  store.addShare('unlock', f.text(5), f.manifest, 'eve');
  t.equal(store.combine('unlock', f.manifest, 'hca-user-pin'), 'hca-user-pin', 'combine says where the secret is kept');
  t.same(store.shares('unlock'), [], 'the collection is gone after combining');
  t.ok(store.hasSecret('hca-user-pin'));
  t.equal(
    store.withSecret('hca-user-pin', (s) => s.toString('hex')),
    f.secret.toString('hex'),
  );
  const expectedPin = derivePin(f.secret, 16).toString('latin1');
  t.equal(
    store.withPin('hca-user-pin', 16, (pin) => pin.toString('latin1')),
    expectedPin,
  );
});

t.test('refuses at once: another set, the same share twice, someone else’s share', async (t) => {
  const f = fixture();
  const store = new SecretStore();
  store.addShare('unlock', f.text(2), f.manifest, 'bob');
  const foreign = await caught(() => store.addShare('unlock', f.other.shares[2]!.text, f.manifest, 'carol'));
  t.equal(foreign.code, 'share.foreign-set');
  const twice = await caught(() => store.addShare('unlock', f.text(2), f.manifest, 'bob'));
  t.equal(twice.code, 'share.duplicate');
  t.equal(twice.message, `share 2 (bob) of set ${f.manifest.setId} ("hca-user-pin") was already entered by bob`);
  const someoneElse = await caught(() => store.addShare('unlock', f.text(3), f.manifest, 'dave'));
  t.equal(someoneElse.code, 'share.custodian');
  const typo = await caught(() =>
    store.addShare(
      'unlock',
      f.text(3).replace(/^(.{30})./, (_, a: string) => `${a}${f.text(3)[30] === 'X' ? 'Y' : 'X'}`),
      f.manifest,
      'carol',
    ),
  );
  t.equal(typo.code, 'share.checksum');
  t.same(store.shares('unlock'), [{ index: 2, custodian: 'bob' }], 'refused shares are not kept');
  const mixed = await caught(() => store.addShare('unlock', f.other.shares[0]!.text, f.other.manifest, 'alice'));
  t.equal(mixed.code, 'store.collection-set');
  t.equal(mixed.message, `collection "unlock" holds shares of set ${f.manifest.setId}, not of set ${f.other.manifest.setId} ("root-so-pin")`);
  const wrongManifest = await caught(() => store.combine('unlock', f.other.manifest, 'root-so-pin'));
  t.equal(wrongManifest.code, 'store.collection-set');
  t.same(store.shares('unlock'), [{ index: 2, custodian: 'bob' }], 'the collection survives a mix-up of manifests');
  for (const error of [foreign, twice, someoneElse, typo, mixed, wrongManifest]) assertNoSecrets(t, error, f.forbidden, `the ${error.code} error`);
});

t.test('without a name the secret is kept under the collection’s name', async (t) => {
  const f = fixture();
  const store = new SecretStore();
  for (const i of [5, 3, 1]) store.addShare('hca-user-pin', f.text(i), f.manifest);
  t.equal(store.combine('hca-user-pin', f.manifest), 'hca-user-pin');
  t.equal(
    store.withSecret('hca-user-pin', (s) => s.toString('hex')),
    f.secret.toString('hex'),
  );
});

t.test('combining with no collection is "too few", with the custodians to ask', async (t) => {
  const f = fixture();
  const error = await caught(() => new SecretStore().combine('unlock', f.manifest, 'x'));
  t.equal(error.code, 'share.too-few');
  t.equal(error.hint, '3 more of alice, bob, carol, dave and eve must enter their share');
});

t.test('a result that fails the verifier stores nothing and wipes the collection', async (t) => {
  const f = fixture();
  const store = new SecretStore();
  // A manifest altered in its verifier only: every share still matches its commitment.
  const tampered = { ...f.manifest, verifier: f.other.manifest.verifier };
  for (const i of [1, 2, 3]) store.addShare('unlock', f.text(i), tampered);
  const error = await caught(() => store.combine('unlock', tampered, 'hca-user-pin'));
  t.equal(error.code, 'share.verifier');
  t.notOk(store.hasSecret('hca-user-pin'));
  t.same(store.shares('unlock'), []);
});

t.test('buffers are wiped: lent copies after use, the caller’s buffer on put, all on clear', async (t) => {
  const store = new SecretStore();
  const given = newSecret();
  const value = given.toString('hex');
  store.putSecret('k', given);
  t.ok(isZero(given), 'putSecret wipes the buffer it was given (the store keeps its own copy)');

  let lent: Buffer | undefined;
  store.withSecret('k', (s) => {
    lent = s;
    t.equal(s.toString('hex'), value);
  });
  t.ok(lent && isZero(lent), 'the lent copy is wiped when the callback returns');

  let lentAsync: Buffer | undefined;
  const result = await store.withSecret('k', async (s) => {
    lentAsync = s;
    await new Promise((resolve) => setTimeout(resolve, 5));
    t.equal(s.toString('hex'), value, 'still readable while the async callback runs');
    return 'done';
  });
  t.equal(result, 'done');
  t.ok(lentAsync && isZero(lentAsync), 'wiped when the promise settles');

  let thrownWith: Buffer | undefined;
  t.throws(
    () =>
      store.withPin('k', 8, (pin) => {
        thrownWith = pin;
        throw new Error('callback failed');
      }),
    { message: 'callback failed' },
  );
  t.ok(thrownWith && isZero(thrownWith), 'a lent PIN is wiped even when the callback throws');
  t.equal(
    store.withSecret('k', (s) => s.toString('hex')),
    value,
    'the stored secret is untouched by lending',
  );

  t.ok(store.deleteSecret('k'));
  t.notOk(store.hasSecret('k'));
  t.notOk(store.deleteSecret('k'), 'deleting twice is harmless');
  const missing = await caught(() => store.withSecret('k', () => undefined));
  t.equal(missing.code, 'store.no-secret');
  t.equal(missing.message, 'no secret "k" in the secret store');
});

t.test('clear() and discard() wipe collected shares and secrets', async (t) => {
  const f = fixture();
  const store = new SecretStore();
  store.addShare('a', f.text(1), f.manifest);
  store.addShare('b', f.text(2), f.manifest);
  store.putSecret('s', newSecret());
  store.discard('a');
  t.same(store.shares('a'), []);
  t.same(store.shares('b'), [{ index: 2, custodian: 'bob' }]);
  store.clear();
  t.same(store.describe(), { secrets: [], collections: {} });
});

t.test('removeShare() takes back one share the ceremony refused, so it cannot count', async (t) => {
  const f = fixture();
  const store = new SecretStore();
  store.addShare('unlock', f.text(1), f.manifest, 'alice');
  store.addShare('unlock', f.text(2), f.manifest, 'bob');
  store.addShare('unlock', f.text(3), f.manifest, 'carol');
  t.equal(store.removeShare('unlock', 2), true);
  t.equal(store.removeShare('unlock', 2), false, 'only once');
  t.equal(store.removeShare('nowhere', 1), false);
  t.same(store.shares('unlock'), [
    { index: 1, custodian: 'alice' },
    { index: 3, custodian: 'carol' },
  ]);
  t.equal((await caught(() => store.combine('unlock', f.manifest, 's'))).code, 'share.too-few', 'the removed share does not count');
  store.addShare('unlock', f.text(2), f.manifest, 'bob');
  store.combine('unlock', f.manifest, 's');
  t.equal(
    store.withSecret('s', (s) => s.toString('hex')),
    f.secret.toString('hex'),
  );
});

t.test('inspect, toString and JSON show names and counts only', async (t) => {
  const f = fixture();
  const store = new SecretStore();
  store.addShare('unlock', f.text(1), f.manifest, 'alice');
  store.addShare('unlock', f.text(3), f.manifest, 'carol');
  store.putSecret('root-so-pin', Buffer.from(f.secret));
  t.equal(String(store), 'SecretStore(secrets: [root-so-pin], collections: [unlock: 2 shares])');
  t.equal(JSON.stringify(store), '{"secrets":["root-so-pin"],"collections":{"unlock":2}}');
  const { inspect } = await import('node:util');
  t.equal(inspect(store), String(store));
  t.match(inspect({ store }, { showHidden: true, depth: Infinity }), String(store));
  assertNoSecrets(t, store, f.forbidden, 'the store');
});
