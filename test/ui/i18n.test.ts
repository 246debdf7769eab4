// The message catalogues: the same keys in both languages, the same placeholders in each
// message, nothing empty, and the policy's own terms in the Traditional Chinese text.
import t from 'tap';
import { CATALOGUES, fill, translator } from '../../src/ui/i18n/index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

t.test('en and zh-TW have exactly the same keys', async (t) => {
  t.same(Object.keys(CATALOGUES['zh-TW']).sort(), Object.keys(CATALOGUES.en).sort());
});

t.test('every message has the same placeholders in both languages, and none is empty', async (t) => {
  const problems: string[] = [];
  for (const [key, english] of Object.entries(CATALOGUES.en)) {
    const chinese = CATALOGUES['zh-TW'][key as keyof typeof CATALOGUES.en];
    if (english.trim() === '' || chinese.trim() === '') problems.push(`${key} is empty`);
    if (placeholders(chinese).join() !== placeholders(english).join()) problems.push(`${key}: {${placeholders(english)}} in en, {${placeholders(chinese)}} in zh-TW`);
  }
  t.same(problems, []);
});

t.test('zh-TW uses the terms of the GPKI certificate policy', async (t) => {
  const all = Object.values(CATALOGUES['zh-TW']).join('\n');
  for (const term of ['多人控管', '機敏性資訊', '憑證用戶']) t.match(all, term, term);
  const english = Object.values(CATALOGUES.en).join('\n');
  t.match(english, 'multiple person control');
  t.match(english, 'Sensitive information');
  t.match(english, 'certificate subscriber');
});

t.test('placeholders are filled, and a missing one stays visible', async (t) => {
  t.equal(fill('step {k} of {n}', { k: 2, n: 9 }), 'step 2 of 9');
  t.equal(fill('hello {who}'), 'hello {who}');
  t.equal(translator('zh-TW')('header.step', { k: 1, n: 7 }), '第 1 步，共 7 步');
});
