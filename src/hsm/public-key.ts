// Builds the SubjectPublicKeyInfo of a key pair from the public key object's attributes,
// through Node's key import so the DER is produced by a well-tested encoder.
import { createHash, createPublicKey } from 'node:crypto';
import { InputError } from '../errors.js';
import { CURVE_BYTES, curveFromParams } from './key-templates.js';
import type { Curve, KeyAlgorithm, PublicKeyParts, RsaBits } from './types.js';

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** Strips leading zero bytes, which JWK forbids in n and e. */
function unsigned(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

export function rsaSpki(modulus: Buffer, exponent: Buffer): Buffer {
  return createPublicKey({ key: { kty: 'RSA', n: b64url(unsigned(modulus)), e: b64url(unsigned(exponent)) }, format: 'jwk' }).export({
    type: 'spki',
    format: 'der',
  });
}

/**
 * CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (PKCS#11 2.40); some
 * modules return the raw point. Both are accepted, told apart by the expected length.
 */
export function ecPointBytes(ecPoint: Buffer, curve: Curve): Buffer {
  const raw = 1 + 2 * CURVE_BYTES[curve];
  if (ecPoint.length === raw && ecPoint[0] === 0x04) return ecPoint;
  // DER OCTET STRING: 04 len point, len in short (< 128) or long form (81 xx).
  if (ecPoint[0] === 0x04) {
    const long = ecPoint[1] === 0x81;
    const length = long ? ecPoint[2] : ecPoint[1];
    const start = long ? 3 : 2;
    if (length === raw && ecPoint.length === start + raw) return ecPoint.subarray(start);
  }
  throw new InputError(`the token returned an EC point of unexpected form for ${curve}`, { code: 'hsm.ec-point' });
}

export function ecSpki(ecParams: Buffer, ecPoint: Buffer): { spki: Buffer; curve: Curve } {
  const curve = curveFromParams(ecParams);
  if (!curve) throw new InputError(`the token holds an EC key on a curve keyceremony does not support (params ${ecParams.toString('hex')})`);
  const point = ecPointBytes(ecPoint, curve);
  const size = CURVE_BYTES[curve];
  const spki = createPublicKey({
    key: { kty: 'EC', crv: curve, x: b64url(point.subarray(1, 1 + size)), y: b64url(point.subarray(1 + size)) },
    format: 'jwk',
  }).export({ type: 'spki', format: 'der' });
  return { spki, curve };
}

/** The algorithm of an SPKI, read back with Node. */
export function spkiAlgorithm(spki: Buffer): KeyAlgorithm {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { type: 'RSA', bits: details.modulusLength as RsaBits };
  if (key.asymmetricKeyType === 'ec') {
    const named: Record<string, Curve> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
    const curve = named[details.namedCurve ?? ''];
    if (curve) return { type: 'EC', curve };
  }
  throw new InputError(`unsupported public key type ${key.asymmetricKeyType ?? 'unknown'}`, { code: 'key.unsupported' });
}

/** The numbers of an SPKI, for a public key object (the reverse of rsaSpki and ecSpki). */
export function spkiParts(spki: Buffer): PublicKeyParts {
  const algorithm = spkiAlgorithm(spki);
  const jwk = createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' });
  const bytes = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');
  if (algorithm.type === 'RSA') return { type: 'RSA', modulus: bytes(jwk.n), exponent: bytes(jwk.e) };
  return { type: 'EC', curve: algorithm.curve, point: Buffer.concat([Buffer.from([0x04]), bytes(jwk.x), bytes(jwk.y)]) };
}

/**
 * The subject key identifier of a public key as keyceremony's X.509 profiles write it
 * (src/x509/extensions.ts): RFC 5280 §4.2.1.2 method (1), the SHA-1 of the subjectPublicKey
 * BIT STRING's value (the DER RSAPublicKey for RSA, the uncompressed point for EC), without
 * tag, length and unused-bits octet. It becomes the key's CKA_ID, so CA software finds the
 * key pair and its certificate by the SKI.
 */
export function subjectKeyIdentifier(spki: Buffer): Buffer {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  let bits: Buffer;
  if (key.asymmetricKeyType === 'rsa') {
    bits = key.export({ type: 'pkcs1', format: 'der' });
  } else {
    const jwk = key.export({ format: 'jwk' });
    bits = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  }
  return createHash('sha1').update(bits).digest();
}
