// Certificate lints. No maintained JavaScript X.509 linter exists, so these are ours, kept
// small and named after the clause they check (RFC 5280, CA/Browser Forum Baseline
// Requirements) or the profile. issue.ts runs them on a throwaway-signed copy before the
// HSM signs anything, and again on the HSM-signed certificate; any failure blocks.
import { createPublicKey } from 'node:crypto';
import { KeyceremonyError } from '../errors.js';
import { CURVE_HASH, signatureAlgorithmByDer, signatureAlgorithmFor } from './algorithms.js';
import { findExtension, readCertificate, type ParsedCertificate, type ParsedExtension } from './certificate.js';
import { TAG, children, encodeTime, isMinimalInteger, raw, readSingle } from './der.js';
import {
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeKeyUsage,
  decodePolicies,
  decodeSubjectKeyIdentifier,
  extensionName,
  extensionTypeOf,
  profileExtensionValue,
  subjectKeyIdentifier,
} from './extensions.js';
import { PRINTABLE, parseName } from './names.js';
import { EXTENSION_OIDS, profileExtension, profileValidity, type ExtensionType, type ProfileData } from './profile.js';
import { signatureVerifies } from './signer.js';
import { formatUtc, toLocal } from './time.js';

export interface LintResult {
  id: string;
  /** The RFC 5280 or BR clause checked, or `profile` for what the X.509 profile says. */
  clause: string;
  ok: boolean;
  /** What was found wrong, or what was checked when ok. */
  message: string;
}

interface LintContext {
  cert: ParsedCertificate;
  /** The issuer: the certificate itself when it is self-signed. */
  issuer: ParsedCertificate;
  /** Signed by its own key (before signing: by the throwaway stand-in for itself). */
  selfSigned: boolean;
  /** False when the issuer certificate was not given and the certificate is not self-issued. */
  issuerKnown: boolean;
  profile: ProfileData;
  extension(type: ExtensionType, of?: ParsedCertificate): ParsedExtension | undefined;
}

export interface Lint {
  id: string;
  clause: string;
  /** What passing means, in plain words. */
  checks: string;
  /** Needs the issuer certificate (or a self-signed certificate). */
  needsIssuer: boolean;
  /** Returns what is wrong, or undefined. */
  run(context: LintContext): string | undefined;
}

const hex = (bytes: Buffer) => bytes.toString('hex').toUpperCase();

function basicConstraintsOf(context: LintContext, of: ParsedCertificate) {
  const extension = context.extension('basicConstraints', of);
  return extension ? decodeBasicConstraints(extension.value) : undefined;
}

function keyUsageOf(context: LintContext, of: ParsedCertificate) {
  const extension = context.extension('keyUsage', of);
  return extension ? { usages: decodeKeyUsage(extension.value), critical: extension.critical } : undefined;
}

function skiOf(context: LintContext, of: ParsedCertificate): Buffer | undefined {
  const extension = context.extension('subjectKeyIdentifier', of);
  return extension ? decodeSubjectKeyIdentifier(extension.value) : undefined;
}

/** BR §7.1.3.1: the exact SubjectPublicKeyInfo AlgorithmIdentifier encodings. */
const SPKI_ALGORITHMS: Record<string, string> = {
  '300d06092a864886f70d0101010500': 'rsaEncryption',
  '301306072a8648ce3d020106082a8648ce3d030107': 'P-256',
  '301006072a8648ce3d020106052b81040022': 'P-384',
  '301006072a8648ce3d020106052b81040023': 'P-521',
};

/** The SubjectPublicKeyInfo's AlgorithmIdentifier, as hex. */
function spkiAlgorithmHex(spki: Buffer): string {
  const [algorithm] = children(readSingle(spki, 'public key', TAG.sequence), 'public key');
  return algorithm ? raw(algorithm).toString('hex') : '';
}

function namesOf(cert: ParsedCertificate): Array<[string, Buffer]> {
  return [
    ['subject', cert.subject],
    ['issuer', cert.issuer],
  ];
}

export const LINTS: readonly Lint[] = [
  {
    id: 'version-3',
    clause: 'RFC 5280 §4.1.2.1',
    checks: 'the certificate is X.509 v3',
    needsIssuer: false,
    run: ({ cert }) => (cert.version === 2 ? undefined : `version is v${cert.version + 1}; a certificate with extensions must be v3`),
  },
  {
    id: 'serial-positive',
    clause: 'RFC 5280 §4.1.2.2',
    checks: 'the serial number is a positive, minimally encoded integer',
    needsIssuer: false,
    run: ({ cert: { serial } }) => {
      if (!isMinimalInteger(serial)) return `serial ${hex(serial)} is not minimally encoded`;
      if (serial[0]! & 0x80) return `serial ${hex(serial)} is negative`;
      if (serial.every((b) => b === 0)) return 'serial is zero';
      return undefined;
    },
  },
  {
    id: 'serial-length',
    clause: 'RFC 5280 §4.1.2.2',
    checks: 'the serial number is at most 20 octets',
    needsIssuer: false,
    run: ({ cert: { serial } }) => (serial.length <= 20 ? undefined : `serial is ${serial.length} octets, more than 20`),
  },
  {
    id: 'serial-entropy',
    clause: 'BR §7.1',
    checks: 'the serial number has room for at least 64 random bits',
    needsIssuer: false,
    run: ({ cert: { serial } }) =>
      serial.length >= 9 ? undefined : `serial is ${serial.length} octets; 64 random bits and a clear sign bit need at least 9`,
  },
  {
    id: 'serial-as-profile',
    clause: 'profile',
    checks: 'the serial number is as long as the profile says',
    needsIssuer: false,
    run: ({ cert: { serial }, profile }) =>
      serial.length === profile.serial.bytes ? undefined : `serial is ${serial.length} octets; the profile says ${profile.serial.bytes}`,
  },
  {
    id: 'validity-encoding',
    clause: 'RFC 5280 §4.1.2.5',
    checks: 'validity times are UTCTime through 2049 and GeneralizedTime from 2050, and notBefore is not after notAfter',
    needsIssuer: false,
    run: ({ cert }) => {
      for (const [label, date, encoded] of [
        ['notBefore', cert.notBefore, cert.notBeforeTime],
        ['notAfter', cert.notAfter, cert.notAfterTime],
      ] as const) {
        if (!encodeTime(date).equals(encoded)) return `${label} ${formatUtc(date)} is encoded as ${encoded[0] === 0x17 ? 'UTCTime' : 'GeneralizedTime'}, not as RFC 5280 requires for its year`;
      }
      if (cert.notBefore > cert.notAfter) return `notBefore ${formatUtc(cert.notBefore)} is after notAfter ${formatUtc(cert.notAfter)}`;
      return undefined;
    },
  },
  {
    id: 'validity-within-issuer',
    clause: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
    checks: "the validity lies inside the issuer's",
    needsIssuer: true,
    run: ({ cert, issuer }) => {
      if (cert.notBefore < issuer.notBefore) return `notBefore ${formatUtc(cert.notBefore)} is before the issuer's notBefore ${formatUtc(issuer.notBefore)}`;
      if (cert.notAfter > issuer.notAfter) return `notAfter ${formatUtc(cert.notAfter)} is after the issuer's notAfter ${formatUtc(issuer.notAfter)}`;
      return undefined;
    },
  },
  {
    id: 'validity-as-profile',
    clause: 'profile',
    checks: 'notAfter is no later than the profile allows and at the time of day it names',
    needsIssuer: false,
    run: ({ cert, issuer, profile }) => {
      const limit = profileValidity(profile, cert.notBefore, issuer.notAfter).notAfter;
      if (cert.notAfter > limit) return `notAfter ${formatUtc(cert.notAfter)} is later than the profile allows for this notBefore (${formatUtc(limit)})`;
      const endOfDay = profile.validity.notAfterTime;
      const cappedAtIssuer = profile.validity.limitToIssuer && cert.notAfter.getTime() === issuer.notAfter.getTime();
      if (endOfDay && !cappedAtIssuer) {
        const local = toLocal(cert.notAfter, endOfDay.timeZone);
        const time = [local.hour, local.minute, local.second].map((n) => String(n).padStart(2, '0')).join(':');
        if (time !== endOfDay.time) return `notAfter is ${time} in ${endOfDay.timeZone}; the profile ends certificates at ${endOfDay.time}`;
      }
      return undefined;
    },
  },
  {
    id: 'key-usage-ca',
    clause: 'RFC 5280 §4.2.1.3, §4.2.1.9; BR §7.1.2.10.7',
    checks: 'keyUsage agrees with basicConstraints',
    needsIssuer: false,
    run: (context) => {
      const bc = basicConstraintsOf(context, context.cert);
      const ku = keyUsageOf(context, context.cert);
      if (bc?.ca) {
        if (!ku) return 'a CA certificate without keyUsage';
        if (!ku.critical) return 'keyUsage of a CA certificate is not critical';
        const missing = (['keyCertSign', 'cRLSign'] as const).filter((u) => !ku.usages.includes(u));
        if (missing.length) return `keyUsage of a CA certificate lacks ${missing.join(' and ')}`;
      } else if (ku?.usages.includes('keyCertSign')) {
        return 'keyUsage has keyCertSign but basicConstraints does not say CA';
      }
      return undefined;
    },
  },
  {
    id: 'ca-has-ski',
    clause: 'RFC 5280 §4.2.1.2',
    checks: 'a CA certificate has a non-critical subject key identifier',
    needsIssuer: false,
    run: (context) => {
      if (!basicConstraintsOf(context, context.cert)?.ca) return undefined;
      const ski = context.extension('subjectKeyIdentifier', context.cert);
      if (!ski) return 'a CA certificate without subjectKeyIdentifier';
      return ski.critical ? 'subjectKeyIdentifier is critical' : undefined;
    },
  },
  {
    id: 'ski-method',
    clause: 'RFC 5280 §4.2.1.2 (1)',
    checks: 'the subject key identifier is the SHA-1 of the subject public key',
    needsIssuer: false,
    run: (context) => {
      const ski = skiOf(context, context.cert);
      if (!ski) return undefined;
      const expected = subjectKeyIdentifier(context.cert.spki);
      return ski.equals(expected) ? undefined : `subjectKeyIdentifier is ${hex(ski)}, the SHA-1 of the public key is ${hex(expected)}`;
    },
  },
  {
    id: 'aki-matches-issuer',
    clause: 'RFC 5280 §4.2.1.1',
    checks: "the authority key identifier is the issuer's subject key identifier",
    needsIssuer: true,
    run: (context) => {
      const extension = context.extension('authorityKeyIdentifier', context.cert);
      if (!extension) return context.selfSigned ? undefined : 'no authorityKeyIdentifier; only a self-signed certificate may leave it out';
      if (extension.critical) return 'authorityKeyIdentifier is critical';
      const aki = decodeAuthorityKeyIdentifier(extension.value);
      const issuerSki = skiOf(context, context.issuer);
      if (!aki.keyIdentifier) return 'authorityKeyIdentifier has no keyIdentifier';
      if (!issuerSki) return 'the issuer has no subjectKeyIdentifier to match';
      return aki.keyIdentifier.equals(issuerSki) ? undefined : `authorityKeyIdentifier ${hex(aki.keyIdentifier)} is not the issuer's subjectKeyIdentifier ${hex(issuerSki)}`;
    },
  },
  {
    id: 'country-printable',
    clause: 'RFC 5280 Appendix A; BR §7.1.4.2',
    checks: 'countryName is a two-letter PrintableString',
    needsIssuer: false,
    run: ({ cert }) => {
      for (const [which, der] of namesOf(cert)) {
        for (const attribute of parseName(der, `${which} name`).flat()) {
          if (attribute.type !== 'C') continue;
          if (attribute.stringType !== 'PrintableString') return `${which} countryName "${attribute.value}" is a ${attribute.stringType}, not a PrintableString`;
          if (!/^[A-Z]{2}$/.test(attribute.value)) return `${which} countryName "${attribute.value}" is not a two-letter ISO 3166 code`;
        }
      }
      return undefined;
    },
  },
  {
    id: 'no-empty-rdn',
    clause: 'RFC 5280 §4.1.2.4, §4.1.2.6',
    checks: 'names are not empty and have no empty RDN or attribute value',
    needsIssuer: false,
    run: ({ cert }) => {
      for (const [which, der] of namesOf(cert)) {
        const rdns = parseName(der, `${which} name`);
        if (rdns.length === 0) return `the ${which} name is empty`;
        const empty = rdns.findIndex((rdn) => rdn.length === 0);
        if (empty >= 0) return `RDN ${empty + 1} of the ${which} name is empty`;
        const blank = rdns.flat().find((a) => a.value.length === 0);
        if (blank) return `${which} attribute ${blank.type} is empty`;
        const unprintable = rdns.flat().find((a) => a.stringType === 'PrintableString' && !PRINTABLE.test(a.value));
        if (unprintable) return `${which} attribute ${unprintable.type} has characters a PrintableString cannot hold`;
      }
      return undefined;
    },
  },
  {
    id: 'key-strength',
    clause: 'BR §6.1.5, §6.1.6, §7.1.3.1',
    checks: 'the public key is RSA of at least 2048 bits or ECDSA on P-256, P-384 or P-521, encoded as the BRs say',
    needsIssuer: false,
    run: ({ cert }) => {
      const algorithm = SPKI_ALGORITHMS[spkiAlgorithmHex(cert.spki)];
      if (!algorithm) return 'the public key algorithm is not rsaEncryption or ECDSA on P-256, P-384 or P-521';
      const key = createPublicKey({ key: cert.spki, format: 'der', type: 'spki' });
      if (algorithm !== 'rsaEncryption') return undefined;
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
      if (bits < 2048) return `RSA key of ${bits} bits; at least 2048 are required`;
      if (bits % 8 !== 0) return `RSA modulus of ${bits} bits is not a multiple of 8`;
      if (exponent % 2n === 0n || exponent < 65537n) return `RSA public exponent ${exponent} is not an odd number of at least 65537`;
      return undefined;
    },
  },
  {
    id: 'signature-algorithm',
    clause: 'RFC 5280 §4.1.1.2, §4.1.2.3; BR §7.1.3.2',
    checks: "the signature algorithm is allowed, written the same twice, and fits the issuer's key",
    needsIssuer: true,
    run: ({ cert, issuer }) => {
      if (!cert.signatureAlgorithm.equals(cert.tbsSignatureAlgorithm)) return 'signatureAlgorithm differs from the signature field inside the TBSCertificate';
      const algorithm = signatureAlgorithmByDer(cert.signatureAlgorithm);
      if (!algorithm) return `signature algorithm ${hex(cert.signatureAlgorithm)} is not one of the BR §7.1.3.2 encodings`;
      const issuerKey = SPKI_ALGORITHMS[spkiAlgorithmHex(issuer.spki)];
      if (!issuerKey) return "the issuer's public key is of a type keyceremony does not sign with";
      if ((issuerKey === 'rsaEncryption') !== (algorithm.key === 'RSA')) return `${algorithm.name} does not fit the issuer's ${issuerKey === 'rsaEncryption' ? 'RSA' : `EC ${issuerKey}`} key`;
      if (algorithm.key === 'EC') {
        const hash = CURVE_HASH[issuerKey as keyof typeof CURVE_HASH];
        if (algorithm.hash !== hash) return `${algorithm.name} with an issuer key on ${issuerKey}; BR §7.1.3.2.2 pairs ${issuerKey} with ${hash}`;
      }
      return undefined;
    },
  },
  {
    id: 'signature-as-profile',
    clause: 'profile',
    checks: 'the signature algorithm is the one the profile says for the issuer key',
    needsIssuer: true,
    run: ({ cert, issuer, profile }) => {
      const algorithm = signatureAlgorithmByDer(cert.signatureAlgorithm);
      const issuerIsRsa = SPKI_ALGORITHMS[spkiAlgorithmHex(issuer.spki)] === 'rsaEncryption';
      const hash = issuerIsRsa ? profile.signature.rsa : profile.signature.ec;
      if (!hash) return `the profile allows no ${issuerIsRsa ? 'RSA' : 'EC'} issuer key`;
      const expected = signatureAlgorithmFor(issuerIsRsa ? 'RSA' : 'EC', hash);
      return algorithm?.name === expected.name ? undefined : `signed with ${algorithm?.name ?? 'an unknown algorithm'}; the profile says ${expected.name}`;
    },
  },
  {
    id: 'signature-valid',
    clause: 'RFC 5280 §6.1.3 (a)(1)',
    checks: "the signature verifies with the issuer's public key",
    needsIssuer: true,
    run: ({ cert, issuer }) => {
      const algorithm = signatureAlgorithmByDer(cert.signatureAlgorithm);
      if (!algorithm) return 'the signature algorithm is unknown, so the signature cannot be checked';
      return signatureVerifies(issuer.spki, algorithm.hash, cert.tbs, cert.signature, 'der') ? undefined : "the signature does not verify with the issuer's public key";
    },
  },
  {
    id: 'no-duplicate-extensions',
    clause: 'RFC 5280 §4.2',
    checks: 'no extension appears twice',
    needsIssuer: false,
    run: ({ cert }) => {
      const seen = new Set<string>();
      for (const extension of cert.extensions) {
        if (seen.has(extension.oid)) return `${extensionName(extension.oid)} appears more than once`;
        seen.add(extension.oid);
      }
      return undefined;
    },
  },
  {
    id: 'extensions-as-profile',
    clause: 'profile',
    checks: "the extensions are the profile's, in its order, with its values",
    needsIssuer: false,
    run: (context) => {
      const { cert, profile } = context;
      const actual = cert.extensions.map((e) => extensionName(e.oid));
      const expected = profile.extensions.map((e) => e.type);
      if (actual.join(',') !== expected.join(',')) return `extensions are [${actual.join(', ')}]; the profile says [${expected.join(', ')}]`;
      const issuerKeyIdentifier = context.issuerKnown ? skiOf(context, context.issuer) : undefined;
      for (const [index, entry] of profile.extensions.entries()) {
        // Without the issuer there is nothing to compute the AKI from; aki-matches-issuer says so.
        if (entry.type === 'authorityKeyIdentifier' && !issuerKeyIdentifier) continue;
        const wanted = profileExtensionValue(entry, { subjectSpki: cert.spki, issuerKeyIdentifier });
        if (!wanted.value.equals(cert.extensions[index]!.value)) return `${entry.type} does not have the value the profile gives`;
      }
      return undefined;
    },
  },
  {
    id: 'criticality-as-profile',
    clause: 'profile',
    checks: 'each extension is critical or not as the profile says',
    needsIssuer: false,
    run: ({ cert, profile }) => {
      for (const extension of cert.extensions) {
        const type = extensionTypeOf(extension.oid);
        const entry = type ? profileExtension(profile, type) : undefined;
        if (!entry) continue;
        if (entry.critical !== extension.critical) return `${entry.type} is ${extension.critical ? '' : 'not '}critical; the profile says ${entry.critical ? 'critical' : 'not critical'}`;
      }
      return undefined;
    },
  },
  {
    id: 'path-length',
    clause: 'RFC 5280 §4.2.1.9, §6.1.4 (l)(m)',
    checks: "pathLenConstraint is only on a CA and fits inside the issuer's",
    needsIssuer: true,
    run: (context) => {
      const bc = basicConstraintsOf(context, context.cert);
      if (bc?.pathLength !== undefined) {
        if (!bc.ca) return 'pathLenConstraint on a certificate that is not a CA';
        if (!keyUsageOf(context, context.cert)?.usages.includes('keyCertSign')) return 'pathLenConstraint without keyCertSign';
      }
      if (context.selfSigned || !bc?.ca) return undefined;
      const limit = basicConstraintsOf(context, context.issuer)?.pathLength;
      if (limit === undefined) return undefined;
      if (limit === 0) return 'the issuer has pathLenConstraint 0 and may not certify another CA';
      if (bc.pathLength === undefined || bc.pathLength > limit - 1) return `pathLenConstraint ${bc.pathLength ?? '(none)'} does not fit under the issuer's ${limit}`;
      return undefined;
    },
  },
  {
    id: 'issuer-is-ca',
    clause: 'RFC 5280 §6.1.4 (k)(n)',
    checks: 'the issuer is a CA allowed to sign certificates',
    needsIssuer: true,
    run: (context) => {
      if (!basicConstraintsOf(context, context.issuer)?.ca) return 'the issuer certificate is not a CA (basicConstraints)';
      const ku = keyUsageOf(context, context.issuer);
      if (ku && !ku.usages.includes('keyCertSign')) return 'the issuer certificate lacks keyCertSign';
      return undefined;
    },
  },
  {
    id: 'policies-as-profile',
    clause: 'RFC 5280 §4.2.1.4; BR §7.1.2.10.5',
    checks: "the certificate policies are the profile's, each once",
    needsIssuer: false,
    run: (context) => {
      const extension = context.extension('certificatePolicies', context.cert);
      const actual = extension ? decodePolicies(extension.value) : [];
      const expected = profileExtension(context.profile, 'certificatePolicies')?.policies ?? [];
      if (new Set(actual).size !== actual.length) return 'a policy OID appears more than once';
      return actual.join(',') === expected.join(',') ? undefined : `policies are [${actual.join(', ')}]; the profile says [${expected.join(', ')}]`;
    },
  },
];

/**
 * Self-signed: the issuer is the certificate's own CA, same name and same key. The lint
 * run before signing passes a throwaway copy of the issuer that has the same name and key
 * identifier but another key, so the key is recognised by its identifier here.
 */
function isSelfSigned(certificate: ParsedCertificate, issuer: ParsedCertificate | undefined): boolean {
  if (!certificate.issuer.equals(certificate.subject)) return false;
  if (issuer === undefined || issuer.spki.equals(certificate.spki)) return true;
  if (!issuer.subject.equals(certificate.subject)) return false;
  const ski = (of: ParsedCertificate) => {
    const extension = findExtension(of, EXTENSION_OIDS.subjectKeyIdentifier);
    return extension ? decodeSubjectKeyIdentifier(extension.value) : undefined;
  };
  const own = ski(certificate);
  return own !== undefined && own.equals(ski(issuer) ?? Buffer.alloc(0));
}

/** lintCertificate on certificates already parsed. */
export function lintParsed(certificate: ParsedCertificate, issuer: ParsedCertificate | undefined, profile: ProfileData): LintResult[] {
  const selfIssued = certificate.issuer.equals(certificate.subject);
  let selfSigned = false;
  try {
    selfSigned = isSelfSigned(certificate, issuer);
  } catch {
    // An undecodable SKI: the lints that read it report it.
  }
  const issuerMissing = issuer === undefined && !selfIssued;
  const context: LintContext = {
    cert: certificate,
    issuer: issuer ?? certificate,
    selfSigned,
    issuerKnown: !issuerMissing,
    profile,
    extension: (type, of = certificate) => findExtension(of, EXTENSION_OIDS[type]),
  };
  return LINTS.map((lint) => {
    const base = { id: lint.id, clause: lint.clause };
    if (lint.needsIssuer && issuerMissing) return { ...base, ok: false, message: 'cannot be checked without the issuer certificate' };
    try {
      const problem = lint.run(context);
      return { ...base, ok: problem === undefined, message: problem ?? lint.checks };
    } catch (error) {
      return { ...base, ok: false, message: `cannot be checked: ${(error as Error).message}` };
    }
  });
}

/**
 * Lints a certificate (DER) against its issuer certificate and a profile. Pass undefined
 * as the issuer for a self-signed certificate. Every lint runs; one that cannot decode
 * what it checks fails.
 */
export function lintCertificate(certificate: Buffer, issuer: Buffer | undefined, profile: ProfileData): LintResult[] {
  return lintParsed(readCertificate(certificate, 'certificate'), issuer === undefined ? undefined : readCertificate(issuer, 'issuer certificate'), profile);
}

/** Throws when any lint failed, naming each failed lint and its clause. */
export function assertLintsPass(results: LintResult[], what: string, hint: string): void {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return;
  const lines = failed.map((r) => `lint ${r.id} (${r.clause}): ${r.message}`);
  throw new KeyceremonyError(`${what} failed ${failed.length === 1 ? 'a lint' : `${failed.length} lints`}: ${lines.join('; ')}`, {
    code: 'x509.lint',
    hint,
  });
}
