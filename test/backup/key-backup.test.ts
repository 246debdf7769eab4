// Backup to a file and restore onto a second token (src/backup/key-backup.ts), on throwaway
// SoftHSM tokens, with the KEK split and rebuilt by the real quorum code. The restored key's
// signature is verified by openssl under the original public key; pkcs11-tool lists it on the
// DR token with its label and CKA_ID. The faults of issue 18: a wrong KEK share set, a
// verifier mismatch, a changed file, a key not made for backup, a target without the
// mechanism (a fake: SoftHSM always has it), a target that holds the label already.
import t from 'tap';
import { join } from 'node:path';
import { backupKey, restoreKey, type KekSet, type QuorumSecrets } from '../../src/backup/key-backup.js';
import type { Hsm } from '../../src/hsm/hsm.js';
import type { KeyAlgorithm } from '../../src/hsm/types.js';
import { combine, newSecret, split } from '../../src/quorum/index.js';
import { caught } from '../helpers/errors.js';
import { ecdsaRawToDer, openssl, pem } from '../helpers/openssl.js';
import { pkcs11ToolLoggedIn, softhsm, type TokenPins } from '../helpers/softhsm.js';

const EC: KeyAlgorithm = { type: 'EC', curve: 'P-384' };

/** A KEK share set as create-kek makes it, and the KEK a quorum of it rebuilds (checked against the verifier). */
function kekShareSet(credential: string): { set: KekSet; quorumKek: () => Buffer } {
  const { shares, manifest } = split(newSecret(), { threshold: 2, of: 3, custodians: ['rita', 'ray', 'rose'], label: credential, now: new Date() });
  return { set: { credential, setId: manifest.setId, verifier: manifest.verifier }, quorumKek: () => combine([shares[2]!.text, shares[0]!.text], manifest) };
}

const secretsFor = (pins: TokenPins, kek: Buffer): QuorumSecrets => ({ soPin: pins.soPin, userPin: pins.userPin, kek });
const SOURCE = { ceremony: 'test-backup', step: 'backup', time: '2026-12-05T13:00:00+08:00' };

async function setUp(t: { teardown(fn: () => void | Promise<void>): void }) {
  const fx = softhsm(t);
  const source = fx.initToken('HCA');
  const target = fx.initToken('HCA-DR');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const session = hsm.openSession('HCA');
  session.login('user', source.userPin);
  const key = await session.generateKeyPair('HCA-G3', EC, { backup: true });
  await session.generateKeyPair('NEVER', EC);
  session.logout();
  session.close();
  return { fx, hsm, source, target, key };
}

t.test('backed up on HCA, restored on HCA-DR: same label, CKA_ID and public key; its signature verifies under the original', async (t) => {
  const { fx, hsm, source, target, key } = await setUp(t);
  const kek = kekShareSet('hca-kek');
  const backup = await backupKey(hsm, { label: 'HCA' }, secretsFor(source, kek.quorumKek()), kek.set, { label: 'HCA-G3', certificate: null }, SOURCE);
  t.same(backup.key.spki, key.spki);
  t.match(backup.bytes.toString('utf8'), `"label":"HCA-G3"`);

  const restored = await restoreKey(
    hsm,
    { label: 'HCA-DR' },
    secretsFor(target, kek.quorumKek()),
    kek.set,
    { name: 'hca-g3.backup', bytes: backup.bytes },
    { backup: false },
  );
  t.equal(restored.key.label, 'HCA-G3');
  t.equal(restored.key.id, key.id);
  t.same(restored.key.spki, key.spki);

  const session = hsm.openSession('HCA-DR');
  session.login('user', target.userPin);
  t.match(session.privateKeyAttributes('HCA-G3'), { sensitive: true, extractable: false, wrapWithTrusted: false });
  const data = Buffer.from('signed on the DR token');
  const signature = ecdsaRawToDer(await session.sign('HCA-G3', 'SHA-384', data));
  session.logout();
  session.close();
  const verify = await openssl((d) => ['dgst', '-sha384', '-verify', join(d, 'k.pem'), '-signature', join(d, 'sig'), join(d, 'data')], {
    'k.pem': pem('PUBLIC KEY', key.spki),
    sig: signature,
    data,
  });
  t.equal(verify.stdout.trim(), 'Verified OK', 'openssl verifies under the original public key');

  hsm.finalize();
  const listed = await pkcs11ToolLoggedIn(fx, 'HCA-DR', target.userPin, ['--list-objects']);
  t.equal(listed.code, 0, listed.stderr);
  t.match(listed.stdout, new RegExp(`Private Key Object; EC\\n\\s+label:\\s+HCA-G3\\n\\s+ID:\\s+${key.id}`), 'pkcs11-tool: the restored private key');
  t.notMatch(listed.stdout, /Secret Key Object/, 'no KEK left on the DR token');
});

t.test('faults: wrong KEK share set, verifier mismatch, changed file, not for backup, no mechanism, label taken', async (t) => {
  const { hsm, source, target } = await setUp(t);
  const kek = kekShareSet('hca-kek');
  const other = kekShareSet('hca-kek');
  const { bytes } = await backupKey(hsm, { label: 'HCA' }, secretsFor(source, kek.quorumKek()), kek.set, { label: 'HCA-G3', certificate: null }, SOURCE);
  const file = { name: 'outputs/hca-g3.backup', bytes };
  const restoreWith = (secrets: QuorumSecrets, set: KekSet, f = file, onto: Hsm = hsm) =>
    caught(() => restoreKey(onto, { label: 'HCA-DR' }, secrets, set, f, { backup: false }));
  const nothingRestored = () => {
    const session = hsm.openSession('HCA-DR');
    try {
      session.login('user', target.userPin);
      return session.findKeyPair('HCA-G3') === undefined;
    } finally {
      session.logout();
      session.close();
    }
  };

  const wrongSet = await restoreWith(secretsFor(target, other.quorumKek()), other.set);
  t.equal(wrongSet.code, 'backup.kek-mismatch', 'another KEK share set (its quorum is right, but it is not the set in the header)');
  t.match(wrongSet.message, `outputs/hca-g3.backup: the backup was made under KEK set ${kek.set.setId}`);

  const editedVerifier = await restoreWith(secretsFor(target, kek.quorumKek()), { ...kek.set, verifier: other.set.verifier });
  t.equal(editedVerifier.code, 'backup.kek-mismatch', 'a manifest whose verifier is not the one in the header');

  const wrongKek = await restoreWith(secretsFor(target, other.quorumKek()), kek.set);
  t.equal(wrongKek.code, 'backup.mac', 'a KEK that is not the one the header names');

  for (const offset of [10, Math.floor(bytes.length / 2), bytes.length - 3]) {
    const changed = Buffer.from(bytes);
    changed[offset] = changed[offset]! ^ 0x01;
    const refused = await restoreWith(secretsFor(target, kek.quorumKek()), kek.set, { ...file, bytes: changed });
    t.match(refused.code, /^backup\.(mac|invalid)$/, `byte ${offset} changed: ${refused.code}`);
  }

  const never = await caught(() =>
    backupKey(hsm, { label: 'HCA' }, secretsFor(source, kek.quorumKek()), kek.set, { label: 'NEVER', certificate: null }, SOURCE),
  );
  t.equal(never.code, 'hsm.key-not-for-backup');

  // SoftHSM always offers CKM_AES_KEY_WRAP_PAD: a target that does not is a fake.
  const withoutWrap = new Proxy(hsm, {
    get: (real, name) => (name === 'wrappingMechanisms' ? () => [] : (Reflect.get(real, name) as () => unknown).bind(real)),
  });
  const noMechanism = await restoreWith(secretsFor(target, kek.quorumKek()), kek.set, file, withoutWrap);
  t.equal(noMechanism.code, 'hsm.wrap-mechanism-missing');
  t.equal(noMechanism.message, 'token "HCA-DR" cannot unwrap keys with CKM_AES_KEY_WRAP_PAD');
  t.equal(noMechanism.exitCode, 2);
  t.ok(nothingRestored(), 'after every refusal, nothing is on the DR token');

  await restoreKey(hsm, { label: 'HCA-DR' }, secretsFor(target, kek.quorumKek()), kek.set, file, { backup: false });
  const twice = await restoreWith(secretsFor(target, kek.quorumKek()), kek.set);
  t.equal(twice.code, 'hsm.key-exists', 'a target that holds the label already is refused');
  t.equal(twice.message, 'a key with label "HCA-G3" already exists on token "HCA-DR"');
});
