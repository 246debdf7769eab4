// The message catalogues: the same keys in both languages, the same placeholders in each
// message, nothing empty, and the policy's own terms in the Traditional Chinese text.
import t from 'tap';
import { storageError } from '../../src/ceremony/outputs.js';
import { CKR_EXPLANATIONS } from '../../src/hsm/hsm-error.js';
import { CATALOGUES, fill, listNumbers, translator } from '../../src/ui/i18n/index.js';
import { deviationCounts } from '../../src/ui/model/closing.js';
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
  t.equal(translator('zh-TW')('header.step', { k: 1, n: 7 }), '步驟 1（共 7 步）', 'a step by number is 步驟 N, as in the notices');
});

t.test('hints are translated only from the exact English text the engine gives', async (t) => {
  const fixes = Object.keys(CATALOGUES.en).filter((key) => key.startsWith('fix.'));
  t.ok(fixes.length >= 10);
  for (const key of fixes.filter((k) => k === 'fix.storage' || k.startsWith('fix.CKR_'))) {
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
  t.equal(hintText('zh-TW', pin), CATALOGUES['zh-TW']['fix.CKR_PIN_INCORRECT']);
  t.match(hintText('zh-TW', pin), '分持組');
  t.equal(hintText('en', pin), pin.hint, "in English the hint is the engine's");
  t.equal(
    hintText('zh-TW', { ...pin, hint: `${pin.hint}; the failure is recorded` }),
    undefined,
    'a hint worded otherwise is not given a translation of something else, nor shown in English on a Chinese screen',
  );
  t.equal(hintText('en', { ...pin, hint: `${pin.hint}; the failure is recorded` }), `${pin.hint}; the failure is recorded`);
  t.equal(hintText('zh-TW', { ...pin, hint: undefined }), undefined);
  t.equal(hintText('zh-TW', { ...pin, code: undefined }), undefined, 'no English hint on a Chinese screen');
  const full = storageError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), '/w/outputs/hca-g3.csr.pem');
  t.equal(hintText('zh-TW', { step: 'csr', code: full.code, message: full.message, hint: full.hint }), CATALOGUES['zh-TW']['fix.storage']);
  t.equal(
    problemText(zh, 'zh-TW', { step: 'csr', code: full.code, message: full.message, hint: full.hint }),
    '磁碟已滿',
    'zh-TW: the sentence, no English original',
  );
  t.equal(
    problemText(en, 'en', { step: 'csr', code: full.code, message: full.message, hint: full.hint }),
    `the disk is full (${full.message})`,
    'en: gist and the engine words',
  );
  t.equal(
    problemText(zh, 'zh-TW', { step: 'csr', code: 'no.such-code', message: 'as the engine said it', hint: undefined }),
    'as the engine said it',
    'an unknown code is shown as recorded',
  );
});

// Issue 16 item 4: the stop screen's resume command is resumeCommand's (exit-lines.ts), as the
// line after exit prints it, not a copy of it in a catalogue.
t.test('stop.intro takes the resume command whole; no catalogue spells it', async (t) => {
  for (const lang of ['en', 'zh-TW'] as const) {
    t.match(CATALOGUES[lang]['stop.intro'], '{command}', `${lang}: the command is filled in`);
    t.notMatch(CATALOGUES[lang]['stop.intro'], /keyceremony resume|--lang/, `${lang}: not spelled in the catalogue`);
  }
});

// Issue 16 item 5: "已登出 醫事憑證管理中心載具" (then 已關閉) had a space the template put between a Chinese
// verb and a Chinese title; fillChinese sets one only where Chinese meets Latin.
t.test('zh-TW record.locked: no space between the verb and a Chinese title, one before a Latin one', async (t) => {
  const zh = translator('zh-TW');
  t.equal(zh('record.locked', { tokens: '醫事憑證管理中心載具' }), '已登出醫事憑證管理中心載具');
  t.equal(zh('record.locked', { tokens: 'HCA 載具' }), '已登出 HCA 載具');
});

// Issue 16 item 2: English nouns agree with their counts ("1 refused share, 1 exception", not
// "refused shares: 1, exceptions: 1"; "in group 16", not "in these groups: 16"; "Token" for one).
t.test('English counts: the noun agrees with the number; zh-TW says the same', async (t) => {
  const en = translator('en');
  const zh = translator('zh-TW');
  t.equal(deviationCounts(en, ['share-refused', 'exception']), '1 refused share, 1 exception');
  t.equal(deviationCounts(en, ['crashed', 'crashed', 'exception']), '2 crashes, 1 exception');
  t.equal(deviationCounts(zh, ['share-refused', 'exception']), '分持碼遭拒 1 項、異常事項 1 項');
  t.equal(listNumbers(en, [1, 8, 16]), '1, 8 and 16');
  t.equal(
    en('confirmResult.groupsDiffer', { groups: listNumbers(en, [1, 8, 16]) }),
    "does not match the result's fingerprint in groups 1, 8 and 16; check those groups on the paper log",
  );
  t.equal(en('confirmResult.groupDiffers', { group: 16 }), "does not match the result's fingerprint in group 16; check that group on the paper log");
});

t.test('exit lines: why a report was not written or a logout failed, in Chinese, not as 英文原文', async (t) => {
  const { exitLine, exitWhy } = await import('../../src/ceremony/exit-lines.js');
  const denied = Object.assign(new Error("EACCES: permission denied, open '/w/report.md'"), { code: 'EACCES' });
  t.equal(exitWhy('en', denied), "EACCES: permission denied, open '/w/report.md'", 'English keeps the message');
  const zh = exitLine('zh-TW', 'reportNotWritten', { file: '/w/report.md', why: exitWhy('zh-TW', denied) });
  t.equal(zh, 'keyceremony: 警告：無法寫入報告 /w/report.md（權限不足，EACCES）；可由日誌重新產生：');
  t.equal(exitWhy('zh-TW', Object.assign(new Error('logout failed'), { code: 'CKR_SESSION_HANDLE_INVALID' })), '硬體安全模組回報 CKR_SESSION_HANDLE_INVALID');
  t.equal(exitWhy('zh-TW', new Error('something odd')), '原因不明');
  for (const key of ['reportNotWritten', 'logoutFailed'] as const)
    t.notMatch(exitLine('zh-TW', key, { file: 'f', why: 'x' }), '英文原文', `${key}: no 英文原文`);
});
