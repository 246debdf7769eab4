// Checks that need no HSM and no clock of their own, for `validate`, `plan` and `run` before
// anyone signs in: does a profile fit the operation that names it and the keys it will be
// used with. Each returns what is wrong in plain words (empty when nothing is), for the
// caller to attach to the definition's file, line and step. The same rules refuse at
// signing time (issue.ts, the lints); these say so hours earlier.
import { CURVE_HASH } from './algorithms.js';
import type { ProfileData } from './profile.js';
import { profileExtension } from './profile.js';
import { KEY_USAGES_BY_KEY, type ProfileKind } from './rules.js';
import { describeAlgorithm, type KeyAlgorithm } from '../hsm/types.js';
import { formatUtc } from './time.js';
import { validityAgainstIssuer } from './validity.js';

/**
 * What a signing does with a profile, and the profile kinds that fit it. The operations are
 * x509's own words, not step types (the steps map onto them in src/steps).
 */
export const OPERATION_KINDS = {
  'self-signed certificate': ['root-ca'],
  'issued certificate': ['subordinate-ca', 'ocsp-responder', 'end-entity'],
  'link certificate': ['link-ca'],
} as const satisfies Record<string, readonly ProfileKind[]>;
export type IssueOperation = keyof typeof OPERATION_KINDS;

/** Why the profile's kind does not fit the operation, or undefined. */
export function profileKindProblem(profile: ProfileData, operation: IssueOperation): string | undefined {
  const kinds: readonly ProfileKind[] = OPERATION_KINDS[operation];
  return kinds.includes(profile.kind) ? undefined : `is a ${profile.kind} profile; a ${operation} needs a ${kinds.join(' or ')} profile`;
}

/**
 * What is wrong with using the profile with this key. As the `issuer` key: the profile must
 * give a hash for its type, and for EC the hash its curve pairs with (BR §7.1.3.2.2). As the
 * `subject` key (the key certified; for a self-signed root both): RSA of at least 2048 bits
 * (BR §6.1.5) and only key usages the key's type can have (RFC 3279 §2.3.1, RFC 5480 §3).
 */
export function checkProfileAgainstKey(profile: ProfileData, key: KeyAlgorithm, role: 'issuer' | 'subject'): string[] {
  const problems: string[] = [];
  const described = describeAlgorithm(key);
  if (role === 'issuer') {
    const hash = key.type === 'RSA' ? profile.signature.rsa : profile.signature.ec;
    if (!hash) problems.push(`does not allow an ${key.type} issuer key such as ${described} (signature.${key.type.toLowerCase()} is not set)`);
    else if (key.type === 'EC' && hash !== CURVE_HASH[key.curve])
      problems.push(`signs with ${hash}, but an issuer key on ${key.curve} signs with ${CURVE_HASH[key.curve]} (BR §7.1.3.2.2)`);
    return problems;
  }
  if (key.type === 'RSA' && key.bits < 2048) problems.push(`certifies an RSA key of ${key.bits} bits; at least 2048 are required (BR §6.1.5)`);
  const usages = profileExtension(profile, 'keyUsage')?.usages ?? [];
  const impossible = usages.filter((u) => !KEY_USAGES_BY_KEY[key.type].includes(u));
  if (impossible.length)
    problems.push(
      `asks keyUsage ${impossible.join(', ')} of a ${described} key, which it cannot have (${key.type === 'RSA' ? 'RFC 3279 §2.3.1' : 'RFC 5480 §3'})`,
    );
  return problems;
}

export interface ProfilePreflight {
  operation: IssueOperation;
  /** The key that signs (for self-sign, the root's own key). */
  issuerKey: KeyAlgorithm;
  /** The key certified; the issuer key for self-sign. */
  subjectKey: KeyAlgorithm;
  /** The planned notBefore (the ceremony date), to check the validity against the issuer. */
  notBefore?: Date;
  /** The issuer certificate's notAfter, when the issuer certificate is known before the ceremony. */
  issuerNotAfter?: Date;
}

/**
 * Everything validate/plan/run can say about a profile before anyone signs in, in one call:
 * the kind fits the operation, the profile fits both keys, and the validity fits inside the
 * issuer's (refused when the profile says limitToIssuer: refuse). Empty when nothing is wrong;
 * each problem completes "X.509 profile <file> …".
 */
export function preflightProfile(profile: ProfileData, o: ProfilePreflight): string[] {
  const problems: string[] = [];
  const kind = profileKindProblem(profile, o.operation);
  if (kind) problems.push(kind);
  problems.push(...checkProfileAgainstKey(profile, o.issuerKey, 'issuer'));
  problems.push(...checkProfileAgainstKey(profile, o.subjectKey, 'subject'));
  if (o.notBefore && o.issuerNotAfter) {
    const against = validityAgainstIssuer(profile, o.notBefore, o.issuerNotAfter);
    if (against.refused)
      problems.push(
        `gives notAfter ${formatUtc(against.notAfter)}, after the issuer's notAfter ${formatUtc(o.issuerNotAfter)}, and says limitToIssuer: refuse`,
      );
  }
  return problems;
}
