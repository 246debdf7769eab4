// Key backup at the HSM layer (issue 18), on two throwaway SoftHSM tokens: a key generated
// for backup is wrapped under a trusted session KEK that the SO put on the source token, and
// unwrapped on a second token under the same KEK. pkcs11-tool lists what the tokens hold and
// openssl verifies the restored key's signatures. The facts the issue measured are checked
// again through pkcs11js directly, each as an attack that fails.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import type { Hsm, HsmSession, SessionKek } from '../../src/hsm/hsm.js';
import type { KeyAlgorithm, KeyPairInfo } from '../../src/hsm/types.js';
import { caught } from '../helpers/errors.js';
import { ecdsaRawToDer, openssl, pem } from '../helpers/openssl.js';
import { pkcs11ToolLoggedIn, softhsm, type SoftHsmFixture, type TokenPins } from '../helpers/softhsm.js';

const EC: KeyAlgorithm = { type: 'EC', curve: 'P-384' };

/** SO logs in, puts the KEK on, logs out; the user logs in in the same session (the KEK lives there). */
function kekSession(hsm: Hsm, pins: TokenPins, kek: Buffer): { session: HsmSession; kek: SessionKek } {
  const session = hsm.openSession(pins.label);
  session.login('so', pins.soPin);
  const made = session.createSessionKek('backup-kek', kek);
  session.logout();
  session.login('user', pins.userPin);
  return { session, kek: made };
}

async function generate(hsm: Hsm, pins: TokenPins, label: string, algorithm: KeyAlgorithm, backup: boolean): Promise<KeyPairInfo> {
  const session = hsm.openSession(pins.label);
  try {
    session.login('user', pins.userPin);
    return await session.generateKeyPair(label, algorithm, { backup });
  } finally {
    session.logout();
    session.close();
  }
}

async function privateKeyListing(fx: SoftHsmFixture, pins: TokenPins): Promise<Array<{ label: string; id: string; text: string }>> {
  const listing = await pkcs11ToolLoggedIn(fx, pins.label, pins.userPin, ['--list-objects', '--type', 'privkey']);
  if (listing.code !== 0) throw new Error(`pkcs11-tool: ${listing.stderr}`);
  return listing.stdout
    .split('Private Key Object')
    .slice(1)
    .map((text) => ({ label: /label:\s+(.*)/.exec(text)?.[1]?.trim() ?? '', id: /ID:\s+([0-9a-f]+)/.exec(text)?.[1] ?? '', text }));
}

t.test('backup: true makes a key extractable only under a trusted key; the default stays never-extractable', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('SOURCE');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  await generate(hsm, pins, 'BACKED-UP', EC, true);
  await generate(hsm, pins, 'STAYS', EC, false);
  const session = hsm.openSession('SOURCE');
  t.teardown(() => session.close());
  session.login('user', pins.userPin);
  t.match(session.privateKeyAttributes('BACKED-UP'), {
    sensitive: true,
    alwaysSensitive: true,
    extractable: true,
    neverExtractable: false,
    wrapWithTrusted: true,
    local: true,
  });
  t.match(session.privateKeyAttributes('STAYS'), { sensitive: true, extractable: false, neverExtractable: true, wrapWithTrusted: false });
  session.logout();
  const listed = await privateKeyListing(fx, pins);
  t.match(listed.find((k) => k.label === 'BACKED-UP')?.text, /Access:\s+sensitive, always sensitive, extractable, local/, 'pkcs11-tool: extractable');
  t.match(listed.find((k) => k.label === 'STAYS')?.text, /Access:\s+sensitive, always sensitive, never extractable, local/, 'pkcs11-tool: never extractable');
});

for (const algorithm of [EC, { type: 'RSA', bits: 2048 } as KeyAlgorithm]) {
  const name = algorithm.type === 'EC' ? `EC ${algorithm.curve}` : `RSA ${algorithm.bits}`;
  t.test(`${name}: wrapped on one token, restored on another as sensitive with label and CKA_ID; openssl verifies its signature`, async (t) => {
    const fx = softhsm(t);
    const source = fx.initToken('SOURCE');
    const target = fx.initToken('DR');
    const hsm = fx.open();
    t.teardown(() => hsm.finalize());
    const original = await generate(hsm, source, 'CA-KEY', algorithm, true);
    const kekBytes = randomBytes(32);

    const a = kekSession(hsm, source, kekBytes);
    const wrapped = a.session.wrapPrivateKey(a.kek, 'CA-KEY');
    t.ok(wrapped.length > 40, `wrapped: ${wrapped.length} bytes`);
    a.session.destroySessionKek(a.kek);
    const destroyed = await caught(() => a.session.wrapPrivateKey(a.kek, 'CA-KEY'));
    t.equal(destroyed.code, 'hsm.kek-not-found', 'a destroyed KEK wraps nothing');
    a.session.logout();
    a.session.close();

    const b = kekSession(hsm, target, kekBytes);
    const restored = await b.session.restoreKeyPair(b.kek, wrapped, { label: 'CA-KEY', id: original.id, spki: original.spki, backup: false });
    t.equal(restored.label, 'CA-KEY');
    t.equal(restored.id, original.id, 'the same CKA_ID');
    t.same(restored.spki, original.spki, 'the same public key');
    t.match(b.session.privateKeyAttributes('CA-KEY'), {
      token: true,
      private: true,
      sensitive: true,
      extractable: false,
      wrapWithTrusted: false,
      sign: true,
      decrypt: false,
      local: false,
    });
    const data = Buffer.from('restored on the DR token 醫事憑證');
    const raw = await b.session.sign('CA-KEY', 'SHA-256', data);
    b.session.destroySessionKek(b.kek);
    b.session.logout();
    b.session.close();

    const verify = await openssl((d) => ['dgst', '-sha256', '-verify', join(d, 'k.pem'), '-signature', join(d, 'sig'), join(d, 'data')], {
      'k.pem': pem('PUBLIC KEY', original.spki),
      sig: algorithm.type === 'EC' ? ecdsaRawToDer(raw) : raw,
      data,
    });
    t.equal(verify.stdout.trim(), 'Verified OK', 'openssl: the restored key signs under the original public key');
    hsm.finalize();
    const listed = await privateKeyListing(fx, target);
    t.same(
      listed.map((k) => [k.label, k.id]),
      [['CA-KEY', original.id]],
      'pkcs11-tool: the DR token holds the key with its label and CKA_ID',
    );
    t.match(listed[0]!.text, /Access:\s+sensitive, extractable|Access:\s+sensitive\n/, 'pkcs11-tool: sensitive');
    t.notMatch(listed[0]!.text, /always sensitive|never extractable|local/, 'a restored key was outside an HSM, and says so');
    t.notMatch(listed[0]!.text, /extractable/, 'and cannot leave the DR token');
  });
}

t.test('refusals: not for backup, KEK outside an SO session, label taken, wrong KEK, another key’s SPKI', async (t) => {
  const fx = softhsm(t);
  const source = fx.initToken('SOURCE');
  const target = fx.initToken('DR');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const backedUp = await generate(hsm, source, 'CA-KEY', EC, true);
  const other = await generate(hsm, source, 'OTHER', EC, true);
  await generate(hsm, source, 'NEVER', EC, false);
  await generate(hsm, target, 'TAKEN', EC, false);
  const kekBytes = randomBytes(32);

  const user = hsm.openSession('SOURCE');
  user.login('user', source.userPin);
  const notSo = await caught(() => user.createSessionKek('kek', kekBytes));
  t.equal(notSo.code, 'hsm.kek-needs-so');
  user.logout();
  user.close();

  const a = kekSession(hsm, source, kekBytes);
  t.teardown(() => a.session.close());
  const never = await caught(() => a.session.wrapPrivateKey(a.kek, 'NEVER'));
  t.equal(never.code, 'hsm.key-not-for-backup');
  t.equal(never.message, 'key "NEVER" on token "SOURCE" was not generated for backup (it is not extractable)');
  const wrapped = a.session.wrapPrivateKey(a.kek, 'CA-KEY');

  const b = kekSession(hsm, target, kekBytes);
  t.teardown(() => b.session.close());
  const taken = await caught(() => b.session.restoreKeyPair(b.kek, wrapped, { label: 'TAKEN', id: backedUp.id, spki: backedUp.spki, backup: false }));
  t.equal(taken.code, 'hsm.key-exists');
  t.equal(taken.message, 'a key with label "TAKEN" already exists on token "DR"');

  const swapped = await caught(() => b.session.restoreKeyPair(b.kek, wrapped, { label: 'SWAPPED', id: other.id, spki: other.spki, backup: false }));
  t.equal(swapped.code, 'hsm.restored-key-mismatch', 'a header naming another key is caught by the test signature');
  t.equal(b.session.findKeyPair('SWAPPED'), undefined, 'and nothing stays under that label');

  const tampered = Buffer.from(wrapped);
  tampered[tampered.length - 1]! ^= 1;
  const bad = await caught(() => b.session.restoreKeyPair(b.kek, tampered, { label: 'CA-KEY', id: backedUp.id, spki: backedUp.spki, backup: false }));
  t.match(bad.message, 'unwrapping key "CA-KEY" on token "DR" under "backup-kek"', `a changed blob does not unwrap: ${bad.message}`);
  b.session.destroySessionKek(b.kek);

  // The same blob under a different KEK (a wrong share set rebuilds a different key).
  b.session.logout();
  b.session.login('so', target.soPin);
  const wrongKek = b.session.createSessionKek('wrong-kek', randomBytes(32));
  b.session.logout();
  b.session.login('user', target.userPin);
  const wrong = await caught(() => b.session.restoreKeyPair(wrongKek, wrapped, { label: 'CA-KEY', id: backedUp.id, spki: backedUp.spki, backup: false }));
  t.match(wrong.message, 'unwrapping key "CA-KEY" on token "DR"', `another KEK does not unwrap: ${wrong.message}`);
  t.same(
    b.session.listKeyPairs().map((k) => k.label),
    ['TAKEN'],
    'nothing was restored',
  );

  b.session.logout();
  b.session.login('so', target.soPin);
  const rightKek = b.session.createSessionKek('right-kek', kekBytes);
  b.session.logout();
  b.session.login('user', target.userPin);
  const restored = await b.session.restoreKeyPair(rightKek, wrapped, { label: 'CA-KEY', id: backedUp.id, spki: backedUp.spki, backup: true });
  t.equal(restored.id, backedUp.id);
  t.match(
    b.session.privateKeyAttributes('CA-KEY'),
    { sensitive: true, extractable: true, wrapWithTrusted: true },
    'backup: true again keeps it extractable under a trusted key only',
  );
});

t.test('the wrapping mechanisms of a SoftHSM token', async (t) => {
  const fx = softhsm(t);
  fx.initToken('MECH');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const listed = hsm.wrappingMechanisms('MECH');
  t.match(
    listed.find((m) => m.name === 'CKM_AES_KEY_WRAP_PAD'),
    { wrap: true, unwrap: true },
  );
  t.match(
    listed.find((m) => m.name === 'CKM_RSA_AES_KEY_WRAP'),
    { wrap: false, unwrap: false },
    'SoftHSM 2.6.1 has no CKM_RSA_AES_KEY_WRAP',
  );
});

// The facts of issue 18, through pkcs11js alone (no keyceremony code between the test and
// SoftHSM), so that a module that behaves otherwise shows here first.
t.test('measured facts: what an untrusted key, a user and an SO can and cannot do', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('FACTS');
  const p = pkcs11js;
  const lib = new p.PKCS11();
  lib.load(fx.modulePath);
  lib.C_Initialize({ flags: p.CKF_OS_LOCKING_OK });
  t.teardown(() => {
    lib.C_Finalize();
    lib.close();
  });
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === 'FACTS')!;
  const session = lib.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
  const ckr = (fn: () => unknown) => {
    try {
      fn();
      return 'CKR_OK';
    } catch (error) {
      return (error as Error).message.split(/[\s:]/)[0];
    }
  };
  const aes = (trusted: boolean | undefined, privateObject: boolean) => [
    { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
    { type: p.CKA_KEY_TYPE, value: p.CKK_AES },
    { type: p.CKA_TOKEN, value: false },
    { type: p.CKA_PRIVATE, value: privateObject },
    { type: p.CKA_SENSITIVE, value: true },
    { type: p.CKA_EXTRACTABLE, value: false },
    { type: p.CKA_WRAP, value: true },
    { type: p.CKA_UNWRAP, value: true },
    ...(trusted === undefined ? [] : [{ type: p.CKA_TRUSTED, value: trusted }]),
    { type: p.CKA_VALUE, value: randomBytes(32) },
  ];
  const keyPair = (extractable: boolean) =>
    lib.C_GenerateKeyPair(
      session,
      { mechanism: p.CKM_EC_KEY_PAIR_GEN },
      [
        { type: p.CKA_TOKEN, value: false },
        { type: p.CKA_EC_PARAMS, value: Buffer.from('06052b81040022', 'hex') },
        { type: p.CKA_VERIFY, value: true },
      ],
      [
        { type: p.CKA_TOKEN, value: false },
        { type: p.CKA_PRIVATE, value: true },
        { type: p.CKA_SENSITIVE, value: true },
        { type: p.CKA_EXTRACTABLE, value: extractable },
        { type: p.CKA_WRAP_WITH_TRUSTED, value: true },
        { type: p.CKA_SIGN, value: true },
      ],
    ).privateKey;
  const wrap = (kek: Buffer, key: Buffer) => lib.C_WrapKey(session, { mechanism: p.CKM_AES_KEY_WRAP_PAD }, kek, key, Buffer.alloc(4096));

  lib.C_Login(session, p.CKU_SO, pins.soPin.toString('utf8'));
  t.equal(
    ckr(() => lib.C_CreateObject(session, aes(true, true))),
    'CKR_USER_NOT_LOGGED_IN',
    'the SO cannot make a private object',
  );
  const trusted = lib.C_CreateObject(session, aes(true, false));
  lib.C_Logout(session);

  lib.C_Login(session, p.CKU_USER, pins.userPin.toString('utf8'));
  t.not(
    ckr(() => lib.C_CreateObject(session, aes(true, false))),
    'CKR_OK',
    'the user cannot mark a key trusted',
  );
  const untrusted = lib.C_CreateObject(session, aes(undefined, false));
  const forBackup = keyPair(true);
  const never = keyPair(false);
  t.equal(
    ckr(() => wrap(untrusted, forBackup)),
    'CKR_KEY_NOT_WRAPPABLE',
    'an untrusted key cannot wrap a key made with CKA_WRAP_WITH_TRUSTED',
  );
  t.equal(
    ckr(() => wrap(trusted, never)),
    'CKR_KEY_UNEXTRACTABLE',
    'not even a trusted key can wrap a never-extractable key',
  );
  t.equal(
    ckr(() => wrap(trusted, forBackup)),
    'CKR_OK',
    'the trusted KEK, made by the SO, outlives the SO logout and wraps',
  );
  t.equal(
    ckr(() => lib.C_GetAttributeValue(session, trusted, [{ type: p.CKA_VALUE }])),
    'CKR_ATTRIBUTE_SENSITIVE',
    'the KEK cannot be read back',
  );
  t.not(
    ckr(() => wrap(untrusted, trusted)),
    'CKR_OK',
    'nor wrapped out by another key',
  );
  lib.C_Logout(session);
  lib.C_CloseSession(session);
  const later = lib.C_OpenSession(slot, p.CKF_SERIAL_SESSION);
  lib.C_FindObjectsInit(later, [{ type: p.CKA_CLASS, value: p.CKO_SECRET_KEY }]);
  t.same(lib.C_FindObjects(later, 10), [], 'the session KEK is gone with its session');
  lib.C_FindObjectsFinal(later);
});
