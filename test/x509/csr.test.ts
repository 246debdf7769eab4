// PKCS#10 requests signed in SoftHSM, checked by openssl; and verifyCsr refusing what an
// issuing CA must refuse.
import t from 'tap';
import { join } from 'node:path';
import { fingerprint } from '../../src/util/fingerprint.js';
import { createCsr, verifyCsr } from '../../src/x509/csr.js';
import { describeCsr } from '../../src/x509/describe.js';
import { buildName } from '../../src/x509/names.js';
import { caught } from '../helpers/errors.js';
import { HCA_G3, asn1parse, caKeys, flipByte, openssl } from '../helpers/x509.js';

const { signers } = await caKeys(t, 'X509-CSR', {
  'hca-rsa': { type: 'RSA', bits: 4096 },
  'hca-p384': { type: 'EC', curve: 'P-384' },
  'small-rsa': { type: 'RSA', bits: 2048 },
});

/** A CSR made by openssl with a software key, for shapes keyceremony never makes itself. */
async function opensslCsr(keyArgs: string[], subject = '/C=TW/CN=Other', extra: string[] = []): Promise<Buffer> {
  const made = await openssl((d) => ['req', '-new', ...keyArgs, '-nodes', '-keyout', join(d, 'k.pem'), '-subj', subject, ...extra]);
  if (made.code !== 0) throw new Error(made.stderr);
  return Buffer.from(made.stdout.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
}

for (const [label, algorithmName, key] of [
  ['hca-rsa', 'sha256WithRSAEncryption', 'Public-Key: (4096 bit)'],
  ['hca-p384', 'ecdsa-with-SHA384', 'ASN1 OID: secp384r1'],
] as const) {
  t.test(`${label}: a CSR signed in the HSM, verified by openssl`, async (t) => {
    const signer = signers[label]!;
    const csr = await createCsr({ signer, subject: HCA_G3 });
    t.match(csr.pem, /^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE REQUEST-----\n$/);
    const checked = await openssl((d) => ['req', '-in', join(d, 'r.pem'), '-verify', '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space'], {
      'r.pem': csr.pem,
    });
    t.equal(checked.code, 0, checked.stderr);
    t.match(checked.stdout + checked.stderr, /(verify OK|Certificate request self-signature verify OK)/);
    t.match(checked.stdout, 'Subject: C=TW, O=行政院, CN=醫事憑證管理中心 - G3');
    t.match(checked.stdout, `Signature Algorithm: ${algorithmName}`);
    t.match(checked.stdout, key);
    const parsed = await asn1parse(csr.der);
    t.match(parsed, /PRINTABLESTRING\s+:TW/);
    t.match(parsed, /UTF8STRING\s+:行政院/);
    t.match(parsed, /UTF8STRING\s+:醫事憑證管理中心 - G3/);

    const summary = verifyCsr(csr.der, { subject: HCA_G3, algorithm: signer.algorithm });
    t.ok(summary.subject.equals(buildName(HCA_G3)), 'subject bytes as buildName writes them');
    t.ok(summary.spki.equals(signer.spki), 'the HSM key');
    t.same(summary.algorithm, signer.algorithm);
    t.equal(summary.signatureAlgorithm, algorithmName);
    t.same(summary.fingerprint, fingerprint(csr.der));
    t.same(summary.requestedExtensions, []);
    const described = describeCsr(csr.der);
    t.match(described.text, 'subject       C=TW, O=行政院, CN=醫事憑證管理中心 - G3');
    t.match(described.text, 'asks for      no extensions');
  });
}

t.test('the hash can be chosen: RSA with SHA-512', async (t) => {
  const csr = await createCsr({ signer: signers['small-rsa']!, subject: HCA_G3, hash: 'SHA-512' });
  t.equal(verifyCsr(csr.der).signatureAlgorithm, 'sha512WithRSAEncryption');
});

t.test('a CSR with a bad signature is refused: no proof of possession', async (t) => {
  const csr = await createCsr({ signer: signers['hca-p384']!, subject: HCA_G3 });
  const badSignature = flipByte(csr.der, csr.der.length - 3);
  const error = await caught(() => verifyCsr(badSignature));
  t.equal(error.code, 'x509.csr.signature');
  t.equal(error.message, 'the signature on the CSR does not verify with its own public key, so it does not prove possession of the private key');
  t.match(error.hint, 'compare its SHA-256');

  // Change one letter of the subject: still valid DER, but no longer what was signed.
  const at = csr.der.indexOf(Buffer.from('TW'));
  const altered = Buffer.from(csr.der);
  altered[at + 1] = 'X'.charCodeAt(0);
  t.equal((await caught(() => verifyCsr(altered))).code, 'x509.csr.signature');

  const openssled = await openssl((d) => ['req', '-inform', 'DER', '-in', join(d, 'r.der'), '-verify', '-noout'], { 'r.der': badSignature });
  // OpenSSL 3.0 reports the failure but still exits 0, so read what it says.
  t.match(openssled.stdout + openssled.stderr, /self-signature verify failure/, 'openssl refuses it too');
});

t.test('not DER, truncated or trailing bytes: refused as such', async (t) => {
  const csr = await createCsr({ signer: signers['small-rsa']!, subject: HCA_G3 });
  const pemText = await caught(() => verifyCsr(Buffer.from(csr.pem)));
  t.equal(pemText.code, 'x509.der');
  t.match(pemText.hint, 'PEM instead of DER');
  t.equal((await caught(() => verifyCsr(csr.der.subarray(0, csr.der.length - 1)))).code, 'x509.der');
  const trailing = await caught(() => verifyCsr(Buffer.concat([csr.der, Buffer.from([0])])));
  t.equal(trailing.message, 'the CSR is not valid DER: 1 bytes after the end');
});

t.test('subject, key algorithm and size are checked against what the ceremony expects', async (t) => {
  const csr = await createCsr({ signer: signers['small-rsa']!, subject: HCA_G3 });
  const otherSubject = [
    { type: 'C', value: 'TW' },
    { type: 'O', value: '行政院' },
    { type: 'CN', value: '醫事憑證管理中心 - G4' },
  ] as const;
  const subject = await caught(() => verifyCsr(csr.der, { subject: otherSubject }));
  t.equal(subject.code, 'x509.csr.subject');
  t.equal(subject.message, 'the CSR asks for subject C=TW, O=行政院, CN=醫事憑證管理中心 - G3, not C=TW, O=行政院, CN=醫事憑證管理中心 - G4');
  t.equal((await caught(() => verifyCsr(csr.der, { subject: buildName(otherSubject) }))).code, 'x509.csr.subject', 'also given as DER');
  const algorithm = await caught(() => verifyCsr(csr.der, { algorithm: { type: 'RSA', bits: 4096 } }));
  t.equal(algorithm.message, 'the CSR holds a RSA-2048 key, not RSA-4096');
  const size = await caught(() => verifyCsr(csr.der, { minRsaBits: 3072 }, 'hca-g3.csr'));
  t.equal(size.code, 'x509.csr.key-size');
  t.equal(size.message, 'hca-g3.csr holds an RSA key of 2048 bits; at least 3072 are required');
  t.ok(verifyCsr(csr.der, { subject: HCA_G3, algorithm: { type: 'RSA', bits: 2048 }, minRsaBits: 2048 }));
});

t.test('keys a CA must not certify, and requested extensions', async (t) => {
  const small = await caught(async () => verifyCsr(await opensslCsr(['-newkey', 'rsa:1024'])));
  t.equal(small.code, 'x509.csr.key-size');
  t.match(small.message, 'RSA key of 1024 bits; at least 2048 are required');
  const k256 = await caught(async () => verifyCsr(await opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'])));
  t.equal(k256.code, 'x509.csr.key');
  const ed = await caught(async () => verifyCsr(await opensslCsr(['-newkey', 'ed25519'])));
  t.equal(ed.code, 'x509.csr.algorithm');

  const withExtensions = await opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/C=TW/CN=Asks', [
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=keyCertSign',
  ]);
  const summary = verifyCsr(withExtensions);
  t.same(summary.requestedExtensions, ['basicConstraints', 'keyUsage']);
  t.match(describeCsr(withExtensions).text, 'asks for      basicConstraints, keyUsage (ignored: the profile decides)');
});

t.test('a subject that reads the same in another encoding: the message shows both encodings (issue 17 item 4)', async (t) => {
  // string_mask = pkix: openssl writes no UTF8String, so 行政院 becomes a BMPString (as some CA software does).
  const config = join(t.testdir({ 'bmp.cnf': '[req]\ndistinguished_name = dn\nstring_mask = pkix\n[dn]\n' }), 'bmp.cnf');
  const bmp = await opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/C=TW/O=行政院/CN=醫事憑證管理中心 - G3', [
    '-utf8',
    '-config',
    config,
  ]);
  const error = await caught(() => verifyCsr(bmp, { subject: HCA_G3 }));
  t.equal(error.code, 'x509.csr.subject');
  t.match(
    error.message,
    /^the CSR asks for subject C=TW \((PrintableString|BMPString)\), O=行政院 \(BMPString\), CN=醫事憑證管理中心 - G3 \(BMPString\), not C=TW \(PrintableString\), O=行政院 \(UTF8String\), CN=醫事憑證管理中心 - G3 \(UTF8String\)$/,
  );
  const other = await caught(() =>
    verifyCsr(bmp, {
      subject: [
        { type: 'C', value: 'TW' },
        { type: 'CN', value: 'Other' },
      ],
    }),
  );
  t.equal(
    other.message,
    'the CSR asks for subject C=TW, O=行政院, CN=醫事憑證管理中心 - G3, not C=TW, CN=Other',
    'names that read differently are shown as text',
  );
});
