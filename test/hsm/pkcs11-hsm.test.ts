// The HSM layer against a real (throwaway) SoftHSM token, checked with pkcs11-tool and openssl.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';
import { withSession } from '../../src/hsm/hsm.js';
import { HsmError } from '../../src/hsm/hsm-error.js';
import { InputError } from '../../src/errors.js';
import type { HashName, KeyAlgorithm } from '../../src/hsm/types.js';
import { caught } from '../helpers/errors.js';
import { ecdsaRawToDer, openssl, pem } from '../helpers/openssl.js';
import { pkcs11Tool, pkcs11ToolLoggedIn, randomPin, softhsm } from '../helpers/softhsm.js';

t.test('module and token information', async (t) => {
  const fx = softhsm(t);
  fx.initToken('INFO-TOKEN');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  t.equal(hsm.module.manufacturer, 'SoftHSM');
  const token = hsm.findToken('INFO-TOKEN');
  t.equal(token.label, 'INFO-TOKEN');
  t.equal(token.model, 'SoftHSM v2');
  t.match(token.serial, /^[0-9a-f]{16}$/);
  t.equal(token.initialized, true);
  t.equal(token.pin.userPinInitialized, true);
  t.equal(token.pin.userPinLocked, false);
  t.equal(token.pin.userPinFinalTry, false);
  t.ok(hsm.tokens().some((tk) => !tk.initialized), 'SoftHSM keeps one blank token');
  t.same(hsm.findToken('INFO-TOKEN', token.serial).serial, token.serial);
  const mechanisms = hsm.mechanisms('INFO-TOKEN');
  t.same(mechanisms.filter((m) => !m.supported).map((m) => m.name), [], 'SoftHSM has every mechanism we use');
});

t.test('bad module path, not a library, unknown label: clear errors with exit 2', async (t) => {
  const fx = softhsm(t);
  const missing = await caught(() => Pkcs11Hsm.open('/nonexistent/libpkcs11.so'));
  t.type(missing, InputError);
  t.equal(missing.exitCode, 2);
  t.match(missing.message, 'PKCS#11 module /nonexistent/libpkcs11.so does not exist');
  const notLib = join(fx.dir, 'not-a-library.so');
  writeFileSync(notLib, 'hello');
  const bad = await caught(() => Pkcs11Hsm.open(notLib));
  t.equal(bad.exitCode, 2);
  t.match(bad.message, `cannot load PKCS#11 module ${notLib}`);
  fx.initToken('PRESENT');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const unknown = await caught(() => hsm.findToken('ABSENT'));
  t.equal(unknown.exitCode, 2);
  t.equal(unknown.message, `no token with label "ABSENT" in ${fx.modulePath}`);
  t.match(unknown.hint, 'tokens present: "PRESENT"');
  const wrongSerial = await caught(() => hsm.findToken('PRESENT', '0000'));
  t.match(wrongSerial.message, 'no token with label "PRESENT" and serial 0000');
});

t.test('token setup through PKCS#11: init, first user PIN, change PIN, wrong PIN', async (t) => {
  const fx = softhsm(t);
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const soPin = randomPin();
  const userPin = randomPin();
  const token = hsm.initToken('SETUP', soPin);
  t.equal(token.label, 'SETUP');
  t.equal(token.pin.userPinInitialized, false);
  const again = await caught(() => hsm.initToken('SETUP', soPin));
  t.equal(again.code, 'hsm.token-exists');

  await withSession(hsm, { label: 'SETUP' }, { userType: 'so', pin: soPin }, (session) => session.initUserPin(userPin));
  t.equal(hsm.findToken('SETUP').pin.userPinInitialized, true);

  const newPin = randomPin();
  await withSession(hsm, { label: 'SETUP' }, { userType: 'user', pin: userPin }, (session) => session.setPin(userPin, newPin));
  const wrong = await caught(() => withSession(hsm, { label: 'SETUP' }, { userType: 'user', pin: userPin }, () => undefined));
  t.type(wrong, HsmError);
  t.equal((wrong as HsmError).ckr, 'CKR_PIN_INCORRECT');
  t.equal(wrong.message, 'logging in to token "SETUP" as user: the HSM refused the PIN (CKR_PIN_INCORRECT)');
  t.match(wrong.hint, 'locks the PIN after a few');
  t.notMatch(wrong.message + wrong.hint, userPin.toString(), 'the PIN is not in the message');
  const short = await caught(() => withSession(hsm, { label: 'SETUP' }, { userType: 'user', pin: newPin }, (s) => s.setPin(newPin, Buffer.from('12'))));
  t.equal((short as HsmError).ckr, 'CKR_PIN_LEN_RANGE');
  const ok = await withSession(hsm, { label: 'SETUP' }, { userType: 'user', pin: newPin }, (s) => s.loggedInAs);
  t.equal(ok, 'user');
});

t.test('withSession logs out and closes even when the work fails', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('CLEANUP');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  let seen: { logout?: boolean; close?: boolean } = {};
  const real = hsm.openSession.bind(hsm);
  hsm.openSession = (label: string) => {
    const session = real(label);
    const { logout, close } = session;
    session.logout = () => ((seen.logout = true), logout.call(session));
    session.close = () => ((seen.close = true), close.call(session));
    return session;
  };
  await t.rejects(withSession(hsm, { label: 'CLEANUP' }, { userType: 'user', pin: pins.userPin }, () => {
    throw new Error('work failed');
  }), /work failed/);
  t.same(seen, { logout: true, close: true });
  // A second login works, so the first really logged out.
  t.equal(await withSession(hsm, { label: 'CLEANUP' }, { userType: 'user', pin: pins.userPin }, (s) => s.loggedInAs), 'user');
});

const ALGORITHMS: KeyAlgorithm[] = [
  { type: 'RSA', bits: 2048 },
  { type: 'RSA', bits: 3072 },
  { type: 'RSA', bits: 4096 },
  { type: 'EC', curve: 'P-256' },
  { type: 'EC', curve: 'P-384' },
  { type: 'EC', curve: 'P-521' },
];

t.test('key pairs: generated as asked, checked by pkcs11-tool, signatures verified by openssl', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('KEYS');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const session = hsm.openSession('KEYS');
  t.teardown(() => session.close());
  session.login('user', pins.userPin);

  for (const algorithm of ALGORITHMS) {
    const label = algorithm.type === 'RSA' ? `rsa-${algorithm.bits}` : `ec-${algorithm.curve}`;
    const key = await session.generateKeyPair(label, algorithm);
    t.same(key.algorithm, algorithm, `${label}: algorithm read back`);
    t.match(key.id, /^[0-9a-f]{32}$/, `${label}: random 16-byte CKA_ID`);
    t.equal(key.uri, `pkcs11:token=KEYS;object=${label};id=${key.id.match(/../g)!.map((b) => `%${b}`).join('')};type=private`);
    t.equal(key.fingerprint.words.split(' ').length, 32);

    // openssl reads our SPKI and verifies signatures made in the HSM.
    const spkiPem = pem('PUBLIC KEY', key.spki);
    const text = await openssl((d) => ['pkey', '-pubin', '-in', join(d, 'k.pem'), '-noout', '-text'], { 'k.pem': spkiPem });
    t.equal(text.code, 0);
    t.match(text.stdout, algorithm.type === 'RSA' ? `Public-Key: (${algorithm.bits} bit)` : { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[algorithm.curve]);
    if (algorithm.type === 'RSA') t.match(text.stdout, 'Exponent: 65537');
    const hashes: HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];
    for (const hash of hashes) {
      const data = Buffer.from(`to be signed with ${label} ${hash} 醫事憑證`);
      const raw = await session.sign(label, hash, data);
      const signature = algorithm.type === 'EC' ? ecdsaRawToDer(raw) : raw;
      const verify = await openssl(
        (d) => ['dgst', `-${hash.replace('-', '').toLowerCase()}`, '-verify', join(d, 'k.pem'), '-signature', join(d, 'sig'), join(d, 'data')],
        { 'k.pem': spkiPem, sig: signature, data },
      );
      t.equal(verify.stdout.trim(), 'Verified OK', `${label} ${hash}: openssl verifies`);
    }
  }

  // pkcs11-tool, logged in, sees every private key as sensitive, never extractable, local.
  const listing = await pkcs11ToolLoggedIn(fx, 'KEYS', pins.userPin, ['--list-objects', '--type', 'privkey']);
  t.equal(listing.code, 0, listing.stderr);
  const privateKeys = listing.stdout.split('Private Key Object').slice(1);
  t.equal(privateKeys.length, ALGORITHMS.length);
  for (const entry of privateKeys) {
    t.match(entry, /Usage:\s+sign\n/, 'sign only');
    t.match(entry, /Access:\s+sensitive, always sensitive, never extractable, local/);
  }
  t.notMatch(listing.stdout + listing.stderr, pins.userPin.toString(), 'the PIN was typed, not echoed');

  // pkcs11-tool's export of the public key equals ours (OpenSC 0.23 cannot export EC public keys under OpenSSL 3).
  const exported = await pkcs11Tool(fx, ['--token-label', 'KEYS', '--read-object', '--type', 'pubkey', '--label', 'rsa-4096', '--output-file', join(fx.dir, 'rsa.der')]);
  t.equal(exported.code, 0, exported.stderr);
  const { readFileSync } = await import('node:fs');
  t.same(readFileSync(join(fx.dir, 'rsa.der')), session.findKeyPair('rsa-4096')!.spki);

  t.equal(session.listKeyPairs().length, ALGORITHMS.length);
  const byId = session.findKeyPairById(session.findKeyPair('rsa-2048')!.id);
  t.equal(byId?.label, 'rsa-2048');
  t.equal(session.findKeyPair('nope'), undefined);
});

t.test('an existing label is refused; keys need a login; destroy removes both halves', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('DESTROY');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const session = hsm.openSession('DESTROY');
  t.teardown(() => session.close());

  const notLoggedIn = await caught(() => session.generateKeyPair('G2', { type: 'EC', curve: 'P-256' }));
  t.equal((notLoggedIn as HsmError).ckr, 'CKR_USER_NOT_LOGGED_IN');
  t.match(notLoggedIn.hint, 'unlock the token with a quorum');

  session.login('user', pins.userPin);
  const key = await session.generateKeyPair('G2', { type: 'EC', curve: 'P-256' });
  const twice = await caught(() => session.generateKeyPair('G2', { type: 'RSA', bits: 2048 }));
  t.equal(twice.code, 'hsm.key-exists');
  t.equal(twice.message, 'a key with label "G2" already exists on token "DESTROY"');
  t.equal(session.listKeyPairs().length, 1, 'nothing new was made');

  const before = await pkcs11ToolLoggedIn(fx, 'DESTROY', pins.userPin, ['--list-objects']);
  t.match(before.stdout, /label:\s+G2/);
  session.destroyKeyPair('G2');
  t.equal(session.findKeyPair('G2'), undefined);
  const after = await pkcs11ToolLoggedIn(fx, 'DESTROY', pins.userPin, ['--list-objects']);
  t.equal(after.code, 0);
  t.notMatch(after.stdout, /label:\s+G2/, 'pkcs11-tool no longer lists the key');
  t.notMatch(after.stdout, key.id);
  const gone = await caught(() => session.destroyKeyPair('G2'));
  t.equal(gone.code, 'hsm.key-not-found');
  const signGone = await caught(() => session.sign('G2', 'SHA-256', Buffer.from('x')));
  t.equal(signGone.code, 'hsm.key-not-found');
});

t.test('concurrent signatures on one session are serialised', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('SERIAL');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const session = hsm.openSession('SERIAL');
  t.teardown(() => session.close());
  session.login('user', pins.userPin);
  const key = await session.generateKeyPair('K', { type: 'EC', curve: 'P-256' });
  const { createPublicKey, verify } = await import('node:crypto');
  const publicKey = createPublicKey({ key: key.spki, format: 'der', type: 'spki' });
  const messages = Array.from({ length: 20 }, (_, i) => Buffer.from(`message ${i}`));
  const signatures = await Promise.all(messages.map((m) => session.sign('K', 'SHA-256', m)));
  signatures.forEach((signature, i) => {
    t.ok(verify('sha256', messages[i]!, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature), `signature ${i} verifies`);
  });
});
