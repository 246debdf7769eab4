// Round 18 (issue 16, the 80x24 officer review): a sign-off's note is set in the document's
// brackets. The zh-TW record printed 儀式未依腳本執行 (標籤第一次輸入錯誤) with half-width
// parentheses in Chinese text; it now reads 儀式未依腳本執行（標籤第一次輸入錯誤）.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { header, records, signedIn } from './helpers/records.js';

const definition = loadDefinition(join(new URL('./fixtures/', import.meta.url).pathname, 'report.yaml'));
const JOURNAL = { file: '/evidence/work/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /evidence/work' };

function report(lang: 'en' | 'zh-TW'): string {
  const journal = records(header(definition.sha256), [
    signedIn,
    { step: 'sign-off', event: 'participant.signed-off', who: ['dave'], data: { followedScript: false, note: '標籤第一次輸入錯誤' } },
    { step: 'sign-off', event: 'participant.signed-off', who: ['alice'], data: { followedScript: true, note: '' } },
  ]);
  const record = readCeremonyRecord(
    journal,
    definition.steps.map((s) => s.id),
  );
  return renderMarkdown(buildReport(definition, record, lang, { tool: 'keyceremony 0.1.0', journal: JOURNAL }));
}

t.test('zh-TW: the sign-off note is in full-width brackets, and a sign-off without a note has none', async (t) => {
  const zh = report('zh-TW');
  const line = zh.split('\n').find((l) => l.includes('標籤第一次輸入錯誤') && l.includes('李建國 Dave'));
  t.ok(line, 'the sign-off line with its note');
  t.match(line, '（標籤第一次輸入錯誤）');
  t.notMatch(line, / \(標籤第一次輸入錯誤\)/, 'no half-width brackets around Chinese text');
  t.notMatch(zh, /依腳本執行 \(/, 'no sign-off is followed by a half-width bracket');
  t.notMatch(zh, /王小明 Alice（alice）：[^\n]*依腳本執行（/, 'no empty note');
});

t.test('en: the note in ordinary brackets', async (t) => {
  const en = report('en');
  const line = en.split('\n').find((l) => l.includes('標籤第一次輸入錯誤') && l.includes('李建國 Dave'));
  t.ok(line, 'the sign-off line with its note');
  t.match(line, / \(標籤第一次輸入錯誤\)/);
});
