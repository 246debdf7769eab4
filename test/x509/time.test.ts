// Wall-clock time in a named zone (src/x509/time.ts): the zone check, the conversions both
// ways, and that checking a zone's name keeps no Intl object alive. The release's V8 start-up
// snapshot is built after `validate` has checked a definition's `timeZone`, and V8 cannot
// build a snapshot whose heap still holds an Intl object (issue 21): here a real
// `node --build-snapshot` of this module shows both sides.
import t from 'tap';
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLocal, fromLocal, isTimeZone, toLocal } from '../../src/x509/time.js';
import { run } from '../helpers/softhsm.js';

t.test('isTimeZone knows IANA names and refuses others', async (t) => {
  t.ok(isTimeZone('Asia/Taipei'));
  // Listed by Intl, and accepted by it without being listed (UTC, an alias, another case).
  t.ok(isTimeZone('Asia/Calcutta'));
  t.ok(isTimeZone('UTC'));
  t.ok(isTimeZone('Etc/GMT-8'));
  t.ok(isTimeZone('asia/taipei'));
  t.notOk(isTimeZone('Asia/Taipie'));
  t.notOk(isTimeZone(''));
  // A name once converted is still a zone (the cache answers), and a refused one stays refused.
  toLocal(new Date('2026-12-05T00:00:00Z'), 'Asia/Taipei');
  t.ok(isTimeZone('Asia/Taipei'));
  t.notOk(isTimeZone('Asia/Taipie'));
});

t.test('Taipei wall-clock time both ways, including the CA practice of ending at 23:59:59', async (t) => {
  t.same(toLocal(new Date('2044-01-23T15:59:59Z'), 'Asia/Taipei'), { year: 2044, month: 1, day: 23, hour: 23, minute: 59, second: 59 });
  t.equal(fromLocal({ year: 2044, month: 1, day: 23, hour: 23, minute: 59, second: 59 }, 'Asia/Taipei').toISOString(), '2044-01-23T15:59:59.000Z');
  t.equal(formatLocal(new Date('2044-01-23T15:59:59Z'), 'Asia/Taipei'), '2044-01-23 23:59:59 +08:00');
});

t.test('a V8 start-up snapshot builds after isTimeZone, and not while a converted zone is cached', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-time-snapshot-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  /**
   * Bundles time.ts into one script (as the release bundles the snapshot's entry), then
   * `body`, and builds a snapshot from it. The module stays reachable from a global, as the
   * snapshot's main function keeps the real bundle's modules.
   */
  async function buildSnapshotAfter(name: string, body: string) {
    const script = join(dir, `${name}.cjs`);
    await build({
      stdin: {
        contents: `import * as time from './time.ts';\nglobalThis.time = time;\n${body}\n`,
        resolveDir: fileURLToPath(new URL('../../src/x509/', import.meta.url)),
        loader: 'ts',
      },
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'iife',
      logLevel: 'silent',
    });
    const { NODE_OPTIONS: _tapOptions, ...env } = process.env;
    return run(process.execPath, ['--snapshot-blob', join(dir, `${name}.blob`), '--build-snapshot', script], { cwd: dir, env });
  }

  const checked = await buildSnapshotAfter('checked', `if (!time.isTimeZone('Asia/Taipei') || time.isTimeZone('Asia/Taipie')) process.exit(3);`);
  t.equal(checked.code, 0, `the snapshot builds after the zone checks: ${checked.stderr}`);

  // The counter-check that the build above proves something: a cached formatter (what a
  // conversion leaves) stops V8, as the zone check did before issue 21.
  const converted = await buildSnapshotAfter('converted', `time.toLocal(new Date(0), 'Asia/Taipei');`);
  t.not(converted.code, 0, 'V8 refuses a heap that holds an Intl object');
  t.match(converted.stdout, 'global handle not serialized', 'V8 names what it cannot hold (on stdout)');
});
