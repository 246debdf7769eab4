// The only module that talks to secrets.js-grempe. It works on hex strings, which cannot be
// wiped: they are made here, handed to the library and dropped at once, and every value
// that crosses back to the rest of keyceremony is a secret Buffer that can be wiped.
//
// Configuration: 8-bit field (up to 255 shares), Node's crypto.randomBytes, and zero
// padding to whole bytes only (padLength 8): the library pads to 128 bits by default to hide
// a short secret's length, but ours always have a fixed, public length.
import secrets from 'secrets.js-grempe';
import { secretFromHex } from './secret-buffer.js';

const BITS = 8;
/** The first character of a share string: the field size in bits, base 36. */
export const BITS_DIGIT = BITS.toString(36);
const PAD_TO_BITS = 8;

secrets.init(BITS, 'nodeCryptoRandomBytes');

function assertConfigured(): void {
  const config = secrets.getConfig();
  if (config.bits !== BITS || config.typeCSPRNG !== 'nodeCryptoRandomBytes') {
    // Someone re-initialised the library with other settings: refuse rather than split weakly.
    throw new Error(`secrets.js-grempe is configured with ${config.bits} bits and ${config.typeCSPRNG}, not ${BITS} bits and nodeCryptoRandomBytes`);
  }
}

/** The plain secrets.js-grempe share string for an envelope payload (share id, then data). */
export function payloadToShareString(payload: Uint8Array): string {
  return BITS_DIGIT + Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('hex');
}

/** Splits `secret`; returns each share's payload (share id byte, then data) in index order. */
export function shamirSplit(secret: Buffer, count: number, threshold: number): Buffer[] {
  assertConfigured();
  const shares = secrets.share(secret.toString('hex'), count, threshold, PAD_TO_BITS);
  return shares.map((share, i) => {
    if (share[0] !== BITS_DIGIT || share.length % 2 !== 1 || Number.parseInt(share.slice(1, 3), 16) !== i + 1) {
      throw new Error('secrets.js-grempe returned a share in an unexpected form');
    }
    return secretFromHex(share.slice(1));
  });
}

/** Rebuilds a secret from share payloads. The library cannot tell a wrong result: callers verify. */
export function shamirCombine(payloads: readonly Uint8Array[]): Buffer {
  assertConfigured();
  let hex: string;
  try {
    hex = secrets.combine(payloads.map(payloadToShareString));
  } catch {
    // The library's messages quote the share: never pass them on.
    throw new Error('secrets.js-grempe refused the shares');
  }
  return secretFromHex(hex);
}
