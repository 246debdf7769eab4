// X.509 profiles: the three shipped files load and say what GRCA G3 does on MOICA-G3;
// a broken profile is refused with file:line:col and the YAML path.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { signatureAlgorithmFor } from '../../src/x509/algorithms.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { loadX509Profile, parseX509Profile, profileHash } from '../../src/x509/profile.js';
import { profileValidity } from '../../src/x509/validity.js';
import { caught } from '../helpers/errors.js';
import { PROFILES_DIR, moicaG3, profile } from '../helpers/x509.js';

const subordinateText = readFileSync(join(PROFILES_DIR, 'subordinate-ca.yaml'), 'utf8');

t.test('the shipped profiles load', async (t) => {
  const root = profile('root-ca');
  const sub = profile('subordinate-ca');
  const link = profile('link-ca');
  t.equal(root.kind, 'root-ca');
  t.equal(sub.kind, 'subordinate-ca');
  t.equal(link.kind, 'link-ca');
  t.same(
    root.extensions.map((e) => e.type),
    ['subjectKeyIdentifier', 'keyUsage', 'basicConstraints'],
  );
  t.same(
    root.extensions.find((e) => e.type === 'basicConstraints'),
    { type: 'basicConstraints', critical: true, ca: true },
    'root: CA without pathLength',
  );
  t.same(
    sub.extensions.map((e) => `${e.type}${e.critical ? '!' : ''}`),
    ['authorityKeyIdentifier', 'subjectKeyIdentifier', 'keyUsage!', 'crlDistributionPoints', 'authorityInfoAccess', 'basicConstraints!', 'certificatePolicies'],
  );
  t.equal(sub.sha256, createHash('sha256').update(subordinateText).digest('hex'), 'the file hash, for the journal');
  t.equal(link.validity.limitToIssuer, 'cap');
  t.match(
    readFileSync(join(PROFILES_DIR, 'link-ca.yaml'), 'utf8'),
    '# confirm against the GRCA-issued certificate before production',
    'unconfirmed values are marked',
  );
});

t.test('the subordinate profile says what MOICA-G3 shows', async (t) => {
  const sub = profile('subordinate-ca');
  const moica = parseCertificate(moicaG3());
  t.equal(sub.serial.bytes, moica.serial.length, '16-octet serial');
  t.ok(signatureAlgorithmFor('RSA', profileHash(sub, { type: 'RSA', bits: 4096 })).der.equals(moica.signatureAlgorithm), 'sha256WithRSAEncryption');
  t.equal(profileValidity(sub, moica.notBefore).notAfter.toISOString(), moica.notAfter.toISOString(), '2024-01-23T06:30:45Z + 20 years = 2044-01-23T15:59:59Z');
  const ec = await caught(() => profileHash(sub, { type: 'EC', curve: 'P-384' }));
  t.equal(ec.code, 'x509.profile-issuer-key');
  t.match(ec.message, 'does not allow an EC issuer key (signature.ec is not set)');
});

t.test('validity: 20 years to 23:59:59 Taipei time, whatever the hour of issue', async (t) => {
  const sub = profile('subordinate-ca');
  const at = (iso: string) => profileValidity(sub, new Date(iso));
  // 16:30Z is already the next day in Taipei.
  t.equal(at('2025-03-10T16:30:00Z').notAfter.toISOString(), '2045-03-11T15:59:59.000Z');
  t.equal(at('2025-03-10T15:59:59Z').notAfter.toISOString(), '2045-03-10T15:59:59.000Z');
  t.equal(at('2024-02-29T03:00:00.750Z').notAfter.toISOString(), '2044-02-29T15:59:59.000Z', 'a leap day to a leap day');
  t.equal(at('2024-02-29T03:00:00.750Z').notBefore.toISOString(), '2024-02-29T03:00:00.000Z', 'notBefore in whole seconds');
  const root = profile('root-ca');
  t.equal(
    profileValidity({ ...root, validity: { years: 1 } }, new Date('2024-02-29T03:00:00Z')).notAfter.toISOString(),
    '2025-02-28T03:00:00.000Z',
    'no time of day: the same second, 29 February to 28',
  );
  const link = profile('link-ca');
  const issuerEnd = new Date('2030-01-01T15:59:59Z');
  t.equal(
    profileValidity(link, new Date('2025-01-01T00:00:00Z'), issuerEnd).notAfter.toISOString(),
    issuerEnd.toISOString(),
    'a link never outlives the old root',
  );
});

/** The shipped subordinate profile with one text edit. */
function edited(from: string, to: string): string {
  if (!subordinateText.includes(from)) throw new Error(`test edit: "${from}" not found`);
  return subordinateText.replace(from, to);
}

t.test('broken profiles are refused with file:line:col and the YAML path', async (t) => {
  const file = 'ceremonies/profiles/x509/subordinate-ca.yaml';
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
  const cases: Array<[string, string, RegExp]> = [
    ['critical: false\n    method', 'critcal: false\n    method', /:(\d+):\d+: extensions\[1\]\.critcal is not a known key/],
    ['kind: subordinate-ca', 'kind: subordinate-ca\nnotes: hello', /:(\d+):\d+: notes is not a known key/],
    [
      'type: crlDistributionPoints',
      'type: crlDistributionPoint',
      /extensions\[3\]\.type must be one of authorityKeyIdentifier, subjectKeyIdentifier, keyUsage, extKeyUsage, crlDistributionPoints, authorityInfoAccess, basicConstraints, certificatePolicies, subjectAltName, nameConstraints, ocspNoCheck/,
    ],
    [
      'http://grca.nat.gov.tw/repository/CRL3/CA.crl',
      'https://grca.nat.gov.tw/repository/CRL3/CA.crl',
      /extensions\[3\]\.uris\[0\] must be a plain http:\/\/ URL/,
    ],
    ['policies: [2.16.886.101.0.3.3]', 'policies: [2.16.886.101.0.3.03]', /extensions\[6\]\.policies\[0\] must be a dotted OID/],
    [
      'usages: [digitalSignature, keyCertSign, cRLSign]',
      'usages: [digitalSignature, keyCertSign]',
      /extensions\[2\]\.usages must include keyCertSign and cRLSign for a CA \(BR §7\.1\.2\.10\.7\)/,
    ],
    [
      'usages: [digitalSignature, keyCertSign, cRLSign]',
      'usages: [digitalSignature, certSign, cRLSign]',
      /extensions\[2\]\.usages\[1\] must be one of digitalSignature/,
    ],
    ['    ca: true\n    pathLength: 0', '    ca: true\n    pathLength: -1', /extensions\[5\]\.pathLength must be 0 or more/],
    [
      '  - type: basicConstraints\n    critical: true',
      '  - type: basicConstraints\n    critical: false',
      /extensions\[5\]\.critical must be true \(RFC 5280 §4\.2\.1\.9; BR §7\.1\.2\.10\.4, §7\.1\.2\.8\.4\)/,
    ],
    [
      '  - type: authorityKeyIdentifier\n    critical: false',
      '  - type: authorityKeyIdentifier\n    critical: true',
      /extensions\[0\]\.critical must be false \(RFC 5280 §4\.2\.1\.1\)/,
    ],
    [
      '  - type: authorityKeyIdentifier\n    critical: false\n',
      '',
      /extensions must include authorityKeyIdentifier: a subordinate CA certificate carries it \(RFC 5280 §4\.2\.1\.1/,
    ],
    ['  - type: subjectKeyIdentifier\n    critical: false\n    method: sha1-of-public-key\n', '', /extensions must include subjectKeyIdentifier/],
    ['    method: sha1-of-public-key', '    method: truncated-sha256', /extensions\[1\]\.method must be sha1-of-public-key/],
    [
      '  - type: certificatePolicies',
      '  - type: keyUsage\n    critical: true\n    usages: [keyCertSign, cRLSign]\n  - type: certificatePolicies',
      /extensions\[6\]\.type repeats extensions\[2\]; a certificate carries each extension once \(RFC 5280 §4\.2\)/,
    ],
    ['bytes: 16', 'bytes: 8', /serial\.bytes must be at least 9 \(64 random bits and a sign bit, BR §7\.1\)/],
    ['timeZone: Asia/Taipei', 'timeZone: Asia/Taipie', /validity\.notAfterTime\.timeZone must be an IANA time zone/],
    ['time: "23:59:59"', 'time: "24:00:00"', /validity\.notAfterTime\.time must be HH:MM:SS/],
    ['  rsa: SHA-256', '  rsa: SHA-1', /signature\.rsa must be SHA-256, SHA-384 or SHA-512/],
    ['kind: subordinate-ca', 'kind: root-ca', /extensions\[0\] is not used in a root-ca profile/],
  ];
  for (const [from, to, expected] of cases) {
    const text = edited(from, to);
    const error = await caught(() => parseX509Profile(file, text));
    t.equal(error.code, 'X.509-profile.invalid', String(expected));
    t.equal(error.exitCode, 2);
    t.match(error.message, expected);
    t.match(error.message, new RegExp(`^${file.replace(/\./g, '\\.')}:\\d+:\\d+: `), 'starts with file:line:col');
    t.match(error.hint, 'fix the X.509 profile');
  }
  // The location is the line of the offending key.
  const text = edited('critical: false\n    method', 'critcal: false\n    method');
  const error = await caught(() => parseX509Profile(file, text));
  t.match(error.message, `${file}:${lineOf(text, 'critcal')}:5: `);
  const noSignature = await caught(() => parseX509Profile(file, edited('signature:\n  rsa: SHA-256', 'signature: {}')));
  t.match(noSignature.message, 'signature must allow rsa, ec or both');
  const limit = await caught(() =>
    parseX509Profile(
      'root.yaml',
      readFileSync(join(PROFILES_DIR, 'root-ca.yaml'), 'utf8').replace(
        'notAfter: 2049-12-31T15:59:59Z',
        'notAfter: 2049-12-31T15:59:59Z\n  limitToIssuer: cap',
      ),
    ),
  );
  t.match(limit.message, 'validity.limitToIssuer has no meaning for a self-signed root');
});

t.test('a missing profile file', async (t) => {
  const error = await caught(() => loadX509Profile('/nonexistent/profile.yaml'));
  t.equal(error.message, 'cannot read X.509 profile file /nonexistent/profile.yaml: ENOENT');
  t.equal(error.exitCode, 2);
});
