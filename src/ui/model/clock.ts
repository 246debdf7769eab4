// The wall clock on the ceremony screen: date, time, UTC offset and zone name, so a video
// recording or a witness's note can be matched to the journal (whose times carry offsets).
import { asWritten, inZone } from '../../util/zoned-time.js';

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The zone the ceremony's times are said in: the definition's, else the terminal's (as the header clock). */
export const ceremonyTimeZone = (definition: { timeZone?: string | undefined }): string => definition.timeZone ?? localTimeZone();

/** Names of UTC itself, whose offset would only repeat the name. */
const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Universal',
  'Etc/Zulu',
  'Zulu',
  'GMT',
  'Etc/GMT',
  'Etc/GMT0',
  'Etc/GMT+0',
  'Etc/GMT-0',
  'GMT0',
  'Etc/Greenwich',
  'Greenwich',
]);

export function formatClock(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT$/, 'GMT+00:00').replace(/^GMT/, 'UTC');
  // The zone once: "UTC+08:00 Asia/Taipei", but "UTC" alone, not "UTC+00:00 UTC".
  const zone = UTC_NAMES.has(timeZone) ? 'UTC' : `${offset} ${timeZone}`;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${zone}`;
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

/**
 * A journal time as the screen shows it: read in `timeZone`, the zone the header's clock
 * shows (the ceremony's), so what a witness copies from a list or a notice matches the
 * header, the paper log and the report (review16s: lists showed UTC under a Taipei header).
 * `2026-12-07 14:06:47`, or the time of day alone. Without a zone: as the journal wrote it.
 */
export function screenTime(iso: string, timeZone: string | undefined, shape: 'date-time' | 'time' = 'date-time'): string {
  const shown = (timeZone === undefined ? undefined : inZone(iso, timeZone)) ?? asWritten(iso);
  if (!shown) return iso;
  return shape === 'time' ? shown.time : `${shown.date} ${shown.time}`;
}

/** The zone of the header's clock: the one the app was given, else the ceremony's, else the terminal's. */
export function screenZone(sc: { timeZone?: string | undefined; definition: { timeZone?: string | undefined } }): string {
  return sc.timeZone ?? sc.definition.timeZone ?? localTimeZone();
}
