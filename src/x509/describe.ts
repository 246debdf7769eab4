// Plain-words summaries of certificates and CSRs, for the ceremony screen, the witnesses'
// paper log and the journal: names as people read them, serial in hex, validity in UTC
// and Taipei time, the key, each extension in order with its criticality, and SHA-256
// fingerprints as hex and PGP words to read aloud.
import { spkiAlgorithm } from '../hsm/public-key.js';
import { describeAlgorithm, type KeyAlgorithm } from '../hsm/types.js';
import { fingerprint, groupedHex, type Fingerprint } from '../util/fingerprint.js';
import { signatureAlgorithmByDer } from './algorithms.js';
import { readCertificate, serialHex, type ParsedExtension } from './certificate.js';
import { verifyCsr } from './csr.js';
import {
  decodeAuthorityInfoAccess,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCrlDistributionPoints,
  decodeExtKeyUsage,
  decodeKeyUsage,
  decodeNameConstraints,
  decodePolicies,
  decodeSubjectAltName,
  decodeSubjectKeyIdentifier,
  extensionName,
  extensionTypeOf,
  keyPurposeName,
} from './extensions.js';
import { formatName } from './names.js';
import { formatLocal, formatUtc } from './time.js';
import { signedBy } from './verify.js';

const TAIPEI = 'Asia/Taipei';

export interface DescribedTime {
  utc: string;
  taipei: string;
}

export interface DescribedExtension {
  name: string;
  oid: string;
  critical: boolean;
  value: string;
}

export interface CertificateDescription {
  subject: string;
  issuer: string;
  selfSigned: boolean;
  serial: string;
  notBefore: DescribedTime;
  notAfter: DescribedTime;
  key: string;
  /** The public key's algorithm as data (undefined for a type keyceremony does not use); `key` is its text. */
  keyAlgorithm: KeyAlgorithm | undefined;
  spkiSha256: Fingerprint;
  signatureAlgorithm: string;
  extensions: DescribedExtension[];
  sha256: Fingerprint;
  /** The same, as lines for the screen. */
  text: string;
}

export interface CsrDescription {
  subject: string;
  key: string;
  spkiSha256: Fingerprint;
  signatureAlgorithm: string;
  requestedExtensions: string[];
  sha256: Fingerprint;
  text: string;
}

const colonHex = (bytes: Buffer) => (bytes.toString('hex').toUpperCase().match(/../g) ?? []).join(':');

function describeTime(date: Date): DescribedTime {
  return { utc: formatUtc(date), taipei: `${formatLocal(date, TAIPEI)} (${TAIPEI})` };
}

/** The SPKI's algorithm as data, undefined for a key type keyceremony does not use. */
function keyAlgorithmOfSpki(spki: Buffer): KeyAlgorithm | undefined {
  try {
    return spkiAlgorithm(spki);
  } catch {
    return undefined;
  }
}

const describeKey = (algorithm: KeyAlgorithm | undefined): string => (algorithm ? describeAlgorithm(algorithm) : 'a key type keyceremony does not use');

function extensionValue(extension: ParsedExtension): string {
  try {
    switch (extensionTypeOf(extension.oid)) {
      case 'authorityKeyIdentifier': {
        const aki = decodeAuthorityKeyIdentifier(extension.value);
        return aki.keyIdentifier ? `key identifier ${colonHex(aki.keyIdentifier)}` : 'no key identifier';
      }
      case 'subjectKeyIdentifier':
        return colonHex(decodeSubjectKeyIdentifier(extension.value));
      case 'keyUsage':
        return decodeKeyUsage(extension.value).join(', ');
      case 'crlDistributionPoints':
        return decodeCrlDistributionPoints(extension.value).join(', ');
      case 'authorityInfoAccess': {
        const aia = decodeAuthorityInfoAccess(extension.value);
        return [...aia.caIssuers.map((u) => `CA issuers ${u}`), ...aia.ocsp.map((u) => `OCSP ${u}`)].join(', ');
      }
      case 'basicConstraints': {
        const bc = decodeBasicConstraints(extension.value);
        if (!bc.ca) return 'not a CA';
        return bc.pathLength === undefined ? 'CA, no path length limit' : `CA, path length ${bc.pathLength}`;
      }
      case 'certificatePolicies':
        return decodePolicies(extension.value).join(', ');
      case 'extKeyUsage':
        return decodeExtKeyUsage(extension.value).map(keyPurposeName).join(', ');
      case 'subjectAltName':
        return decodeSubjectAltName(extension.value).join(', ');
      case 'nameConstraints': {
        const nc = decodeNameConstraints(extension.value);
        return [...nc.permitted.map((n) => `permitted ${n}`), ...nc.excluded.map((n) => `excluded ${n}`)].join(', ');
      }
      case 'ocspNoCheck':
        return 'responses from this responder are not checked for revocation';
      default:
        return `${extension.value.length} bytes`;
    }
  } catch {
    return `cannot be decoded (${extension.value.length} bytes)`;
  }
}

function fingerprintLines(label: string, value: Fingerprint): string[] {
  return [`  ${label.padEnd(14)}${groupedHex(value.sha256)}`, `  ${''.padEnd(14)}${value.words}`];
}

export function describeCertificate(der: Buffer): CertificateDescription {
  const certificate = readCertificate(der, 'certificate');
  const selfSigned = certificate.issuer.equals(certificate.subject) && signedBy(certificate, certificate);
  const extensions = certificate.extensions.map((e) => ({ name: extensionName(e.oid), oid: e.oid, critical: e.critical, value: extensionValue(e) }));
  const keyAlgorithm = keyAlgorithmOfSpki(certificate.spki);
  const description: Omit<CertificateDescription, 'text'> = {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    selfSigned,
    serial: serialHex(certificate.serial),
    notBefore: describeTime(certificate.notBefore),
    notAfter: describeTime(certificate.notAfter),
    key: describeKey(keyAlgorithm),
    keyAlgorithm,
    spkiSha256: fingerprint(certificate.spki),
    signatureAlgorithm: signatureAlgorithmByDer(certificate.signatureAlgorithm)?.name ?? `unknown (${certificate.signatureAlgorithm.toString('hex')})`,
    extensions,
    sha256: fingerprint(der),
  };
  const d = description;
  const lines = [
    'Certificate',
    `  subject       ${d.subject}`,
    `  issuer        ${d.issuer}${selfSigned ? ' (self-signed)' : ''}`,
    `  serial        ${groupedHex(d.serial)}`,
    `  not before    ${d.notBefore.utc}  =  ${d.notBefore.taipei}`,
    `  not after     ${d.notAfter.utc}  =  ${d.notAfter.taipei}`,
    `  public key    ${d.key}`,
    ...fingerprintLines('key SHA-256', d.spkiSha256),
    `  signed with   ${d.signatureAlgorithm}`,
    '  extensions',
    ...extensions.map((e, i) => `    ${i + 1}. ${e.name}, ${e.critical ? 'critical' : 'not critical'}: ${e.value}`),
    ...fingerprintLines('SHA-256', d.sha256),
  ];
  return { ...description, text: lines.join('\n') };
}

/** Describes a CSR after checking it (a CSR whose signature fails is refused, not described). */
export function describeCsr(der: Buffer): CsrDescription {
  const summary = verifyCsr(der);
  const description = {
    subject: summary.subjectText,
    key: describeAlgorithm(summary.algorithm),
    spkiSha256: summary.spkiFingerprint,
    signatureAlgorithm: summary.signatureAlgorithm,
    requestedExtensions: summary.requestedExtensions,
    sha256: summary.fingerprint,
  };
  const lines = [
    'Certificate signing request (signature verified: the requester holds the private key)',
    `  subject       ${description.subject}`,
    `  public key    ${description.key}`,
    ...fingerprintLines('key SHA-256', description.spkiSha256),
    `  signed with   ${description.signatureAlgorithm}`,
    `  asks for      ${description.requestedExtensions.length ? `${description.requestedExtensions.join(', ')} (ignored: the profile decides)` : 'no extensions'}`,
    ...fingerprintLines('SHA-256', description.sha256),
  ];
  return { ...description, text: lines.join('\n') };
}
