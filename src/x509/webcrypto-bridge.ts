// WebCrypto as @peculiar/x509 wants it, with signing done by a KeySigner. A signer key is
// a CryptoKey-shaped object that carries no key material, only a binding (kept in a
// WeakMap, never on the object) to its KeySigner and to the one hash it may sign with.
// The bridge's SubtleCrypto sends sign() for those keys to the signer, refuses every
// other operation on them (the private key never leaves the HSM: nothing to export, wrap
// or derive), and hands everything else to Node's own webcrypto.
import { webcrypto } from 'node:crypto';
import { KeyceremonyError } from '../errors.js';
import type { HashName, KeyAlgorithm } from '../hsm/types.js';
import { signatureAlgorithmFor, type SignatureAlgorithm } from './algorithms.js';
import { signatureVerifies, type KeySigner } from './signer.js';
import { AsnEcSignatureFormatter } from './x509-lib.js';

type CryptoKey = webcrypto.CryptoKey;

interface Binding {
  signer: KeySigner;
  hash: HashName;
}

const bindings = new WeakMap<object, Binding>();

/** The WebCrypto algorithm of a signer key, with the hash it is bound to. */
function webAlgorithm(algorithm: KeyAlgorithm, hash: HashName): webcrypto.KeyAlgorithm & Record<string, unknown> {
  return algorithm.type === 'RSA'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: { name: hash }, modulusLength: algorithm.bits, publicExponent: new Uint8Array([1, 0, 1]) }
    : { name: 'ECDSA', namedCurve: algorithm.curve, hash: { name: hash } };
}

function hashOf(algorithm: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams): string | undefined {
  if (typeof algorithm === 'string' || !('hash' in algorithm)) return undefined;
  const hash = algorithm.hash;
  return typeof hash === 'string' ? hash : hash.name;
}

function toBytes(data: webcrypto.BufferSource): Buffer {
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

async function signWithBinding(
  binding: Binding,
  algorithm: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams,
  data: webcrypto.BufferSource,
): Promise<ArrayBuffer> {
  const { signer, hash } = binding;
  const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
  const expected = signer.algorithm.type === 'RSA' ? 'RSASSA-PKCS1-v1_5' : 'ECDSA';
  if (name.toUpperCase() !== expected.toUpperCase()) {
    throw new KeyceremonyError(`key "${signer.label}" signs with ${expected}, not ${name}`, { code: 'x509.bridge-algorithm' });
  }
  const requested = hashOf(algorithm);
  if (requested !== undefined && requested.toUpperCase() !== hash) {
    throw new KeyceremonyError(`key "${signer.label}" was prepared to sign with ${hash}, not ${requested}`, { code: 'x509.bridge-hash' });
  }
  // Copy: the caller's view may be a slice of a larger buffer that changes later.
  const bytes = Buffer.from(toBytes(data));
  const signature = await signer.sign(hash, bytes);
  // Check every signature before it goes into an object: a wrong key behind the label or
  // a faulty HSM must be caught here, not by a relying party.
  if (!signatureVerifies(signer.spki, hash, bytes, signature, 'raw')) {
    throw new KeyceremonyError(`the signature made with key "${signer.label}" does not verify with that key's public key`, {
      code: 'x509.signature-check',
      hint: 'nothing was issued; check that the label names the intended key and that the HSM is healthy',
    });
  }
  return new Uint8Array(signature).buffer;
}

function refuse(signer: KeySigner, operation: string): never {
  throw new KeyceremonyError(`key "${signer.label}" can only sign; ${operation} is refused`, {
    code: 'x509.bridge-refused',
    hint: 'the private key never leaves the HSM',
  });
}

const nodeSubtle = webcrypto.subtle;

const subtle: webcrypto.SubtleCrypto = new Proxy(nodeSubtle, {
  get(target, property, receiver) {
    if (property === 'sign') {
      return (algorithm: webcrypto.AlgorithmIdentifier, key: CryptoKey, data: webcrypto.BufferSource) => {
        const binding = bindings.get(key);
        return binding ? signWithBinding(binding, algorithm, data) : target.sign(algorithm, key, data);
      };
    }
    const value: unknown = Reflect.get(target, property, receiver);
    if (typeof value !== 'function') return value;
    // Node's SubtleCrypto methods check `this`, so they are called on the real object.
    return (...args: unknown[]) => {
      for (const arg of args) {
        const binding = typeof arg === 'object' && arg !== null ? bindings.get(arg) : undefined;
        if (binding) refuse(binding.signer, String(property));
      }
      return (value as (...a: unknown[]) => unknown).apply(target, args);
    };
  },
});

/** The Crypto object to pass to @peculiar/x509 generators. */
export const bridgeCrypto: webcrypto.Crypto = {
  subtle,
  CryptoKey: webcrypto.CryptoKey,
  getRandomValues: <T extends Parameters<typeof webcrypto.getRandomValues>[0]>(array: T): T => webcrypto.getRandomValues(array),
  randomUUID: () => webcrypto.randomUUID(),
};

export interface SignerKeyPair {
  /** Carries no key material; signing goes to the KeySigner with `hash`. */
  privateKey: CryptoKey;
  /** The signer's public key, imported into Node's webcrypto. */
  publicKey: CryptoKey;
}

/** A key pair for @peculiar/x509 whose private half signs through `signer` with `hash`. */
export async function signerKeyPair(signer: KeySigner, hash: HashName): Promise<SignerKeyPair> {
  const algorithm = webAlgorithm(signer.algorithm, hash);
  const privateKey = Object.freeze({ type: 'private', extractable: false, usages: ['sign'], algorithm }) as unknown as CryptoKey;
  bindings.set(privateKey, { signer, hash });
  const importAlgorithm = signer.algorithm.type === 'RSA' ? { name: 'RSASSA-PKCS1-v1_5', hash } : { name: 'ECDSA', namedCurve: signer.algorithm.curve };
  const publicKey = await nodeSubtle.importKey('spki', signer.spki, importAlgorithm, true, ['verify']);
  return { privateKey, publicKey };
}

/**
 * Signs `data` through the bridge and returns the signature as it is written into an
 * X.509 structure (DER ECDSA-Sig-Value for EC), with the algorithm it was made with.
 */
export async function signForX509(signer: KeySigner, hash: HashName, data: Uint8Array): Promise<{ algorithm: SignatureAlgorithm; signature: Buffer }> {
  const { privateKey } = await signerKeyPair(signer, hash);
  const raw = await subtle.sign(privateKey.algorithm, privateKey, data);
  const algorithm = signatureAlgorithmFor(signer.algorithm.type, hash);
  if (signer.algorithm.type === 'RSA') return { algorithm, signature: Buffer.from(raw) };
  const der = new AsnEcSignatureFormatter().toAsnSignature(privateKey.algorithm, raw);
  if (!der) throw new KeyceremonyError('could not encode the ECDSA signature', { code: 'x509.ecdsa-encoding' });
  return { algorithm, signature: Buffer.from(der) };
}
