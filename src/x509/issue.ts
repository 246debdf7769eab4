// Issuing certificates: a self-signed root; from a CSR, a subordinate CA, an OCSP responder
// or an end entity; and a link certificate from an old root to a new one. All go through
// signCertificate:
//
//   1. build the TBSCertificate once, copying names and public keys as DER bytes;
//   2. sign it with a throwaway key of the issuer's type and lint that copy (the baseline
//      and the profile lints, lint.ts) against a throwaway issuer that has the real issuer's
//      name and key identifier, so a lint failure stops the ceremony before the HSM signs;
//   3. sign the same TBS with the HSM key and check the two TBS encodings are identical;
//   4. lint the HSM-signed certificate again, now against the real issuer, and verify its
//      signature with the issuer certificate's public key.
import { InputError, KeyceremonyError } from '../errors.js';
import type { HashName } from '../hsm/types.js';
import { signatureAlgorithmFor } from './algorithms.js';
import { assembleCertificate, encodeTbs, findExtension, randomSerial, readCertificate, type ParsedCertificate, type TbsInput } from './certificate.js';
import { verifyCsr, type CsrExpectation } from './csr.js';
import { decodeSubjectKeyIdentifier, profileExtensions, subjectKeyIdentifier, type AltName } from './extensions.js';
import { assertLintsPass, lintParsed, type LintResult } from './lint.js';
import { buildName, formatName, type NameAttributes } from './names.js';
import { profileExtension, profileHash, type X509Profile } from './profile.js';
import { profileKindProblem, type IssueOperation } from './preflight.js';
import { EXTENSION_OIDS, KIND_RULES } from './rules.js';
import { throwawaySigner, type KeySigner } from './signer.js';
import { throwawayIssuer } from './throwaway-issuer.js';
import { profileValidity } from './validity.js';
import { certificateMatchesKey, signedBy } from './verify.js';
import { signForX509 } from './webcrypto-bridge.js';

export interface IssuedCertificate {
  der: Buffer;
  /** The lints of the HSM-signed certificate, all passed, for the journal. */
  lints: LintResult[];
}

function requireKind(profile: X509Profile, operation: IssueOperation): void {
  const problem = profileKindProblem(profile, operation);
  if (problem) {
    throw new InputError(`X.509 profile ${profile.file} ${problem}`, {
      code: 'x509.profile-kind',
      hint: 'check which profile the ceremony step names',
    });
  }
}

function keyIdentifierOf(certificate: ParsedCertificate): Buffer | undefined {
  const extension = findExtension(certificate, EXTENSION_OIDS.subjectKeyIdentifier);
  return extension ? decodeSubjectKeyIdentifier(extension.value) : undefined;
}

/** The issuer certificate must be for the key that is about to sign. */
function checkIssuerKey(issuerSigner: KeySigner, issuerCertificate: Buffer): ParsedCertificate {
  const issuer = readCertificate(issuerCertificate, 'the issuer certificate');
  if (!certificateMatchesKey(issuerCertificate, issuerSigner.spki)) {
    throw new KeyceremonyError(`key "${issuerSigner.label}" is not the key of issuer certificate ${formatName(issuer.subject)}`, {
      code: 'x509.issuer-key',
      hint: 'the ceremony names the wrong key label or the wrong issuer certificate; nothing was signed',
    });
  }
  return issuer;
}

interface SignRequest {
  tbs: TbsInput;
  issuerSigner: KeySigner;
  /** Undefined for a self-signed certificate. */
  issuerCertificate: Buffer | undefined;
  profile: X509Profile;
  hash: HashName;
  /** For messages: "root certificate", "subordinate CA certificate for …". */
  what: string;
}

async function signCertificate(request: SignRequest): Promise<IssuedCertificate> {
  const { issuerSigner, profile, hash, what } = request;
  const tbs = encodeTbs(request.tbs);

  // 1. Lint first, on a copy signed by a throwaway key: a failure costs no HSM signature.
  const throwaway = await throwawaySigner(issuerSigner.algorithm);
  const trial = await signForX509(throwaway, hash, tbs);
  const precertificate = readCertificate(assembleCertificate(tbs, trial.algorithm.der, trial.signature), `the lint copy of the ${what}`);
  const lintIssuer = await throwawayIssuer(request.issuerCertificate ?? precertificate.der, throwaway, hash);
  assertLintsPass(
    lintParsed(precertificate, lintIssuer, profile),
    `the ${what}`,
    'nothing was signed with the HSM key; fix the X.509 profile, the request or the ceremony inputs',
  );

  // 2. The HSM signs the same bytes.
  const signed = await signForX509(issuerSigner, hash, tbs);
  const der = assembleCertificate(tbs, signed.algorithm.der, signed.signature);
  const certificate = readCertificate(der, `the ${what}`);
  if (!certificate.tbs.equals(precertificate.tbs)) {
    throw new KeyceremonyError(`the HSM-signed ${what} differs from the linted copy`, {
      code: 'x509.tbs-mismatch',
      hint: 'do not publish the certificate; report this as a defect',
    });
  }

  // 3. Lint again against the real issuer, and check the signature against it.
  const issuer = request.issuerCertificate === undefined ? undefined : readCertificate(request.issuerCertificate, 'the issuer certificate');
  const lints = lintParsed(certificate, issuer, profile);
  assertLintsPass(lints, `the HSM-signed ${what}`, 'do not publish the certificate; record an exception and report this as a defect');
  if (!signedBy(certificate, issuer ?? certificate)) {
    throw new KeyceremonyError(`the signature on the ${what} does not verify with the issuer's public key`, {
      code: 'x509.signature-check',
      hint: 'do not publish the certificate; check the HSM key label',
    });
  }
  return { der, lints };
}

function serialFor(profile: X509Profile, serial: Buffer | undefined): Buffer {
  return serial ?? randomSerial(profile.serial.bytes);
}

export interface SelfSignOptions {
  signer: KeySigner;
  /** The root's name; a dry-run root's name must say it is a dry run. */
  subject: NameAttributes;
  profile: X509Profile;
  /** Random, of the profile's length, unless given. */
  serial?: Buffer;
  notBefore: Date;
  /** The profile's validity unless given (GRCA G3 itself ends on 2049-12-31, not a whole number of years). */
  notAfter?: Date;
}

/** A self-signed root CA certificate for the signer's key. */
export async function selfSign(o: SelfSignOptions): Promise<Buffer> {
  return (await selfSignWithLints(o)).der;
}

/** selfSign, also returning the lint results for the journal. */
export async function selfSignWithLints(o: SelfSignOptions): Promise<IssuedCertificate> {
  requireKind(o.profile, 'self-signed certificate');
  const hash = profileHash(o.profile, o.signer.algorithm);
  const name = buildName(o.subject);
  const validity = profileValidity(o.profile, o.notBefore);
  const notAfter = o.notAfter ?? validity.notAfter;
  return signCertificate({
    tbs: {
      serial: serialFor(o.profile, o.serial),
      signatureAlgorithm: signatureAlgorithmFor(o.signer.algorithm.type, hash).der,
      issuer: name,
      subject: name,
      notBefore: validity.notBefore,
      notAfter,
      spki: o.signer.spki,
      extensions: profileExtensions(o.profile, { subjectSpki: o.signer.spki, issuerKeyIdentifier: subjectKeyIdentifier(o.signer.spki) }),
    },
    issuerSigner: o.signer,
    issuerCertificate: undefined,
    profile: o.profile,
    hash,
    what: `root certificate ${formatName(name)}`,
  });
}

/** What issuing under an existing issuer certificate needs, whatever is being certified. */
interface UnderIssuer {
  issuerSigner: KeySigner;
  issuerCertificate: Buffer;
  profile: X509Profile;
  serial?: Buffer;
  /** The clock, passed in: tests and rehearsals pick the date of issue. */
  notBefore: Date;
  /** The profile's validity (capped at or refused past the issuer's, as it says) unless given. */
  notAfter?: Date;
  /** The subscriber's names, when the profile lists subjectAltName. */
  subjectAltName?: readonly AltName[];
}

/**
 * Certifies `subject` and its key under the issuer certificate: the issuer's name bytes and
 * key identifier, the profile's extensions and validity, signed by the issuer's HSM key.
 */
function signUnderIssuer(
  o: UnderIssuer,
  issuer: ParsedCertificate,
  hash: HashName,
  certified: { subject: Buffer; spki: Buffer },
  what: string,
): Promise<IssuedCertificate> {
  const validity = profileValidity(o.profile, o.notBefore, issuer.notAfter);
  return signCertificate({
    tbs: {
      serial: serialFor(o.profile, o.serial),
      signatureAlgorithm: signatureAlgorithmFor(o.issuerSigner.algorithm.type, hash).der,
      issuer: issuer.subject,
      subject: certified.subject,
      notBefore: validity.notBefore,
      notAfter: o.notAfter ?? validity.notAfter,
      spki: certified.spki,
      extensions: profileExtensions(o.profile, {
        subjectSpki: certified.spki,
        issuerKeyIdentifier: keyIdentifierOf(issuer),
        ...(o.subjectAltName ? { subjectAltName: o.subjectAltName } : {}),
      }),
    },
    issuerSigner: o.issuerSigner,
    issuerCertificate: o.issuerCertificate,
    profile: o.profile,
    hash,
    what,
  });
}

/**
 * A certificate from a CSR: a subordinate CA, an OCSP responder or an end entity, as the
 * profile's kind says. The CSR is checked first (proof of possession); its subject name and
 * public key bytes, and the issuer certificate's subject name bytes, are copied into the
 * certificate unchanged. The CSR's own extension requests are never copied: the profile decides.
 */
export async function issueCertificate(
  o: Omit<UnderIssuer, 'notAfter'> & {
    csr: Buffer;
    /** What the CSR must hold (subject, key algorithm), as the ceremony definition says. */
    expect?: CsrExpectation;
  },
): Promise<IssuedCertificate> {
  requireKind(o.profile, 'issued certificate');
  if (o.subjectAltName?.length && !profileExtension(o.profile, 'subjectAltName')) {
    throw new InputError(`X.509 profile ${o.profile.file} has no subjectAltName, but the request gives names for one`, {
      code: 'x509.subject-alt-name',
      hint: 'use a profile that lists subjectAltName, or issue without the names',
    });
  }
  const hash = profileHash(o.profile, o.issuerSigner.algorithm);
  const request = verifyCsr(o.csr, o.expect);
  const issuer = checkIssuerKey(o.issuerSigner, o.issuerCertificate);
  const what = KIND_RULES[o.profile.kind].what.replace(/^an? /, '');
  return signUnderIssuer(o, issuer, hash, { subject: request.subject, spki: request.spki }, `${what} ${request.subjectText}`);
}

/**
 * A link certificate: the old root's key (issuerSigner, issuerCertificate) certifies the
 * new root's key and name, taken from the new root's self-signed certificate.
 */
export async function issueLinkCertificate(o: UnderIssuer & { newRootCertificate: Buffer }): Promise<IssuedCertificate> {
  requireKind(o.profile, 'link certificate');
  const hash = profileHash(o.profile, o.issuerSigner.algorithm);
  const issuer = checkIssuerKey(o.issuerSigner, o.issuerCertificate);
  const newRoot = readCertificate(o.newRootCertificate, 'the new root certificate');
  const newRootName = formatName(newRoot.subject);
  if (!newRoot.issuer.equals(newRoot.subject) || !signedBy(newRoot, newRoot)) {
    throw new KeyceremonyError(`the new root certificate ${newRootName} is not self-signed`, {
      code: 'x509.link-subject',
      hint: "a link certificate certifies a new root's key; give the new root's self-signed certificate",
    });
  }
  if (newRoot.spki.equals(issuer.spki)) {
    throw new KeyceremonyError(`the new root certificate ${newRootName} has the same key as the old root`, {
      code: 'x509.link-subject',
      hint: 'a link certificate joins two different root keys',
    });
  }
  // The link must carry the same key identifier the new root uses, or paths will not chain.
  const newRootKeyId = keyIdentifierOf(newRoot);
  if (newRootKeyId && !newRootKeyId.equals(subjectKeyIdentifier(newRoot.spki))) {
    throw new KeyceremonyError(`the new root certificate ${newRootName} has a subject key identifier not made by SHA-1 of its key`, {
      code: 'x509.link-ski',
      hint: 'the link certificate would carry a different key identifier than the new root; use a profile with the same method',
    });
  }
  return signUnderIssuer(o, issuer, hash, { subject: newRoot.subject, spki: newRoot.spki }, `link certificate for ${newRootName}`);
}
