// CRL lints: what RFC 5280 §5 and the CA/Browser Forum BRs ask of every CRL a CA signs.
// issueCrl (crl.ts) runs them on a copy signed by a throwaway key before the HSM signs, and
// again on the HSM-signed CRL; any failure blocks, as with certificates (lint.ts).
import { signatureAlgorithmByDer } from './algorithms.js';
import { findExtension, type ParsedCertificate } from './certificate.js';
import type { ParsedCrl } from './crl.js';
import { TAG, content, encodeTime, isMinimalInteger, readSingle } from './der.js';
import { decodeAuthorityKeyIdentifier, decodeKeyUsage, decodeSubjectKeyIdentifier } from './extensions.js';
import { hex, type LintResult } from './lint-context.js';
import { EXTENSION_OIDS, MAX_CA_CRL_DAYS } from './rules.js';
import { signatureVerifies } from './signer.js';
import { formatUtc } from './time.js';
import { errorMessage } from '../util/storage.js';

export const CRL_NUMBER_OID = '2.5.29.20';
export const REASON_CODE_OID = '2.5.29.21';
const DAY = 86_400_000;

/** RFC 5280 §5.3.1 reason codes a CRL entry must not carry: unspecified is left out, certificateHold is banned (BR §7.2.2), removeFromCRL is for delta CRLs. */
const BANNED_REASONS: Record<number, string> = { 0: 'unspecified', 6: 'certificateHold', 8: 'removeFromCRL' };

/**
 * Why a CA's CRL may not run from thisUpdate to nextUpdate, or undefined: nextUpdate must
 * come after thisUpdate (RFC 5280 §5.1.2.5) and at most 365 days after it (BR §4.9.7, twelve
 * months). For the definition's nextUpdateDays as well as for a signed CRL.
 */
export function crlPeriodProblem(thisUpdate: Date, nextUpdate: Date): string | undefined {
  if (nextUpdate <= thisUpdate) return `nextUpdate ${formatUtc(nextUpdate)} is not after thisUpdate ${formatUtc(thisUpdate)}`;
  const days = (nextUpdate.getTime() - thisUpdate.getTime()) / DAY;
  if (days > MAX_CA_CRL_DAYS)
    return `nextUpdate ${formatUtc(nextUpdate)} is ${Math.ceil(days)} days after thisUpdate; a CA's CRL may run at most ${MAX_CA_CRL_DAYS} days (BR §4.9.7)`;
  return undefined;
}

interface CrlLintContext {
  crl: ParsedCrl;
  issuer: ParsedCertificate;
}

export interface CrlLint {
  id: string;
  clause: string;
  checks: string;
  run(context: CrlLintContext): string | undefined;
}

const extensionOf = (crl: ParsedCrl, oid: string) => crl.extensions.find((e) => e.oid === oid);

export const CRL_LINTS: readonly CrlLint[] = [
  {
    id: 'crl-version-2',
    clause: 'RFC 5280 §5.1.2.1',
    checks: 'the CRL is v2, as a CRL with extensions must be',
    run: ({ crl }) =>
      crl.version === 1 ? undefined : `version is ${crl.version === undefined ? 'left out (v1)' : `v${crl.version + 1}`}; a CRL with extensions must be v2`,
  },
  {
    id: 'crl-issuer-name',
    clause: 'RFC 5280 §5.1.2.3',
    checks: "the issuer name is byte for byte the issuer certificate's subject",
    run: ({ crl, issuer }) => (crl.issuer.equals(issuer.subject) ? undefined : "the CRL's issuer name is not the issuer certificate's subject name"),
  },
  {
    id: 'crl-issuer-crl-sign',
    clause: 'RFC 5280 §4.2.1.3, §6.3.3 (f)',
    checks: "the issuer certificate's keyUsage allows signing CRLs",
    run: ({ issuer }) => {
      const ku = findExtension(issuer, EXTENSION_OIDS.keyUsage);
      if (!ku) return 'the issuer certificate has no keyUsage, so it does not say it may sign CRLs';
      return decodeKeyUsage(ku.value).includes('cRLSign') ? undefined : 'the issuer certificate lacks cRLSign';
    },
  },
  {
    id: 'crl-signature',
    clause: 'RFC 5280 §5.1.1.2, §5.1.2.2; BR §7.1.3.2',
    checks: "the signature algorithm is allowed, written the same twice, and the signature verifies with the issuer's key",
    run: ({ crl, issuer }) => {
      if (!crl.signatureAlgorithm.equals(crl.tbsSignatureAlgorithm)) return 'signatureAlgorithm differs from the signature field inside the TBSCertList';
      const algorithm = signatureAlgorithmByDer(crl.signatureAlgorithm);
      if (!algorithm) return `signature algorithm ${hex(crl.signatureAlgorithm)} is not one of the BR §7.1.3.2 encodings`;
      return signatureVerifies(issuer.spki, algorithm.hash, crl.tbs, crl.signature, 'der')
        ? undefined
        : "the signature does not verify with the issuer's public key";
    },
  },
  {
    id: 'crl-time-encoding',
    clause: 'RFC 5280 §5.1.2.4, §5.1.2.5',
    checks: 'thisUpdate and nextUpdate are present and encoded as UTCTime through 2049, GeneralizedTime from 2050',
    run: ({ crl }) => {
      if (!crl.nextUpdate || !crl.nextUpdateTime) return 'nextUpdate is left out; a conforming CA always gives it';
      for (const [label, date, encoded] of [
        ['thisUpdate', crl.thisUpdate, crl.thisUpdateTime],
        ['nextUpdate', crl.nextUpdate, crl.nextUpdateTime],
      ] as const) {
        if (!encodeTime(date).equals(encoded)) return `${label} ${formatUtc(date)} is not encoded as RFC 5280 requires for its year`;
      }
      return undefined;
    },
  },
  {
    id: 'crl-next-update',
    clause: 'BR §4.9.7',
    checks: `nextUpdate is after thisUpdate and at most ${MAX_CA_CRL_DAYS} days after it`,
    run: ({ crl }) => (crl.nextUpdate ? crlPeriodProblem(crl.thisUpdate, crl.nextUpdate) : 'nextUpdate is left out'),
  },
  {
    id: 'crl-number',
    clause: 'RFC 5280 §5.2.3',
    checks: 'the CRL number is present, not critical, and a non-negative integer of at most 20 octets',
    run: ({ crl }) => {
      const extension = extensionOf(crl, CRL_NUMBER_OID);
      if (!extension) return 'there is no CRL number';
      if (extension.critical) return 'the CRL number is critical';
      const integer = readSingle(extension.value, 'CRL number', TAG.integer);
      const octets = content(integer);
      if (!isMinimalInteger(octets) || (octets[0]! & 0x80) !== 0) return `CRL number ${hex(octets)} is not a non-negative, minimally encoded integer`;
      return octets.length > 20 ? `CRL number is ${octets.length} octets, more than 20` : undefined;
    },
  },
  {
    id: 'crl-aki',
    clause: 'RFC 5280 §5.2.1',
    checks: "the authority key identifier is present, not critical, and the issuer's subject key identifier",
    run: ({ crl, issuer }) => {
      const extension = extensionOf(crl, EXTENSION_OIDS.authorityKeyIdentifier);
      if (!extension) return 'there is no authorityKeyIdentifier';
      if (extension.critical) return 'authorityKeyIdentifier is critical';
      const aki = decodeAuthorityKeyIdentifier(extension.value).keyIdentifier;
      const ski = findExtension(issuer, EXTENSION_OIDS.subjectKeyIdentifier);
      const issuerSki = ski ? decodeSubjectKeyIdentifier(ski.value) : undefined;
      if (!aki) return 'authorityKeyIdentifier has no keyIdentifier';
      if (!issuerSki) return 'the issuer certificate has no subjectKeyIdentifier to match';
      return aki.equals(issuerSki) ? undefined : `authorityKeyIdentifier ${hex(aki)} is not the issuer's subjectKeyIdentifier ${hex(issuerSki)}`;
    },
  },
  {
    id: 'crl-entries',
    clause: 'RFC 5280 §5.1.2.6, §5.3.1; BR §7.2.2',
    checks: 'each revoked serial is positive, minimally encoded and listed once, revoked by thisUpdate, without a reason code the BRs forbid',
    run: ({ crl }) => {
      const seen = new Set<string>();
      for (const entry of crl.entries) {
        const serial = hex(entry.serial);
        if (!isMinimalInteger(entry.serial) || (entry.serial[0]! & 0x80) !== 0 || entry.serial.every((b) => b === 0))
          return `revoked serial ${serial} is not a positive, minimally encoded integer`;
        if (seen.has(serial)) return `serial ${serial} is listed twice`;
        seen.add(serial);
        if (entry.date > crl.thisUpdate) return `serial ${serial} is revoked at ${formatUtc(entry.date)}, after thisUpdate`;
        const banned = entry.reasonCode === undefined ? undefined : BANNED_REASONS[entry.reasonCode];
        if (banned) return `serial ${serial} has reason code ${banned}`;
      }
      return undefined;
    },
  },
  {
    id: 'crl-unknown-critical-extension',
    clause: 'RFC 5280 §5.2',
    checks: 'the CRL has no critical extension keyceremony does not know',
    run: ({ crl }) => {
      const known = new Set([EXTENSION_OIDS.authorityKeyIdentifier, CRL_NUMBER_OID]);
      const unknown = crl.extensions.find((e) => e.critical && !known.has(e.oid));
      return unknown ? `critical CRL extension ${unknown.oid} is unknown to keyceremony` : undefined;
    },
  },
];

/** Runs every CRL lint; one that cannot decode what it checks fails. */
export function lintCrl(crl: ParsedCrl, issuer: ParsedCertificate): LintResult[] {
  return CRL_LINTS.map((lint) => {
    const base = { id: lint.id, clause: lint.clause, set: 'baseline' as const };
    try {
      const problem = lint.run({ crl, issuer });
      return { ...base, ok: problem === undefined, message: problem ?? lint.checks };
    } catch (error) {
      return { ...base, ok: false, message: `cannot be checked: ${errorMessage(error)}` };
    }
  });
}
