// The issuer as the lint-before-sign sees it. Before the HSM signs, a certificate or CRL is
// signed once by a throwaway key of the issuer's type; lints that check the signature or the
// issuer's key then need an issuer certificate for that throwaway key.
import type { HashName } from '../hsm/types.js';
import { signatureAlgorithmFor } from './algorithms.js';
import { assembleCertificate, readCertificate, type ParsedCertificate } from './certificate.js';
import { TAG, children, raw, readSingle, sequence } from './der.js';
import type { KeySigner } from './signer.js';
import { signForX509 } from './webcrypto-bridge.js';

/**
 * A stand-in for the issuer, signed by the throwaway key: the real issuer's TBS with only
 * the public key (and signature algorithm) swapped, so name, key identifier, validity and
 * constraints are the real issuer's.
 */
export async function throwawayIssuer(template: Buffer, throwaway: KeySigner, hash: HashName): Promise<ParsedCertificate> {
  const certificate = readSingle(template, 'the issuer certificate', TAG.sequence);
  const [tbs] = children(certificate, 'the issuer certificate');
  const fields: Buffer[] = children(tbs!, 'the issuer certificate').map((field) => Buffer.from(raw(field)));
  const offset = fields[0]![0] === 0xa0 ? 1 : 0;
  const algorithm = signatureAlgorithmFor(throwaway.algorithm.type, hash);
  fields[offset + 1] = algorithm.der;
  fields[offset + 5] = throwaway.spki;
  const copy = sequence(...fields);
  const { signature } = await signForX509(throwaway, hash, copy);
  return readCertificate(assembleCertificate(copy, algorithm.der, signature), 'the throwaway issuer certificate');
}
