// The message catalogues: the same keys in both languages, the same placeholders in each
// message, nothing empty, and the policy's own terms in the Traditional Chinese text.
import t from 'tap';
import { storageError } from '../../src/ceremony/outputs.js';
import { CKR_EXPLANATIONS } from '../../src/hsm/hsm-error.js';
import { CATALOGUES, fill, translator } from '../../src/ui/i18n/index.js';
import { hintText, problemText } from '../../src/ui/problem-text.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

t.test('en and zh-TW have exactly the same keys', async (t) => {
  t.same(Object.keys(CATALOGUES['zh-TW']).sort(), Object.keys(CATALOGUES.en).sort());
});

t.test('every message has the same placeholders in both languages, and none is empty', async (t) => {
  const problems: string[] = [];
  for (const [key, english] of Object.entries(CATALOGUES.en)) {
    const chinese = CATALOGUES['zh-TW'][key as keyof typeof CATALOGUES.en];
    if (english.trim() === '' || chinese.trim() === '') problems.push(`${key} is empty`);
    if (placeholders(chinese).join() !== placeholders(english).join())
      problems.push(`${key}: {${placeholders(english).join()}} in en, {${placeholders(chinese).join()}} in zh-TW`);
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

// Issue 16 item 11: one word per concept on screen and in the record. The zh-TW report calls
// the ceremony's script 腳本 (test/report/zh-tw-report-english.test.ts); the screen, where the
// same people sign off "依腳本執行", must not call it 程序書.
t.test('zh-TW calls the script 腳本, as the report does, never 程序書', async (t) => {
  const catalogue = Object.entries(CATALOGUES['zh-TW']);
  t.same(
    catalogue.filter(([, text]) => text.includes('程序書')).map(([key]) => key),
    [],
  );
  t.equal(CATALOGUES['zh-TW']['signOff.followedYes'], '表示已依腳本執行', 'what the person said of the ceremony (review16g item 12)');
});

t.test('placeholders are filled, and a missing one stays visible', async (t) => {
  t.equal(fill('step {k} of {n}', { k: 2, n: 9 }), 'step 2 of 9');
  t.equal(fill('hello {who}'), 'hello {who}');
  t.equal(translator('zh-TW')('header.step', { k: 1, n: 7 }), '第 1 步，共 7 步');
});

t.test('hints are translated only from the exact English text the engine gives', async (t) => {
  const fixes = Object.keys(CATALOGUES.en).filter((key) => key.startsWith('fix.'));
  t.ok(fixes.length >= 10);
  for (const key of fixes) {
    const code = key.slice('fix.'.length);
    const source = code === 'storage' ? storageError(Object.assign(new Error('full'), { code: 'ENOSPC' }), '/w/outputs/x').hint : CKR_EXPLANATIONS[code]?.hint;
    t.equal(CATALOGUES.en[key as keyof typeof CATALOGUES.en], source, `${key} is the engine's own hint`);
  }
  const zh = translator('zh-TW');
  const en = translator('en');
  const pin = {
    step: 'unlock',
    code: 'CKR_PIN_INCORRECT',
    message: 'logging in: the HSM refused the PIN (CKR_PIN_INCORRECT)',
    hint: CKR_EXPLANATIONS.CKR_PIN_INCORRECT!.hint,
  };
  t.equal(hintText(zh, pin), CATALOGUES['zh-TW']['fix.CKR_PIN_INCORRECT']);
  t.match(hintText(zh, pin), '分持組');
  t.equal(hintText(en, pin), pin.hint, "in English the hint is the engine's");
  t.equal(
    hintText(zh, { ...pin, hint: `${pin.hint}; the failure is recorded` }),
    `${pin.hint}; the failure is recorded`,
    'a hint worded otherwise keeps its own words',
  );
  t.equal(hintText(zh, { ...pin, hint: undefined }), undefined);
  t.equal(hintText(zh, { ...pin, code: undefined }), pin.hint);
  const full = storageError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), '/w/outputs/hca-g3.csr.pem');
  t.equal(hintText(zh, { step: 'csr', code: full.code, message: full.message, hint: full.hint }), CATALOGUES['zh-TW']['fix.storage']);
  t.equal(problemText(zh, { step: 'csr', code: full.code, message: full.message, hint: full.hint }), `磁碟已滿（${full.message}）`);
});
