// Which PKCS#11 mechanism signs with a key and a hash on a given token. RSA always uses the
// hash-and-sign mechanisms (CKM_SHA256_RSA_PKCS …). ECDSA uses CKM_ECDSA_SHA256/384/512 where
// the token lists them (C_GetMechanismList), so the token hashes what it signs; otherwise
// (SoftHSM 2.6 has only CKM_ECDSA) Node hashes and the token signs the digest with CKM_ECDSA.
// Either way the signature is the raw r||s that WebCrypto expects. The journal records which.
import { signMechanism } from './key-templates.js';
import { pkcs11 } from './pkcs11.js';
import type { HashName, KeyAlgorithm } from './types.js';

export interface SignMechanism {
  /** The CKM_* value handed to C_SignInit. */
  type: number;
  /** Its name, e.g. `CKM_ECDSA_SHA384`. */
  name: string;
  /** Where the data is hashed: inside the token, or in keyceremony (Node) before CKM_ECDSA. */
  hashedBy: 'token' | 'node';
}

const ECDSA_WITH: Record<HashName, number> = {
  'SHA-256': pkcs11.CKM_ECDSA_SHA256,
  'SHA-384': pkcs11.CKM_ECDSA_SHA384,
  'SHA-512': pkcs11.CKM_ECDSA_SHA512,
};

/** Names of the mechanisms keyceremony uses (pkcs11js has aliases, e.g. CKM_ECDSA_KEY_PAIR_GEN). */
export const MECHANISM_NAMES: ReadonlyMap<number, string> = new Map(
  [
    'CKM_RSA_PKCS_KEY_PAIR_GEN',
    'CKM_EC_KEY_PAIR_GEN',
    'CKM_SHA256_RSA_PKCS',
    'CKM_SHA384_RSA_PKCS',
    'CKM_SHA512_RSA_PKCS',
    'CKM_ECDSA',
    'CKM_ECDSA_SHA256',
    'CKM_ECDSA_SHA384',
    'CKM_ECDSA_SHA512',
  ].map((name) => [(pkcs11 as unknown as Record<string, number>)[name]!, name]),
);

export function mechanismName(type: number): string {
  return MECHANISM_NAMES.get(type) ?? `CKM_0x${type.toString(16).toUpperCase()}`;
}

/** The mechanism that signs `hash` with a key of `algorithm` on a token that has `available`. */
export function chooseSignMechanism(algorithm: KeyAlgorithm, hash: HashName, available: ReadonlySet<number>): SignMechanism {
  if (algorithm.type === 'EC' && available.has(ECDSA_WITH[hash])) return { type: ECDSA_WITH[hash], name: mechanismName(ECDSA_WITH[hash]), hashedBy: 'token' };
  const type = signMechanism(algorithm, hash);
  return { type, name: mechanismName(type), hashedBy: algorithm.type === 'EC' ? 'node' : 'token' };
}

/** How the journal and `hsm check` say it: `CKM_ECDSA_SHA384`, or `CKM_ECDSA (SHA-384 hashed by keyceremony)`. */
export function describeSignMechanism(mechanism: SignMechanism, hash: HashName): string {
  return mechanism.hashedBy === 'node' ? `${mechanism.name} (${hash} hashed by keyceremony)` : mechanism.name;
}

/** Mechanisms that can sign `hash` with `algorithm`, best first, for `hsm check`. */
export function signMechanismCandidates(algorithm: KeyAlgorithm, hash: HashName): number[] {
  return algorithm.type === 'EC' ? [ECDSA_WITH[hash], pkcs11.CKM_ECDSA] : [signMechanism(algorithm, hash)];
}
