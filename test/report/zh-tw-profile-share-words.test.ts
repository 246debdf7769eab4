// Round 18 (issue 16, the 80x24 officer review of the zh-TW record): the HSM profile's
// description, free text its author wrote (in English for the dry-run chain), stood in the
// Chinese record as if it were the record's own words ("設定檔說明：SoftHSMv2 rehearsal tokens
// …"); it is now quoted and said to be the profile author's text, kept as written. And the
// record's glossary defined PIN 碼分持 while the screens and cards say 分持碼: the glossary
// now uses the term docs/zh-TW-glossary.md chooses for a custodian's share.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { header, records, signedIn } from './helpers/records.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const definition = loadDefinition(join(ROOT, 'test/report/fixtures/report.yaml'));
const JOURNAL = { file: '/evidence/work/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /evidence/work' };
const DESCRIPTION = 'SoftHSMv2 rehearsal tokens for the Healthcare CA dry-run chain';

function report(lang: 'en' | 'zh-TW'): string {
  const opened = header(definition.sha256);
  opened.hsm.profile = { ...opened.hsm.profile, description: DESCRIPTION };
  const record = readCeremonyRecord(
    records(opened, [signedIn]),
    definition.steps.map((s) => s.id),
  );
  return renderMarkdown(buildReport(definition, record, lang, { tool: 'keyceremony 0.1.0', journal: JOURNAL }));
}

/** docs/zh-TW-glossary.md's term for a concept (the table's first column). */
function docsTerm(concept: string): string {
  const row = readFileSync(join(ROOT, 'docs/zh-TW-glossary.md'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`| ${concept} `));
  return row!.split('|')[2]!.trim();
}

t.test("zh-TW: the profile's description is quoted as its author wrote it, and said to be", async (t) => {
  const zh = report('zh-TW');
  t.match(zh, `**設定檔說明**：「${DESCRIPTION}」（HSM 設定檔作者所撰，照錄原文）`);
  t.notMatch(zh, `**設定檔說明**：${DESCRIPTION}`, 'not as if it were the record speaking');
});

t.test('en: the description as it is', async (t) => {
  t.match(report('en'), `**Profile description**: ${DESCRIPTION}`);
});

t.test("zh-TW: the glossary's share is the screens' 分持碼, one term", async (t) => {
  const share = docsTerm("a custodian's share");
  t.equal(share, '分持碼');
  const zh = report('zh-TW');
  const glossary = zh.slice(zh.search(/\n## 10\. /));
  t.match(glossary, `${share}（PIN share）`, 'the glossary defines the term the screens use');
  t.notMatch(zh, /PIN 碼分持[（，。、]/, 'PIN 碼分持 as a term of its own is gone from the record');
});
