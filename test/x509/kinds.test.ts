// The ocsp-responder and end-entity profile kinds: HCA G3 (under the stand-in root) issues
// its OCSP responder certificate and a healthcare professional's signature certificate from
// CSRs, all keys in SoftHSM, and openssl verifies each for its purpose with -x509_strict.
import t from 'tap';
import { parseCertificate } from '../../src/x509/certificate.js';
import { createCsr } from '../../src/x509/csr.js';
import { issueCertificate, selfSign } from '../../src/x509/issue.js';
import { lintsFor } from '../../src/x509/lint.js';
import { DRY_RUN_ROOT, HCA_G3, caKeys, opensslText, opensslVerify, profile } from '../helpers/x509.js';

const { signers } = await caKeys(t, 'X509-KINDS', {
  root: { type: 'RSA', bits: 2048 },
  hca: { type: 'RSA', bits: 2048 },
  ocsp: { type: 'RSA', bits: 2048 },
  ee: { type: 'EC', curve: 'P-256' },
});
const now = new Date();
const root = await selfSign({ signer: signers.root!, subject: DRY_RUN_ROOT, profile: profile('root-ca'), notBefore: now });
const hcaCsr = await createCsr({ signer: signers.hca!, subject: HCA_G3 });
const hca = (
  await issueCertificate({ csr: hcaCsr.der, issuerSigner: signers.root!, issuerCertificate: root, profile: profile('subordinate-ca'), notBefore: now })
).der;
const DAY = 86_400_000;

t.test('OCSP responder certificate: OCSPSigning, ocsp-nocheck, 90 days, verified for ocsphelper', async (t) => {
  const csr = await createCsr({
    signer: signers.ocsp!,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'O', value: '行政院' },
      { type: 'CN', value: 'DRY RUN 醫事憑證管理中心 - G3 OCSP responder' },
    ],
  });
  const ocspProfile = profile('ocsp-responder');
  const issued = await issueCertificate({ csr: csr.der, issuerSigner: signers.hca!, issuerCertificate: hca, profile: ocspProfile, notBefore: now });
  t.equal(issued.lints.length, lintsFor(ocspProfile).length);
  t.same(
    issued.lints.filter((l) => !l.ok),
    [],
  );
  const verify = await opensslVerify(issued.der, root, [hca], ['-purpose', 'ocsphelper']);
  t.equal(verify.code, 0, verify.stderr);
  const text = await opensslText(issued.der);
  t.match(text, /X509v3 Extended Key Usage: \n\s+OCSP Signing\n/);
  t.match(text, /OCSP No Check: \n/);
  t.match(text, /Key Usage: critical\n\s+Digital Signature\n/);
  t.notMatch(text, /CA:TRUE/, 'not a CA');
  const cert = parseCertificate(issued.der);
  const days = (cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY;
  t.ok(days > 89 && days <= 91, `about 90 days (${days.toFixed(2)})`);
  // Not for anything else: openssl refuses it as a TLS client.
  const client = await opensslVerify(issued.der, root, [hca], ['-purpose', 'sslclient']);
  t.not(client.code, 0, 'an OCSP responder certificate is not a TLS client certificate');
});

t.test('end-entity certificate: a healthcare professional signature certificate on an EC key', async (t) => {
  const csr = await createCsr({
    signer: signers.ee!,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'CN', value: 'DRY RUN 醫事人員 演練' },
    ],
  });
  const eeProfile = profile('end-entity');
  const issued = await issueCertificate({ csr: csr.der, issuerSigner: signers.hca!, issuerCertificate: hca, profile: eeProfile, notBefore: now });
  t.same(
    issued.lints.filter((l) => !l.ok),
    [],
  );
  const verify = await opensslVerify(issued.der, root, [hca], ['-purpose', 'smimesign']);
  t.equal(verify.code, 0, verify.stderr);
  const text = await opensslText(issued.der);
  t.match(text, /Key Usage: critical\n\s+Digital Signature, Non Repudiation\n/);
  t.notMatch(text, /CA:TRUE/);
});
