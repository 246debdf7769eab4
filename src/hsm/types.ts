// Plain data that crosses the HSM boundary. Nothing here holds a handle to a secret.
import type { Fingerprint } from '../util/fingerprint.js';
import type { Lang } from '../util/lang.js';

export type { Curve, HashName, KeyAlgorithm, RsaBits } from '../util/key-algorithm.js';
export { CURVES, describeAlgorithm, RSA_BITS } from '../util/key-algorithm.js';
import type { Curve, KeyAlgorithm } from '../util/key-algorithm.js';
export type UserType = 'user' | 'so';

export interface PinFlags {
  /** The user PIN has been entered wrongly at least once since the last success. */
  userPinCountLow: boolean;
  /** One more wrong user PIN locks it. */
  userPinFinalTry: boolean;
  userPinLocked: boolean;
  userPinInitialized: boolean;
  soPinCountLow: boolean;
  soPinFinalTry: boolean;
  soPinLocked: boolean;
}

export interface TokenInfo {
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  firmware: string;
  hardware: string;
  initialized: boolean;
  loginRequired: boolean;
  pin: PinFlags;
  minPinLength: number;
  maxPinLength: number;
}

export interface ModuleInfo {
  path: string;
  /** The path with symbolic links resolved. */
  realPath: string;
  /** SHA-256 of the library file that was loaded. */
  sha256: string;
  manufacturer: string;
  description: string;
  libraryVersion: string;
  cryptokiVersion: string;
}

export interface KeyPairInfo {
  label: string;
  /** CKA_ID as lower-case hex. */
  id: string;
  algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  spki: Buffer;
  /** SHA-256 of the SPKI DER. */
  fingerprint: Fingerprint;
  /** RFC 7512 URI of the private key. */
  uri: string;
}

/** Attributes of a private key as the token reports them, for audit and tests. */
export interface PrivateKeyAttributes {
  token: boolean;
  private: boolean;
  sensitive: boolean;
  alwaysSensitive: boolean;
  extractable: boolean;
  neverExtractable: boolean;
  local: boolean;
  /** False: no attribute (CKA_ID, label, usages) can be changed after generation. */
  modifiable: boolean;
  /** False: C_CopyObject refuses the key. Not every token can set it false (SoftHSM.md). */
  copyable: boolean;
  sign: boolean;
  signRecover: boolean;
  decrypt: boolean;
  unwrap: boolean;
  derive: boolean;
  /** Extractable only wrapped under a trusted key (a key generated for backup). */
  wrapWithTrusted: boolean;
}

/** A public key's numbers, as a PKCS#11 public key object holds them. */
export type PublicKeyParts = { type: 'RSA'; modulus: Buffer; exponent: Buffer } | { type: 'EC'; curve: Curve; point: Buffer };

/** A key pair to restore from a backup: its private half wrapped, its public half as the SPKI. */
export interface RestoredKey {
  label: string;
  /** CKA_ID as lower-case hex. */
  id: string;
  spki: Buffer;
  /** Restore it extractable again (only under a trusted key), so that it can be backed up from the new token. */
  backup: boolean;
}

/** Whether a token offers a wrapping mechanism (C_GetMechanismInfo flags CKF_WRAP, CKF_UNWRAP). */
export interface WrapMechanismSupport {
  name: string;
  use: Record<Lang, string>;
  wrap: boolean;
  unwrap: boolean;
}

/** An X.509 certificate as a PKCS#11 certificate object holds it (DER values). */
export interface CertificateObject {
  value: Buffer;
  subject: Buffer;
  issuer: Buffer;
  /** DER INTEGER. */
  serialNumber: Buffer;
}

export interface StoredCertificate {
  label: string;
  /** CKA_ID as lower-case hex: the key pair's. */
  id: string;
  /** False when the same certificate was on the token already. */
  created: boolean;
}

/** C_GetMechanismInfo: the key sizes a mechanism takes (RSA modulus bits, EC field bits). */
export interface MechanismInfo {
  minKeySize: number;
  maxKeySize: number;
}

export interface MechanismSupport {
  name: string;
  needed: Record<Lang, string>;
  supported: boolean;
}
