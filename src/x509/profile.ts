// X.509 profiles: what a CA certificate looks like, as reviewed data rather than code.
// One strict YAML file per profile (ceremonies/profiles/x509/): unknown keys are errors
// with file:line:col, URLs and policy OIDs are fields, and the extension list is written
// in the order the extensions appear in the certificate, each with its criticality.
// Rules that RFC 5280 fixes for every CA certificate are checked here, at load time, so a
// bad profile is refused before any ceremony step runs.
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { HashName, KeyAlgorithm } from '../hsm/types.js';
import { sha256 } from '../util/fingerprint.js';
import { YamlSource, problemsError, readYamlText, validateYaml, type YamlProblem } from '../util/strict-yaml.js';
import { wholeSeconds } from './der.js';
import { addYears, fromLocal, isTimeZone, toLocal } from './time.js';

export const PROFILE_KINDS = ['root-ca', 'subordinate-ca', 'link-ca'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** RFC 5280 §4.2.1.3 names, in bit order. */
export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

export const EXTENSION_TYPES = [
  'authorityKeyIdentifier',
  'subjectKeyIdentifier',
  'keyUsage',
  'crlDistributionPoints',
  'authorityInfoAccess',
  'basicConstraints',
  'certificatePolicies',
] as const;
export type ExtensionType = (typeof EXTENSION_TYPES)[number];

export const EXTENSION_OIDS: Record<ExtensionType, string> = {
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  basicConstraints: '2.5.29.19',
  certificatePolicies: '2.5.29.32',
};

const hash = z.enum(['SHA-256', 'SHA-384', 'SHA-512'], { error: 'must be SHA-256, SHA-384 or SHA-512' });
const critical = z.boolean({ error: 'must be true or false' });
const httpUrl = z.string({ error: 'must be a URL' }).refine(
  (text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' && url.href === text && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  },
  { error: 'must be a plain http:// URL written in normal form (BR §7.1.2.10.3: CRL and AIA URLs are HTTP)' },
);
const oid = z.string({ error: 'must be a dotted OID' }).regex(/^[0-2](\.(0|[1-9][0-9]*))+$/, { error: 'must be a dotted OID such as 2.16.886.101.0.3.3' });

const extensionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('authorityKeyIdentifier'), critical }),
    z.strictObject({
      type: z.literal('subjectKeyIdentifier'),
      critical,
      method: z.literal('sha1-of-public-key', { error: 'must be sha1-of-public-key (RFC 5280 §4.2.1.2 method 1)' }),
    }),
    z.strictObject({
      type: z.literal('keyUsage'),
      critical,
      usages: z.array(z.enum(KEY_USAGES, { error: `must be one of ${KEY_USAGES.join(', ')}` })).min(1, { error: 'must name at least one usage' }),
    }),
    z.strictObject({ type: z.literal('crlDistributionPoints'), critical, uris: z.array(httpUrl).min(1, { error: 'must list at least one URL' }) }),
    z.strictObject({ type: z.literal('authorityInfoAccess'), critical, caIssuers: z.array(httpUrl).optional(), ocsp: z.array(httpUrl).optional() }),
    z.strictObject({
      type: z.literal('basicConstraints'),
      critical,
      ca: z.boolean({ error: 'must be true or false' }),
      pathLength: z.int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(16, { error: 'must be at most 16' }).optional(),
    }),
    z.strictObject({ type: z.literal('certificatePolicies'), critical, policies: z.array(oid).min(1, { error: 'must list at least one policy OID' }) }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${EXTENSION_TYPES.join(', ')}` : undefined) },
);

const profileSchema = z.strictObject({
  description: z.string().optional(),
  kind: z.enum(PROFILE_KINDS, { error: `must be ${PROFILE_KINDS.join(', ')}` }),
  signature: z.strictObject({ rsa: hash.optional(), ec: hash.optional() }),
  serial: z.strictObject({
    // At least 9 octets: 64 random bits (BR §7.1) plus a clear sign bit; at most 20 (RFC 5280 §4.1.2.2).
    bytes: z.int({ error: 'must be a whole number' }).min(9, { error: 'must be at least 9 (64 random bits and a sign bit, BR §7.1)' }).max(20, { error: 'must be at most 20 (RFC 5280 §4.1.2.2)' }),
  }),
  validity: z.strictObject({
    years: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(50, { error: 'must be at most 50' }),
    notAfterTime: z
      .strictObject({
        time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/, { error: 'must be HH:MM:SS, e.g. "23:59:59"' }),
        timeZone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Taipei' }),
      })
      .optional(),
    limitToIssuer: z.boolean({ error: 'must be true or false' }).optional(),
  }),
  extensions: z.array(extensionSchema).min(1, { error: 'must list the extensions in certificate order' }),
});

export type ProfileData = z.infer<typeof profileSchema>;
export type ExtensionProfile = ProfileData['extensions'][number];
export type ExtensionProfileOf<T extends ExtensionType> = Extract<ExtensionProfile, { type: T }>;

export interface X509Profile extends ProfileData {
  /** The file it was read from, for messages. */
  file: string;
  /** SHA-256 of the file as read, for the journal. */
  sha256: string;
}

/** The profile's entry for an extension type, if it lists one. */
export function profileExtension<T extends ExtensionType>(profile: ProfileData, type: T): ExtensionProfileOf<T> | undefined {
  return profile.extensions.find((e): e is ExtensionProfileOf<T> => e.type === type);
}

/** Rules RFC 5280 and the BRs fix for every CA certificate, checked on the profile itself. */
function caProblems(profile: ProfileData): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const seen = new Map<string, number>();
  profile.extensions.forEach((extension, index) => {
    const first = seen.get(extension.type);
    if (first !== undefined) problems.push({ path: ['extensions', index, 'type'], message: `repeats extensions[${first}]; a certificate carries each extension once (RFC 5280 §4.2)` });
    else seen.set(extension.type, index);
  });
  const at = (type: ExtensionType): Array<string | number> => ['extensions', seen.get(type) ?? 0];
  const must = (type: ExtensionType, why: string) => {
    if (!seen.has(type)) problems.push({ path: ['extensions'], message: `must include ${type}: ${why}` });
  };
  must('basicConstraints', 'every profile here is for a CA certificate (RFC 5280 §4.2.1.9)');
  must('keyUsage', 'a CA certificate must carry keyUsage (BR §7.1.2.10.7)');
  must('subjectKeyIdentifier', 'a CA certificate must carry it (RFC 5280 §4.2.1.2)');
  if (profile.kind !== 'root-ca') must('authorityKeyIdentifier', 'only a self-signed certificate may leave it out (RFC 5280 §4.2.1.1)');

  const bc = profileExtension(profile, 'basicConstraints');
  if (bc && !bc.ca) problems.push({ path: [...at('basicConstraints'), 'ca'], message: 'must be true: this is a CA profile' });
  if (bc && !bc.critical) problems.push({ path: [...at('basicConstraints'), 'critical'], message: 'must be true in a CA certificate (RFC 5280 §4.2.1.9)' });
  const ku = profileExtension(profile, 'keyUsage');
  if (ku && !ku.critical) problems.push({ path: [...at('keyUsage'), 'critical'], message: 'must be true in a CA certificate (BR §7.1.2.10.7)' });
  if (ku && !(ku.usages.includes('keyCertSign') && ku.usages.includes('cRLSign'))) {
    problems.push({ path: [...at('keyUsage'), 'usages'], message: 'must include keyCertSign and cRLSign for a CA (BR §7.1.2.10.7)' });
  }
  if (ku && new Set(ku.usages).size !== ku.usages.length) problems.push({ path: [...at('keyUsage'), 'usages'], message: 'names a usage twice' });
  for (const type of ['authorityKeyIdentifier', 'subjectKeyIdentifier', 'authorityInfoAccess'] as const) {
    if (profileExtension(profile, type)?.critical) problems.push({ path: [...at(type), 'critical'], message: `must be false (RFC 5280 §${type === 'authorityInfoAccess' ? '4.2.2.1' : type === 'authorityKeyIdentifier' ? '4.2.1.1' : '4.2.1.2'})` });
  }
  const aia = profileExtension(profile, 'authorityInfoAccess');
  if (aia && !aia.caIssuers?.length && !aia.ocsp?.length) problems.push({ path: at('authorityInfoAccess'), message: 'must list at least one caIssuers or ocsp URL' });
  if (profile.kind === 'root-ca' && profileExtension(profile, 'authorityKeyIdentifier')) {
    problems.push({ path: at('authorityKeyIdentifier'), message: 'is not used in a root-ca profile: a self-signed root carries no AKI here' });
  }
  if (profile.kind === 'root-ca' && profile.validity.limitToIssuer) problems.push({ path: ['validity', 'limitToIssuer'], message: 'has no meaning for a self-signed root' });
  if (!profile.signature.rsa && !profile.signature.ec) problems.push({ path: ['signature'], message: 'must allow rsa, ec or both' });
  return problems;
}

const HINT = 'fix the X.509 profile; each extension is written once, in certificate order, with its criticality';

export function parseX509Profile(file: string, text: string): X509Profile {
  const source = YamlSource.parse(file, text, 'X.509 profile');
  const data = validateYaml(source, { kind: 'X.509 profile', schema: profileSchema, hint: HINT });
  const problems = caProblems(data);
  if (problems.length > 0) throw problemsError(source, problems, 'X.509 profile', HINT);
  return { ...data, file, sha256: sha256(text).toString('hex') };
}

export function loadX509Profile(file: string): X509Profile {
  return parseX509Profile(file, readYamlText(file, 'X.509 profile'));
}

/** The hash this profile signs with for an issuer key of this type, or why it cannot. */
export function profileHash(profile: X509Profile, issuer: KeyAlgorithm): HashName {
  const hash = issuer.type === 'RSA' ? profile.signature.rsa : profile.signature.ec;
  if (!hash) {
    throw new InputError(`X.509 profile ${profile.file} does not allow an ${issuer.type} issuer key (signature.${issuer.type.toLowerCase()} is not set)`, {
      code: 'x509.profile-issuer-key',
      hint: 'use the issuer key the profile was written for, or a profile that allows this key type',
    });
  }
  return hash;
}

/**
 * notBefore (whole seconds) and notAfter from the profile: `years` later on the same day,
 * at the profile's wall-clock time in its time zone when it names one (GRCA: 23:59:59
 * Asia/Taipei), else at the same second. With limitToIssuer, never after the issuer.
 */
export function profileValidity(profile: ProfileData, notBefore: Date, issuerNotAfter?: Date): { notBefore: Date; notAfter: Date } {
  const start = wholeSeconds(notBefore);
  const { years, notAfterTime, limitToIssuer } = profile.validity;
  let notAfter: Date;
  if (notAfterTime) {
    const day = addYears(toLocal(start, notAfterTime.timeZone), years);
    const [hour, minute, second] = notAfterTime.time.split(':').map(Number) as [number, number, number];
    notAfter = fromLocal({ ...day, hour, minute, second }, notAfterTime.timeZone);
  } else {
    notAfter = fromLocal(addYears(toLocal(start, 'UTC'), years), 'UTC');
  }
  if (limitToIssuer && issuerNotAfter && issuerNotAfter < notAfter) notAfter = issuerNotAfter;
  return { notBefore: start, notAfter };
}
