// A record field's pattern is checked by validate: it must compile on its own and inside
// the anchors the record step adds, and must not repeat a repeating group (exponential
// backtracking while the token is logged in). Found by the second attack review of issue 14.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const REPO = new URL('../../', import.meta.url).pathname;
const source = readFileSync(join(REPO, 'ceremonies', 'hca-g3-keygen.yaml'), 'utf8');
const dir = t.testdir({});

const cases: Array<[string, RegExp | undefined]> = [
  ['[A-Z]{2}[0-9]{6}', undefined],
  ['([A-Z0-9]+)+', /pattern must not repeat a group that repeats itself, such as "\(\[A-Z0-9\]\+\)\+"/],
  ['[A-Z]{2}[0-9]{6})|(?:.*', /pattern must be a regular expression \(JavaScript syntax\)/],
  ['([A-Z]{2}[0-9]{6}', /pattern must be a regular expression/],
];
for (const [pattern, error] of cases) {
  t.test(pattern, async (t) => {
    const file = join(dir, 'keygen.yaml');
    const changed = source.replaceAll('pattern: "[A-Z]{2}[0-9]{6}"', `pattern: ${JSON.stringify(pattern)}`);
    t.ok(changed.includes(JSON.stringify(pattern)), 'control: the pattern is in the definition');
    writeFileSync(file, changed);
    const result = await keyceremonyInProcess(['validate', file]);
    if (error === undefined) t.equal(result.code, 0, result.stderr);
    else {
      t.equal(result.code, 2);
      t.match(result.stderr, /keygen\.yaml:\d+:\d+: steps\[\d+\]\.fields\[\d+\]\.pattern/);
      t.match(result.stderr, error);
    }
  });
}
