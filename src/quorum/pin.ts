// The HSM PIN is derived from the shared secret, never chosen by a person, so the PIN is as
// strong as its length allows and exists only while a quorum has rebuilt the secret.
//
//   okm = HKDF-SHA256(ikm = secret, salt = "keyceremony/hsm-pin/v1",
//                     info = "<alphabet>:<length>", 256 bytes)
//   take the bytes of okm in order; keep a byte b when b < 256 - (256 mod n), where n is
//   the alphabet's size (so every character is equally likely), and map it to alphabet[b mod n];
//   stop at `length` characters.
//
// alphanumeric = 0-9 A-Z a-z (62, about 5.95 bits per character), which common HSMs accept
// as a PIN; digits = 0-9 for tokens that only take numeric PINs.
import { hkdfSync } from 'node:crypto';
import { InputError } from '../errors.js';
import { allocSecret, wipe } from './secret-buffer.js';

export const PIN_ALPHABETS = {
  alphanumeric: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
} as const;
export type PinAlphabet = keyof typeof PIN_ALPHABETS;

export const MIN_PIN_LENGTH = 4;
export const MAX_PIN_LENGTH = 64;
const SALT = 'keyceremony/hsm-pin/v1';
const OKM_BYTES = 256;

/** The HSM PIN for `secret`: `length` printable ASCII characters in a secret Buffer (wipe it after use). */
export function derivePin(secret: Buffer, length: number, alphabet: PinAlphabet = 'alphanumeric'): Buffer {
  if (!Number.isInteger(length) || length < MIN_PIN_LENGTH || length > MAX_PIN_LENGTH) {
    throw new InputError(`the PIN length must be a whole number from ${MIN_PIN_LENGTH} to ${MAX_PIN_LENGTH}, not ${String(length)}`, {
      hint: "use the PIN length the token accepts (`keyceremony hsm info` shows the token's PIN length range)",
      code: 'pin.length',
    });
  }
  const letters = PIN_ALPHABETS[alphabet];
  if (letters === undefined) throw new InputError(`unknown PIN alphabet "${String(alphabet)}"`, { hint: 'use alphanumeric or digits', code: 'pin.alphabet' });
  if (secret.length < 16) throw new RangeError('a PIN is derived from a secret of at least 16 bytes');

  const okm = Buffer.from(hkdfSync('sha256', secret, SALT, `${alphabet}:${length}`, OKM_BYTES));
  const pin = allocSecret(length);
  const limit = 256 - (256 % letters.length);
  try {
    let filled = 0;
    for (let i = 0; i < okm.length && filled < length; i++) {
      const byte = okm[i] as number;
      if (byte < limit) pin[filled++] = letters.charCodeAt(byte % letters.length);
    }
    // 256 bytes hold fewer than 64 usable ones with probability far below 2^-200.
    if (filled < length) throw new Error('HKDF output exhausted while deriving the PIN');
    return pin;
  } catch (error) {
    wipe(pin);
    throw error;
  } finally {
    wipe(okm);
  }
}
