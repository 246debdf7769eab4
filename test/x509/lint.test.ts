// Every lint, failing and passing. A well-formed subordinate CA certificate (signed in
// SoftHSM) passes them all; each case below changes one thing in it, signs it again in
// the HSM, and the lint named for that thing must fail. MOICA-G3, a real GRCA G3-issued
// certificate, passes every lint that needs no issuer certificate.
import t from 'tap';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  CertificatePolicies,
  Name,
  PolicyInformation,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import type { HashName } from '../../src/hsm/types.js';
import { signatureAlgorithmFor } from '../../src/x509/algorithms.js';
import { assembleCertificate, encodeTbs, parseCertificate, randomSerial, type ExtensionInput, type TbsInput } from '../../src/x509/certificate.js';
import { TAG, children, raw, readSingle, sequence, tlv } from '../../src/x509/der.js';
import { profileExtensions, subjectKeyIdentifier } from '../../src/x509/extensions.js';
import { selfSign } from '../../src/x509/issue.js';
import { LINTS, assertLintsPass, lintCertificate, lintsFor, type LintResult } from '../../src/x509/lint.js';
import { buildName } from '../../src/x509/names.js';
import type { X509Profile } from '../../src/x509/profile.js';
import { EXTENSION_OIDS } from '../../src/x509/rules.js';
import { profileValidity } from '../../src/x509/validity.js';
import type { KeySigner } from '../../src/x509/signer.js';
import { signForX509 } from '../../src/x509/webcrypto-bridge.js';
import { caught } from '../helpers/errors.js';
import { DRY_RUN_ROOT, HCA_G3, caKeys, flipByte, moicaG3, profile } from '../helpers/x509.js';

const { signers } = await caKeys(t, 'X509-LINT', {
  root: { type: 'RSA', bits: 2048 },
  hca: { type: 'RSA', bits: 2048 },
  'root-p256': { type: 'EC', curve: 'P-256' },
});
const rootSigner = signers.root!;
const hcaSigner = signers.hca!;
const sub = profile('subordinate-ca');
const rootProfile = profile('root-ca');
const now = new Date();
const root = await selfSign({ signer: rootSigner, subject: DRY_RUN_ROOT, profile: rootProfile, notBefore: now });
const rootParsed = parseCertificate(root);
const rootSki = subjectKeyIdentifier(rootSigner.spki);

function baseParts(): TbsInput {
  const validity = profileValidity(sub, now);
  return {
    serial: randomSerial(16),
    signatureAlgorithm: signatureAlgorithmFor('RSA', 'SHA-256').der,
    issuer: rootParsed.subject,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    subject: buildName(HCA_G3),
    spki: hcaSigner.spki,
    extensions: profileExtensions(sub, { subjectSpki: hcaSigner.spki, issuerKeyIdentifier: rootSki }),
  };
}

interface Made {
  /** The TBS as built, before any splicing. */
  parts: TbsInput;
  /** Changes the encoded TBS (for encodings TbsInput cannot express). */
  tbs?: (tbs: Buffer) => Buffer;
  /** The outer signatureAlgorithm, when it should differ from the TBS one. */
  outer?: Buffer;
  signer?: KeySigner;
  hash?: HashName;
  /** Changes the finished certificate (e.g. a damaged signature). */
  after?: (der: Buffer) => Buffer;
}

async function make(made: Made): Promise<Buffer> {
  const tbs = made.tbs ? made.tbs(encodeTbs(made.parts)) : encodeTbs(made.parts);
  const { signature } = await signForX509(made.signer ?? rootSigner, made.hash ?? 'SHA-256', tbs);
  const der = assembleCertificate(tbs, made.outer ?? made.parts.signatureAlgorithm, signature);
  return made.after ? made.after(der) : der;
}

const ext = (type: keyof typeof EXTENSION_OIDS) => EXTENSION_OIDS[type];
const withExtensions = (change: (list: ExtensionInput[]) => ExtensionInput[]): TbsInput => {
  const parts = baseParts();
  return { ...parts, extensions: change(parts.extensions) };
};
const replaceValue = (type: keyof typeof EXTENSION_OIDS, value: object | Buffer, critical?: boolean) =>
  withExtensions((list) =>
    list.map((e) =>
      e.oid === ext(type)
        ? { oid: e.oid, critical: critical ?? e.critical, value: Buffer.isBuffer(value) ? value : Buffer.from(AsnConvert.serialize(value)) }
        : e,
    ),
  );
/** Replaces field `index` of the TBSCertificate (0 is [0] version) with other DER. */
const replaceTbsField = (index: number, field: Buffer) => (tbs: Buffer) => {
  const fields: Buffer[] = children(readSingle(tbs, 'tbs'), 'tbs').map((f) => Buffer.from(raw(f)));
  fields[index] = field;
  return sequence(...fields);
};
const rdn = (oid: string, value: AttributeValue) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type: oid, value })]);
const nameDer = (...rdns: RelativeDistinguishedName[]) => Buffer.from(AsnConvert.serialize(new Name(rdns)));
const softwareSpki = (type: 'rsa' | 'ec', options: object) =>
  generateKeyPairSync(type as 'rsa', options as { modulusLength: number }).publicKey.export({ type: 'spki', format: 'der' });
const ascii = (text: string) => Buffer.from(text, 'ascii');
const linkProfile = profile('link-ca');
const ocspProfile = profile('ocsp-responder');
const eeProfile = profile('end-entity');
/** The well-formed certificate's extensions with one marked (not) critical. */
const markCritical = (type: keyof typeof EXTENSION_OIDS, critical: boolean) =>
  withExtensions((list) => list.map((e) => (e.oid === ext(type) ? { ...e, critical } : e)));
const withExtra = (oid: string, critical: boolean, hex: string) => withExtensions((list) => [...list, { oid, critical, value: Buffer.from(hex, 'hex') }]);
const without = (type: keyof typeof EXTENSION_OIDS) => withExtensions((list) => list.filter((e) => e.oid !== ext(type)));
const dnsHca = Buffer.from('hca.test', 'ascii').toString('hex');
/** A certificate of another kind, issued by the root from that kind's shipped profile. */
const ofKind = (p: X509Profile): TbsInput => ({
  ...baseParts(),
  ...profileValidity(p, now),
  extensions: profileExtensions(p, { subjectSpki: hcaSigner.spki, issuerKeyIdentifier: rootSki }),
});

/** One case per lint: the certificate change that must make exactly that lint fail. */
const FAILING: Record<
  string,
  {
    change: string;
    made: () => Made | Promise<Made>;
    issuer?: () => Promise<Buffer>;
    profile?: X509Profile;
    passing?: () => Promise<{ certificate: Buffer; issuer: Buffer | undefined; profile: X509Profile }>;
  }
> = {
  'version-3': { change: 'a v1 certificate with extensions', made: () => ({ parts: { ...baseParts(), version: 0 } }) },
  'serial-positive': {
    change: 'a negative serial',
    made: () => ({ parts: { ...baseParts(), serial: Buffer.concat([Buffer.from([0x8a]), randomSerial(15)]) } }),
  },
  'serial-length': { change: 'a 21-octet serial', made: () => ({ parts: { ...baseParts(), serial: randomSerial(21) } }) },
  'serial-entropy': { change: 'an 8-octet serial', made: () => ({ parts: { ...baseParts(), serial: randomSerial(8) } }) },
  'serial-as-profile': { change: 'a 12-octet serial where the profile says 16', made: () => ({ parts: { ...baseParts(), serial: randomSerial(12) } }) },
  'validity-encoding': {
    change: 'a GeneralizedTime for a date before 2050',
    made: () => {
      const parts = baseParts();
      const generalized = (d: Date) => tlv(TAG.generalizedTime, ascii(`${d.toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`));
      return { parts, tbs: replaceTbsField(4, sequence(generalized(parts.notBefore), generalized(parts.notAfter))) };
    },
  },
  'validity-within-issuer': {
    change: "a notBefore a day before the issuer's",
    made: () => {
      const notBefore = new Date(rootParsed.notBefore.getTime() - 86400_000);
      return { parts: { ...baseParts(), ...profileValidity(sub, notBefore) } };
    },
  },
  'validity-as-profile': {
    change: 'notAfter at 22:59:59 Taipei time',
    made: () => ({ parts: { ...baseParts(), notAfter: new Date(baseParts().notAfter.getTime() - 3600_000) } }),
  },
  'key-usage-ca': { change: 'a CA keyUsage without cRLSign', made: () => ({ parts: replaceValue('keyUsage', Buffer.from('03020284', 'hex')) }) },
  'ca-has-ski': {
    change: 'no subjectKeyIdentifier',
    made: () => ({ parts: withExtensions((list) => list.filter((e) => e.oid !== ext('subjectKeyIdentifier'))) }),
  },
  'ski-method': {
    change: 'SKI = SHA-1 of the whole SPKI instead of the key bits',
    made: () => ({ parts: replaceValue('subjectKeyIdentifier', new SubjectKeyIdentifier(new Uint8Array(createHash('sha1').update(hcaSigner.spki).digest()))) }),
  },
  'aki-matches-issuer': {
    change: 'an AKI that is not the issuer SKI',
    made: () => ({ parts: replaceValue('authorityKeyIdentifier', Buffer.concat([Buffer.from('30168014', 'hex'), randomSerial(20)])) }),
  },
  'country-printable': {
    change: 'C written as a UTF8String',
    made: () => ({
      parts: {
        ...baseParts(),
        subject: nameDer(rdn('2.5.4.6', new AttributeValue({ utf8String: 'TW' })), rdn('2.5.4.3', new AttributeValue({ utf8String: '醫事憑證管理中心 - G3' }))),
      },
    }),
  },
  'no-empty-rdn': {
    change: 'an empty RDN in the subject',
    made: () => {
      const rdns = children(readSingle(buildName(HCA_G3), 'name'), 'name').map((r) => Buffer.from(raw(r)));
      return { parts: { ...baseParts(), subject: sequence(rdns[0]!, tlv(TAG.set), rdns[2]!) } };
    },
  },
  'key-strength': {
    change: 'an RSA-1024 subject key',
    made: () => {
      const spki = softwareSpki('rsa', { modulusLength: 1024 });
      return { parts: { ...baseParts(), spki, extensions: profileExtensions(sub, { subjectSpki: spki, issuerKeyIdentifier: rootSki }) } };
    },
  },
  'signature-algorithm': {
    change: 'signatureAlgorithm differs from the TBS signature field',
    made: () => ({ parts: baseParts(), outer: signatureAlgorithmFor('RSA', 'SHA-512').der, hash: 'SHA-512' }),
  },
  'signature-as-profile': {
    change: 'sha384WithRSAEncryption where the profile says SHA-256',
    made: () => ({ parts: { ...baseParts(), signatureAlgorithm: signatureAlgorithmFor('RSA', 'SHA-384').der }, hash: 'SHA-384' }),
  },
  'signature-valid': { change: 'one bit of the signature flipped', made: () => ({ parts: baseParts(), after: (der) => flipByte(der, der.length - 10) }) },
  'no-duplicate-extensions': {
    change: 'certificatePolicies twice',
    made: () => ({ parts: withExtensions((list) => [...list, list.find((e) => e.oid === ext('certificatePolicies'))!]) }),
  },
  'extensions-as-profile': {
    change: 'keyUsage before subjectKeyIdentifier',
    made: () => ({ parts: withExtensions(([aki, ski, ku, ...rest]) => [aki!, ku!, ski!, ...rest]) }),
  },
  'criticality-as-profile': {
    change: 'certificatePolicies marked critical',
    made: () => ({
      parts: replaceValue('certificatePolicies', new CertificatePolicies([new PolicyInformation({ policyIdentifier: '2.16.886.101.0.3.3' })]), true),
    }),
  },
  'path-length': {
    change: 'pathLenConstraint on a certificate that is not a CA',
    made: () => ({ parts: replaceValue('basicConstraints', new BasicConstraints({ cA: false, pathLenConstraint: 0 })) }),
  },
  'issuer-is-ca': {
    change: 'an issuer certificate without basicConstraints',
    made: () => ({ parts: baseParts() }),
    issuer: async () => {
      const parts: TbsInput = {
        ...baseParts(),
        issuer: rootParsed.subject,
        subject: rootParsed.subject,
        notBefore: rootParsed.notBefore,
        notAfter: rootParsed.notAfter,
        spki: rootSigner.spki,
        extensions: [{ oid: ext('subjectKeyIdentifier'), critical: false, value: Buffer.from(AsnConvert.serialize(new OctetString(new Uint8Array(rootSki)))) }],
      };
      return make({ parts });
    },
  },
  'root-ca-extensions': {
    change: 'a root certificate without subjectKeyIdentifier',
    made: () => ({ parts: without('subjectKeyIdentifier') }),
    profile: rootProfile,
    passing: async () => ({ certificate: root, issuer: undefined, profile: rootProfile }),
  },
  'subordinate-ca-extensions': { change: 'no crlDistributionPoints', made: () => ({ parts: without('crlDistributionPoints') }) },
  'link-ca-extensions': {
    change: 'a link certificate without authorityKeyIdentifier',
    made: () => ({ parts: without('authorityKeyIdentifier') }),
    profile: linkProfile,
    passing: async () => ({ certificate: await make({ parts: baseParts() }), issuer: root, profile: linkProfile }),
  },
  'ocsp-responder-extensions': {
    change: 'a CA certificate linted as an OCSP responder (no extKeyUsage, no ocsp-nocheck)',
    made: () => ({ parts: baseParts() }),
    profile: ocspProfile,
    passing: async () => ({ certificate: await make({ parts: ofKind(ocspProfile) }), issuer: root, profile: ocspProfile }),
  },
  'ocsp-key-usage': {
    change: 'an OCSP responder with keyCertSign and cRLSign',
    made: () => ({ parts: baseParts() }),
    profile: ocspProfile,
    passing: async () => ({ certificate: await make({ parts: ofKind(ocspProfile) }), issuer: root, profile: ocspProfile }),
  },
  'ocsp-eku': {
    change: 'an OCSP responder with extKeyUsage clientAuth',
    made: () => {
      const parts = ofKind(ocspProfile);
      return {
        parts: {
          ...parts,
          extensions: parts.extensions.map((e) => (e.oid === ext('extKeyUsage') ? { ...e, value: Buffer.from('300a06082b06010505070302', 'hex') } : e)),
        },
      };
    },
    profile: ocspProfile,
    passing: async () => ({ certificate: await make({ parts: ofKind(ocspProfile) }), issuer: root, profile: ocspProfile }),
  },
  'end-entity-extensions': {
    change: 'an end-entity certificate without crlDistributionPoints',
    made: () => {
      const parts = ofKind(eeProfile);
      return { parts: { ...parts, extensions: parts.extensions.filter((e) => e.oid !== ext('crlDistributionPoints')) } };
    },
    profile: eeProfile,
    passing: async () => ({ certificate: await make({ parts: ofKind(eeProfile) }), issuer: root, profile: eeProfile }),
  },
  'end-entity-key-usage': {
    change: 'an end-entity certificate with keyCertSign and cRLSign',
    made: () => ({ parts: baseParts() }),
    profile: eeProfile,
    passing: async () => ({ certificate: await make({ parts: ofKind(eeProfile) }), issuer: root, profile: eeProfile }),
  },
  'basic-constraints-for-kind': {
    change: 'a subordinate CA with basicConstraints cA FALSE',
    made: () => ({ parts: replaceValue('basicConstraints', new BasicConstraints({ cA: false })) }),
  },
  'aki-not-critical': { change: 'authorityKeyIdentifier marked critical', made: () => ({ parts: markCritical('authorityKeyIdentifier', true) }) },
  'ski-not-critical': { change: 'subjectKeyIdentifier marked critical', made: () => ({ parts: markCritical('subjectKeyIdentifier', true) }) },
  'key-usage-critical': { change: 'keyUsage not critical', made: () => ({ parts: markCritical('keyUsage', false) }) },
  'crldp-not-critical': { change: 'crlDistributionPoints marked critical', made: () => ({ parts: markCritical('crlDistributionPoints', true) }) },
  'aia-not-critical': { change: 'authorityInfoAccess marked critical', made: () => ({ parts: markCritical('authorityInfoAccess', true) }) },
  'basic-constraints-critical': { change: 'basicConstraints not critical', made: () => ({ parts: markCritical('basicConstraints', false) }) },
  'policies-not-critical': { change: 'certificatePolicies marked critical', made: () => ({ parts: markCritical('certificatePolicies', true) }) },
  'eku-not-critical': { change: 'a critical extKeyUsage', made: () => ({ parts: withExtra(ext('extKeyUsage'), true, '300a06082b06010505070302') }) },
  'name-constraints-critical': {
    change: 'nameConstraints not critical',
    made: () => ({ parts: withExtra(ext('nameConstraints'), false, `300ea00c300a8208${dnsHca}`) }),
  },
  'ocsp-nocheck-not-critical': { change: 'a critical id-pkix-ocsp-nocheck', made: () => ({ parts: withExtra(ext('ocspNoCheck'), true, '0500') }) },
  'ocsp-nocheck-null': {
    change: 'id-pkix-ocsp-nocheck with an empty OCTET STRING instead of NULL',
    made: () => ({ parts: withExtra(ext('ocspNoCheck'), false, '0400') }),
  },
  'subject-alt-name': {
    change: 'a critical subjectAltName beside a non-empty subject',
    made: () => ({ parts: withExtra(ext('subjectAltName'), true, `300a8208${dnsHca}`) }),
  },
  'ca-key-usage-allowed': { change: 'a CA keyUsage with keyEncipherment', made: () => ({ parts: replaceValue('keyUsage', Buffer.from('030201a6', 'hex')) }) },
  'key-usage-bits': { change: 'keyAgreement on an RSA key', made: () => ({ parts: replaceValue('keyUsage', Buffer.from('0302018e', 'hex')) }) },
  'no-any-eku': { change: 'extKeyUsage anyExtendedKeyUsage', made: () => ({ parts: withExtra(ext('extKeyUsage'), false, '300606045' + '51d2500') }) },
  'aki-key-identifier-only': {
    change: 'an AKI that also carries authorityCertSerialNumber',
    made: () => ({ parts: replaceValue('authorityKeyIdentifier', Buffer.concat([Buffer.from('30198014', 'hex'), rootSki, Buffer.from('820101', 'hex')])) }),
  },
  'http-urls': {
    change: 'an https:// CRL distribution point',
    made: () => {
      const https = { ...sub, extensions: sub.extensions.map((e) => (e.type === 'crlDistributionPoints' ? { ...e, uris: ['https://hca.test/CA.crl'] } : e)) };
      return { parts: { ...baseParts(), extensions: profileExtensions(https, { subjectSpki: hcaSigner.spki, issuerKeyIdentifier: rootSki }) } };
    },
  },
  'unknown-critical-extension': { change: 'a critical private extension', made: () => ({ parts: withExtra('1.3.6.1.4.1.99999.1', true, '0500') }) },
  'name-lengths': {
    change: 'a 65-character commonName',
    made: () => ({
      parts: {
        ...baseParts(),
        subject: nameDer(
          rdn('2.5.4.6', new AttributeValue({ printableString: 'TW' })),
          rdn('2.5.4.10', new AttributeValue({ utf8String: '行政院' })),
          rdn('2.5.4.3', new AttributeValue({ utf8String: 'x'.repeat(65) })),
        ),
      },
    }),
  },
  'ca-subject-name': {
    change: 'a CA subject without O',
    made: () => ({
      parts: {
        ...baseParts(),
        subject: buildName([
          { type: 'C', value: 'TW' },
          { type: 'CN', value: '醫事憑證管理中心 - G3' },
        ]),
      },
    }),
  },
  'policies-as-profile': {
    change: 'GPKI policy 2.16.886.101.0.3.1 instead of .3',
    made: () => ({ parts: replaceValue('certificatePolicies', new CertificatePolicies([new PolicyInformation({ policyIdentifier: '2.16.886.101.0.3.1' })])) }),
  },
};

const byId = (results: LintResult[], id: string) => results.find((r) => r.id === id)!;

t.test('every lint has a failing case below', async (t) => {
  t.same(Object.keys(FAILING).sort(), LINTS.map((l) => l.id).sort());
  t.ok(
    LINTS.every((l) => /^(RFC \d+ (§|Appendix)|BR §)|^profile$/.test(l.clause)),
    'each names its RFC 5280 or BR clause, or the profile',
  );
});

t.test('a well-formed subordinate CA certificate passes every lint', async (t) => {
  const results = lintCertificate(await make({ parts: baseParts() }), root, sub);
  t.same(
    results.map((r) => r.id),
    lintsFor(sub).map((l) => l.id),
    'all lints for a subordinate CA ran, in order',
  );
  for (const result of results) t.ok(result.ok, `${result.id} passes: ${result.message}`);
  t.ok(
    lintCertificate(root, undefined, rootProfile).every((r) => r.ok),
    'the self-signed root passes its own profile',
  );
});

for (const [id, testCase] of Object.entries(FAILING)) {
  t.test(`${id} fails for ${testCase.change}, passes otherwise`, async (t) => {
    const made = await testCase.made();
    const certificate = await make(made);
    const issuer = testCase.issuer ? await testCase.issuer() : root;
    const results = lintCertificate(certificate, issuer, testCase.profile ?? sub);
    const result = byId(results, id);
    t.equal(result.ok, false, `${id}: ${result.message}`);
    t.notMatch(result.message, /^cannot be checked/, 'the lint decoded what it checks');
    const lint = LINTS.find((l) => l.id === id)!;
    t.equal(result.clause, lint.clause);
    const good = testCase.passing ? await testCase.passing() : { certificate: await make({ parts: baseParts() }), issuer: root, profile: sub };
    const passing = byId(lintCertificate(good.certificate, good.issuer, good.profile), id);
    t.equal(passing.ok, true, `${id} passes on a well-formed certificate: ${passing.message}`);
    const error = await caught(() => assertLintsPass(results, 'the test certificate', 'hint'));
    t.equal(error.code, 'x509.lint');
    t.match(error.message, `lint ${id} (${lint.clause}): ${result.message}`);
  });
}

t.test('more ways to fail some lints', async (t) => {
  const lint = async (made: Made, issuer = root, p = sub) => lintCertificate(await make(made), issuer, p);
  t.match(byId(await lint({ parts: { ...baseParts(), serial: Buffer.from([0]) } }), 'serial-positive').message, 'serial is zero');
  t.match(
    byId(await lint({ parts: { ...baseParts(), serial: Buffer.concat([Buffer.from([0]), randomSerial(15)]) } }), 'serial-positive').message,
    'not minimally encoded',
  );
  const later = baseParts();
  t.match(
    byId(await lint({ parts: { ...later, notAfter: new Date(later.notAfter.getTime() + 86400_000) } }), 'validity-as-profile').message,
    'later than the profile allows',
  );
  const swapped = baseParts();
  t.match(
    byId(await lint({ parts: { ...swapped, notBefore: swapped.notAfter, notAfter: swapped.notBefore } }), 'validity-encoding').message,
    'is after notAfter',
  );
  t.match(
    byId(await lint({ parts: withExtensions((list) => list.filter((e) => e.oid !== ext('authorityKeyIdentifier'))) }), 'aki-matches-issuer').message,
    'only a self-signed certificate may leave it out',
  );
  t.match(byId(await lint({ parts: replaceValue('keyUsage', Buffer.from('03020284', 'hex')) }), 'key-usage-ca').message, 'lacks cRLSign');
  t.match(
    byId(await lint({ parts: replaceValue('basicConstraints', new BasicConstraints({ cA: false })) }), 'key-usage-ca').message,
    'keyCertSign but basicConstraints does not say CA',
  );
  t.match(
    byId(await lint({ parts: { ...baseParts(), subject: nameDer(rdn('2.5.4.6', new AttributeValue({ printableString: 'TWN' }))) } }), 'country-printable')
      .message,
    'is not a two-letter ISO 3166 code',
  );
  const k1 = softwareSpki('ec', { namedCurve: 'secp256k1' });
  t.match(
    byId(
      await lint({ parts: { ...baseParts(), spki: k1, extensions: profileExtensions(sub, { subjectSpki: k1, issuerKeyIdentifier: rootSki }) } }),
      'key-strength',
    ).message,
    'P-256, P-384 or P-521',
  );
  // Below a CA with pathLenConstraint 0 there is no room for another CA.
  const hcaCert = await make({ parts: baseParts() });
  const hcaParsed = parseCertificate(hcaCert);
  const below: TbsInput = {
    ...baseParts(),
    issuer: hcaParsed.subject,
    subject: buildName([
      { type: 'C', value: 'TW' },
      { type: 'O', value: 'DRY RUN 演練' },
      { type: 'CN', value: 'DRY RUN sub-sub CA' },
    ]),
    spki: rootSigner.spki,
    notBefore: hcaParsed.notBefore,
    notAfter: hcaParsed.notAfter,
    extensions: profileExtensions(sub, { subjectSpki: rootSigner.spki, issuerKeyIdentifier: subjectKeyIdentifier(hcaSigner.spki) }),
  };
  t.match(
    byId(await lint({ parts: below, signer: hcaSigner }, hcaCert), 'path-length').message,
    'the issuer has pathLenConstraint 0 and may not certify another CA',
  );
  t.match(
    byId(await lint({ parts: replaceValue('crlDistributionPoints', Buffer.from('300e300ca00aa0088606687474703a2f', 'hex')) }), 'extensions-as-profile').message,
    'crlDistributionPoints does not have the value the profile gives',
  );

  // An EC issuer: ecdsa-with-SHA384 does not pair with P-256 (BR §7.1.3.2.2), and an RSA algorithm does not fit at all.
  const ecRoot = await selfSign({ signer: signers['root-p256']!, subject: DRY_RUN_ROOT, profile: rootProfile, notBefore: now }).catch((e: Error) => e);
  t.match(String(ecRoot), 'lint signature-algorithm', 'the root profile (EC: SHA-384) refuses a P-256 root');
  const ecIssuer = signers['root-p256']!;
  const ecParts = (hash: HashName): TbsInput => ({ ...baseParts(), signatureAlgorithm: signatureAlgorithmFor('EC', hash).der, issuer: rootParsed.subject });
  const ecIssuerCert = await make({
    parts: {
      ...baseParts(),
      signatureAlgorithm: signatureAlgorithmFor('EC', 'SHA-256').der,
      issuer: rootParsed.subject,
      subject: rootParsed.subject,
      spki: ecIssuer.spki,
      notBefore: rootParsed.notBefore,
      notAfter: rootParsed.notAfter,
      extensions: profileExtensions(rootProfile, { subjectSpki: ecIssuer.spki, issuerKeyIdentifier: undefined }),
    },
    signer: ecIssuer,
  });
  const mismatched = lintCertificate(await make({ parts: ecParts('SHA-384'), signer: ecIssuer, hash: 'SHA-384' }), ecIssuerCert, sub);
  t.match(byId(mismatched, 'signature-algorithm').message, 'BR §7.1.3.2.2 pairs P-256 with SHA-256');
  const rsaOnEc = lintCertificate(await make({ parts: baseParts(), signer: rootSigner }), ecIssuerCert, sub);
  t.match(byId(rsaOnEc, 'signature-algorithm').message, "does not fit the issuer's EC P-256 key");
});

t.test('MOICA-G3, issued by the real GRCA G3, passes every lint that needs no issuer', async (t) => {
  const results = lintCertificate(moicaG3(), undefined, sub);
  const needsIssuer = new Set(LINTS.filter((l) => l.needsIssuer).map((l) => l.id));
  for (const result of results) {
    if (needsIssuer.has(result.id))
      t.same(result, { ...result, ok: false, message: 'cannot be checked without the issuer certificate' }, `${result.id} needs GRCA G3`);
    else t.ok(result.ok, `${result.id}: ${result.message}`);
  }
});

t.test('lints report a value they cannot decode instead of crashing', async (t) => {
  const results = lintCertificate(await make({ parts: replaceValue('basicConstraints', Buffer.from('0500', 'hex')) }), root, sub);
  t.match(byId(results, 'key-usage-ca').message, /^cannot be checked: /);
  t.equal(byId(results, 'key-usage-ca').ok, false);
});
