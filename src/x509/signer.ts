// The signing seam. Everything in src/x509 signs through a KeySigner and never sees an HSM
// session, a PIN or a private key: the ceremony hands over hsmSigner(session, label) after
// the quorum has unlocked the token, and the lint-before-sign step uses a throwawaySigner.
import { createPublicKey, generateKeyPair, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { KeyceremonyError } from '../errors.js';
import type { HsmSession } from '../hsm/hsm.js';
import { describeAlgorithm, type HashName, type KeyAlgorithm } from '../hsm/types.js';
import { NODE_HASH } from './algorithms.js';

export interface KeySigner {
  /** What the key is called in messages and the journal (the PKCS#11 label for HSM keys). */
  readonly label: string;
  readonly algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Buffer;
  /** Signs `data` (not a digest): an RSA PKCS#1 v1.5 signature, or for EC the raw r||s that WebCrypto uses. */
  sign(hash: HashName, data: Uint8Array): Promise<Buffer>;
  /** HSM keys: the PKCS#11 mechanism of each signature made so far, for the journal. */
  readonly signedWith?: readonly SignedWith[];
}

/** Which mechanism made a signature, and where its hash was computed (src/hsm/sign-mechanism.ts). */
export interface SignedWith {
  hash: HashName;
  mechanism: string;
  hashedBy: 'token' | 'node';
}

/** A signer for a key pair on an unlocked HSM token. The private key never leaves the HSM. */
export function hsmSigner(session: HsmSession, label: string): KeySigner {
  const key = session.findKeyPair(label);
  if (!key) {
    throw new KeyceremonyError(`no key pair with label "${label}" on token "${session.token.label}"`, {
      code: 'x509.key-not-found',
      hint: 'check the key label in the ceremony definition; the key must have been generated in an earlier step',
    });
  }
  const signedWith: SignedWith[] = [];
  return {
    label,
    algorithm: key.algorithm,
    spki: key.spki,
    signedWith,
    sign: (hash, data) => {
      const { name, hashedBy } = session.signMechanism(label, hash);
      if (!signedWith.some((s) => s.hash === hash && s.mechanism === name)) signedWith.push({ hash, mechanism: name, hashedBy });
      return session.sign(label, hash, data);
    },
  };
}

const generate = promisify(generateKeyPair);

/**
 * A software key pair of the given type that exists only in this process, for signing a
 * certificate once before the HSM does, so lint failures cost nothing. It is never written
 * anywhere and is dropped with the signer object.
 */
export async function throwawaySigner(algorithm: KeyAlgorithm): Promise<KeySigner> {
  const key = describeAlgorithm(algorithm);
  const prepared = preparedThrowaways.get(key);
  if (prepared) {
    preparedThrowaways.delete(key);
    return prepared;
  }
  return generateThrowaway(algorithm);
}

/** Throwaway keys started before they are needed (prepareThrowawaySigner), by algorithm; each is taken once. */
const preparedThrowaways = new Map<string, Promise<KeySigner>>();

/**
 * Starts generating the throwaway key for the next lint-before-sign with an issuer of this
 * type. An RSA-4096 key takes 1 to 2 s of prime search (on the libuv pool, so the terminal
 * stays responsive); started when the step shows what will be signed, it is ready by the
 * time the witnesses approve, instead of keeping the room waiting after. The next
 * throwawaySigner call of the same type takes it, so no throwaway key signs twice.
 */
export function prepareThrowawaySigner(algorithm: KeyAlgorithm): void {
  const key = describeAlgorithm(algorithm);
  if (preparedThrowaways.has(key)) return;
  const prepared = generateThrowaway(algorithm);
  // A failure surfaces where the key is taken (throwawaySigner), not as an unhandled rejection.
  prepared.catch(() => undefined);
  preparedThrowaways.set(key, prepared);
}

async function generateThrowaway(algorithm: KeyAlgorithm): Promise<KeySigner> {
  const { publicKey, privateKey } =
    algorithm.type === 'RSA'
      ? await generate('rsa', { modulusLength: algorithm.bits, publicExponent: 0x10001 })
      : await generate('ec', { namedCurve: algorithm.curve });
  return softwareSigner(`throwaway ${describeAlgorithm(algorithm)} key`, algorithm, publicKey, privateKey);
}

function softwareSigner(label: string, algorithm: KeyAlgorithm, publicKey: KeyObject, privateKey: KeyObject): KeySigner {
  return {
    label,
    algorithm,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    sign: async (hash, data) =>
      algorithm.type === 'RSA' ? nodeSign(NODE_HASH[hash], data, privateKey) : nodeSign(NODE_HASH[hash], data, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
  };
}

/**
 * Checks a signature with a public key, in Node and independently of the HSM.
 * `format` is how an ECDSA signature is written: raw r||s (WebCrypto, PKCS#11) or the DER
 * ECDSA-Sig-Value found in certificates, CSRs and CRLs. RSA signatures have one form.
 */
export function signatureVerifies(spki: Buffer, hash: HashName, data: Uint8Array, signature: Uint8Array, format: 'raw' | 'der'): boolean {
  try {
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ec') {
      return nodeVerify(NODE_HASH[hash], data, { key, dsaEncoding: format === 'raw' ? 'ieee-p1363' : 'der' }, signature);
    }
    return nodeVerify(NODE_HASH[hash], data, key, signature);
  } catch {
    // A malformed key or signature does not verify; callers say which object was wrong.
    return false;
  }
}
