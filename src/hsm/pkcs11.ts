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

/** A pkcs11js Pkcs11Error carries the CKR name as its message and the method it came from. */
export function isPkcs11Error(error: unknown): error is Error & { code: number; method: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number' && error.message.startsWith('CKR_');
}
