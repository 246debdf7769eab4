// Small formatters shared by the plan and the report: times as recorded, fingerprints as
// grouped hex and PGP words, distinguished names, key algorithms.
import type { KeySpecData } from '../definition/schema.js';
import { groupedHex, pgpWords } from '../util/fingerprint.js';
import { describeKeyToMake, keyAlgorithmOf } from '../util/key-algorithm.js';
import { isTimeZone, toLocal } from '../x509/time.js';
import { code, type Inline } from './document.js';

const JOURNAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `2026-11-28 09:56:43 +08:00`: the time with its UTC offset. With `timeZone` (the
 * definition's), the instant is shown as the wall clock of that zone read it, whatever zone
 * the terminal was set to; without it, the local time the journal recorded. The auditor
 * compares it with the paper log and the video, which show the clock of the ceremony room.
 */
export function formatTime(iso: string, timeZone?: string): string {
  const match = JOURNAL_TIME.exec(iso);
  if (!match) return iso;
  if (timeZone !== undefined) {
    const zoned = inZone(iso, timeZone);
    if (zoned !== undefined) return `${zoned.date} ${zoned.time} ${zoned.offset}`;
  }
  const [, date, time, offset] = match;
  return `${date} ${time} ${offset === 'Z' ? '+00:00' : offset}`;
}

/** The date part of a journal time, `2026-11-28` (in `timeZone` when given). */
export function dateOf(iso: string, timeZone?: string): string {
  const zoned = timeZone === undefined || !JOURNAL_TIME.test(iso) ? undefined : inZone(iso, timeZone);
  return zoned?.date ?? JOURNAL_TIME.exec(iso)?.[1] ?? iso.slice(0, 10);
}

/** The wall-clock date, time and UTC offset of an instant in a named zone (whole seconds, as the journal shows them). */
function inZone(iso: string, timeZone: string): { date: string; time: string; offset: string } | undefined {
  const instant = Math.floor(Date.parse(iso) / 1000) * 1000;
  if (!Number.isFinite(instant) || !isTimeZone(timeZone)) return undefined;
  const local = toLocal(new Date(instant), timeZone);
  const offsetMinutes = Math.round((Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - instant) / 60_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const magnitude = Math.abs(offsetMinutes);
  return {
    date: `${String(local.year).padStart(4, '0')}-${two(local.month)}-${two(local.day)}`,
    time: `${two(local.hour)}:${two(local.minute)}:${two(local.second)}`,
    offset: `${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(magnitude / 60))}:${two(magnitude % 60)}`,
  };
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
