// Root, subordinate and link certificates from SoftHSM keys, checked with openssl and
// against MOICA-G3, a real subordinate CA certificate issued by GRCA G3.
import t from 'tap';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { findExtension, parseCertificate } from '../../src/x509/certificate.js';
import { createCsr, verifyCsr } from '../../src/x509/csr.js';
import { describeCertificate } from '../../src/x509/describe.js';
import { extensionName } from '../../src/x509/extensions.js';
import { issueCertificate, issueLinkCertificate, selfSign, selfSignWithLints } from '../../src/x509/issue.js';
import { lintsFor } from '../../src/x509/lint.js';
import { buildName } from '../../src/x509/names.js';
import { EXTENSION_OIDS } from '../../src/x509/rules.js';
import { certificateMatchesKey, verifyChain } from '../../src/x509/verify.js';
import { caught } from '../helpers/errors.js';
import {
  DRY_RUN_ROOT,
  HCA_G3,
  asn1parse,
  caKeys,
  counting,
  moicaG3,
  openssl,
  opensslText,
  opensslVerify,
  profile,
  rawCertificate,
  rootParts,
} from '../helpers/x509.js';

const { signers } = await caKeys(t, 'X509-ISSUE', {
  'root-g3': { type: 'RSA', bits: 4096 },
  'hca-g3': { type: 'RSA', bits: 4096 },
  'root-g2': { type: 'EC', curve: 'P-384' },
  'hca-p384': { type: 'EC', curve: 'P-384' },
});
const rootG3 = signers['root-g3']!;
const hcaG3 = signers['hca-g3']!;
const rootG2 = signers['root-g2']!;
const hcaP384 = signers['hca-p384']!;
const rootProfile = profile('root-ca');
const subProfile = profile('subordinate-ca');
const linkProfile = profile('link-ca');
const now = new Date();

const rootDer = await selfSign({ signer: rootG3, subject: DRY_RUN_ROOT, profile: rootProfile, notBefore: now });
const csr = await createCsr({ signer: hcaG3, subject: HCA_G3 });

/** Extension names and criticality, in order, read from the DER. */
const extensionShape = (der: Buffer) => parseCertificate(der).extensions.map((e) => `${extensionName(e.oid)}${e.critical ? ' critical' : ''}`);

t.test('root CA: self-signed RSA-4096, accepted by openssl verify -x509_strict', async (t) => {
  const verify = await opensslVerify(rootDer, rootDer);
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /leaf\.pem: OK/);
  t.same(extensionShape(rootDer), ['subjectKeyIdentifier', 'keyUsage critical', 'basicConstraints critical'], 'SKI, keyUsage and basicConstraints; no AKI');
  const text = await opensslText(rootDer);
  t.match(text, /Basic Constraints: critical\n\s+CA:TRUE\n/, 'CA without a path length');
  t.notMatch(text, /pathlen/);
  t.match(text, /Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign/);
  t.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  t.match(text, /Subject: C=TW, O=行政院, CN=DRY RUN Government Root Certification Authority - G3 \(演練用\)/, 'the dry-run root says what it is');
  const parsed = parseCertificate(rootDer);
  t.ok(parsed.issuer.equals(parsed.subject));
  t.equal(parsed.serial.length, 16, '16-octet serial');
  t.ok(parsed.serial[0]! > 0 && parsed.serial[0]! < 0x80, 'positive, no padding octet');
  t.equal(parsed.notAfter.toISOString().slice(11), '15:59:59.000Z', 'ends at 23:59:59 Taipei time');
  t.ok(certificateMatchesKey(rootDer, rootG3.spki));
  t.notOk(certificateMatchesKey(rootDer, hcaG3.spki));
});

t.test('subordinate CA: HCA G3 from its CSR, as GRCA G3 issues MOICA-G3', async (t) => {
  const root = counting(rootG3);
  const issued = await issueCertificate({ csr: csr.der, issuerSigner: root, issuerCertificate: rootDer, profile: subProfile, notBefore: now });
  t.equal(root.count, 1, 'the HSM signed once; the lint copy was signed by a throwaway key');
  t.equal(issued.lints.length, lintsFor(subProfile).length);
  t.same(
    issued.lints.filter((l) => !l.ok),
    [],
    'every lint passes',
  );

  const verify = await opensslVerify(issued.der, rootDer);
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /leaf\.pem: OK/);

  // Names copied byte for byte: issuer from the root certificate, subject from the CSR.
  const certificate = parseCertificate(issued.der);
  t.ok(certificate.issuer.equals(parseCertificate(rootDer).subject), 'issuer name bytes = root subject name bytes');
  t.ok(certificate.subject.equals(verifyCsr(csr.der).subject), 'subject name bytes = CSR subject name bytes');
  t.ok(certificate.spki.equals(hcaG3.spki), 'the HCA key from the HSM');

  // The types of the name strings, as openssl sees them.
  const parsed = await asn1parse(issued.der);
  t.match(parsed, /PRINTABLESTRING\s+:TW/);
  t.match(parsed, /UTF8STRING\s+:行政院/);
  t.match(parsed, /UTF8STRING\s+:醫事憑證管理中心 - G3/);
  t.notMatch(parsed, /UTF8STRING\s+:TW/, 'C is never a UTF8String');

  // Extension order and criticality, from the DER, are exactly MOICA-G3's.
  const expected = [
    'authorityKeyIdentifier',
    'subjectKeyIdentifier',
    'keyUsage critical',
    'crlDistributionPoints',
    'authorityInfoAccess',
    'basicConstraints critical',
    'certificatePolicies',
  ];
  t.same(extensionShape(issued.der), expected);
  t.same(extensionShape(moicaG3()), expected, 'MOICA-G3 has the same shape');
  const moica = parseCertificate(moicaG3());
  for (const type of ['keyUsage', 'crlDistributionPoints', 'authorityInfoAccess', 'basicConstraints', 'certificatePolicies'] as const) {
    const ours = findExtension(certificate, EXTENSION_OIDS[type])!;
    const theirs = findExtension(moica, EXTENSION_OIDS[type])!;
    t.ok(ours.der.equals(theirs.der), `${type} is byte-identical to MOICA-G3's`);
  }
  t.ok(certificate.signatureAlgorithm.equals(moica.signatureAlgorithm), 'sha256WithRSAEncryption encoded as on MOICA-G3');
  t.equal(certificate.serial.length, moica.serial.length, '16-octet serial, as MOICA-G3');

  // AKI is the root's SKI; SKI is SHA-1 of the HCA public key.
  const text = await opensslText(issued.der);
  const rootText = await opensslText(rootDer);
  const rootSki = /Subject Key Identifier: \n\s+([0-9A-F:]+)/.exec(rootText)![1]!;
  t.match(text, new RegExp(`Authority Key Identifier: \\n\\s+(keyid:)?${rootSki}\\n`));
  t.match(text, /Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/);
  t.match(text, /URI:http:\/\/grca\.nat\.gov\.tw\/repository\/CRL3\/CA\.crl/);
  t.match(text, /CA Issuers - URI:http:\/\/grca\.nat\.gov\.tw\/repository\/Certs\/GRCAG3\.crt/);
  t.match(text, /OCSP - URI:http:\/\/ocsp\.grca\.nat\.gov\.tw\/OCSP/);
  t.match(text, /Policy: 2\.16\.886\.101\.0\.3\.3/);

  // 20 years, ending at 23:59:59 Taipei time on the same Taipei calendar day.
  const taipei = (d: Date) => new Date(d.getTime() + 8 * 3600_000);
  t.equal(certificate.notAfter.toISOString().slice(11), '15:59:59.000Z');
  t.equal(taipei(certificate.notAfter).getUTCFullYear() - taipei(certificate.notBefore).getUTCFullYear(), 20);
  t.equal(taipei(certificate.notAfter).toISOString().slice(5, 10), taipei(certificate.notBefore).toISOString().slice(5, 10), 'the same Taipei calendar day');
  t.equal(certificate.notBefore.getTime(), Math.floor(now.getTime() / 1000) * 1000, 'notBefore is the given time, in whole seconds');

  verifyChain([issued.der, rootDer]);
  const description = describeCertificate(issued.der);
  t.equal(description.subject, 'C=TW, O=行政院, CN=醫事憑證管理中心 - G3');
  t.equal(description.issuer, 'C=TW, O=行政院, CN=DRY RUN Government Root Certification Authority - G3 (演練用)');
  t.equal(description.key, 'RSA-4096');
  t.match(description.notAfter.taipei, /23:59:59 \+08:00 \(Asia\/Taipei\)$/);
  t.same(
    description.extensions.map((e) => `${e.name} ${e.critical}`),
    [
      'authorityKeyIdentifier false',
      'subjectKeyIdentifier false',
      'keyUsage true',
      'crlDistributionPoints false',
      'authorityInfoAccess false',
      'basicConstraints true',
      'certificatePolicies false',
    ],
  );
  t.match(description.text, /6\. basicConstraints, critical: CA, path length 0/);
  const fingerprint = await openssl((d) => ['x509', '-inform', 'DER', '-in', join(d, 'c.der'), '-noout', '-fingerprint', '-sha256'], { 'c.der': issued.der });
  t.equal(fingerprint.stdout.trim().split('=')[1]!.replace(/:/g, '').toLowerCase(), description.sha256.sha256, 'SHA-256 fingerprint as openssl computes it');
});

t.test('subordinate CA with a P-384 key under the RSA-4096 root', async (t) => {
  const request = await createCsr({ signer: hcaP384, subject: HCA_G3 });
  const issued = await issueCertificate({
    csr: request.der,
    issuerSigner: rootG3,
    issuerCertificate: rootDer,
    profile: subProfile,
    notBefore: now,
    expect: { algorithm: { type: 'EC', curve: 'P-384' } },
  });
  const verify = await opensslVerify(issued.der, rootDer);
  t.equal(verify.code, 0, verify.stderr);
  t.match(await opensslText(issued.der), /ASN1 OID: secp384r1/);
  t.ok(certificateMatchesKey(issued.der, hcaP384.spki));
});

t.test('subject name bytes are copied from the CSR even when buildName would write them otherwise', async (t) => {
  // An openssl CSR with a multi-valued RDN and PrintableString attributes: keyceremony
  // never writes such a name, so equal bytes in the certificate prove they were copied.
  const config = '[req]\ndistinguished_name=dn\nstring_mask=default\nprompt=no\n[dn]\n';
  const made = await openssl(
    (d) => [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(d, 'k.pem'),
      '-config',
      join(d, 'req.cnf'),
      '-multivalue-rdn',
      '-subj',
      '/C=TW/O=Dry Run Org+OU=Unit A/CN=Copied Exactly',
    ],
    { 'req.cnf': config },
  );
  t.equal(made.code, 0, made.stderr);
  const request = Buffer.from(made.stdout.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  const subject = verifyCsr(request).subject;
  t.notOk(
    subject.equals(
      buildName([
        { type: 'C', value: 'TW' },
        { type: 'O', value: 'Dry Run Org' },
        { type: 'OU', value: 'Unit A' },
        { type: 'CN', value: 'Copied Exactly' },
      ]),
    ),
  );
  const issued = await issueCertificate({ csr: request, issuerSigner: rootG3, issuerCertificate: rootDer, profile: subProfile, notBefore: now });
  t.ok(parseCertificate(issued.der).subject.equals(subject), 'the subject bytes are the CSR bytes');
  t.match(await asn1parse(issued.der), /PRINTABLESTRING\s+:Copied Exactly/);
});

t.test('link certificate: the old P-384 root certifies the new RSA-4096 root', async (t) => {
  const oldRoot = await selfSign({
    signer: rootG2,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'O', value: '行政院' },
      { type: 'CN', value: 'DRY RUN Government Root Certification Authority - G2 (演練用)' },
    ],
    profile: rootProfile,
    notBefore: now,
  });
  const oldVerify = await opensslVerify(oldRoot, oldRoot);
  t.equal(oldVerify.code, 0, oldVerify.stderr);
  t.match(await opensslText(oldRoot), /Signature Algorithm: ecdsa-with-SHA384/);

  const old = counting(rootG2);
  const link = await issueLinkCertificate({ newRootCertificate: rootDer, issuerSigner: old, issuerCertificate: oldRoot, profile: linkProfile, notBefore: now });
  t.equal(old.count, 1);
  t.same(
    link.lints.filter((l) => !l.ok),
    [],
  );
  const linkCert = parseCertificate(link.der);
  const newRoot = parseCertificate(rootDer);
  t.ok(linkCert.subject.equals(newRoot.subject) && linkCert.spki.equals(newRoot.spki), "the new root's name and key");
  t.ok(linkCert.issuer.equals(parseCertificate(oldRoot).subject), "the old root's name");
  t.ok(
    findExtension(linkCert, EXTENSION_OIDS.subjectKeyIdentifier)!.der.equals(findExtension(newRoot, EXTENSION_OIDS.subjectKeyIdentifier)!.der),
    "the new root's key identifier",
  );
  t.ok(linkCert.notAfter <= parseCertificate(oldRoot).notAfter, 'never outlives the old root');
  t.same(extensionShape(link.der), [
    'authorityKeyIdentifier',
    'subjectKeyIdentifier',
    'keyUsage critical',
    'crlDistributionPoints',
    'authorityInfoAccess',
    'basicConstraints critical',
  ]);

  const linkVerify = await opensslVerify(link.der, oldRoot);
  t.equal(linkVerify.code, 0, linkVerify.stderr);
  // A relying party that trusts only the old root reaches the HCA through the link.
  const hca = await issueCertificate({ csr: csr.der, issuerSigner: rootG3, issuerCertificate: rootDer, profile: subProfile, notBefore: now });
  const through = await opensslVerify(hca.der, oldRoot, [link.der]);
  t.equal(through.code, 0, through.stderr);
  verifyChain([hca.der, link.der, oldRoot]);

  const notSelfSigned = await caught(() =>
    issueLinkCertificate({ newRootCertificate: hca.der, issuerSigner: rootG2, issuerCertificate: oldRoot, profile: linkProfile, notBefore: now }),
  );
  t.equal(notSelfSigned.code, 'x509.link-subject');
  const sameKey = await caught(() =>
    issueLinkCertificate({ newRootCertificate: oldRoot, issuerSigner: rootG2, issuerCertificate: oldRoot, profile: linkProfile, notBefore: now }),
  );
  t.equal(sameKey.code, 'x509.link-subject');
  // A new root whose key identifier was made some other way would break path building.
  const otherSki = rootParts(rootDer, rootG3);
  otherSki.extensions = otherSki.extensions.map((e) =>
    e.oid === EXTENSION_OIDS.subjectKeyIdentifier ? { ...e, value: Buffer.concat([Buffer.from('0408', 'hex'), Buffer.alloc(8, 1)]) } : e,
  );
  const oddRoot = await rawCertificate(otherSki, rootG3);
  const ski = await caught(() =>
    issueLinkCertificate({ newRootCertificate: oddRoot, issuerSigner: rootG2, issuerCertificate: oldRoot, profile: linkProfile, notBefore: now }),
  );
  t.equal(ski.code, 'x509.link-ski');
});

t.test('refusals before the HSM signs anything', async (t) => {
  const root = counting(rootG3);
  const p384 = counting(rootG2);
  const oldRoot = await selfSign({
    signer: rootG2,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'O', value: 'DRY RUN 演練' },
      { type: 'CN', value: 'DRY RUN P-384 root' },
    ],
    profile: rootProfile,
    notBefore: now,
  });

  const ecIssuer = await caught(() => issueCertificate({ csr: csr.der, issuerSigner: p384, issuerCertificate: oldRoot, profile: subProfile, notBefore: now }));
  t.equal(ecIssuer.code, 'x509.profile-issuer-key');
  t.match(ecIssuer.message, 'does not allow an EC issuer key');

  const wrongKey = await caught(() => issueCertificate({ csr: csr.der, issuerSigner: hcaG3, issuerCertificate: rootDer, profile: subProfile, notBefore: now }));
  t.equal(wrongKey.code, 'x509.issuer-key');
  t.equal(
    wrongKey.message,
    'key "hca-g3" is not the key of issuer certificate C=TW, O=行政院, CN=DRY RUN Government Root Certification Authority - G3 (演練用)',
  );

  const wrongKind = await caught(() => selfSign({ signer: root, subject: DRY_RUN_ROOT, profile: subProfile, notBefore: now }));
  t.equal(wrongKind.code, 'x509.profile-kind');
  t.equal(wrongKind.exitCode, 2);

  const wrongSubject = await caught(() =>
    issueCertificate({ csr: csr.der, issuerSigner: root, issuerCertificate: rootDer, profile: subProfile, notBefore: now, expect: { subject: DRY_RUN_ROOT } }),
  );
  t.equal(wrongSubject.code, 'x509.csr.subject');

  // A root that ends in ten years cannot hold a twenty-year subordinate: the subordinate
  // profile caps it at the root's end (limitToIssuer: cap); a profile that says refuse
  // refuses before anything is signed.
  const tenYears = new Date(Date.UTC(now.getUTCFullYear() + 10, 0, 1, 15, 59, 59));
  const shortRoot = await selfSign({ signer: rootG3, subject: DRY_RUN_ROOT, profile: rootProfile, notBefore: now, notAfter: tenYears });
  t.equal(parseCertificate(shortRoot).notAfter.getTime(), tenYears.getTime(), 'an explicit notAfter within the profile is kept');
  const capped = await issueCertificate({ csr: csr.der, issuerSigner: rootG3, issuerCertificate: shortRoot, profile: subProfile, notBefore: now });
  t.equal(parseCertificate(capped.der).notAfter.getTime(), tenYears.getTime(), 'limitToIssuer: cap ends the subordinate with the root');
  const before = root.count;
  const refusing = { ...subProfile, validity: { ...subProfile.validity, limitToIssuer: 'refuse' as const } };
  const outside = await caught(() => issueCertificate({ csr: csr.der, issuerSigner: root, issuerCertificate: shortRoot, profile: refusing, notBefore: now }));
  t.type(outside, InputError);
  t.equal(outside.code, 'x509.validity-beyond-issuer');
  t.match(outside.message, /gives notAfter .* after the issuer's notAfter .* and says limitToIssuer: refuse/);
  t.match(outside.hint, 'nothing was signed');

  // A CA with pathLenConstraint 0 may not certify another CA.
  const hca = await issueCertificate({ csr: csr.der, issuerSigner: rootG3, issuerCertificate: rootDer, profile: subProfile, notBefore: now });
  const hcaSigner = counting(hcaG3);
  const other = await createCsr({
    signer: hcaP384,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'O', value: 'DRY RUN 演練' },
      { type: 'CN', value: 'DRY RUN sub-sub CA' },
    ],
  });
  const tooDeep = await caught(() =>
    issueCertificate({ csr: other.der, issuerSigner: hcaSigner, issuerCertificate: hca.der, profile: subProfile, notBefore: now }),
  );
  t.equal(tooDeep.code, 'x509.lint');
  t.match(tooDeep.message, 'lint path-length (RFC 5280 §4.2.1.9, §6.1.4 (l)(m)): the issuer has pathLenConstraint 0');

  t.equal(root.count, before, 'no HSM signature for any refused certificate');
  t.equal(p384.count, 0);
  t.equal(hcaSigner.count, 0);
});

t.test('selfSignWithLints reports the lints it passed', async (t) => {
  const { der, lints } = await selfSignWithLints({
    signer: rootG2,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'O', value: 'DRY RUN 演練' },
      { type: 'CN', value: 'DRY RUN lint report' },
    ],
    profile: rootProfile,
    notBefore: now,
  });
  t.equal(lints.length, lintsFor(rootProfile).length);
  t.ok(lints.every((l) => l.ok && l.clause.length > 0 && l.message.length > 0));
  t.equal((await opensslVerify(der, der)).code, 0);
});
