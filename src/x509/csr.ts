// PKCS#10 certificate signing requests. createCsr has @peculiar/x509 build the request and
// the HSM sign it through the WebCrypto bridge; verifyCsr reads a request back in its
// raw pieces and checks it the way an issuing CA must: the signature verifies with the
// request's own public key (proof of possession), the key is one a CA may certify, and
// subject and key are what the ceremony expects.
import { isDeepStrictEqual } from 'node:util';
import { KeyceremonyError } from '../errors.js';
import { spkiAlgorithm } from '../hsm/public-key.js';
import { describeAlgorithm, type HashName, type KeyAlgorithm } from '../hsm/types.js';
import { fingerprint, type Fingerprint } from '../util/fingerprint.js';
import { defaultHash, signatureAlgorithmByDer } from './algorithms.js';
import { TAG, children, content, contextTag, decodeOid, derError, raw, readSingle } from './der.js';
import { extensionName } from './extensions.js';
import { buildName, formatName, formatNameEncoding, type NameAttributes } from './names.js';
import { toPem } from './pem.js';
import { signatureVerifies, type KeySigner } from './signer.js';
import { bridgeCrypto, signerKeyPair } from './webcrypto-bridge.js';
import { Name, Pkcs10CertificateRequestGenerator } from './x509-lib.js';
import { errorMessage } from '../util/storage.js';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

export interface CsrSummary {
  der: Buffer;
  /** The subject Name exactly as encoded in the request; issuance copies these bytes. */
  subject: Buffer;
  subjectText: string;
  /** SubjectPublicKeyInfo exactly as encoded in the request. */
  spki: Buffer;
  algorithm: KeyAlgorithm;
  signatureAlgorithm: string;
  /** SHA-256 of the request DER: what the subscriber confirms. */
  fingerprint: Fingerprint;
  spkiFingerprint: Fingerprint;
  /** Extensions the requester asked for. The profile decides; these are never copied. */
  requestedExtensions: string[];
}

export interface CsrExpectation {
  subject?: Buffer | NameAttributes;
  algorithm?: KeyAlgorithm;
  /** Default 2048 (BR §6.1.5). */
  minRsaBits?: number;
}

interface CsrParts {
  info: Buffer;
  subject: Buffer;
  spki: Buffer;
  requestedExtensions: string[];
  signatureAlgorithm: Buffer;
  signature: Buffer;
}

function csrError(message: string, code: string, hint: string): KeyceremonyError {
  return new KeyceremonyError(message, { code: `x509.csr.${code}`, hint });
}

function parseCsr(der: Buffer, what: string): CsrParts {
  const request = readSingle(der, what, TAG.sequence);
  const [info, signatureAlgorithm, signature, extra] = children(request, what);
  if (!info || !signatureAlgorithm || !signature || extra || signature.tag !== TAG.bitString)
    throw derError(what, 'not a CertificationRequest of three fields');
  const [version, subject, spki, attributes] = children(info, what);
  if (!version || version.tag !== TAG.integer || !subject || subject.tag !== TAG.sequence || !spki || spki.tag !== TAG.sequence) {
    throw derError(what, 'CertificationRequestInfo is missing fields');
  }
  if (!content(version).equals(Buffer.from([0]))) throw derError(what, 'version is not 0 (PKCS#10 v1)');
  const requestedExtensions: string[] = [];
  if (attributes && attributes.tag === contextTag(0)) {
    for (const attribute of children(attributes, what)) {
      const [type, values] = children(attribute, what);
      if (!type || !values || decodeOid(content(type)) !== EXTENSION_REQUEST) continue;
      for (const extensions of children(values, what)) {
        for (const extension of children(extensions, what)) {
          const [id] = children(extension, what);
          if (id) requestedExtensions.push(extensionName(decodeOid(content(id))));
        }
      }
    }
  }
  const bits = content(signature);
  if (bits[0] !== 0) throw derError(what, 'signature BIT STRING has unused bits');
  return {
    info: Buffer.from(raw(info)),
    subject: Buffer.from(raw(subject)),
    spki: Buffer.from(raw(spki)),
    requestedExtensions,
    signatureAlgorithm: Buffer.from(raw(signatureAlgorithm)),
    signature: Buffer.from(bits.subarray(1)),
  };
}

/**
 * Checks a CSR and returns what it says. Throws a KeyceremonyError naming what is wrong:
 * not DER, an unknown signature algorithm, a key a CA may not certify, a signature that
 * does not verify (no proof of possession), or a subject or key other than expected.
 */
export function verifyCsr(der: Buffer, expect: CsrExpectation = {}, what = 'the CSR'): CsrSummary {
  let parts: CsrParts;
  try {
    parts = parseCsr(der, what);
  } catch (error) {
    if (error instanceof KeyceremonyError) throw error;
    throw derError(what, errorMessage(error));
  }
  const algorithm = signatureAlgorithmByDer(parts.signatureAlgorithm);
  if (!algorithm) {
    throw csrError(
      `${what} is signed with an algorithm keyceremony does not accept`,
      'algorithm',
      'sign requests with RSA PKCS#1 v1.5 or ECDSA, with SHA-256, SHA-384 or SHA-512',
    );
  }
  let key: KeyAlgorithm;
  try {
    key = spkiAlgorithm(parts.spki);
  } catch {
    throw csrError(`${what} holds a public key keyceremony does not certify`, 'key', 'CA keys are RSA or ECDSA on P-256, P-384 or P-521 (BR §6.1.5)');
  }
  if (algorithm.key !== key.type)
    throw csrError(
      `${what} is signed with ${algorithm.name}, which does not fit its ${describeAlgorithm(key)} key`,
      'algorithm',
      'the request is malformed; ask for a new one',
    );
  const minRsaBits = expect.minRsaBits ?? 2048;
  if (key.type === 'RSA' && key.bits < minRsaBits) {
    throw csrError(
      `${what} holds an RSA key of ${key.bits} bits; at least ${minRsaBits} are required`,
      'key-size',
      'BR §6.1.5 requires RSA keys of at least 2048 bits',
    );
  }
  if (!signatureVerifies(parts.spki, algorithm.hash, parts.info, parts.signature, 'der')) {
    throw csrError(
      `the signature on ${what} does not verify with its own public key, so it does not prove possession of the private key`,
      'signature',
      'the request was altered or damaged after signing; ask the subscriber for a new one and compare its SHA-256',
    );
  }
  if (expect.subject !== undefined) {
    const wanted = Buffer.isBuffer(expect.subject) ? expect.subject : buildName(expect.subject);
    if (!wanted.equals(parts.subject)) {
      // The same text in another encoding (a BMPString where the definition writes UTF8String)
      // reads the same: then say the encodings, or the message shows two identical names.
      const [asked, expected] =
        formatName(parts.subject) === formatName(wanted)
          ? [formatNameEncoding(parts.subject), formatNameEncoding(wanted)]
          : [formatName(parts.subject), formatName(wanted)];
      throw csrError(
        `${what} asks for subject ${asked}, not ${expected}`,
        'subject',
        'compare the subject attributes and their string types with the ceremony definition',
      );
    }
  }
  if (expect.algorithm !== undefined && !isDeepStrictEqual(expect.algorithm, key)) {
    throw csrError(
      `${what} holds a ${describeAlgorithm(key)} key, not ${describeAlgorithm(expect.algorithm)}`,
      'key-algorithm',
      'the request was made with a different key than the ceremony expects',
    );
  }
  return {
    der,
    subject: parts.subject,
    subjectText: formatName(parts.subject),
    spki: parts.spki,
    algorithm: key,
    signatureAlgorithm: algorithm.name,
    fingerprint: fingerprint(der),
    spkiFingerprint: fingerprint(parts.spki),
    requestedExtensions: parts.requestedExtensions,
  };
}

/** A PKCS#10 request for `subject`, signed by the signer's key (in the HSM). */
export async function createCsr(o: { signer: KeySigner; subject: NameAttributes; hash?: HashName }): Promise<{ der: Buffer; pem: string }> {
  const hash = o.hash ?? defaultHash(o.signer.algorithm);
  const subject = buildName(o.subject);
  const keys = await signerKeyPair(o.signer, hash);
  const request = await Pkcs10CertificateRequestGenerator.create({ name: new Name(subject), keys, signingAlgorithm: keys.privateKey.algorithm }, bridgeCrypto);
  const der = Buffer.from(request.rawData);
  // Read our own request back as an issuer would: exact subject bytes, this key, a valid signature.
  const summary = verifyCsr(der, { subject, algorithm: o.signer.algorithm }, `the CSR for key "${o.signer.label}"`);
  if (!summary.spki.equals(o.signer.spki)) {
    throw new KeyceremonyError(`the CSR for key "${o.signer.label}" does not carry that key's public key`, {
      code: 'x509.csr.key',
      hint: 'nothing was written; report this as a defect',
    });
  }
  return { der, pem: toPem('CERTIFICATE REQUEST', der) };
}
