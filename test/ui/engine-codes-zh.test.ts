// Issue 16 item 11: every refusal and failure the engine can give is said in Chinese on a
// zh-TW screen, in the zh-TW report and after --lang zh-TW on the command line: a code with
// no sentence (i18n/problems.ts, problems-zh.ts) and no gist (zh-TW.ts code.*) would be shown
// as the engine recorded it, in English. The codes are read from the source (engine-codes.ts),
// so a new code without Chinese fails here. No code is allowed to stay English.
import t from 'tap';
import { CKR_EXPLANATIONS } from '../../src/hsm/hsm-error.js';
import { problemWords, saidByFamily } from '../../src/ui/i18n/problems.js';
import { ZH_HINTS, ZH_MORE } from '../../src/ui/i18n/problems-zh.js';
import { engineCodes } from '../helpers/engine-codes.js';
import { TECHNICAL_TERMS } from './helpers/latin-words.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const codes = engineCodes(ROOT);

t.test('the reading of the source is not blind', async (t) => {
  t.ok(codes.length >= 250, `${codes.length} codes`);
  // One of each way a code is made: a literal, a parameter (refuse, refusal, fail), a literal
  // union (ShareProblem), a template over a parameter (x509.csr.${code}), a property of an
  // argument changed by replace (`${kind.replace(/\s+/g, '-')}.invalid`), journal.${kind}.
  for (const code of [
    'hsm.module-missing',
    'sign-in.empty',
    'values.pattern',
    'journal.removed',
    'ledger.chain',
    'share.checksum',
    'x509.csr.key-size',
    'x509.chain.expired',
    'HSM-profile.invalid',
    'definition.invalid',
    'journal.truncated',
  ])
    t.ok(codes.includes(code), code);
  t.notOk(codes.includes('custom'), "zod's issue kind is not a refusal");
});

t.test('every code the engine can give has a sentence in Chinese, with no facts on record', async (t) => {
  const english = codes.filter((code) => problemWords('zh-TW', { code }) === undefined);
  t.same(english, [], 'codes shown in English on a zh-TW screen or report');
  t.equal(english.length, 0);
});

t.test("the HSM's return values and the storage failures: each said, with the code beside it", async (t) => {
  for (const ckr of [...Object.keys(CKR_EXPLANATIONS), 'CKR_ARGUMENTS_BAD', 'CKR_0x80000001']) {
    if (ckr in CKR_EXPLANATIONS) t.not(problemWords('zh-TW', { code: ckr }), `硬體安全模組回報錯誤（${ckr}）`, `${ckr}: explained, and said so`);
    const said = problemWords('zh-TW', { code: ckr });
    t.ok(said !== undefined && said.endsWith(`（${ckr}）`), `${ckr}: ${said}`);
  }
  t.ok(saidByFamily('CKR_MECHANISM_INVALID'));
  t.equal(problemWords('zh-TW', { code: 'storage.EIO' }), '無法寫入產出檔案（EIO）');
  t.equal(problemWords('zh-TW', { code: 'storage.ENOSPC' }), '磁碟已滿', 'the gist where the catalogue has one');
  t.equal(problemWords('en', { code: 'yaml.syntax' }), undefined, 'English keeps the engine its own words');
});

t.test('a sentence names the facts kept, and the plainest is said without them', async (t) => {
  t.equal(problemWords('zh-TW', { code: 'yaml.syntax', details: { file: '/srv/hca.yaml', line: 7 } }), '/srv/hca.yaml 第 7 行不是有效的 YAML');
  t.equal(problemWords('zh-TW', { code: 'yaml.syntax' }), '檔案不是有效的 YAML');
  t.equal(
    problemWords('zh-TW', { code: 'ledger.chain', details: { file: 'ledger.jsonl', line: 3 } }),
    '帳冊 ledger.jsonl 第 3 行的雜湊鏈不符：其前的紀錄遭到變更',
  );
});

/** The Latin words a Chinese sentence may hold besides its facts: the standards' terms and these names. */
const NAMES = new Set([...TECHNICAL_TERMS, 'YAML', 'JSON', 'URI', 'UTF-8', 'PKCS#11', 'pkcs11', 'module', 'audit-key', 'keyceremony', 'MAC']);

t.test('the sentences are Chinese: no English word, full-width punctuation', async (t) => {
  const sentences = [
    ...Object.entries(ZH_MORE).flatMap(([code, said]) => said.map((s) => [code, s] as const)),
    ...Object.entries(ZH_HINTS).flatMap(([code, hints]) => hints.map((h) => [code, h.zh] as const)),
  ];
  const english: string[] = [];
  const halfWidth: string[] = [];
  for (const [code, sentence] of sentences) {
    const words = sentence.replace(/\{\w+\}/g, ' ').match(/[A-Za-z][A-Za-z0-9#._-]*/g) ?? [];
    for (const word of words.map((w) => w.replace(/[.]$/, ''))) if (!NAMES.has(word)) english.push(`${code}: ${word} in ${sentence}`);
    if (/[\u4E00-\u9FFF][,:;()]|[,:;()][\u4E00-\u9FFF]/.test(sentence)) halfWidth.push(`${code}: ${sentence}`);
  }
  t.ok(sentences.length > 200, `${sentences.length} sentences`);
  t.same(english, [], 'no English word');
  t.same(halfWidth, [], 'full-width punctuation beside Chinese');
  t.same(
    ['請修正 the file', '（a）'].flatMap((s) => (/[A-Za-z]{3,}/.test(s) ? [s] : [])),
    ['請修正 the file'],
    'the check is not blind',
  );
});
