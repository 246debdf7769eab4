// Small formatters shared by the plan and the report: times as recorded, fingerprints as
// grouped hex and PGP words, distinguished names, key algorithms.
import type { KeySpecData } from '../definition/schema.js';
import { groupedHex, pgpWords } from '../util/fingerprint.js';
import { describeKeyToMake, keyAlgorithmOf } from '../util/key-algorithm.js';
import { asWritten, inZone } from '../util/zoned-time.js';
import { code, type Inline } from './document.js';

/**
 * `2026-11-28 09:56:43 +08:00`: the time with its UTC offset. With `timeZone` (the
 * definition's), the instant is shown as the wall clock of that zone read it, whatever zone
 * the terminal was set to; without it, the local time the journal recorded. The auditor
 * compares it with the paper log and the video, which show the clock of the ceremony room.
 */
export function formatTime(iso: string, timeZone?: string): string {
  const shown = (timeZone === undefined ? undefined : inZone(iso, timeZone)) ?? asWritten(iso);
  return shown ? `${shown.date} ${shown.time} ${shown.offset}` : iso;
}

/** The date part of a journal time, `2026-11-28` (in `timeZone` when given). */
export function dateOf(iso: string, timeZone?: string): string {
  return ((timeZone === undefined ? undefined : inZone(iso, timeZone)) ?? asWritten(iso))?.date ?? iso.slice(0, 10);
}

/** Hex in groups of four, then its PGP words: the two ways a fingerprint is read aloud. */
export function fingerprintLines(hex: string, words?: string): Inline[] {
  const spoken = words ?? (/^[0-9a-f]+$/i.test(hex) && hex.length % 2 === 0 ? pgpWords(Buffer.from(hex, 'hex')) : '');
  return spoken === '' ? [code(groupedHex(hex))] : [code(groupedHex(hex)), spoken];
}

/** `C=TW, O=行政院, CN=醫事憑證管理中心 - G3`, in the order the definition gives. */
export function formatDn(subject: Partial<Record<string, string>>): string {
  return Object.entries(subject)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([attribute, value]) => `${attribute}=${value}`)
    .join(', ');
}

/** A generate-key step's key as the plan writes it: `RSA 4096`, `EC P-384`. */
export function formatKeySpec(key: KeySpecData): string {
  return describeKeyToMake(keyAlgorithmOf(key));
}
