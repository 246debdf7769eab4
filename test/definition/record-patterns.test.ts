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

// Issue 16 item 8: a pattern is never shown at the ceremony; its description and an example
// are, so validate asks for both, and the example must be a value the field accepts.
const FORMATTED = 'pattern: "[A-Z]{2}[0-9]{6}", format: { en: two capital letters and six digits, zh-TW: 兩個大寫英文字母加六位數字 }, example: AB123456';
const formatCases: Array<[string, string, RegExp]> = [
  ['no format', 'pattern: "[A-Z]{2}[0-9]{6}", example: AB123456', /fields\[\d+\]\.format is required with pattern: say the format in words in both languages/],
  ['no example', 'pattern: "[A-Z]{2}[0-9]{6}", format: { en: two letters, zh-TW: 兩個字母 }', /fields\[\d+\]\.example is required with pattern/],
  ['an example the pattern refuses', FORMATTED.replace('example: AB123456', 'example: AB12345'), /fields\[\d+\]\.example does not match the field's pattern/],
  ['a format without a pattern', 'format: { en: two letters, zh-TW: 兩個字母 }, example: AB', /fields\[\d+\]\.pattern is required with format and example/],
];
for (const [name, replacement, error] of formatCases) {
  t.test(name, async (t) => {
    const file = join(dir, 'format.yaml');
    t.ok(source.includes(FORMATTED), 'control: the keygen definition has the formatted field');
    writeFileSync(file, source.replace(FORMATTED, replacement));
    const result = await keyceremonyInProcess(['validate', file]);
    t.equal(result.code, 2, result.stderr);
    t.match(result.stderr, /format\.yaml:\d+:\d+: steps\[\d+\]/);
    t.match(result.stderr, error);
  });
}

t.test('a value typed in lower case for an upper-case pattern is checked and recorded in capitals', async (t) => {
  const { recordSpec, recordedValue } = await import('../../src/steps/record/spec.js');
  t.same(recordedValue('[A-Z]{2}[0-9]{6}', ' ab123456 '), { value: 'AB123456', upperCased: true });
  t.same(recordedValue('[A-Z]{2}[0-9]{6}', 'AB123456'), { value: 'AB123456', upperCased: false });
  t.same(recordedValue('[A-Z]{2}[0-9]{6}', 'ab12345'), { value: 'ab12345', upperCased: false }, 'still wrong in capitals: left as typed, refused');
  t.same(recordedValue('[a-z]+', 'abc'), { value: 'abc', upperCased: false }, 'a lower-case pattern is not touched');
  t.same(recordedValue(undefined, 'sn-1'), { value: 'sn-1', upperCased: false });
  const step = {
    id: 'bags',
    type: 'record' as const,
    fields: [{ id: 'bag', pattern: '[A-Z]{2}[0-9]{6}', format: { en: 'two letters and six digits', 'zh-TW': '兩個字母加六位數字' }, example: 'AB123456' }],
  };
  t.equal(recordSpec.checkSubmission(step, { values: { bag: 'ab123456' } } as never, undefined as never), undefined, 'accepted');
  t.same(recordSpec.result(step, { values: { bag: 'ab123456' } } as never), { values: { bag: 'AB123456' } }, 'the journal gets the capitals');
  const refused = recordSpec.checkSubmission(step, { values: { bag: 'ab12' } } as never, undefined as never);
  t.match(refused?.message, 'field "bag" does not match [A-Z]{2}[0-9]{6}: it must be two letters and six digits, e.g. AB123456');
});

// A field may be given by its id alone (no label: screens show the id). The all-steps fixture
// used that form until its fields got labels for the demo; this keeps the form covered.
t.test('a record field given by its id alone validates', async (t) => {
  const file = join(dir, 'bare-field.yaml');
  const changed = source.replace('- { id: place, label: { en: Ceremony room, zh-TW: 儀式地點 } }', '- place');
  t.not(changed, source, 'control: the field is now its id alone');
  writeFileSync(file, changed);
  const result = await keyceremonyInProcess(['validate', file]);
  t.equal(result.code, 0, result.stderr);
});
