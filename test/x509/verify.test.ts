// verifyChain names the certificate and the failure; openssl agrees on each failure.
// certificateMatchesKey ties a certificate to an HSM key.
import t from 'tap';
import { parseCertificate, type TbsInput } from '../../src/x509/certificate.js';
import { createCsr } from '../../src/x509/csr.js';
import { describeCertificate } from '../../src/x509/describe.js';
import { profileExtensions, subjectKeyIdentifier } from '../../src/x509/extensions.js';
import { issueCertificate, selfSign } from '../../src/x509/issue.js';
import { buildName } from '../../src/x509/names.js';
import { certificateMatchesKey, verifyChain } from '../../src/x509/verify.js';
import type { KeySigner } from '../../src/x509/signer.js';
import { signatureAlgorithmFor } from '../../src/x509/algorithms.js';
import { caught } from '../helpers/errors.js';
import { DRY_RUN_ROOT, HCA_G3, caKeys, flipByte, opensslVerify, profile, rawCertificate } from '../helpers/x509.js';

const { signers } = await caKeys(t, 'X509-VERIFY', {
  root: { type: 'RSA', bits: 2048 },
  hca: { type: 'RSA', bits: 2048 },
  sub2: { type: 'EC', curve: 'P-256' },
  leaf: { type: 'EC', curve: 'P-256' },
});
const now = new Date();
const sub = profile('subordinate-ca');
const root = await selfSign({ signer: signers.root!, subject: DRY_RUN_ROOT, profile: profile('root-ca'), notBefore: now });
const hca = (
  await issueCertificate({
    csr: (await createCsr({ signer: signers.hca!, subject: HCA_G3 })).der,
    issuerSigner: signers.root!,
    issuerCertificate: root,
    profile: sub,
    notBefore: now,
  })
).der;
const HCA_LABEL = 'C=TW, O=行政院, CN=醫事憑證管理中心 - G3';
const ROOT_LABEL = 'C=TW, O=行政院, CN=DRY RUN Government Root Certification Authority - G3 (演練用)';

/** A certificate for `subjectKey` under `issuer` (signed by `issuerKey`), with these extensions after AKI and SKI. */
async function under(issuer: Buffer, issuerKey: KeySigner, subjectKey: KeySigner, cn: string, extensions: TbsInput['extensions']): Promise<Buffer> {
  const parsed = parseCertificate(issuer);
  const keyIds = profileExtensions(
    { ...sub, extensions: sub.extensions.slice(0, 2) },
    { subjectSpki: subjectKey.spki, issuerKeyIdentifier: subjectKeyIdentifier(issuerKey.spki) },
  );
  return rawCertificate(
    {
      serial: Buffer.from('0102030405060708090a', 'hex'),
      signatureAlgorithm: signatureAlgorithmFor(issuerKey.algorithm.type, 'SHA-256').der,
      issuer: parsed.subject,
      subject: buildName([
        { type: 'C', value: 'TW' },
        { type: 'CN', value: cn },
      ]),
      notBefore: parsed.notBefore,
      notAfter: parsed.notAfter,
      spki: subjectKey.spki,
      extensions: [...keyIds, ...extensions],
    },
    issuerKey,
  );
}
const CA_KU = { oid: '2.5.29.15', critical: true, value: Buffer.from('03020106', 'hex') };
const CA_BC = { oid: '2.5.29.19', critical: true, value: Buffer.from('30030101ff', 'hex') };

t.test('a good chain passes', async (t) => {
  verifyChain([hca, root]);
  verifyChain([root]);
  verifyChain([hca, root], new Date(now.getTime() + 19 * 365 * 86400_000));
  t.pass('no error');
});

t.test('the order, the anchor and the names', async (t) => {
  const reversed = await caught(() => verifyChain([root, hca]));
  t.equal(reversed.code, 'x509.chain.anchor');
  t.equal(reversed.message, `certificate 2 of 2 (${HCA_LABEL}) is not a self-signed root`);
  const otherRoot = await selfSign({
    signer: signers.hca!,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'O', value: 'DRY RUN 演練' },
      { type: 'CN', value: 'DRY RUN other root' },
    ],
    profile: profile('root-ca'),
    notBefore: now,
  });
  const name = await caught(() => verifyChain([hca, otherRoot]));
  t.equal(name.code, 'x509.chain.name');
  t.equal(
    name.message,
    `certificate 1 of 2 (${HCA_LABEL}) names issuer ${ROOT_LABEL}, but certificate 2 of 2 (C=TW, O=DRY RUN 演練, CN=DRY RUN other root) is not that CA`,
  );
  t.equal((await caught(() => verifyChain([]))).code, 'x509.chain.empty');
});

t.test('signatures', async (t) => {
  const damaged = flipByte(hca, hca.length - 20);
  const error = await caught(() => verifyChain([damaged, root]));
  t.equal(error.code, 'x509.chain.signature');
  t.equal(error.message, `certificate 1 of 2 (${HCA_LABEL}): the signature does not verify with the public key of certificate 2 of 2 (${ROOT_LABEL})`);
  t.not((await opensslVerify(damaged, root)).code, 0, 'openssl refuses it too');
  // A root with the same name and another key.
  const impostor = await selfSign({ signer: signers.hca!, subject: DRY_RUN_ROOT, profile: profile('root-ca'), notBefore: now });
  t.equal((await caught(() => verifyChain([hca, impostor]))).code, 'x509.chain.signature');
});

t.test('validity', async (t) => {
  const late = new Date(Date.UTC(2080, 0, 1));
  const expired = await caught(() => verifyChain([hca, root], late));
  t.equal(expired.code, 'x509.chain.expired');
  t.match(
    expired.message,
    new RegExp(`^certificate 1 of 2 \\(${HCA_LABEL}\\) expired at \\d{4}-\\d\\d-\\d\\d 15:59:59Z \\(checked at 2080-01-01 00:00:00Z\\)$`),
  );
  const early = await caught(() => verifyChain([hca, root], new Date(now.getTime() - 86400_000)));
  t.equal(early.code, 'x509.chain.not-yet-valid');
  t.match(early.message, `certificate 1 of 2 (${HCA_LABEL}) is not valid until`);
  t.match(early.hint, 'clock');
  const openssled = await opensslVerify(hca, root, [], ['-attime', String(late.getTime() / 1000)]);
  t.match(openssled.stdout + openssled.stderr, 'certificate has expired');
});

t.test('basicConstraints, keyUsage, pathLenConstraint and critical extensions', async (t) => {
  // An issuer that is not a CA.
  const notCa = await under(root, signers.root!, signers.sub2!, 'DRY RUN not a CA', [{ oid: '2.5.29.19', critical: true, value: Buffer.from('3000', 'hex') }]);
  const belowNotCa = await under(notCa, signers.sub2!, signers.leaf!, 'DRY RUN leaf', []);
  const notCaError = await caught(() => verifyChain([belowNotCa, notCa, root]));
  t.equal(notCaError.code, 'x509.chain.not-ca');
  t.equal(notCaError.message, 'certificate 2 of 3 (C=TW, CN=DRY RUN not a CA) issues a certificate but is not a CA (basicConstraints)');
  const openssledNotCa = await opensslVerify(belowNotCa, root, [notCa]);
  t.match(openssledNotCa.stdout + openssledNotCa.stderr, 'invalid CA certificate');

  // A CA whose keyUsage lacks keyCertSign.
  const noCertSign = await under(root, signers.root!, signers.sub2!, 'DRY RUN no certSign', [{ ...CA_KU, value: Buffer.from('03020182', 'hex') }, CA_BC]);
  const belowNoCertSign = await under(noCertSign, signers.sub2!, signers.leaf!, 'DRY RUN leaf', []);
  const kuError = await caught(() => verifyChain([belowNoCertSign, noCertSign, root]));
  t.equal(kuError.code, 'x509.chain.key-usage');
  t.equal(kuError.message, 'certificate 2 of 3 (C=TW, CN=DRY RUN no certSign) issues a certificate but its keyUsage lacks keyCertSign');
  const openssledKu = await opensslVerify(belowNoCertSign, root, [noCertSign]);
  t.match(openssledKu.stdout + openssledKu.stderr, 'key usage does not include certificate signing');

  // HCA G3 has pathLenConstraint 0: no CA below it.
  const subSub = await under(hca, signers.hca!, signers.sub2!, 'DRY RUN sub-sub CA', [CA_KU, CA_BC]);
  const leaf = await under(subSub, signers.sub2!, signers.leaf!, 'DRY RUN leaf', []);
  const pathError = await caught(() => verifyChain([leaf, subSub, hca, root]));
  t.equal(pathError.code, 'x509.chain.path-length');
  t.equal(pathError.message, `certificate 3 of 4 (${HCA_LABEL}) allows 0 CA certificates below it (pathLenConstraint) but the chain has 1`);
  const openssledPath = await opensslVerify(leaf, root, [subSub, hca]);
  t.match(openssledPath.stdout + openssledPath.stderr, 'path length constraint exceeded');
  verifyChain([subSub, hca, root]);

  const unknownCritical = await under(root, signers.root!, signers.sub2!, 'DRY RUN odd', [
    { oid: '1.3.6.1.4.1.99999.1', critical: true, value: Buffer.from('0500', 'hex') },
  ]);
  const criticalError = await caught(() => verifyChain([unknownCritical, root]));
  t.equal(criticalError.code, 'x509.chain.critical-extension');
  t.equal(criticalError.message, 'certificate 1 of 2 (C=TW, CN=DRY RUN odd) has a critical extension keyceremony does not process: 1.3.6.1.4.1.99999.1');
  const openssledCritical = await opensslVerify(unknownCritical, root);
  t.match(openssledCritical.stdout + openssledCritical.stderr, 'unhandled critical extension');
});

t.test('certificateMatchesKey: this certificate is for this HSM key', async (t) => {
  t.equal(certificateMatchesKey(hca, signers.hca!.spki), true);
  t.equal(certificateMatchesKey(hca, signers.root!.spki), false);
  t.equal(certificateMatchesKey(root, signers.root!.spki), true);
  t.equal(certificateMatchesKey(hca, Buffer.from('not a key')), false);
  t.equal((await caught(() => certificateMatchesKey(Buffer.from('not a certificate'), signers.hca!.spki))).code, 'x509.der');
});

t.test('describeCertificate of the root says self-signed and shows Taipei time', async (t) => {
  const described = describeCertificate(root);
  t.equal(described.selfSigned, true);
  t.match(described.text, `issuer        ${ROOT_LABEL} (self-signed)`);
  t.match(described.text, /not after     \d{4}-\d\d-\d\d 15:59:59Z  =  \d{4}-\d\d-\d\d 23:59:59 \+08:00 \(Asia\/Taipei\)/);
  t.match(described.text, '1. subjectKeyIdentifier, not critical: ');
  t.match(described.text, '2. keyUsage, critical: digitalSignature, keyCertSign, cRLSign');
  t.match(described.text, '3. basicConstraints, critical: CA, no path length limit');
  t.equal(described.key, 'RSA-2048');
  t.equal(described.signatureAlgorithm, 'sha256WithRSAEncryption');
  t.equal(described.sha256.words.split(' ').length, 32);
});
