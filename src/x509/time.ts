// Wall-clock time in a named zone, without a date library: Intl knows the zone rules.
// CA practice in Taiwan ends certificates at 23:59:59 Taipei time (15:59:59Z), and
// witnesses read validity in Taipei time, so both directions are needed.

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// One formatter per zone, made on first use and kept: a report converts hundreds of times.
// Only conversions fill this cache, never the check of a zone's name (isTimeZone): an Intl
// object holds its ICU objects through V8 global handles, which no V8 start-up snapshot can
// hold ("global handle not serialized", a [Foreign]), and the release's snapshot is built
// after `validate` has checked a definition's `timeZone` (src/cli/startup-snapshot.ts).
const formatters = new Map<string, Intl.DateTimeFormat>();

function newFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = newFormatter(timeZone);
    formatters.set(timeZone, found);
  }
  return found;
}

// The zones Intl lists, as plain strings (no Intl object: a snapshot keeps them), read once.
// Looking a name up there costs a few milliseconds; the first Intl.DateTimeFormat of a process
// costs 40 to 100 ms (ICU loads its calendar and pattern data), which `validate` spent on
// nothing but this check.
let listedZones: ReadonlySet<string> | undefined;

/**
 * Whether Intl knows `timeZone` (an IANA name). Keeps no Intl object: see `formatters`. Names
 * Intl accepts without listing them (UTC, aliases such as Asia/Kolkata, other letter case)
 * are tried with a formatter, as before.
 */
export function isTimeZone(timeZone: string): boolean {
  if (formatters.has(timeZone)) return true;
  listedZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (listedZones.has(timeZone)) return true;
  try {
    newFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of `date` in `timeZone`. */
export function toLocal(date: Date, timeZone: string): LocalDateTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const year = Number(parts.year);
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function utcOf(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Offset of `timeZone` from UTC at `date`, in milliseconds (whole seconds). */
function zoneOffset(date: Date, timeZone: string): number {
  const floored = Math.floor(date.getTime() / 1000) * 1000;
  return utcOf(toLocal(new Date(floored), timeZone)) - floored;
}

/** The instant at which the wall clock in `timeZone` reads `local`. */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = utcOf(local);
  let guess = wall;
  // Two rounds settle the offset even across a zone's rule change.
  for (let i = 0; i < 2; i++) guess = wall - zoneOffset(new Date(guess), timeZone);
  return new Date(guess);
}

/** The same calendar day `years` later; 29 February becomes 28 February in common years. */
export function addYears(local: LocalDateTime, years: number): LocalDateTime {
  const year = local.year + years;
  const lastDay = new Date(Date.UTC(year, local.month, 0)).getUTCDate();
  return { ...local, year, day: Math.min(local.day, lastDay) };
}

/** The same wall-clock time `days` calendar days later. */
export function addDays(local: LocalDateTime, days: number): LocalDateTime {
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** `2044-01-23 23:59:59 +08:00` */
export function formatLocal(date: Date, timeZone: string): string {
  const l = toLocal(date, timeZone);
  const offset = zoneOffset(date, timeZone) / 60000;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `2044-01-23 15:59:59Z` */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
