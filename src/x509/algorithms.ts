// Signature algorithms a CA may use, as the exact DER AlgorithmIdentifier bytes that
// CA/Browser Forum Baseline Requirements §7.1.3.2 prescribe: RSA with an explicit NULL
// parameter, ECDSA with none. Certificates, CSRs and CRLs are compared against these bytes,
// not against a re-encoding, so an odd encoding is caught rather than normalised.
import type { HashName, KeyAlgorithm } from '../hsm/types.js';

export interface SignatureAlgorithm {
  name: string;
  oid: string;
  key: KeyAlgorithm['type'];
  hash: HashName;
  /** The AlgorithmIdentifier, DER. */
  der: Buffer;
}

const rsa = (name: string, oidLast: number, hash: HashName): SignatureAlgorithm => ({
  name,
  oid: `1.2.840.113549.1.1.${oidLast}`,
  key: 'RSA',
  hash,
  der: Buffer.from(`300d06092a864886f70d0101${oidLast.toString(16).padStart(2, '0')}0500`, 'hex'),
});
const ecdsa = (name: string, oidLast: number, hash: HashName): SignatureAlgorithm => ({
  name,
  oid: `1.2.840.10045.4.3.${oidLast}`,
  key: 'EC',
  hash,
  der: Buffer.from(`300a06082a8648ce3d04030${oidLast}`, 'hex'),
});

export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  rsa('sha256WithRSAEncryption', 11, 'SHA-256'),
  rsa('sha384WithRSAEncryption', 12, 'SHA-384'),
  rsa('sha512WithRSAEncryption', 13, 'SHA-512'),
  ecdsa('ecdsa-with-SHA256', 2, 'SHA-256'),
  ecdsa('ecdsa-with-SHA384', 3, 'SHA-384'),
  ecdsa('ecdsa-with-SHA512', 4, 'SHA-512'),
];

export function signatureAlgorithmFor(key: KeyAlgorithm['type'], hash: HashName): SignatureAlgorithm {
  const found = SIGNATURE_ALGORITHMS.find((a) => a.key === key && a.hash === hash);
  if (!found) throw new RangeError(`no signature algorithm for ${key} with ${hash}`);
  return found;
}

/** The algorithm whose AlgorithmIdentifier is exactly these bytes, if it is one we allow. */
export function signatureAlgorithmByDer(der: Buffer): SignatureAlgorithm | undefined {
  return SIGNATURE_ALGORITHMS.find((a) => a.der.equals(der));
}

export { CURVE_HASH, defaultHash } from '../util/key-algorithm.js';

export const NODE_HASH: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
