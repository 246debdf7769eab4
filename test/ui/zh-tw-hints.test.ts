// Review terms16t item 1: a zh-TW screen said `提示：seal the object in a new bag…`: a hint
// the engine gives at a refusal had no Chinese words. Every `fix.*` hint in en has a zh-TW
// entry with the same places, in Chinese; each English entry is the engine's own text (found
// in src/, a `{name}` standing for what the engine puts in); the refusals the screens show
// get their hint in Chinese, and a hint no entry matches is not shown in English.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import type { CeremonyContext } from '../../src/ceremony/types.js';
import { checkShare } from '../../src/quorum/read-share.js';
import { decodeEnvelope } from '../../src/quorum/envelope.js';
import { checkValues, type RecordStep } from '../../src/steps/record/spec.js';
import { CATALOGUES } from '../../src/ui/i18n/index.js';
import { hintWords } from '../../src/ui/i18n/problems.js';
import { hintText } from '../../src/ui/problem-text.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const en: Readonly<Record<string, string>> = CATALOGUES.en;
const zh: Readonly<Record<string, string>> = CATALOGUES['zh-TW'];
const FIXES = Object.keys(en).filter((key) => key.startsWith('fix.'));
const places = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

const SOURCE = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f) && !f.includes('i18n'))
  .map((f) => readFileSync(join(ROOT, 'src', f), 'utf8'))
  .join('\n');

t.test('every fix.* hint in en has a zh-TW entry in Chinese, with the same places', async (t) => {
  t.ok(FIXES.length >= 30, `${FIXES.length} hints`);
  for (const key of FIXES) {
    t.type(zh[key], 'string', `${key} has a zh-TW entry`);
    t.match(zh[key], /[\u4E00-\u9FFF]/, `${key} is Chinese`);
    t.same(places(zh[key]!), places(en[key]!), `${key}: the same {places}`);
  }
});

t.test("each English hint is the engine's own text", async (t) => {
  for (const key of FIXES) {
    // `{name}` stands for what the engine puts in (`${...}`); a hint may be joined from a constant
    // and a clause (`${REREAD_HINT}${before}`), so each clause is looked for on its own.
    const clauses = en[key]!.split(/\{\w+\}|; /).filter((clause) => clause.length >= 12);
    t.same(
      clauses.filter((clause) => !SOURCE.includes(clause)),
      [],
      `${key}: "${en[key]}" is in src/`,
    );
  }
});

t.test('the bag-reuse refusal has its hint in Chinese; in English the engine’s', async (t) => {
  const definition = loadDefinition(join(ROOT, 'ceremonies/hca-g3-keygen.yaml'));
  const records = definition.steps.filter((s): s is RecordStep => s.type === 'record');
  const storage = records.find((s) => s.fields.some((f) => typeof f !== 'string' && f.seal === 'out'))!;
  const inventory = records.find((s) => s.fields.some((f) => typeof f !== 'string' && f.seal === 'in'))!;
  const sealOut = storage.fields.flatMap((f) => (typeof f !== 'string' && f.seal === 'out' ? [f.id] : []))[0]!;
  const sealIn = inventory.fields.flatMap((f) => (typeof f !== 'string' && f.seal === 'in' ? [f.id] : []))[0]!;
  const context = {
    prepared: undefined,
    results: { [inventory.id]: { values: { [sealIn]: 'TB100002' }, performer: 'wang', witnesses: ['lin'] } },
  } as unknown as Pick<CeremonyContext, 'prepared' | 'results'>;
  const problem = checkValues(storage, { [sealOut]: 'TB100002' }, context)!;
  t.equal(hintText('zh-TW', problem), '請將物件封入新的封袋並輸入其編號；本儀式中已拆開或已使用的封袋，不能再用於封存');
  t.equal(hintText('en', problem), 'seal the object in a new bag and type its number; a bag opened or used in this ceremony cannot seal it again');
  t.equal(hintWords('zh-TW', problem), hintText('zh-TW', problem), 'the report says the same');
});

t.test('a hint with the engine’s values in it is translated with them', async (t) => {
  t.equal(
    hintText('zh-TW', { step: 's', code: 'share.custodian', message: 'm', hint: 'each custodian enters only their own share; dave must enter share 4' }),
    '每位保管人只輸入自己的分持碼；第 4 份須由 dave 輸入',
  );
  t.equal(
    hintText('zh-TW', {
      step: 's',
      code: 'share.checksum',
      message: 'm',
      hint: 'read the share again from the paper; one wrong, missing, extra or swapped character changes a group; the groups before group 3 are right',
    }),
    '請依分持卡重新讀取分持碼；一個字元錯誤、遺漏、多出或對調，該段即不符；第 3 段之前各段均正確',
  );
  t.equal(
    hintText('zh-TW', { step: 's', code: 'share.malformed', message: 'm', hint: 'type the share from the paper, group by group' }),
    '請依分持卡逐段輸入分持碼',
  );
  t.equal(
    hintText('zh-TW', { step: 's', code: 'share.malformed', message: 'm', hint: 'something the catalogue does not know' }),
    undefined,
    'no English on a Chinese screen',
  );
  t.equal(
    hintText('en', { step: 's', code: 'share.malformed', message: 'm', hint: 'something the catalogue does not know' }),
    'something the catalogue does not know',
  );
});

t.test('the share desk’s refusals of a typed share have their hints in Chinese', async (t) => {
  const malformed = (text: string) => {
    try {
      decodeEnvelope(text, {});
    } catch (error) {
      return error as { code: string; hint: string };
    }
    return undefined;
  };
  for (const typed of ['', 'ZZZZ-ZZZZ', 'IIII-LLLL-OOOO-UUUU']) {
    const error = malformed(typed);
    if (error === undefined) continue;
    t.match(hintText('zh-TW', { step: 's', code: error.code, message: 'm', hint: error.hint }), /[\u4E00-\u9FFF]/, `"${typed}": ${error.hint}`);
  }
  t.ok(typeof checkShare === 'function');
});
