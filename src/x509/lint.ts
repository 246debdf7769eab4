// Certificate lints. No maintained JavaScript X.509 linter exists, so these are ours, kept
// small and named after the clause they check. Two sets run together: the baseline
// (baseline-lints.ts: RFC 5280 and the CA/Browser Forum BRs, for any profile of the kind)
// and the profile (profile-lints.ts: the certificate is what its X.509 profile says).
// issue.ts runs them on a throwaway-signed copy before the HSM signs anything, and again on
// the HSM-signed certificate; any failure blocks.
import { KeyceremonyError } from '../errors.js';
import { BASELINE_LINTS } from './baseline-lints.js';
import { findExtension, readCertificate, type ParsedCertificate } from './certificate.js';
import { decodeSubjectKeyIdentifier } from './extensions.js';
import type { Lint, LintContext, LintResult } from './lint-context.js';
import type { ProfileData } from './profile.js';
import { PROFILE_LINTS } from './profile-lints.js';
import { EXTENSION_OIDS } from './rules.js';
import { errorMessage } from '../util/storage.js';

export type { Lint, LintResult, LintSet } from './lint-context.js';

/** Every certificate lint: the baseline first, then the profile's. */
export const LINTS: readonly Lint[] = [...BASELINE_LINTS, ...PROFILE_LINTS];

/** The lints that apply to certificates of the profile's kind. */
export function lintsFor(profile: ProfileData): Lint[] {
  return LINTS.filter((lint) => !lint.appliesTo || lint.appliesTo.includes(profile.kind));
}

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
  return lintsFor(profile).map((lint) => {
    const base = { id: lint.id, clause: lint.clause, set: lint.set };
    if (lint.needsIssuer && issuerMissing) return { ...base, ok: false, message: 'cannot be checked without the issuer certificate' };
    try {
      const problem = lint.run(context);
      return { ...base, ok: problem === undefined, message: problem ?? lint.checks };
    } catch (error) {
      return { ...base, ok: false, message: `cannot be checked: ${errorMessage(error)}` };
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
