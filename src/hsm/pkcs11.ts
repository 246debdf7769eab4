// The only file that imports pkcs11js. It is CommonJS, so under ESM it must be a default
// import (named imports are undefined at run time).
import pkcs11js from 'pkcs11js';

export const pkcs11 = pkcs11js;
export type Pkcs11 = InstanceType<typeof pkcs11js.PKCS11>;
export type Handle = Buffer;
export type Template = Array<{ type: number; value?: number | boolean | string | Buffer | Date }>;

/** Name of a CKR_* value, e.g. 0xA0 -> `CKR_PIN_INCORRECT`. */
export function ckrName(code: number): string {
  for (const [name, value] of Object.entries(pkcs11js)) {
    if (name.startsWith('CKR_') && value === code) return name;
  }
  return `CKR_0x${code.toString(16).toUpperCase()}`;
}

/**
 * A pkcs11js Pkcs11Error carries the CKR name as its message and the method it came from.
 * Some methods (C_CopyObject in pkcs11js 2.1) throw the native error unwrapped, whose
 * message is `CKR_NAME:code`: that is a PKCS#11 error too.
 */
export function isPkcs11Error(error: unknown): error is Error & { code: number; method: string } {
  if (!(error instanceof Error) || !error.message.startsWith('CKR_')) return false;
  return typeof (error as { code?: unknown }).code === 'number' || /^CKR_\w+:\d+/.test(error.message);
}
