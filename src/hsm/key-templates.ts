// PKCS#11 templates for CA key pairs. The private half can only sign (no sign-recover,
// decrypt, unwrap or derive) and can never leave the HSM (sensitive, not extractable); the
// public half can only verify.
//
// CKA_ID is the subject key identifier, known only once the public key exists. Where the
// token allows it (capability keyCopy), a pair is generated as session objects, then copied
// into token objects with that CKA_ID which cannot be modified afterwards: CKA_ID and
// CKA_MODIFIABLE can only be fixed at creation or in a copy (measured on SoftHSM 2.6.1,
// SoftHSM.md "Hardened private keys"). Elsewhere the pair is generated on the token and
// its CKA_ID set afterwards, so it stays modifiable.

/** Where a generated pair lives: 'session' objects to be copied to the token, or the 'token' itself. */
export type Placement = 'session' | 'token';
import { pkcs11, type Template } from './pkcs11.js';
import type { Curve, HashName, KeyAlgorithm, PublicKeyParts } from './types.js';
import type { Lang } from '../util/lang.js';

/** DER-encoded OIDs of the named curves, as CKA_EC_PARAMS wants them. */
export const CURVE_PARAMS: Record<Curve, Buffer> = {
  'P-256': Buffer.from('06082a8648ce3d030107', 'hex'),
  'P-384': Buffer.from('06052b81040022', 'hex'),
  'P-521': Buffer.from('06052b81040023', 'hex'),
};

export const CURVE_BYTES: Record<Curve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

export function curveFromParams(params: Buffer): Curve | undefined {
  return (Object.keys(CURVE_PARAMS) as Curve[]).find((curve) => CURVE_PARAMS[curve].equals(params));
}

export const RSA_EXPONENT = Buffer.from([0x01, 0x00, 0x01]);

export function keyPairMechanism(algorithm: KeyAlgorithm): number {
  return algorithm.type === 'RSA' ? pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11.CKM_EC_KEY_PAIR_GEN;
}

/** What every public half is, generated or restored: a public object that only verifies. */
function publicKeyCommon(label: string, placement: Placement): Template {
  return [
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PUBLIC_KEY },
    { type: pkcs11.CKA_TOKEN, value: placement === 'token' },
    { type: pkcs11.CKA_PRIVATE, value: false },
    { type: pkcs11.CKA_LABEL, value: label },
    { type: pkcs11.CKA_VERIFY, value: true },
    { type: pkcs11.CKA_ENCRYPT, value: false },
    { type: pkcs11.CKA_WRAP, value: false },
  ];
}

export function publicKeyTemplate(algorithm: KeyAlgorithm, label: string, placement: Placement): Template {
  const common = publicKeyCommon(label, placement);
  if (algorithm.type === 'RSA') {
    return [
      ...common,
      { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_RSA },
      { type: pkcs11.CKA_MODULUS_BITS, value: algorithm.bits },
      { type: pkcs11.CKA_PUBLIC_EXPONENT, value: RSA_EXPONENT },
    ];
  }
  return [...common, { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_EC }, { type: pkcs11.CKA_EC_PARAMS, value: CURVE_PARAMS[algorithm.curve] }];
}

/**
 * `backup`: the key can leave the HSM, but only wrapped under a key the SO marked trusted
 * (CKA_EXTRACTABLE and CKA_WRAP_WITH_TRUSTED true); it is then no longer never-extractable.
 * C_CopyObject keeps both in the token copy.
 */
export function privateKeyTemplate(algorithm: KeyAlgorithm, label: string, placement: Placement, options: { backup?: boolean } = {}): Template {
  return [
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PRIVATE_KEY },
    { type: pkcs11.CKA_KEY_TYPE, value: algorithm.type === 'RSA' ? pkcs11.CKK_RSA : pkcs11.CKK_EC },
    // Modifiable and copyable (the defaults), so that CKA_ID can be set: in the token copy
    // (tokenCopyTemplate) or on the token key. Sensitive from birth, and not extractable
    // unless made for backup.
    { type: pkcs11.CKA_TOKEN, value: placement === 'token' },
    { type: pkcs11.CKA_PRIVATE, value: true },
    { type: pkcs11.CKA_SENSITIVE, value: true },
    { type: pkcs11.CKA_EXTRACTABLE, value: options.backup === true },
    ...(options.backup === true ? [{ type: pkcs11.CKA_WRAP_WITH_TRUSTED, value: true }] : []),
    { type: pkcs11.CKA_LABEL, value: label },
    { type: pkcs11.CKA_SIGN, value: true },
    { type: pkcs11.CKA_SIGN_RECOVER, value: false },
    { type: pkcs11.CKA_DECRYPT, value: false },
    { type: pkcs11.CKA_UNWRAP, value: false },
    { type: pkcs11.CKA_DERIVE, value: false },
  ];
}

/**
 * C_CopyObject template that turns a generated session object into the token object:
 * CKA_ID = the subject key identifier, then not modifiable (CKA_MODIFIABLE last: a token may
 * apply the template in order, and nothing changes after it). `copyable: false` asks for
 * CKA_COPYABLE false too, which PKCS#11 allows only some tokens to set in a copy (SoftHSM
 * 2.6.1 refuses it with CKR_ATTRIBUTE_READ_ONLY).
 */
export function tokenCopyTemplate(id: Buffer, options: { copyable: boolean }): Template {
  return [
    { type: pkcs11.CKA_TOKEN, value: true },
    { type: pkcs11.CKA_ID, value: id },
    ...(options.copyable ? [] : [{ type: pkcs11.CKA_COPYABLE, value: false }]),
    { type: pkcs11.CKA_MODIFIABLE, value: false },
  ];
}

/** RSA signs with a hash-and-sign mechanism; ECDSA hashes in Node (SoftHSM 2.6 lacks CKM_ECDSA_SHA384). */
export function signMechanism(algorithm: KeyAlgorithm, hash: HashName): number {
  if (algorithm.type === 'EC') return pkcs11.CKM_ECDSA;
  switch (hash) {
    case 'SHA-256':
      return pkcs11.CKM_SHA256_RSA_PKCS;
    case 'SHA-384':
      return pkcs11.CKM_SHA384_RSA_PKCS;
    case 'SHA-512':
      return pkcs11.CKM_SHA512_RSA_PKCS;
  }
}

/** Mechanisms keyceremony needs, for `hsm info`. */
export const NEEDED_MECHANISMS: ReadonlyArray<{ name: string; needed: Record<Lang, string> }> = [
  { name: 'CKM_RSA_PKCS_KEY_PAIR_GEN', needed: { en: 'RSA key generation', 'zh-TW': 'RSA 金鑰產製' } },
  { name: 'CKM_SHA256_RSA_PKCS', needed: { en: 'RSA signing with SHA-256', 'zh-TW': 'RSA 簽章（SHA-256）' } },
  { name: 'CKM_SHA384_RSA_PKCS', needed: { en: 'RSA signing with SHA-384', 'zh-TW': 'RSA 簽章（SHA-384）' } },
  { name: 'CKM_SHA512_RSA_PKCS', needed: { en: 'RSA signing with SHA-512', 'zh-TW': 'RSA 簽章（SHA-512）' } },
  { name: 'CKM_EC_KEY_PAIR_GEN', needed: { en: 'EC key generation', 'zh-TW': 'EC 金鑰產製' } },
  { name: 'CKM_ECDSA', needed: { en: 'ECDSA signing (hash computed outside the HSM)', 'zh-TW': 'ECDSA 簽章（雜湊值於硬體安全模組外計算）' } },
];

/**
 * The key-encryption key as a session object made in an SO session: trusted (only the SO can
 * set CKA_TRUSTED, and only a trusted key may wrap a key made with CKA_WRAP_WITH_TRUSTED),
 * sensitive and non-extractable, able to wrap and unwrap and nothing else. CKA_PRIVATE false:
 * the SO cannot create private objects (C_CreateObject answers CKR_USER_NOT_LOGGED_IN).
 */
export function sessionKekTemplate(label: string, value: Buffer): Template {
  return [
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
    { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_AES },
    { type: pkcs11.CKA_TOKEN, value: false },
    { type: pkcs11.CKA_PRIVATE, value: false },
    { type: pkcs11.CKA_SENSITIVE, value: true },
    { type: pkcs11.CKA_EXTRACTABLE, value: false },
    { type: pkcs11.CKA_TRUSTED, value: true },
    { type: pkcs11.CKA_WRAP, value: true },
    { type: pkcs11.CKA_UNWRAP, value: true },
    { type: pkcs11.CKA_ENCRYPT, value: false },
    { type: pkcs11.CKA_DECRYPT, value: false },
    { type: pkcs11.CKA_SIGN, value: false },
    { type: pkcs11.CKA_VERIFY, value: false },
    { type: pkcs11.CKA_DERIVE, value: false },
    { type: pkcs11.CKA_LABEL, value: label },
    { type: pkcs11.CKA_VALUE, value },
  ];
}

/** The public half of a restored key, created from its SPKI (no CKA_MODULUS_BITS: that is for generation). */
export function publicKeyObjectTemplate(label: string, id: Buffer, key: PublicKeyParts): Template {
  const common = [...publicKeyCommon(label, 'token'), { type: pkcs11.CKA_ID, value: id }];
  if (key.type === 'RSA') {
    return [
      ...common,
      { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_RSA },
      { type: pkcs11.CKA_MODULUS, value: key.modulus },
      { type: pkcs11.CKA_PUBLIC_EXPONENT, value: key.exponent },
    ];
  }
  return [
    ...common,
    { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_EC },
    { type: pkcs11.CKA_EC_PARAMS, value: CURVE_PARAMS[key.curve] },
    // DER OCTET STRING around the uncompressed point (PKCS#11 2.40), as SoftHSM returns it.
    { type: pkcs11.CKA_EC_POINT, value: derOctetString(key.point) },
  ];
}

function derOctetString(bytes: Buffer): Buffer {
  const length = bytes.length < 0x80 ? Buffer.from([bytes.length]) : Buffer.from([0x81, bytes.length]);
  return Buffer.concat([Buffer.from([0x04]), length, bytes]);
}

/** The wrap mechanism of key backup: AES key wrap with padding (RFC 5649), which takes any key length. */
export const BACKUP_WRAP_MECHANISM = { name: 'CKM_AES_KEY_WRAP_PAD', type: pkcs11.CKM_AES_KEY_WRAP_PAD } as const;

/** pkcs11js has no constant for it (PKCS#11 2.40: 0x1054). */
const CKM_RSA_AES_KEY_WRAP = 0x1054;

/**
 * Wrapping mechanisms `hsm info` lists per token: what backup uses, and what other HSMs import
 * with. keyceremony wraps with the first only; CKM_RSA_AES_KEY_WRAP (to a recipient's public
 * key) is listed so that a production HSM can be asked, though SoftHSM 2.6.1 lacks it and
 * keyceremony has no backup to a recipient (SoftHSM.md "Key wrapping").
 */
export const WRAPPING_MECHANISMS: ReadonlyArray<{ name: string; type: number; use: Record<Lang, string> }> = [
  {
    name: BACKUP_WRAP_MECHANISM.name,
    type: BACKUP_WRAP_MECHANISM.type,
    use: { en: 'key backup under a KEK (RFC 5649)', 'zh-TW': '以金鑰加密金鑰備份金鑰（RFC 5649）' },
  },
  {
    name: 'CKM_AES_KEY_WRAP',
    type: pkcs11.CKM_AES_KEY_WRAP,
    use: { en: 'AES key wrap without padding (RFC 3394)', 'zh-TW': '不補位之 AES 金鑰包裝（RFC 3394）' },
  },
  { name: 'CKM_RSA_AES_KEY_WRAP', type: CKM_RSA_AES_KEY_WRAP, use: { en: 'wrapping to a recipient RSA public key', 'zh-TW': '以接收方 RSA 公鑰包裝金鑰' } },
  { name: 'CKM_RSA_PKCS_OAEP', type: pkcs11.CKM_RSA_PKCS_OAEP, use: { en: 'RSA-OAEP key transport', 'zh-TW': 'RSA-OAEP 金鑰傳送' } },
];
