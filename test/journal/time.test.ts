import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatJournalTime, JOURNAL_TIME_PATTERN } from '../../src/journal/time.js';

const instant = new Date('2026-11-28T01:15:00.123Z');

t.test('local time with milliseconds and the offset written out', async (t) => {
  t.equal(formatJournalTime(instant, 480), '2026-11-28T09:15:00.123+08:00', 'Taipei');
  t.equal(formatJournalTime(instant, 0), '2026-11-28T01:15:00.123+00:00', 'UTC is +00:00, never Z');
  t.equal(formatJournalTime(instant, -210), '2026-11-27T21:45:00.123-03:30', 'Newfoundland, the day before');
  t.equal(formatJournalTime(instant, 345), '2026-11-28T07:00:00.123+05:45', 'Nepal');
  t.equal(formatJournalTime(new Date('2026-12-31T23:59:59.999Z'), 60), '2027-01-01T00:59:59.999+01:00', 'across the new year');
  for (const text of ['2026-11-28T09:15:00.123+08:00', '2026-11-28T01:15:00.123+00:00'])
    t.equal(Date.parse(text), instant.getTime(), `${text} is the same instant`);
  t.match(formatJournalTime(new Date()), JOURNAL_TIME_PATTERN, 'the default offset is the process time zone');
});

t.test('bad clocks and offsets are refused', async (t) => {
  t.throws(() => formatJournalTime(new Date(Number.NaN), 0), /the clock returned an invalid date/);
  t.throws(() => formatJournalTime(instant, 24 * 60), /out of range/);
  t.throws(() => formatJournalTime(instant, 30.5), /out of range/);
  t.throws(() => formatJournalTime(new Date('+012026-01-01T00:00:00Z'), 0), /outside the years 0000 to 9999/);
});

t.test('the offset follows the time zone of the process, daylight saving time included', async (t) => {
  // dist/ is built by `npx tsc -p tsconfig.json` before the tests run.
  const module = fileURLToPath(new URL('../../dist/journal/time.js', import.meta.url));
  const script = `import { formatJournalTime } from ${JSON.stringify(module)};
    for (const iso of ['2026-01-15T12:00:00.000Z', '2026-07-15T12:00:00.000Z']) console.log(formatJournalTime(new Date(iso)));`;
  const zones: Record<string, string[]> = {
    'Asia/Taipei': ['2026-01-15T20:00:00.000+08:00', '2026-07-15T20:00:00.000+08:00'],
    UTC: ['2026-01-15T12:00:00.000+00:00', '2026-07-15T12:00:00.000+00:00'],
    'America/St_Johns': ['2026-01-15T08:30:00.000-03:30', '2026-07-15T09:30:00.000-02:30'],
  };
  for (const [zone, expected] of Object.entries(zones)) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: zone }, encoding: 'utf8' });
    t.equal(child.status, 0, child.stderr);
    t.same(child.stdout.trim().split('\n'), expected, zone);
  }
});
