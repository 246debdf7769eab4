// What a certificate lint sees and returns, and the small readers lints share. The lints
// themselves are in baseline-lints.ts (rules that hold for any profile) and profile-lints.ts
// (conformance to the X.509 profile); lint.ts runs both sets.
import { TAG, children, raw, readSingle } from './der.js';
import type { ParsedCertificate, ParsedExtension } from './certificate.js';
import { decodeBasicConstraints, decodeKeyUsage, decodeSubjectKeyIdentifier } from './extensions.js';
import type { ProfileData } from './profile.js';
import type { ExtensionType, ProfileKind } from './rules.js';

export type LintSet = 'baseline' | 'profile';

export interface LintResult {
  id: string;
  /** The RFC 5280 or BR clause checked, or `profile` for what the X.509 profile says. */
  clause: string;
  /** baseline: holds for any profile; profile: what this X.509 profile says. */
  set: LintSet;
  ok: boolean;
  /** What was found wrong, or what was checked when ok. */
  message: string;
}

export interface LintContext {
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
  set: LintSet;
  /** What passing means, in plain words. */
  checks: string;
  /** Needs the issuer certificate (or a self-signed certificate). */
  needsIssuer: boolean;
  /** The profile kinds it applies to; every kind when absent. */
  appliesTo?: readonly ProfileKind[];
  /** Returns what is wrong, or undefined. */
  run(context: LintContext): string | undefined;
}

export const hex = (bytes: Buffer) => bytes.toString('hex').toUpperCase();

export function basicConstraintsOf(context: LintContext, of: ParsedCertificate) {
  const extension = context.extension('basicConstraints', of);
  return extension ? decodeBasicConstraints(extension.value) : undefined;
}

export function keyUsageOf(context: LintContext, of: ParsedCertificate) {
  const extension = context.extension('keyUsage', of);
  return extension ? { usages: decodeKeyUsage(extension.value), critical: extension.critical } : undefined;
}

export function skiOf(context: LintContext, of: ParsedCertificate): Buffer | undefined {
  const extension = context.extension('subjectKeyIdentifier', of);
  return extension ? decodeSubjectKeyIdentifier(extension.value) : undefined;
}

/** BR §7.1.3.1: the exact SubjectPublicKeyInfo AlgorithmIdentifier encodings. */
export const SPKI_ALGORITHMS: Record<string, string> = {
  '300d06092a864886f70d0101010500': 'rsaEncryption',
  '301306072a8648ce3d020106082a8648ce3d030107': 'P-256',
  '301006072a8648ce3d020106052b81040022': 'P-384',
  '301006072a8648ce3d020106052b81040023': 'P-521',
};

/** The SubjectPublicKeyInfo's AlgorithmIdentifier, as hex. */
export function spkiAlgorithmHex(spki: Buffer): string {
  const [algorithm] = children(readSingle(spki, 'public key', TAG.sequence), 'public key');
  return algorithm ? raw(algorithm).toString('hex') : '';
}

export function namesOf(cert: ParsedCertificate): Array<[string, Buffer]> {
  return [
    ['subject', cert.subject],
    ['issuer', cert.issuer],
  ];
}
