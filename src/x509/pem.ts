// PEM armour for files people open with openssl. Inside keyceremony everything is DER.
import { InputError } from '../errors.js';

export type PemLabel = 'CERTIFICATE' | 'CERTIFICATE REQUEST' | 'X509 CRL' | 'PKCS7';

export function toPem(label: PemLabel, der: Buffer): string {
  const body =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/**
 * DER from a file that may hold DER or PEM (openssl writes PEM by default). A PEM file
 * must carry exactly one block with the expected label.
 */
export function derFromDerOrPem(bytes: Buffer, label: PemLabel, what: string): Buffer {
  if (bytes[0] === 0x30) return bytes;
  const text = bytes.toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/g)];
  if (blocks.length !== 1 || blocks[0]![1] !== label) {
    throw new InputError(`${what} is neither DER nor a single PEM ${label} block`, {
      code: 'x509.pem',
      hint: `give the ${label.toLowerCase()} as DER or as PEM with one -----BEGIN ${label}----- block`,
    });
  }
  return Buffer.from(blocks[0]![2]!.replace(/\s/g, ''), 'base64');
}
