// What a CA hands out with its new certificate: the chain as PEM (the certificate first,
// then each issuer up to the root) and as a certs-only PKCS#7 bundle (SignedData without
// signers, as `openssl crl2pkcs7 -nocrl` writes it), and the fields a PKCS#11 certificate
// object carries (CKA_SUBJECT, CKA_ISSUER, CKA_SERIAL_NUMBER).
import { readCertificate } from './certificate.js';
import { integerFromContent } from './der.js';
import { toPem } from './pem.js';
import { X509Certificate, X509Certificates } from './x509-lib.js';

/** `chain` is the certificate first, then its issuers in order. */
export function certificateBundle(chain: Buffer[]): { pemChain: string; pkcs7Pem: string } {
  chain.forEach((der, i) => readCertificate(der, i === 0 ? 'certificate' : `chain certificate ${i}`));
  const pkcs7 = Buffer.from(new X509Certificates(chain.map((der) => new X509Certificate(der))).export('raw'));
  return { pemChain: chain.map((der) => toPem('CERTIFICATE', der)).join(''), pkcs7Pem: toPem('PKCS7', pkcs7) };
}

/** The DER values of a PKCS#11 X.509 certificate object's searchable attributes. */
export function certificateObjectFields(der: Buffer): { subject: Buffer; issuer: Buffer; serialNumber: Buffer } {
  const parsed = readCertificate(der, 'certificate');
  return { subject: parsed.subject, issuer: parsed.issuer, serialNumber: integerFromContent(parsed.serial) };
}
