// A journal time (local time with its offset, as the process's zone wrote it) read as the
// wall clock of a named zone: the ceremony's own. The report prints times this way, and so
// does every screen people read a time from, so a time copied from the screen onto the
// paper log matches the header's clock and the report (review16s: the list showed UTC).
import { isTimeZone, toLocal } from '../x509/time.js';

const JOURNAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface ZonedTime {
  date: string;
  time: string;
  /** `+08:00`. */
  offset: string;
}

/** The wall-clock date, time and UTC offset of a journal time in `timeZone` (whole seconds, as the journal shows them). */
export function inZone(iso: string, timeZone: string): ZonedTime | undefined {
  if (!JOURNAL_TIME.test(iso)) return undefined;
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

/** A journal time as written, without reading it in another zone: its own date, time and offset. */
export function asWritten(iso: string): ZonedTime | undefined {
  const match = JOURNAL_TIME.exec(iso);
  if (!match) return undefined;
  const [, date, time, offset] = match;
  return { date: date!, time: time!, offset: offset === 'Z' ? '+00:00' : offset! };
}
