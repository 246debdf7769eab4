// Issue 16 typography: one spelling of PIN 碼 (a space between CJK and Latin, as the issue's
// rule says), and no half-width bracket around or after Chinese text in the zh-TW catalogues.
// Greps the sources of zh-TW words and the shipped ceremonies, so a new message stays in line.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES } from '../../src/ui/i18n/index.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .map((f) => join(dir, f));
}

const SOURCES = [...files('src', /\.tsx?$/), ...files('ceremonies', /\.ya?ml$/)];
const HAN = '[\\u3400-\\u4DBF\\u4E00-\\u9FFF]';

t.test('PIN 碼: one spelling, with a space after PIN and before it after Chinese text', async (t) => {
  const found = SOURCES.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (new RegExp(`PIN碼|${HAN}PIN`).test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
  t.same(found, [], 'write PIN 碼, and 之 PIN 碼');
});

t.test('zh-TW UI catalogue: full-width brackets around and after Chinese text', async (t) => {
  const halfWidth = new RegExp(`${HAN}\\s*\\(|\\(\\s*${HAN}|${HAN}\\s*\\)`);
  const found = Object.entries(CATALOGUES['zh-TW']).filter(([, text]) => halfWidth.test(text));
  t.same(found, []);
  t.match(CATALOGUES['zh-TW']['common.aside'], '（{aside}）');
});
