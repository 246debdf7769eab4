// Certificate revocation lists, signed in the HSM: CRL number, thisUpdate and nextUpdate,
// the issuer's key identifier, and one entry per revoked certificate with its reason
// (RFC 5280 §5). @peculiar/x509 builds the list and the HSM signs it through the bridge;
// it is linted before the HSM signs and after (crl-lint.ts), and read back and checked
// byte for byte before it is returned.
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, KeyIdentifier } from '@peculiar/asn1-x509';
import { InputError, KeyceremonyError } from '../errors.js';
import type { HashName } from '../hsm/types.js';
import { defaultHash } from './algorithms.js';
import { findExtension, readCertificate, type ParsedCertificate } from './certificate.js';
import {
  TAG,
  children,
  content,
  contextTag,
  decodeOid,
  decodeTime,
  derError,
  integerFromContent,
  isMinimalInteger,
  raw,
  readSingle,
  unsignedToIntegerContent,
  wholeSeconds,
} from './der.js';
import { decodeKeyUsage, decodeSubjectKeyIdentifier } from './extensions.js';
import { formatName } from './names.js';
import { EXTENSION_OIDS } from './rules.js';
import { crlPeriodProblem, CRL_NUMBER_OID, lintCrl, REASON_CODE_OID } from './crl-lint.js';
import { assertLintsPass } from './lint.js';
import { throwawaySigner, type KeySigner } from './signer.js';
import { throwawayIssuer } from './throwaway-issuer.js';
import { formatUtc } from './time.js';
import { certificateMatchesKey } from './verify.js';
import { bridgeCrypto, signerKeyPair } from './webcrypto-bridge.js';
import { Extension, Name, X509CrlGenerator, X509CrlReason } from './x509-lib.js';

/**
 * RFC 5280 §5.3.1 reasons a CA may put on a CRL. certificateHold is left out (BR §7.2.2
 * forbids it) and removeFromCRL belongs only in delta CRLs. `unspecified` is written as
 * no reasonCode extension at all, as RFC 5280 §5.3.1 and BR §7.2.2 ask.
 */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface RevokedCertificate {
  /** The certificate's serial: INTEGER content octets, or their hex as openssl prints them. */
  serial: Buffer | string;
  date: Date;
  reason: RevocationReason;
}

function crlInput(message: string, hint: string): InputError {
  return new InputError(message, { code: 'x509.crl-input', hint });
}

/** Serial content octets, positive and minimal. */
function serialOctets(serial: Buffer | string): Buffer {
  const text = typeof serial === 'string' ? serial.replace(/[\s:]/g, '') : undefined;
  if (text !== undefined && !/^([0-9a-fA-F]{2})+$/.test(text))
    throw crlInput(`revoked serial "${serial as string}" is not hex`, 'write serials as hex, as openssl prints them');
  const value = BigInt(`0x${text ?? (serial as Buffer).toString('hex')}`);
  if (value <= 0n) throw crlInput('a revoked serial is zero', 'serials are positive (RFC 5280 §4.1.2.2)');
  const octets = unsignedToIntegerContent(value);
  if (Buffer.isBuffer(serial) && !(isMinimalInteger(serial) && (serial[0]! & 0x80) === 0 && serial.equals(octets))) {
    throw crlInput(`revoked serial ${serial.toString('hex')} is not a positive, minimally encoded integer`, 'pass the serial as it appears in the certificate');
  }
  return octets;
}

export interface ParsedCrl {
  der: Buffer;
  tbs: Buffer;
  /** 1 for v2; undefined when the version field is left out (v1). */
  version: number | undefined;
  issuer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** Raw Time elements, to check their encoding. */
  thisUpdateTime: Buffer;
  nextUpdateTime: Buffer | undefined;
  entries: Array<{ serial: Buffer; date: Date; reasonCode: number | undefined }>;
  extensions: Array<{ oid: string; critical: boolean; value: Buffer }>;
  signatureAlgorithm: Buffer;
  tbsSignatureAlgorithm: Buffer;
  signature: Buffer;
}

function parseExtensionList(list: ReturnType<typeof readSingle>, what: string) {
  return children(list, what).map((extension) => {
    const [id, second, third] = children(extension, what);
    const critical = second?.tag === TAG.boolean && content(second)[0] !== 0;
    const value = second?.tag === TAG.boolean ? third : second;
    if (!id || !value) throw derError(what, 'malformed extension');
    return { oid: decodeOid(content(id)), critical, value: Buffer.from(content(value)) };
  });
}

/** Cuts a CRL into its raw pieces (RFC 5280 §5.1). */
export function parseCrl(der: Buffer, what = 'CRL'): ParsedCrl {
  const list = readSingle(der, what, TAG.sequence);
  const [tbs, signatureAlgorithm, signature] = children(list, what);
  if (!tbs || !signatureAlgorithm || !signature || signature.tag !== TAG.bitString) throw derError(what, 'not a CertificateList of three fields');
  const fields = children(tbs, what);
  const version = fields[0]?.tag === TAG.integer ? content(fields[0]).readIntBE(0, Math.min(content(fields[0]).length, 6)) : undefined;
  let i = version === undefined ? 0 : 1;
  const tbsSignatureAlgorithm = fields[i++];
  const issuer = fields[i++];
  const thisUpdate = fields[i++];
  if (!tbsSignatureAlgorithm || !issuer || !thisUpdate) throw derError(what, 'TBSCertList is missing fields');
  let nextUpdate: ReturnType<typeof readSingle> | undefined;
  if (fields[i] && (fields[i]!.tag === TAG.utcTime || fields[i]!.tag === TAG.generalizedTime)) nextUpdate = fields[i++]!;
  const entries: ParsedCrl['entries'] = [];
  if (fields[i]?.tag === TAG.sequence) {
    for (const entry of children(fields[i++]!, what)) {
      const [serial, date, entryExtensions] = children(entry, what);
      if (!serial || !date) throw derError(what, 'malformed revoked certificate entry');
      const reason = entryExtensions ? parseExtensionList(entryExtensions, what).find((e) => e.oid === REASON_CODE_OID) : undefined;
      entries.push({
        serial: Buffer.from(content(serial)),
        date: decodeTime(date, what),
        reasonCode: reason ? reason.value[reason.value.length - 1] : undefined,
      });
    }
  }
  const wrapper = fields[i]?.tag === contextTag(0) ? fields[i] : undefined;
  const [extensionList] = wrapper ? children(wrapper, what) : [];
  return {
    der,
    tbs: Buffer.from(raw(tbs)),
    version,
    issuer: Buffer.from(raw(issuer)),
    thisUpdate: decodeTime(thisUpdate, what),
    nextUpdate: nextUpdate ? decodeTime(nextUpdate, what) : undefined,
    thisUpdateTime: Buffer.from(raw(thisUpdate)),
    nextUpdateTime: nextUpdate ? Buffer.from(raw(nextUpdate)) : undefined,
    entries,
    extensions: extensionList ? parseExtensionList(extensionList, what) : [],
    signatureAlgorithm: Buffer.from(raw(signatureAlgorithm)),
    tbsSignatureAlgorithm: Buffer.from(raw(tbsSignatureAlgorithm)),
    signature: Buffer.from(content(signature).subarray(1)),
  };
}

function issuerKeyIdentifier(issuer: ParsedCertificate): Buffer {
  const ski = findExtension(issuer, EXTENSION_OIDS.subjectKeyIdentifier);
  if (!ski) {
    throw new KeyceremonyError(`issuer certificate ${formatName(issuer.subject)} has no subject key identifier for the CRL's authority key identifier`, {
      code: 'x509.issuer-ski',
      hint: 'RFC 5280 §5.2.1 requires the AKI in every CRL',
    });
  }
  return decodeSubjectKeyIdentifier(ski.value);
}

interface CrlContent {
  issuer: ParsedCertificate;
  number: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: Array<{ serial: Buffer; date: Date; reason: RevocationReason }>;
}

/** The CRL built by @peculiar/x509 and signed by `signer` (the throwaway key, or the HSM key). */
async function signedCrl(signer: KeySigner, hash: HashName, c: CrlContent): Promise<ParsedCrl> {
  const keys = await signerKeyPair(signer, hash);
  const aki = Buffer.from(
    AsnConvert.serialize(new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(new Uint8Array(issuerKeyIdentifier(c.issuer))) })),
  );
  const crl = await X509CrlGenerator.create(
    {
      issuer: new Name(c.issuer.subject),
      thisUpdate: c.thisUpdate,
      nextUpdate: c.nextUpdate,
      extensions: [
        new Extension(EXTENSION_OIDS.authorityKeyIdentifier, false, aki),
        new Extension(CRL_NUMBER_OID, false, integerFromContent(unsignedToIntegerContent(c.number))),
      ],
      entries: c.entries.map((e) => ({
        serialNumber: e.serial.toString('hex'),
        revocationDate: e.date,
        ...(e.reason === 'unspecified' ? {} : { reason: X509CrlReason[e.reason] }),
      })),
      signingKey: keys.privateKey,
      signingAlgorithm: keys.privateKey.algorithm,
    },
    bridgeCrypto,
  );
  return parseCrl(Buffer.from(crl.rawData));
}

/** What the generator wrote against what was asked for: dates, and each entry's serial and date. */
function contentProblems(parsed: ParsedCrl, c: CrlContent): string[] {
  const problems: string[] = [];
  if (parsed.thisUpdate.getTime() !== c.thisUpdate.getTime() || parsed.nextUpdate?.getTime() !== c.nextUpdate.getTime())
    problems.push('its dates are not the ones asked for');
  if (
    parsed.entries.length !== c.entries.length ||
    parsed.entries.some((e, i) => !e.serial.equals(c.entries[i]!.serial) || e.date.getTime() !== c.entries[i]!.date.getTime())
  ) {
    problems.push('its entries are not the ones asked for');
  }
  return problems;
}

/**
 * A CRL signed in the HSM by the issuer's key. Like a certificate (issue.ts), it is signed
 * first by a throwaway key of the issuer's type and linted (crl-lint.ts) against a throwaway
 * copy of the issuer, so a CRL that breaks a lint costs no HSM signature; then the HSM signs
 * the same TBSCertList, which is linted again against the real issuer.
 */
export async function issueCrl(o: {
  issuerSigner: KeySigner;
  issuerCertificate: Buffer;
  number: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: RevokedCertificate[];
  hash?: HashName;
}): Promise<Buffer> {
  const issuer = readCertificate(o.issuerCertificate, 'the issuer certificate');
  const issuerName = formatName(issuer.subject);
  if (!certificateMatchesKey(o.issuerCertificate, o.issuerSigner.spki)) {
    throw new KeyceremonyError(`key "${o.issuerSigner.label}" is not the key of issuer certificate ${issuerName}`, {
      code: 'x509.issuer-key',
      hint: 'the ceremony names the wrong key label or the wrong issuer certificate; nothing was signed',
    });
  }
  const keyUsage = findExtension(issuer, EXTENSION_OIDS.keyUsage);
  if (!keyUsage || !decodeKeyUsage(keyUsage.value).includes('cRLSign')) {
    throw new KeyceremonyError(`issuer certificate ${issuerName} does not allow signing CRLs (no cRLSign in keyUsage)`, {
      code: 'x509.crl-sign',
      hint: 'RFC 5280 §4.2.1.3: sign the CRL with a key whose certificate has cRLSign',
    });
  }
  if (o.number < 0n || unsignedToIntegerContent(o.number).length > 20)
    throw crlInput(`CRL number ${o.number} is not a non-negative integer of at most 20 octets`, 'RFC 5280 §5.2.3');
  const thisUpdate = wholeSeconds(o.thisUpdate);
  const nextUpdate = wholeSeconds(o.nextUpdate);
  const period = crlPeriodProblem(thisUpdate, nextUpdate);
  if (period) throw crlInput(period, 'RFC 5280 §5.1.2.5 and BR §4.9.7: nextUpdate comes after thisUpdate, at most 365 days after it for a CA');
  const seen = new Set<string>();
  const entries = o.revoked.map((entry) => {
    const serial = serialOctets(entry.serial);
    const key = serial.toString('hex');
    if (seen.has(key)) throw crlInput(`serial ${key.toUpperCase()} is listed twice`, 'list each revoked certificate once');
    seen.add(key);
    if (!REVOCATION_REASONS.includes(entry.reason))
      throw crlInput(`reason "${String(entry.reason)}" for serial ${key.toUpperCase()} is not allowed`, `use one of ${REVOCATION_REASONS.join(', ')}`);
    const date = wholeSeconds(entry.date);
    if (date > thisUpdate)
      throw crlInput(
        `serial ${key.toUpperCase()} is revoked at ${formatUtc(date)}, after thisUpdate ${formatUtc(thisUpdate)}`,
        'a CRL lists revocations that have happened',
      );
    return { serial, date, reason: entry.reason };
  });
  const crlContent: CrlContent = { issuer, number: o.number, thisUpdate, nextUpdate, entries };
  const hash = o.hash ?? defaultHash(o.issuerSigner.algorithm);

  // 1. Lint first, on a copy signed by a throwaway key: a failure costs no HSM signature.
  const throwaway = await throwawaySigner(o.issuerSigner.algorithm);
  const trial = await signedCrl(throwaway, hash, crlContent);
  const stand = await throwawayIssuer(o.issuerCertificate, throwaway, hash);
  assertLintsPass(lintCrl(trial, stand), `the CRL of ${issuerName}`, 'nothing was signed with the HSM key; fix the CRL step of the ceremony');

  // 2. The HSM signs the same TBSCertList; 3. read back, linted against the real issuer.
  const parsed = await signedCrl(o.issuerSigner, hash, crlContent);
  const problems = contentProblems(parsed, crlContent);
  if (!parsed.tbs.equals(trial.tbs)) problems.push('it differs from the linted copy');
  if (problems.length > 0) {
    throw new KeyceremonyError(`the CRL signed by ${issuerName} is wrong: ${problems.join('; ')}`, {
      code: 'x509.crl-check',
      hint: 'do not publish it; report this as a defect',
    });
  }
  assertLintsPass(lintCrl(parsed, issuer), `the HSM-signed CRL of ${issuerName}`, 'do not publish it; record an exception and report this as a defect');
  return parsed.der;
}
