// CRLs signed in SoftHSM, verified with `openssl crl -verify`, and used by `openssl
// verify -crl_check` to refuse a revoked subordinate CA.
import t from 'tap';
import { join } from 'node:path';
import { parseCertificate, serialHex } from '../../src/x509/certificate.js';
import { issueCrl, parseCrl, type RevokedCertificate } from '../../src/x509/crl.js';
import { CRL_LINTS, lintCrl } from '../../src/x509/crl-lint.js';
import { createCsr } from '../../src/x509/csr.js';
import { issueCertificate, selfSign } from '../../src/x509/issue.js';
import { caught } from '../helpers/errors.js';
import { pem } from '../helpers/openssl.js';
import { subjectKeyIdentifier } from '../../src/x509/extensions.js';
import { DRY_RUN_ROOT, HCA_G3, caKeys, counting, openssl, opensslVerify, profile, rawCertificate, rootParts } from '../helpers/x509.js';

const { signers } = await caKeys(t, 'X509-CRL', {
  'root-rsa': { type: 'RSA', bits: 2048 },
  'root-p384': { type: 'EC', curve: 'P-384' },
  hca: { type: 'RSA', bits: 2048 },
});
const now = new Date();
const rootProfile = profile('root-ca');
const roots = {
  'root-rsa': await selfSign({ signer: signers['root-rsa']!, subject: DRY_RUN_ROOT, profile: rootProfile, notBefore: now }),
  'root-p384': await selfSign({
    signer: signers['root-p384']!,
    subject: [
      { type: 'C', value: 'TW' },
      { type: 'O', value: '行政院' },
      { type: 'CN', value: 'DRY RUN P-384 root (演練用)' },
    ],
    profile: rootProfile,
    notBefore: now,
  }),
};
const hour = 3600_000;
const thisUpdate = new Date(now.getTime() + 1000);
const nextUpdate = new Date(thisUpdate.getTime() + 24 * 30 * hour);

async function crlText(crl: Buffer, root: Buffer) {
  return openssl(
    (d) => [
      'crl',
      '-inform',
      'DER',
      '-in',
      join(d, 'crl.der'),
      '-CAfile',
      join(d, 'root.pem'),
      '-verify',
      '-noout',
      '-text',
      '-nameopt',
      'utf8,sep_comma_plus_space',
    ],
    {
      'crl.der': crl,
      'root.pem': pem('CERTIFICATE', root),
    },
  );
}

for (const label of ['root-rsa', 'root-p384'] as const) {
  t.test(`${label}: a CRL with reasons, verified by openssl crl -verify`, async (t) => {
    const signer = counting(signers[label]!);
    const root = roots[label];
    const revoked: RevokedCertificate[] = [
      { serial: '5A202D14B39787D0886C37184AC9B76A', date: new Date(now.getTime() - 2 * hour), reason: 'keyCompromise' },
      { serial: Buffer.from('00ff01', 'hex'), date: new Date(now.getTime() - hour), reason: 'superseded' },
      { serial: '01:23', date: new Date(now.getTime() - hour), reason: 'unspecified' },
    ];
    const crl = await issueCrl({ issuerSigner: signer, issuerCertificate: root, number: 7n, thisUpdate, nextUpdate, revoked });
    t.equal(signer.count, 1, 'one HSM signature');
    const checked = await crlText(crl, root);
    t.equal(checked.code, 0, checked.stderr);
    t.match(checked.stderr, 'verify OK');
    t.match(checked.stdout, /X509v3 CRL Number: \n\s+7\n/);
    const rootSki = (
      await openssl((d) => ['x509', '-in', join(d, 'r.pem'), '-noout', '-ext', 'subjectKeyIdentifier'], { 'r.pem': pem('CERTIFICATE', root) })
    ).stdout
      .trim()
      .split('\n')[1]!
      .trim();
    t.match(checked.stdout, new RegExp(`Authority Key Identifier: \\n\\s+(keyid:)?${rootSki}\\n`), "AKI is the root's key identifier");
    t.match(
      checked.stdout,
      /Serial Number: 5A202D14B39787D0886C37184AC9B76A\n\s+Revocation Date: .*\n\s+CRL entry extensions:\n\s+X509v3 CRL Reason Code: \n\s+Key Compromise/,
    );
    t.match(checked.stdout, /Serial Number: FF01\n\s+Revocation Date: .*\n\s+CRL entry extensions:\n\s+X509v3 CRL Reason Code: \n\s+Superseded/);
    t.match(
      checked.stdout,
      /Serial Number: 0123\n\s+Revocation Date: [^\n]+\n(\s+Serial Number|Signature Algorithm|\s+Signature Algorithm)/,
      'unspecified: no reason code extension',
    );
    t.match(checked.stdout, label === 'root-rsa' ? 'Signature Algorithm: sha256WithRSAEncryption' : 'Signature Algorithm: ecdsa-with-SHA384');

    const parsed = parseCrl(crl);
    t.ok(parsed.issuer.equals(parseCertificate(root).subject), 'issuer name bytes = root subject name bytes');
    t.equal(parsed.thisUpdate.getTime(), Math.floor(thisUpdate.getTime() / 1000) * 1000);
    t.equal(parsed.nextUpdate?.getTime(), Math.floor(nextUpdate.getTime() / 1000) * 1000);
    t.same(
      parsed.entries.map((e) => [serialHex(e.serial), e.reasonCode]),
      [
        ['5A202D14B39787D0886C37184AC9B76A', 1],
        ['FF01', 4],
        ['0123', undefined],
      ],
    );
    t.same(
      parsed.extensions.map((e) => [e.oid, e.critical]),
      [
        ['2.5.29.35', false],
        ['2.5.29.20', false],
      ],
    );
  });
}

t.test('an empty CRL, and a revoked subordinate refused by openssl verify -crl_check', async (t) => {
  const root = roots['root-rsa'];
  const rootSigner = signers['root-rsa']!;
  const empty = await issueCrl({ issuerSigner: rootSigner, issuerCertificate: root, number: 1n, thisUpdate, nextUpdate, revoked: [] });
  t.equal((await crlText(empty, root)).code, 0);
  t.same(parseCrl(empty).entries, []);

  const csr = await createCsr({ signer: signers.hca!, subject: HCA_G3 });
  const hca = await issueCertificate({ csr: csr.der, issuerSigner: rootSigner, issuerCertificate: root, profile: profile('subordinate-ca'), notBefore: now });
  const serial = parseCertificate(hca.der).serial;
  const at = ['-attime', String(Math.floor(thisUpdate.getTime() / 1000) + 60)];
  const withCrl = async (crl: Buffer) =>
    openssl((d) => ['verify', '-x509_strict', '-crl_check', ...at, '-CAfile', join(d, 'root.pem'), '-CRLfile', join(d, 'crl.pem'), join(d, 'hca.pem')], {
      'root.pem': pem('CERTIFICATE', root),
      'crl.pem': pem('X509 CRL', crl),
      'hca.pem': pem('CERTIFICATE', hca.der),
    });
  const good = await withCrl(empty);
  t.equal(good.code, 0, good.stderr);
  const revoked = await issueCrl({
    issuerSigner: rootSigner,
    issuerCertificate: root,
    number: 2n,
    thisUpdate,
    nextUpdate,
    revoked: [{ serial, date: now, reason: 'cACompromise' }],
  });
  const refused = await withCrl(revoked);
  t.not(refused.code, 0);
  t.match(refused.stdout + refused.stderr, 'certificate revoked');
  t.equal((await opensslVerify(hca.der, root)).code, 0, 'without the CRL the chain itself is fine');
});

t.test('refused inputs, before the HSM signs', async (t) => {
  const root = roots['root-rsa'];
  const signer = counting(signers['root-rsa']!);
  const base = { issuerSigner: signer, issuerCertificate: root, number: 3n, thisUpdate, nextUpdate, revoked: [] as RevokedCertificate[] };
  const expectations: Array<[Partial<typeof base>, string, string]> = [
    [{ number: -1n }, 'x509.crl-input', 'CRL number -1 is not a non-negative integer of at most 20 octets'],
    [{ number: 2n ** 160n }, 'x509.crl-input', 'is not a non-negative integer of at most 20 octets'],
    [{ nextUpdate: thisUpdate }, 'x509.crl-input', 'is not after thisUpdate'],
    [
      { nextUpdate: new Date(thisUpdate.getTime() + 366 * 24 * hour) },
      'x509.crl-input',
      "is 366 days after thisUpdate; a CA's CRL may run at most 365 days (BR §4.9.7)",
    ],
    [
      {
        revoked: [
          { serial: '0A', date: now, reason: 'superseded' },
          { serial: Buffer.from([0x0a]), date: now, reason: 'keyCompromise' },
        ],
      },
      'x509.crl-input',
      'serial 0A is listed twice',
    ],
    [{ revoked: [{ serial: '0B', date: new Date(thisUpdate.getTime() + hour), reason: 'superseded' }] }, 'x509.crl-input', 'serial 0B is revoked at'],
    [
      { revoked: [{ serial: '0C', date: now, reason: 'certificateHold' as 'superseded' }] },
      'x509.crl-input',
      'reason "certificateHold" for serial 0C is not allowed',
    ],
    [{ revoked: [{ serial: '00', date: now, reason: 'superseded' }] }, 'x509.crl-input', 'a revoked serial is zero'],
    [{ revoked: [{ serial: 'xyz', date: now, reason: 'superseded' }] }, 'x509.crl-input', 'revoked serial "xyz" is not hex'],
    [
      { revoked: [{ serial: Buffer.from('0001', 'hex'), date: now, reason: 'superseded' }] },
      'x509.crl-input',
      'revoked serial 0001 is not a positive, minimally encoded integer',
    ],
    [{ issuerSigner: counting(signers.hca!) }, 'x509.issuer-key', 'key "hca" is not the key of issuer certificate'],
  ];
  for (const [change, code, message] of expectations) {
    const error = await caught(() => issueCrl({ ...base, ...change }));
    t.equal(error.code, code, message);
    t.match(error.message, message);
  }
  // A CA certificate whose keyUsage lacks cRLSign (made without lints, which would refuse it).
  const noCrlSign = await rawCertificate(
    {
      ...rootParts(root, signers['root-rsa']!),
      extensions: [
        { oid: '2.5.29.14', critical: false, value: Buffer.concat([Buffer.from('0414', 'hex'), subjectKeyIdentifier(signers['root-rsa']!.spki)]) },
        { oid: '2.5.29.15', critical: true, value: Buffer.from('03020204', 'hex') },
        { oid: '2.5.29.19', critical: true, value: Buffer.from('30030101ff', 'hex') },
      ],
    },
    signers['root-rsa']!,
  );
  const crlSign = await caught(() => issueCrl({ ...base, issuerCertificate: noCrlSign }));
  t.equal(crlSign.code, 'x509.crl-sign');
  t.match(crlSign.message, 'does not allow signing CRLs (no cRLSign in keyUsage)');
  t.equal(signer.count, 0);
});

t.test('CRL lints: a signed CRL passes them all; against another issuer, or altered, it fails the lint named for it', async (t) => {
  const root = roots['root-rsa'];
  const year = await issueCrl({
    issuerSigner: signers['root-rsa']!,
    issuerCertificate: root,
    number: 9n,
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + 365 * 24 * hour),
    revoked: [],
  });
  const parsed = parseCrl(year);
  const good = lintCrl(parsed, parseCertificate(root));
  t.same(
    good.map((r) => r.id),
    CRL_LINTS.map((l) => l.id),
    'every CRL lint ran',
  );
  for (const result of good) t.ok(result.ok, `${result.id} passes: ${result.message}`);
  t.ok(
    CRL_LINTS.every((l) => /^(RFC \d+ §|BR §)/.test(l.clause)),
    'each names its clause',
  );
  const byId = (results: ReturnType<typeof lintCrl>, id: string) => results.find((r) => r.id === id)!;

  const other = lintCrl(parsed, parseCertificate(roots['root-p384']));
  t.match(byId(other, 'crl-issuer-name').message, "is not the issuer certificate's subject name");
  t.match(byId(other, 'crl-signature').message, "does not verify with the issuer's public key");
  t.equal(byId(other, 'crl-aki').ok, false, `crl-aki: ${byId(other, 'crl-aki').message}`);

  const long = lintCrl({ ...parsed, nextUpdate: new Date(parsed.thisUpdate.getTime() + 400 * 24 * hour) }, parseCertificate(root));
  t.match(byId(long, 'crl-next-update').message, 'is 400 days after thisUpdate');
  const v1 = lintCrl({ ...parsed, version: undefined }, parseCertificate(root));
  t.match(byId(v1, 'crl-version-2').message, 'left out (v1)');
  const noNext = lintCrl({ ...parsed, nextUpdate: undefined, nextUpdateTime: undefined }, parseCertificate(root));
  t.match(byId(noNext, 'crl-time-encoding').message, 'nextUpdate is left out');
  const generalized = lintCrl(
    {
      ...parsed,
      thisUpdateTime: Buffer.concat([Buffer.from([0x18, 15]), Buffer.from(`${parsed.thisUpdate.toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`)]),
    },
    parseCertificate(root),
  );
  t.match(byId(generalized, 'crl-time-encoding').message, 'thisUpdate');
  const critical = lintCrl(
    { ...parsed, extensions: [...parsed.extensions, { oid: '1.3.6.1.4.1.99999.1', critical: true, value: Buffer.from('0500', 'hex') }] },
    parseCertificate(root),
  );
  t.equal(byId(critical, 'crl-unknown-critical-extension').ok, false, byId(critical, 'crl-unknown-critical-extension').message);
});
