// Issue 16 item 11: one term per concept across the UI, the report and the plan. The terms
// and the words they retired are the table in docs/zh-TW-glossary.md; this reads it, and
// fails when a retired word appears in Chinese text under src/ (every zh-TW catalogue: the
// UI's, the exit lines', the errors', the report's, the letter's, the history's, the cards'),
// in the shipped ceremonies, or in a zh-TW report with a refused share and an abort in it.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { renderDocument } from '../../src/report/render.js';
import { buildReport } from '../../src/report/report.js';
import { CATALOGUES } from '../../src/ui/i18n/index.js';
import { header, records, signedIn } from './helpers/records.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Row {
  concept: string;
  term: string;
  retired: string[];
}

/** The glossary's table: concept, term, retired words (separated by 、). */
function glossary(): Row[] {
  const text = readFileSync(join(ROOT, 'docs/zh-TW-glossary.md'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .map(([concept, term, retired]) => ({ concept: concept!, term: term!, retired: retired ? retired.split('、').filter(Boolean) : [] }));
}

const ROWS = glossary();
const TERMS = ROWS.map((r) => r.term);

/** Each retired word in `text`, after the chosen terms are taken out (終止 inside 異常終止 is the term for a crash). */
function retiredIn(text: string): string[] {
  let rest = text;
  for (const term of [...TERMS].sort((a, b) => b.length - a.length)) rest = rest.split(term).join('〇');
  return ROWS.flatMap((r) => r.retired.filter((word) => rest.includes(word)).map((word) => `${word} (use ${r.term}: ${r.concept})`));
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .map((f) => join(dir, f));
}

t.test('the glossary is a table of terms, and names what it retired', async (t) => {
  t.ok(ROWS.length >= 10, `${ROWS.length} concepts`);
  const retired = ROWS.flatMap((r) => r.retired);
  for (const word of [
    '程序書',
    '拒絕分持',
    '分持碼拒收',
    '通行碼',
    '權杖',
    '終止',
    '不予受理',
    '分持資料',
    '唸出',
    'HSM 載具',
    '安全官',
    '代碼',
    '恢復執行',
    '已拒絕',
    '關閉載具',
    // Round 18: 組 is the share set; a group of characters is a 段.
    '組開頭',
    '逐組',
    '各組',
  ])
    t.ok(retired.includes(word), `${word} is retired`);
  t.same(
    ROWS.filter((r) => r.term === '' || r.concept === ''),
    [],
    'every row has a concept and a term',
  );
  t.same(
    retiredIn('分持碼遭拒；拒絕分持；異常終止；儀式終止'),
    ['拒絕分持 (use 分持碼遭拒: a share refused at entry)', '終止 (use 中止: abort (the ceremony is ended by people))'],
    'the check is not blind',
  );
});

t.test('no retired word in a zh-TW catalogue or a shipped ceremony', async (t) => {
  const found: string[] = [];
  for (const [key, text] of Object.entries(CATALOGUES['zh-TW'])) for (const word of retiredIn(text)) found.push(`ui catalogue ${key}: ${word}`);
  // Every other catalogue is Chinese text in a source file: each line with a Chinese character.
  for (const file of [...files('src', /\.tsx?$/), ...files('ceremonies', /\.ya?ml$/)]) {
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!/[\u4E00-\u9FFF]/.test(line)) return;
        for (const word of retiredIn(line)) found.push(`${file}:${i + 1}: ${word}`);
      });
  }
  t.same(found, []);
});

t.test('the zh-TW report of a ceremony with a refused share and an abort uses the glossary terms', async (t) => {
  const definition = loadDefinition(join(ROOT, 'test/report/fixtures/report.yaml'));
  const journal = records(header(definition.sha256), [
    signedIn,
    { step: 'init', event: 'share.refused', who: ['carol'], data: { message: 'share 2 of set 7Q2M9K4D: group 3 is wrong' } },
    { step: 'init', event: 'ceremony.aborted', who: ['alice', 'wendy'], data: { reason: '載具故障', created: {} } },
  ]);
  const doc = buildReport(
    definition,
    readCeremonyRecord(
      journal,
      definition.steps.map((s) => s.id),
    ),
    'zh-TW',
    { tool: 'keyceremony 0.1.0', journal: { file: '/w/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /w' } },
  );
  const markdown = renderDocument(doc, 'md');
  t.same(retiredIn(markdown), [], 'no retired word in the report');
  t.match(markdown, '分持碼遭拒', 'a refused share as the screens call it');
  t.match(markdown, '中止', 'the abort as the screens call it');
  t.match(markdown, '腳本');
});
