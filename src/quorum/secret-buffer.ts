// Buffers that hold secrets (the shared secret, a derived PIN, a share's payload) are
// marked so that the usual accidents cannot print them: util.inspect, JSON.stringify and
// implicit string conversion (`${buf}`, String(buf)) show only the length. Reading the
// bytes on purpose (buf.toString('hex'), indexing, copy) still works: the code that needs
// the value says so explicitly.
import { inspect } from 'node:util';

const SECRET = Symbol.for('keyceremony.secret-buffer');

function describe(buffer: Buffer): string {
  return `[secret, ${buffer.length} bytes]`;
}

/** Marks `buffer` as secret (in place) and returns it. */
/** Buffer's own methods, for the secret buffer's toString to defer to (`Buffer.prototype` is typed `any`). */
const bufferPrototype = Buffer.prototype as Buffer;

export function asSecretBuffer(buffer: Buffer): Buffer {
  if (isSecretBuffer(buffer)) return buffer;
  const hidden = (value: unknown) => ({ value, enumerable: false, configurable: false, writable: false });
  Object.defineProperties(buffer, {
    [SECRET]: hidden(true),
    [inspect.custom]: hidden(() => describe(buffer)),
    toJSON: hidden(() => describe(buffer)),
    // Without an encoding, toString() is an accident (template literal, string concatenation).
    toString: hidden(function toString(this: Buffer, encoding?: BufferEncoding, start?: number, end?: number): string {
      if (encoding === undefined) return describe(buffer);
      return bufferPrototype.toString.call(this, encoding, start, end);
    }),
    toLocaleString: hidden(() => describe(buffer)),
  });
  return buffer;
}

export function isSecretBuffer(buffer: Buffer): boolean {
  return (buffer as unknown as Record<symbol, unknown>)[SECRET] === true;
}

/**
 * A new zero-filled secret buffer of `length` bytes. Buffer.alloc never hands out a slice
 * of Node's shared allocation pool, so wiping it wipes the only copy.
 */
export function allocSecret(length: number): Buffer {
  return asSecretBuffer(Buffer.alloc(length));
}

/** A private copy of `source` as a secret buffer. */
export function copySecret(source: Uint8Array): Buffer {
  const copy = allocSecret(source.length);
  copy.set(source);
  return copy;
}

/** Overwrites a buffer with zeros. Safe to call more than once and on undefined. */
export function wipe(buffer: Uint8Array | undefined): void {
  buffer?.fill(0);
}

/** Hex to a secret buffer, without going through a pooled Buffer. */
export function secretFromHex(hex: string): Buffer {
  const out = allocSecret(Math.floor(hex.length / 2));
  out.write(hex, 'hex');
  return out;
}
