// A CSR or certificate brought to the ceremony must be what it claims before it is copied
// in: a CSR must parse and prove possession of its key; a certificate must parse.
import { InputError, KeyceremonyError } from '../errors.js';

/** Loads src/x509 only when a ceremony brings a CSR or a certificate. */
export async function checkInputFile(name: string, kind: 'csr' | 'certificate', path: string, bytes: Buffer): Promise<void> {
  const { derFromDerOrPem, describeCertificate, verifyCsr } = await import('../x509/index.js');
  try {
    if (kind === 'csr') verifyCsr(derFromDerOrPem(bytes, 'CERTIFICATE REQUEST', `input "${name}" (${path})`), {}, `input "${name}" (${path})`);
    else describeCertificate(derFromDerOrPem(bytes, 'CERTIFICATE', `input "${name}" (${path})`));
  } catch (error) {
    if (!(error instanceof KeyceremonyError)) throw error;
    throw new InputError(error.message.startsWith('input') ? error.message : `input "${name}" (${path}): ${error.message}`, {
      hint: error.hint ?? `bring a valid ${kind}`,
      code: error.code,
    });
  }
}
