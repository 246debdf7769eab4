// The signing seam and the WebCrypto bridge: HSM keys sign through @peculiar/x509's
// WebCrypto calls, signatures are checked by openssl, and the bridge refuses everything
// but signing for those keys.
import t from 'tap';
import { createPublicKey, webcrypto } from 'node:crypto';
import { spkiAlgorithm } from '../../src/hsm/public-key.js';
import type { KeyAlgorithm } from '../../src/hsm/types.js';
import { hsmSigner, prepareThrowawaySigner, signatureVerifies, throwawaySigner, type KeySigner } from '../../src/x509/signer.js';
import { bridgeCrypto, signForX509, signerKeyPair } from '../../src/x509/webcrypto-bridge.js';
import { caught } from '../helpers/errors.js';
import { pem } from '../helpers/openssl.js';
import { caKeys, openssl } from '../helpers/x509.js';

const { session, signers } = await caKeys(t, 'X509-SIGNER', {
  rsa: { type: 'RSA', bits: 2048 },
  p384: { type: 'EC', curve: 'P-384' },
  p256: { type: 'EC', curve: 'P-256' },
});
const data = Buffer.from('TBSCertificate of 醫事憑證管理中心 - G3');

t.test('hsmSigner: the key found by label; an unknown label is refused', async (t) => {
  t.same(signers.rsa!.algorithm, { type: 'RSA', bits: 2048 });
  t.ok(signers.p384!.spki.equals(session.findKeyPair('p384')!.spki));
  const missing = await caught(() => hsmSigner(session, 'HCA-G9'));
  t.equal(missing.code, 'x509.key-not-found');
  t.equal(missing.message, 'no key pair with label "HCA-G9" on token "X509-SIGNER"');
});

for (const [label, hash, webName] of [
  ['rsa', 'SHA-384', 'RSASSA-PKCS1-v1_5'],
  ['p384', 'SHA-384', 'ECDSA'],
] as const) {
  t.test(`${label}: @peculiar/x509-style signing through the bridge, checked by openssl`, async (t) => {
    const signer = signers[label]!;
    const { privateKey, publicKey } = await signerKeyPair(signer, hash);
    t.equal(privateKey.algorithm.name, webName);
    t.equal(privateKey.extractable, false);
    t.same(privateKey.usages, ['sign']);
    const signature = await bridgeCrypto.subtle.sign(privateKey.algorithm, privateKey, data);
    const verifyAlgorithm = webName === 'ECDSA' ? { name: 'ECDSA', hash } : { name: webName };
    t.ok(await webcrypto.subtle.verify(verifyAlgorithm, publicKey, signature, data), "Node's webcrypto verifies the HSM signature");

    // The X.509 form (DER ECDSA-Sig-Value for EC) as openssl dgst checks it.
    const x509 = await signForX509(signer, hash, data);
    t.equal(x509.algorithm.name, label === 'rsa' ? 'sha384WithRSAEncryption' : 'ecdsa-with-SHA384');
    const checked = await openssl((d) => ['dgst', '-sha384', '-verify', `${d}/k.pem`, '-signature', `${d}/sig`, `${d}/data`], {
      'k.pem': pem('PUBLIC KEY', signer.spki),
      sig: x509.signature,
      data,
    });
    t.equal(checked.stdout.trim(), 'Verified OK', checked.stderr);
  });
}

t.test('the bridge refuses everything but signing for HSM keys, and wrong algorithms', async (t) => {
  const { privateKey } = await signerKeyPair(signers.rsa!, 'SHA-256');
  const exported = await caught(() => bridgeCrypto.subtle.exportKey('pkcs8', privateKey));
  t.equal(exported.code, 'x509.bridge-refused');
  t.equal(exported.message, 'key "rsa" can only sign; exportKey is refused');
  t.equal(exported.hint, 'the private key never leaves the HSM');
  t.equal((await caught(() => bridgeCrypto.subtle.wrapKey('raw', privateKey, privateKey, 'AES-KW'))).code, 'x509.bridge-refused');
  t.equal((await caught(() => bridgeCrypto.subtle.verify('RSASSA-PKCS1-v1_5', privateKey, new Uint8Array(256), data))).code, 'x509.bridge-refused');
  const pss = await caught(() => bridgeCrypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, privateKey, data));
  t.equal(pss.code, 'x509.bridge-algorithm');
  t.equal(pss.message, 'key "rsa" signs with RSASSA-PKCS1-v1_5, not RSA-PSS');
  const { privateKey: ecKey } = await signerKeyPair(signers.p256!, 'SHA-256');
  const hash = await caught(() => bridgeCrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-512' }, ecKey, data));
  t.equal(hash.code, 'x509.bridge-hash');
  t.equal(hash.message, 'key "p256" was prepared to sign with SHA-256, not SHA-512');
  t.notOk(
    Object.values(privateKey).some((v) => typeof v === 'object' && v !== null && 'sign' in v),
    'the key object does not carry the signer',
  );
});

t.test('other keys go straight to Node webcrypto', async (t) => {
  const pair = await bridgeCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const signature = await bridgeCrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data);
  t.ok(await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, signature, data));
  t.equal(bridgeCrypto.getRandomValues(new Uint8Array(16)).length, 16);
});

t.test('a signature that does not verify with the key is caught before it is used', async (t) => {
  // A signer whose public key is the P-384 key but whose signatures come from P-256: what a
  // wrong label or a faulty HSM would look like.
  const confused: KeySigner = { ...signers.p384!, label: 'confused', sign: (hash, bytes) => signers.p256!.sign(hash, bytes) };
  const error = await caught(() => signForX509(confused, 'SHA-384', data));
  t.equal(error.code, 'x509.signature-check');
  t.equal(error.message, 'the signature made with key "confused" does not verify with that key\'s public key');
});

t.test('throwaway signers: software keys of the issuer type', async (t) => {
  for (const algorithm of [
    { type: 'RSA', bits: 2048 },
    { type: 'EC', curve: 'P-384' },
    { type: 'EC', curve: 'P-521' },
  ] as KeyAlgorithm[]) {
    const signer = await throwawaySigner(algorithm);
    t.same(spkiAlgorithm(signer.spki), algorithm);
    t.match(signer.label, /^throwaway /);
    const signature = await signer.sign('SHA-512', data);
    t.ok(signatureVerifies(signer.spki, 'SHA-512', data, signature, 'raw'));
    t.notOk(signatureVerifies(signer.spki, 'SHA-512', Buffer.from('other'), signature, 'raw'));
    t.notOk(
      createPublicKey({ key: signer.spki, format: 'der', type: 'spki' }).equals(createPublicKey({ key: signers.rsa!.spki, format: 'der', type: 'spki' })),
    );
  }
  t.notOk(signatureVerifies(Buffer.from('not a key'), 'SHA-256', data, data, 'der'), 'a malformed key does not verify');
});

t.test('a prepared throwaway key is taken by the next issuance of its type, and only once', async (t) => {
  const p256: KeyAlgorithm = { type: 'EC', curve: 'P-256' };
  const p384: KeyAlgorithm = { type: 'EC', curve: 'P-384' };
  prepareThrowawaySigner(p256);
  prepareThrowawaySigner(p256); // a second prepare of the same type keeps the first key
  // The P-256 key is held for a P-256 issuer: a P-384 issuer gets a key of its own type.
  t.same(spkiAlgorithm((await throwawaySigner(p384)).spki), p384);
  const first = await throwawaySigner(p256);
  const second = await throwawaySigner(p256);
  t.same(spkiAlgorithm(first.spki), p256);
  t.same(spkiAlgorithm(second.spki), p256);
  t.notOk(first.spki.equals(second.spki), 'the prepared key signs one certificate; the next one is new');
  const signature = await first.sign('SHA-256', data);
  t.ok(signatureVerifies(first.spki, 'SHA-256', data, signature, 'raw'));
});
