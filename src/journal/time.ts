// Journal times are ISO 8601 local time with milliseconds and the UTC offset written out
// (`2026-11-28T09:15:00.123+08:00`, `+00:00` rather than `Z`): the witnesses compare them
// with the wall clock in the room, and the auditor still gets an unambiguous instant.

/** The one accepted shape of a journal `time` field. */
export const JOURNAL_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

/**
 * Formats `date` as local time with its UTC offset. The offset defaults to the process's
 * time zone at that instant (so it follows daylight saving time); tests pass it explicitly.
 */
export function formatJournalTime(date: Date, offsetMinutes: number = -date.getTimezoneOffset()): string {
  const instant = date.getTime();
  if (!Number.isFinite(instant)) throw new RangeError('journal time: the clock returned an invalid date');
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) >= 24 * 60) {
    throw new RangeError(`journal time: UTC offset of ${offsetMinutes} minutes is out of range`);
  }
  // Shift the instant by the offset and let toISOString do the calendar arithmetic; its
  // trailing `Z` is then replaced by the offset that the shift stands for.
  const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetMinutes);
  const offset = `${sign}${pad2(Math.floor(magnitude / 60))}:${pad2(magnitude % 60)}`;
  const text = `${local}${offset}`;
  if (!JOURNAL_TIME_PATTERN.test(text)) throw new RangeError(`journal time: ${text} is outside the years 0000 to 9999`);
  return text;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
