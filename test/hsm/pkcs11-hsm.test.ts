// The HSM layer against real (throwaway) tokens on two independent PKCS#11 implementations,
// SoftHSMv2 and NSS softoken (helpers/token-stores.ts), checked with each one's own tool
// (pkcs11-tool, certutil) and with openssl.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';
import { withSession } from '../../src/hsm/hsm.js';
import { HsmError } from '../../src/hsm/hsm-error.js';
import { InputError } from '../../src/errors.js';
import type { HashName, KeyAlgorithm } from '../../src/hsm/types.js';
import { caught } from '../helpers/errors.js';
import { ecdsaRawToDer, openssl, pem } from '../helpers/openssl.js';
import { randomPin, softhsm } from '../helpers/softhsm.js';
import { IMPLEMENTATIONS, type Implementation } from '../helpers/token-stores.js';
import { subjectKeyIdentifier } from '../../src/x509/extensions.js';
import { certificateObjectFields } from '../../src/x509/index.js';
import { pkcs11Tool } from '../helpers/softhsm.js';
import { NSS_CAPABILITIES, nss } from '../helpers/nss.js';

/** What each implementation says about itself (measured; HSM.md). */
const EXPECTED: Record<
  Implementation,
  { manufacturer: string; model: string; serial: RegExp; blankTokenLeft: boolean; copyable: boolean; ecdsa: Record<HashName, string> }
> = {
  SoftHSM: {
    manufacturer: 'SoftHSM',
    model: 'SoftHSM v2',
    serial: /^[0-9a-f]{16}$/,
    blankTokenLeft: true,
    // SoftHSM 2.6.1 refuses CKA_COPYABLE false in C_CopyObject, and a key generated with it
    // could not be copied to take its CKA_ID (SoftHSM.md "Hardened private keys").
    copyable: true,
    // SoftHSM 2.6.1 has no CKM_ECDSA_SHA*: keyceremony hashes, the token signs the digest.
    ecdsa: { 'SHA-256': 'CKM_ECDSA', 'SHA-384': 'CKM_ECDSA', 'SHA-512': 'CKM_ECDSA' },
  },
  'NSS softoken': {
    manufacturer: 'Mozilla Foundation',
    model: 'NSS 3',
    serial: /^0{16}$/,
    blankTokenLeft: false,
    // NSS has no CKA_COPYABLE: it copies anything.
    copyable: true,
    ecdsa: { 'SHA-256': 'CKM_ECDSA_SHA256', 'SHA-384': 'CKM_ECDSA_SHA384', 'SHA-512': 'CKM_ECDSA_SHA512' },
  },
};

const ALGORITHMS: KeyAlgorithm[] = [
  { type: 'RSA', bits: 2048 },
  { type: 'RSA', bits: 3072 },
  { type: 'RSA', bits: 4096 },
  { type: 'EC', curve: 'P-256' },
  { type: 'EC', curve: 'P-384' },
  { type: 'EC', curve: 'P-521' },
];
const HASHES: HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];

t.test('bad module path, not a library: clear errors with exit 2', async (t) => {
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
});

for (const { name, store } of IMPLEMENTATIONS) {
  const expected = EXPECTED[name];

  t.test(`${name}: module and token information`, async (t) => {
    const fx = store(t);
    fx.initToken('INFO-TOKEN');
    const hsm = fx.open();
    t.teardown(() => hsm.finalize());
    t.equal(hsm.module.manufacturer, expected.manufacturer);
    const token = hsm.findToken('INFO-TOKEN');
    t.equal(token.label, 'INFO-TOKEN');
    t.equal(token.model, expected.model);
    t.match(token.serial, expected.serial);
    t.equal(token.initialized, true);
    t.equal(token.pin.userPinInitialized, true);
    t.equal(token.pin.userPinLocked, false);
    t.equal(token.pin.userPinFinalTry, false);
    t.equal(
      hsm.tokens().some((tk) => !tk.initialized),
      expected.blankTokenLeft,
      'a blank token is left to initialise',
    );
    t.same(hsm.findToken('INFO-TOKEN', token.serial).serial, token.serial);
    t.same(
      hsm
        .mechanisms('INFO-TOKEN')
        .filter((m) => !m.supported)
        .map((m) => m.name),
      [],
      'every mechanism keyceremony uses is there',
    );
    const unknown = await caught(() => hsm.findToken('ABSENT'));
    t.equal(unknown.exitCode, 2);
    t.equal(unknown.message, `no token with label "ABSENT" in ${fx.modulePath}`);
    t.match(unknown.hint, 'tokens present: "INFO-TOKEN"');
    const wrongSerial = await caught(() => hsm.findToken('INFO-TOKEN', '1234'));
    t.match(wrongSerial.message, 'no token with label "INFO-TOKEN" and serial 1234');
  });

  t.test(`${name}: a module is open once per process; after finalize it opens again`, async (t) => {
    const fx = store(t);
    fx.initToken('ONCE');
    const first = fx.open();
    const again = await caught(() => fx.open());
    t.equal(again.code, 'hsm.module-open');
    t.equal(again.message, `PKCS#11 module ${fx.modulePath} is already open in this process (as ${fx.modulePath})`);
    t.equal(first.findToken('ONCE').label, 'ONCE', 'the refused second open left the first one working');
    first.finalize();
    const reopened = fx.open();
    t.teardown(() => reopened.finalize());
    t.equal(reopened.findToken('ONCE').label, 'ONCE');
  });

  t.test(`${name}: the user PIN: change, wrong PIN, PIN not in messages`, async (t) => {
    const fx = store(t);
    const pins = fx.initToken('PINS');
    const hsm = fx.open();
    t.teardown(() => hsm.finalize());
    const newPin = randomPin();
    await withSession(hsm, { label: 'PINS' }, { userType: 'user', pin: pins.userPin }, (session) => session.setPin(pins.userPin, newPin));
    const wrong = await caught(() => withSession(hsm, { label: 'PINS' }, { userType: 'user', pin: pins.userPin }, () => undefined));
    t.type(wrong, HsmError);
    t.equal((wrong as HsmError).ckr, 'CKR_PIN_INCORRECT');
    t.equal(wrong.message, 'logging in to token "PINS" as user: the HSM refused the PIN (CKR_PIN_INCORRECT)');
    t.match(wrong.hint, 'locks the PIN after a few');
    t.notMatch(wrong.message + wrong.hint, pins.userPin.toString(), 'the PIN is not in the message');
    t.equal(await withSession(hsm, { label: 'PINS' }, { userType: 'user', pin: newPin }, (s) => s.loggedInAs), 'user');
  });

  t.test(`${name}: withSession logs out and closes even when the work fails`, async (t) => {
    const fx = store(t);
    const pins = fx.initToken('CLEANUP');
    const hsm = fx.open();
    t.teardown(() => hsm.finalize());
    const seen: { logout?: boolean; close?: boolean } = {};
    const real = hsm.openSession.bind(hsm);
    hsm.openSession = (label: string) => {
      const session = real(label);
      const logout = session.logout.bind(session);
      const close = session.close.bind(session);
      session.logout = () => ((seen.logout = true), logout());
      session.close = () => ((seen.close = true), close());
      return session;
    };
    await t.rejects(
      withSession(hsm, { label: 'CLEANUP' }, { userType: 'user', pin: pins.userPin }, () => {
        throw new Error('work failed');
      }),
      /work failed/,
    );
    t.same(seen, { logout: true, close: true });
    // A second login works, so the first really logged out.
    t.equal(await withSession(hsm, { label: 'CLEANUP' }, { userType: 'user', pin: pins.userPin }, (s) => s.loggedInAs), 'user');
  });

  t.test(`${name}: key pairs generated as asked, checked by the token's own tool, signatures verified by openssl`, async (t) => {
    const fx = store(t);
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
      t.equal(key.id, subjectKeyIdentifier(key.spki).toString('hex'), `${label}: CKA_ID is the SKI as the X.509 profiles compute it`);
      t.equal(
        key.uri,
        `pkcs11:token=KEYS;object=${label};id=${key.id
          .match(/../g)!
          .map((b) => `%${b}`)
          .join('')};type=private`,
      );
      t.equal(key.fingerprint.words.split(' ').length, 32);

      // openssl reads our SPKI and verifies signatures made in the token.
      const spkiPem = pem('PUBLIC KEY', key.spki);
      const text = await openssl((d) => ['pkey', '-pubin', '-in', join(d, 'k.pem'), '-noout', '-text'], { 'k.pem': spkiPem });
      t.equal(text.code, 0);
      t.match(
        text.stdout,
        algorithm.type === 'RSA'
          ? `Public-Key: (${algorithm.bits} bit)`
          : { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[algorithm.curve],
      );
      if (algorithm.type === 'RSA') t.match(text.stdout, 'Exponent: 65537');
      for (const hash of HASHES) {
        const mechanism = session.signMechanism(label, hash);
        t.equal(mechanism.name, algorithm.type === 'EC' ? expected.ecdsa[hash] : `CKM_SHA${hash.slice(4)}_RSA_PKCS`, `${label} ${hash}: ${mechanism.name}`);
        t.equal(mechanism.hashedBy, mechanism.name === 'CKM_ECDSA' ? 'node' : 'token');
        const data = Buffer.from(`to be signed with ${label} ${hash} 醫事憑證`);
        const raw = await session.sign(label, hash, data);
        const signature = algorithm.type === 'EC' ? ecdsaRawToDer(raw) : raw;
        const verify = await openssl(
          (d) => ['dgst', `-${hash.replace('-', '').toLowerCase()}`, '-verify', join(d, 'k.pem'), '-signature', join(d, 'sig'), join(d, 'data')],
          { 'k.pem': spkiPem, sig: signature, data },
        );
        t.equal(verify.stdout.trim(), 'Verified OK', `${label} ${hash}: openssl verifies`);
      }
      // The token's own tool exports the same public key.
      if (algorithm.type === 'RSA' || fx.exportsEcKeys)
        t.same(await fx.exportSpki('KEYS', pins.userPin, key), key.spki, `${label}: the exported public key is ours`);
      const attributes = session.privateKeyAttributes(label);
      t.match(
        attributes,
        {
          token: true,
          private: true,
          sensitive: true,
          alwaysSensitive: true,
          extractable: false,
          neverExtractable: true,
          sign: true,
          signRecover: false,
          decrypt: false,
        },
        `${label}: a signing key that never leaves the token`,
      );
      t.equal(attributes.modifiable, !fx.capabilities.keyCopy, `${label}: not modifiable where the token copies keys keeping their provenance (keyCopy)`);
      t.equal(attributes.copyable, expected.copyable, `${label}: CKA_COPYABLE as far as the token can set it`);
      t.equal(attributes.local, fx.capabilities.ckaLocal, `${label}: CKA_LOCAL as the profile's ckaLocal says`);
    }

    // The token's own tool, logged in, lists every private key with its label and CKA_ID.
    const listed = await fx.privateKeys('KEYS', pins.userPin);
    t.same(
      listed.map((k) => k.label).sort(),
      session
        .listKeyPairs()
        .map((k) => k.label)
        .sort(),
    );
    for (const key of session.listKeyPairs()) t.equal(listed.find((k) => k.label === key.label)?.id, key.id, `${key.label}: the same CKA_ID`);
    if (name === 'SoftHSM') {
      for (const entry of listed) {
        t.match(entry.text, /Usage:\s+sign\n/, 'sign only');
        t.match(entry.text, /Access:\s+sensitive, always sensitive, never extractable, local/);
      }
    }

    t.equal(session.listKeyPairs().length, ALGORITHMS.length);
    t.equal(session.findKeyPairById(session.findKeyPair('rsa-2048')!.id)?.label, 'rsa-2048');
    t.equal(session.findKeyPair('nope'), undefined);
  });

  t.test(`${name}: an existing label is refused; keys need a login; destroy removes both halves`, async (t) => {
    const fx = store(t);
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

    t.same(
      (await fx.privateKeys('DESTROY', pins.userPin)).map((k) => k.id),
      [key.id],
      'the tool lists the key',
    );
    session.destroyKeyPair('G2');
    t.equal(session.findKeyPair('G2'), undefined);
    t.same(await fx.privateKeys('DESTROY', pins.userPin), [], 'the tool no longer lists the key');
    const gone = await caught(() => session.destroyKeyPair('G2'));
    t.equal(gone.code, 'hsm.key-not-found');
    const signGone = await caught(() => session.sign('G2', 'SHA-256', Buffer.from('x')));
    t.equal(signGone.code, 'hsm.key-not-found');
  });

  t.test(`${name}: a certificate goes onto the token with its key's label and CKA_ID, once`, async (t) => {
    const fx = store(t);
    const pins = fx.initToken('CERTS');
    const hsm = fx.open();
    t.teardown(() => hsm.finalize());
    const session = hsm.openSession('CERTS');
    t.teardown(() => session.close());
    session.login('user', pins.userPin);
    const key = await session.generateKeyPair('CA-KEY', { type: 'EC', curve: 'P-256' });
    // The HSM layer stores what it is given; any real certificate will do.
    const der = readFileSync(new URL('../x509/fixtures/moica-g3.cer', import.meta.url));
    const certificate = { value: der, ...certificateObjectFields(der) };
    t.same(session.storeCertificate('CA-KEY', certificate), { label: 'CA-KEY', id: key.id, created: true });
    t.same(
      session.storeCertificate('CA-KEY', certificate),
      { label: 'CA-KEY', id: key.id, created: false },
      'the same certificate again (a resumed step) is kept, not duplicated',
    );
    const other = await caught(() => session.storeCertificate('CA-KEY', { ...certificate, value: Buffer.concat([der, Buffer.from([0])]) }));
    t.equal(other.code, 'hsm.certificate-exists');
    t.equal(other.message, 'token "CERTS" holds another certificate with label "CA-KEY"');
    const noKey = await caught(() => session.storeCertificate('NO-KEY', certificate));
    t.equal(noKey.code, 'hsm.key-not-found');
    if (name === 'SoftHSM') {
      const listed = await pkcs11Tool({ modulePath: fx.modulePath, env: process.env }, ['--token-label', 'CERTS', '--list-objects', '--type', 'cert']);
      t.equal(listed.stdout.split('Certificate Object').length - 1, 1, 'pkcs11-tool lists one certificate object');
      t.match(listed.stdout, new RegExp(`label:\\s+CA-KEY\\n[\\s\\S]*ID:\\s+${key.id}\\n`));
    }
  });

  t.test(`${name}: concurrent signatures on one session are serialised`, async (t) => {
    const fx = store(t);
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
}

t.test('SoftHSM: token setup through PKCS#11: init, first user PIN, a PIN too short', async (t) => {
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
  const short = await caught(() => withSession(hsm, { label: 'SETUP' }, { userType: 'user', pin: userPin }, (s) => s.setPin(userPin, Buffer.from('12'))));
  t.equal((short as HsmError).ckr, 'CKR_PIN_LEN_RANGE');
});

t.test('NSS softoken: an init-token the profile rules out is refused before C_InitToken; initArgs the module refuses are exit 2', async (t) => {
  const fx = nss(t);
  fx.addBlankToken('BLANK');
  // A profile that says initToken: false (NSS itself can init-token without an SO PIN: next test).
  const hsm = fx.open({ ...NSS_CAPABILITIES, initToken: false });
  const refused = await caught(() => hsm.initToken('BLANK', randomPin()));
  t.equal(refused.code, 'hsm.init-token-unsupported');
  t.equal(refused.exitCode, 2);
  t.equal(refused.message, 'token "BLANK" is not initialised by keyceremony: the HSM profile says initToken: false for it');
  t.match(refused.hint, 'prepare the token with the HSM vendor tools');
  hsm.finalize();

  // A configdir that cannot be made: NSS refuses C_Initialize, and the error names the initArgs.
  const badArgs = await caught(() => Pkcs11Hsm.open(fx.modulePath, { initArgs: "configdir='sql:/nonexistent/keyceremony-nss' flags=noModDB" }));
  t.equal(badArgs.exitCode, 2);
  t.match(badArgs.message, `initialising PKCS#11 module ${fx.modulePath}`);
  t.match(badArgs.hint, 'the module refused the initArgs of the HSM profile');
  // The failed open left nothing behind: the module opens again.
  const again = fx.open();
  t.ok(
    again.tokens().some((token) => token.label === 'BLANK'),
    'the module opens again and lists the token',
  );
  again.finalize();
});

t.test('NSS softoken: init-token takes the blank token the module labels (initTokenLabel: false), with no SO PIN', async (t) => {
  const fx = nss(t);
  fx.addBlankToken('NSS-BLANK');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  // No blank token carries the label: refused, naming it, before any C_InitToken.
  const none = await caught(() => hsm.initToken('NSS-OTHER', Buffer.alloc(0)));
  t.equal(none.code, 'hsm.no-free-token');
  t.match(none.message, 'there is no uninitialised token labelled "NSS-OTHER" to initialise');
  t.match(none.hint, 'initTokenLabel: false');

  const made = hsm.initToken('NSS-BLANK', Buffer.alloc(0));
  t.equal(made.label, 'NSS-BLANK');
  t.equal(made.serial, '0000000000000000');
  const session = hsm.openSession('NSS-BLANK');
  session.login('so', Buffer.alloc(0));
  const pin = randomPin();
  session.initUserPin(pin);
  session.logout();
  t.ok(hsm.findToken('NSS-BLANK').initialized, 'initialised once its user PIN is set');
  // The SO is gone once the user PIN is set: NSS has no SO PIN to split.
  const so = await caught(() => session.login('so', Buffer.alloc(0)));
  t.match(so.message, 'CKR_USER_TYPE_INVALID');
  session.login('user', pin);
  session.logout();
  session.close();
  // An initialised token is never initialised again.
  t.equal((await caught(() => hsm.initToken('NSS-BLANK', Buffer.alloc(0)))).code, 'hsm.token-exists');
});
