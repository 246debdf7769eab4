// The share's checksum over everything before it: the first 32 bits of a domain-separated
// SHA-256. Group check characters catch single typos with certainty and say where they
// are; this catches what they can miss (several errors in one group) with probability
// 1 - 2^-32, and it is what makes a share "well formed" as a whole.
import { createHash, timingSafeEqual } from 'node:crypto';

export const CHECKSUM_BYTES = 4;
const DOMAIN = 'keyceremony/share-checksum/v1';

export function shareChecksum(body: Uint8Array): Buffer {
  return createHash('sha256').update(DOMAIN).update(Buffer.of(0)).update(body).digest().subarray(0, CHECKSUM_BYTES);
}

export function checksumMatches(body: Uint8Array, checksum: Uint8Array): boolean {
  return checksum.length === CHECKSUM_BYTES && timingSafeEqual(shareChecksum(body), checksum);
}
