// Fingerprints that people compare by eye and by ear: SHA-256 as grouped hex and as PGP
// words. Every output, key and journal seal is shown both ways so witnesses can read it
// aloud and write it on the paper log.
import { createHash } from 'node:crypto';
import { EVEN_WORDS, ODD_WORDS } from './pgp-words.js';

export interface Fingerprint {
  /** Lower-case hex, 64 characters. */
  sha256: string;
  /** The same bytes as PGP words, space separated. */
  words: string;
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function fingerprint(data: Uint8Array | string): Fingerprint {
  const digest = sha256(data);
  return { sha256: digest.toString('hex'), words: pgpWords(digest) };
}

/** Bytes as alternating PGP words: even positions two-syllable, odd positions three. */
export function pgpWords(bytes: Uint8Array): string {
  return Array.from(bytes, (byte, i) => (i % 2 === 0 ? EVEN_WORDS[byte] : ODD_WORDS[byte])).join(' ');
}

/** Upper-case hex in groups of four, e.g. `1A2B 3C4D`, for reading from a screen. */
export function groupedHex(hex: string, group = 4): string {
  return (hex.toUpperCase().match(new RegExp(`.{1,${group}}`, 'g')) ?? []).join(' ');
}
