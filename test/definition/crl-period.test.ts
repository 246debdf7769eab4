// Issue 17: a CA's CRL is valid for at most 365 days (BR §4.9.7); validate refuses more,
// naming the file and line, and accepts 365.
import t from 'tap';
import { readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const REPO = new URL('../../', import.meta.url).pathname;
const dir = t.testdir({});
cpSync(join(REPO, 'ceremonies'), join(dir, 'ceremonies'), { recursive: true });
const file = join(dir, 'ceremonies', 'grca-crl.yaml');
const original = readFileSync(file, 'utf8');

for (const [days, ok] of [
  [365, true],
  [366, false],
  [400, false],
] as const) {
  t.test(`nextUpdateDays: ${days}`, async (t) => {
    writeFileSync(file, original.replace(/nextUpdateDays: \d+/, `nextUpdateDays: ${days}`));
    const result = await keyceremonyInProcess(['validate', file]);
    if (ok) t.equal(result.code, 0, result.stderr);
    else {
      t.equal(result.code, 2);
      t.match(result.stderr, /grca-crl\.yaml:\d+:\d+: .*nextUpdateDays must be at most 365: the CRL of a CA is valid for at most 365 days \(BR §4\.9\.7\)/);
    }
  });
}
