// X.509 profiles: what a certificate looks like, as reviewed data rather than code.
// One strict YAML file per profile (ceremonies/profiles/x509/): unknown keys are errors
// with file:line:col, URLs and policy OIDs are fields, and the extension list is written
// in the order the extensions appear in the certificate, each with its criticality.
// The rules RFC 5280 and the BRs fix for the profile's kind (rules.ts) are checked here,
// at load time (profile-checks.ts), so a bad profile is refused before any ceremony step runs.
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { HashName, KeyAlgorithm } from '../hsm/types.js';
import { sha256 } from '../util/fingerprint.js';
import { YamlSource, problemsError, readYamlText, validateYaml } from '../util/strict-yaml.js';
import { profileProblems } from './profile-checks.js';
import { EXTENSION_TYPES, KEY_PURPOSES, KEY_USAGES, PROFILE_KINDS, type ExtensionType } from './rules.js';
import { isTimeZone } from './time.js';

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
const OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;
const oid = z.string({ error: 'must be a dotted OID' }).regex(OID, { error: 'must be a dotted OID such as 2.16.886.101.0.3.3' });
const keyPurpose = z
  .string({ error: 'must be a key purpose' })
  .refine((text) => text in KEY_PURPOSES || OID.test(text), { error: `must be one of ${Object.keys(KEY_PURPOSES).join(', ')} or a dotted OID` });

// Name constraints (RFC 5280 §4.2.1.10), in the forms a CA constrains: DNS names
// (example.gov.tw), mailboxes and mail domains (user@example.tw, example.tw, .example.tw),
// and directory names written like a definition's subject ({ C: TW, O: 行政院 }).
const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = `${LABEL}(\\.${LABEL})*`;
const dnsConstraint = z.string({ error: 'must be a DNS name' }).regex(new RegExp(`^${DOMAIN}$`), { error: 'must be a DNS name such as nat.gov.tw' });
const emailConstraint = z
  .string({ error: 'must be a mailbox or mail domain' })
  .regex(new RegExp(`^([^@\\s]+@${DOMAIN}|\\.?${DOMAIN})$`), { error: 'must be a mailbox (user@example.tw), a host (example.tw) or a domain (.example.tw)' });
const subtrees = z.strictObject({
  dns: z.array(dnsConstraint).min(1, { error: 'must list at least one name' }).optional(),
  email: z.array(emailConstraint).min(1, { error: 'must list at least one name' }).optional(),
  directory: z
    .array(z.record(z.string(), z.string({ error: 'must be text' })))
    .min(1, { error: 'must list at least one name' })
    .optional(),
});

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
    z.strictObject({ type: z.literal('extKeyUsage'), critical, purposes: z.array(keyPurpose).min(1, { error: 'must name at least one key purpose' }) }),
    z.strictObject({ type: z.literal('crlDistributionPoints'), critical, uris: z.array(httpUrl).min(1, { error: 'must list at least one URL' }) }),
    z.strictObject({ type: z.literal('authorityInfoAccess'), critical, caIssuers: z.array(httpUrl).optional(), ocsp: z.array(httpUrl).optional() }),
    z.strictObject({
      type: z.literal('basicConstraints'),
      critical,
      ca: z.boolean({ error: 'must be true or false' }),
      pathLength: z.int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(16, { error: 'must be at most 16' }).optional(),
    }),
    z.strictObject({ type: z.literal('certificatePolicies'), critical, policies: z.array(oid).min(1, { error: 'must list at least one policy OID' }) }),
    // The names themselves come with each request (the subscriber's mailbox, host names).
    z.strictObject({ type: z.literal('subjectAltName'), critical }),
    z.strictObject({ type: z.literal('nameConstraints'), critical, permitted: subtrees.optional(), excluded: subtrees.optional() }),
    z.strictObject({ type: z.literal('ocspNoCheck'), critical }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${EXTENSION_TYPES.join(', ')}` : undefined) },
);

/** A fixed notAfter, in whole seconds UTC: `2049-12-31T15:59:59Z` (GRCA G3's own end). */
const fixedTime = z
  .string({ error: 'must be a UTC time such as 2049-12-31T15:59:59Z' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { error: 'must be a UTC time such as 2049-12-31T15:59:59Z' })
  .refine((text) => new Date(text).toISOString() === text.replace('Z', '.000Z'), { error: 'is not a real date and time' });

const profileSchema = z.strictObject({
  description: z.string().optional(),
  kind: z.enum(PROFILE_KINDS, { error: `must be ${PROFILE_KINDS.join(', ')}` }),
  signature: z.strictObject({ rsa: hash.optional(), ec: hash.optional() }),
  serial: z.strictObject({
    // At least 9 octets: 64 random bits (BR §7.1) plus a clear sign bit; at most 20 (RFC 5280 §4.1.2.2).
    bytes: z
      .int({ error: 'must be a whole number' })
      .min(9, { error: 'must be at least 9 (64 random bits and a sign bit, BR §7.1)' })
      .max(20, { error: 'must be at most 20 (RFC 5280 §4.1.2.2)' }),
  }),
  // Exactly one of years, days or a fixed notAfter (profile-checks.ts).
  validity: z.strictObject({
    years: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(50, { error: 'must be at most 50' }).optional(),
    days: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(3660, { error: 'must be at most 3660' }).optional(),
    notAfter: fixedTime.optional(),
    notAfterTime: z
      .strictObject({
        time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/, { error: 'must be HH:MM:SS, e.g. "23:59:59"' }),
        timeZone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Taipei' }),
      })
      .optional(),
    // When the profile's notAfter falls after the issuer's: cap it there, or refuse to issue.
    limitToIssuer: z.enum(['cap', 'refuse'], { error: 'must be cap or refuse' }).optional(),
  }),
  extensions: z.array(extensionSchema).min(1, { error: 'must list the extensions in certificate order' }),
});

export type ProfileData = z.infer<typeof profileSchema>;
export type ExtensionProfile = ProfileData['extensions'][number];
export type ExtensionProfileOf<T extends ExtensionType> = Extract<ExtensionProfile, { type: T }>;
export type NameSubtrees = z.infer<typeof subtrees>;

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

const HINT = 'fix the X.509 profile; each extension is written once, in certificate order, with its criticality';

export function parseX509Profile(file: string, text: string): X509Profile {
  const source = YamlSource.parse(file, text, 'X.509 profile');
  const data = validateYaml(source, { kind: 'X.509 profile', schema: profileSchema, hint: HINT });
  const problems = profileProblems(data);
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
