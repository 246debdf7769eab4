// What RFC 5280 and the CA/Browser Forum Baseline Requirements fix for every certificate of
// a kind, as data. Two readers use the same tables, so they can never disagree: the profile
// loader (profile.ts) refuses a profile that breaks a rule, with the file and line, before
// any ceremony step runs; and the baseline lints (baseline-lints.ts) refuse a certificate
// that breaks one, before the HSM signs it and again after.
//
// The BRs are written for TLS; the GPKI CAs are not TLS CAs, so the BR clauses cited are
// the ones whose reason holds for any CA (criticality, what a CA or OCSP responder
// certificate must and must not carry). Where GPKI practice differs, the rule follows the
// real GRCA G3-issued certificate (MOICA-G3) and says so.

/** The kinds of certificate a profile can describe. */
export const PROFILE_KINDS = ['root-ca', 'subordinate-ca', 'link-ca', 'ocsp-responder', 'end-entity'] as const;
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

/** Every extension type a profile can list, in the order the schema documents them. */
export const EXTENSION_TYPES = [
  'authorityKeyIdentifier',
  'subjectKeyIdentifier',
  'keyUsage',
  'extKeyUsage',
  'crlDistributionPoints',
  'authorityInfoAccess',
  'basicConstraints',
  'certificatePolicies',
  'subjectAltName',
  'nameConstraints',
  'ocspNoCheck',
] as const;
export type ExtensionType = (typeof EXTENSION_TYPES)[number];

export const EXTENSION_OIDS: Record<ExtensionType, string> = {
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  basicConstraints: '2.5.29.19',
  certificatePolicies: '2.5.29.32',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  // id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
};

/** RFC 5280 §4.2.1.12 key purposes a profile may name; any other purpose is written as its OID. */
export const KEY_PURPOSES = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
} as const;
/** The OID of a key purpose as a profile writes it: a name from KEY_PURPOSES or a dotted OID. */
export function keyPurposeOid(purpose: string): string {
  return (KEY_PURPOSES as Record<string, string>)[purpose] ?? purpose;
}

export const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

export interface KindRule {
  /** "a root CA certificate", for messages. */
  what: string;
  /** basicConstraints cA is TRUE for this kind, and FALSE (or the extension absent) otherwise. */
  ca: boolean;
  required: readonly ExtensionType[];
  forbidden: readonly ExtensionType[];
  clause: string;
}

export const KIND_RULES: Record<ProfileKind, KindRule> = {
  // A self-signed trust anchor: no EKU, no name constraints (BR §7.1.2.1.2). No AKI is
  // required of a self-signed certificate (RFC 5280 §4.2.1.1).
  'root-ca': {
    what: 'a root CA certificate',
    ca: true,
    required: ['subjectKeyIdentifier', 'keyUsage', 'basicConstraints'],
    forbidden: ['extKeyUsage', 'nameConstraints', 'subjectAltName', 'ocspNoCheck'],
    clause: 'RFC 5280 §4.2.1.2, §4.2.1.3, §4.2.1.9; BR §7.1.2.1.2',
  },
  // As the GRCA G3 root issues them (MOICA-G3): revocation by CRL and the GPKI policy OID.
  'subordinate-ca': {
    what: 'a subordinate CA certificate',
    ca: true,
    required: ['authorityKeyIdentifier', 'subjectKeyIdentifier', 'keyUsage', 'basicConstraints', 'crlDistributionPoints', 'certificatePolicies'],
    forbidden: ['subjectAltName', 'ocspNoCheck'],
    clause: 'RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.1.9; BR §7.1.2.6.1, §7.1.2.10.5, §7.1.2.11.2',
  },
  // A link between root generations. certificatePolicies is not required: whether GPKI link
  // certificates assert the GPKI policy OIDs or anyPolicy has not been read off a real one
  // (ceremonies/profiles/x509/link-ca.yaml), although BR §7.1.2.2.6 asks for it.
  'link-ca': {
    what: 'a link certificate',
    ca: true,
    required: ['authorityKeyIdentifier', 'subjectKeyIdentifier', 'keyUsage', 'basicConstraints', 'crlDistributionPoints'],
    forbidden: ['subjectAltName', 'ocspNoCheck'],
    clause: 'RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.1.9; BR §7.1.2.2.6',
  },
  'ocsp-responder': {
    what: 'an OCSP responder certificate',
    ca: false,
    required: ['authorityKeyIdentifier', 'keyUsage', 'extKeyUsage', 'ocspNoCheck'],
    forbidden: ['certificatePolicies', 'crlDistributionPoints', 'nameConstraints', 'subjectAltName'],
    clause: 'BR §7.1.2.8.2; RFC 6960 §4.2.2.2',
  },
  'end-entity': {
    what: 'an end-entity certificate',
    ca: false,
    required: ['authorityKeyIdentifier', 'keyUsage', 'certificatePolicies', 'crlDistributionPoints'],
    forbidden: ['nameConstraints', 'ocspNoCheck'],
    clause: 'RFC 5280 §4.2.1.1, §4.2.1.3, §4.2.1.10; BR §7.1.2.7.6',
  },
};

export const isCaKind = (kind: ProfileKind): boolean => KIND_RULES[kind].ca;

/**
 * Criticality each extension must have. `critical` is what the rule demands; subjectAltName
 * has none here because RFC 5280 §4.2.1.6 ties it to whether the subject is empty.
 */
export const CRITICALITY: Record<Exclude<ExtensionType, 'subjectAltName'>, { critical: boolean; lint: string; clause: string }> = {
  authorityKeyIdentifier: { critical: false, lint: 'aki-not-critical', clause: 'RFC 5280 §4.2.1.1' },
  subjectKeyIdentifier: { critical: false, lint: 'ski-not-critical', clause: 'RFC 5280 §4.2.1.2' },
  keyUsage: { critical: true, lint: 'key-usage-critical', clause: 'RFC 5280 §4.2.1.3; BR §7.1.2.10.7, §7.1.2.8.7' },
  extKeyUsage: { critical: false, lint: 'eku-not-critical', clause: 'BR §7.1.2.10.6, §7.1.2.7.10' },
  crlDistributionPoints: { critical: false, lint: 'crldp-not-critical', clause: 'RFC 5280 §4.2.1.13; BR §7.1.2.11.2' },
  authorityInfoAccess: { critical: false, lint: 'aia-not-critical', clause: 'RFC 5280 §4.2.2.1' },
  basicConstraints: { critical: true, lint: 'basic-constraints-critical', clause: 'RFC 5280 §4.2.1.9; BR §7.1.2.10.4, §7.1.2.8.4' },
  certificatePolicies: { critical: false, lint: 'policies-not-critical', clause: 'BR §7.1.2.10.5, §7.1.2.7.9' },
  nameConstraints: { critical: true, lint: 'name-constraints-critical', clause: 'RFC 5280 §4.2.1.10' },
  ocspNoCheck: { critical: false, lint: 'ocsp-nocheck-not-critical', clause: 'BR §7.1.2.8.6' },
};

/** BR §7.1.2.10.7: what a CA certificate's keyUsage must and may assert. */
export const CA_KEY_USAGE = {
  required: ['keyCertSign', 'cRLSign'] as readonly KeyUsageName[],
  allowed: ['digitalSignature', 'keyCertSign', 'cRLSign'] as readonly KeyUsageName[],
  clause: 'BR §7.1.2.10.7',
};

/** BR §7.1.2.8.7 and §7.1.2.8.5: an OCSP responder signs responses and nothing else. */
export const OCSP_RESPONDER = {
  keyUsage: ['digitalSignature'] as readonly KeyUsageName[],
  purposes: [KEY_PURPOSES.OCSPSigning] as readonly string[],
};

/**
 * Key usages a public key of each type can have: RSA (RFC 3279 §2.3.1) never agrees keys;
 * an EC key (RFC 5480 §3) never encrypts.
 */
export const KEY_USAGES_BY_KEY: Record<'RSA' | 'EC', readonly KeyUsageName[]> = {
  RSA: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyCertSign', 'cRLSign'],
  EC: ['digitalSignature', 'nonRepudiation', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'],
};

/** BR §4.9.7: a CRL that covers CA certificates is good for at most twelve months (kept at 365 days). */
export const MAX_CA_CRL_DAYS = 365;
