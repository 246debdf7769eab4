// Issue 22 items 9 and 10: each ceremony is held to the criteria of the kinds of work its
// steps do (the mapping lives with each step type, `governedBy` in src/steps/<type>/spec.ts),
// not to the key generation criteria whatever it does; BR 6.1.1.1 (3) is outside the record,
// the "in all cases" rows point to paper, and (2) is shown only from the Qualified Auditor's
// name, firm and attendance or a video reference.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { ceremonyKinds } from '../../src/report/criteria.js';
import { plainText, type Block, type CeremonyDocument } from '../../src/report/document.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildPlan } from '../../src/report/plan.js';
import { buildReport } from '../../src/report/report.js';
import { STEP_SPECS, STEP_TYPES } from '../../src/steps/index.js';
import type { JournalEntry } from '../../src/journal/record.js';
import { header, records, signedIn } from './helpers/records.js';

const CEREMONIES = new URL('../../ceremonies/', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const TOOL = { tool: 'keyceremony 0.1.0' };

/** The criteria tables of a document: the bold heading above each, and its rows' first two cells. */
function criteriaTables(doc: CeremonyDocument): Map<string, string[][]> {
  const blocks = doc.sections.find((s) => s.anchor === 'section-criteria')!.blocks;
  const tables = new Map<string, string[][]>();
  blocks.forEach((block, i) => {
    if (block.kind !== 'table') return;
    const heading = blocks[i - 1] as Extract<Block, { kind: 'paragraph' }>;
    tables.set(
      plainText(heading.text),
      block.rows.map((row) => row.map((cell) => plainText(cell))),
    );
  });
  return tables;
}

t.test('the mapping lives with the step types: every step type that changes keys, certificates or activation data names its criteria', async (t) => {
  const governed = STEP_TYPES.filter((type) => (STEP_SPECS[type].governedBy ?? []).length > 0);
  t.same(governed.sort(), [
    'accept-certificate',
    'backup-key',
    'create-csr',
    'create-kek',
    'destroy-key',
    'generate-key',
    'init-token',
    'issue-certificate',
    'issue-crl',
    'issue-link-certificate',
    'load-kek',
    'restore-key',
    'rotate-credential',
    'self-sign',
    'split-credential',
  ]);
  t.same(STEP_SPECS['issue-crl'].governedBy, ['key-usage']);
  t.same(STEP_SPECS['destroy-key'].governedBy, ['key-destruction']);
  t.same(STEP_SPECS['rotate-credential'].governedBy, ['activation-data']);
  t.same(STEP_SPECS['backup-key'].governedBy, ['key-storage'], 'backup and recovery are key storage criteria');
  t.same(STEP_SPECS['issue-link-certificate'].governedBy, ['key-usage']);
});

const EXPECTED: Record<string, string[]> = {
  'dryrun-root-init': ['key-generation', 'key-storage', 'key-usage', 'activation-data'],
  'hca-token-init': ['key-storage', 'activation-data'],
  'dryrun-hca-g2-standin': ['key-generation', 'key-usage'],
  'hca-g3-keygen': ['key-generation'],
  'grca-issue-hca-g3': ['key-usage'],
  'hca-g3-accept': ['key-distribution'],
  'hca-g3-ocsp-crl': ['key-generation', 'key-usage'],
  'grca-crl': ['key-usage'],
  'hca-custodian-change': ['activation-data'],
  'dryrun-root-link': ['key-generation', 'key-usage'],
  'hca-g2-final-crl': ['key-usage'],
  'hca-g2-destroy': ['key-destruction'],
  'hca-kek-init': ['key-storage', 'activation-data'],
  'hca-g3-backup': ['key-storage'],
  'hca-g3-restore-dr': ['key-storage', 'key-usage', 'activation-data'],
};

t.test('each ceremony of the chain gets the criteria of its kinds, in both languages', async (t) => {
  const files = readdirSync(CEREMONIES).filter((name) => name.endsWith('.yaml') && !name.endsWith('.answers.yaml'));
  t.equal(files.length, Object.keys(EXPECTED).length);
  for (const file of files) {
    const definition = loadDefinition(join(CEREMONIES, file));
    const kinds = EXPECTED[definition.ceremony]!;
    t.same(ceremonyKinds(definition), kinds, `${definition.ceremony}: kinds`);
    for (const lang of ['en', 'zh-TW'] as const) {
      const plan = buildPlan(definition, lang, TOOL);
      const tables = criteriaTables(plan);
      t.equal(tables.size, kinds.length, `${definition.ceremony} ${lang}: one table per kind`);
      const md = renderMarkdown(plan);
      if (kinds.includes('key-generation')) {
        t.match(md, '| BR 6.1.1.1 (1) |', `${definition.ceremony} ${lang}: key generation rows`);
      } else {
        t.notMatch(
          md,
          /BR 6\.1\.1\.1 \(|WebTrust \([a-h]\)/,
          `${definition.ceremony} ${lang}: no key generation criteria for a ceremony that generates no key`,
        );
        t.match(md, lang === 'en' ? 'do not apply to this ceremony' : '不適用於本儀式', `${definition.ceremony} ${lang}: the kinds left out are named`);
      }
    }
  }
});

t.test('rows a ceremony does not cover say so', async (t) => {
  const destroy = renderMarkdown(buildPlan(loadDefinition(join(CEREMONIES, 'hca-g2-destroy.yaml')), 'en', TOOL));
  t.match(destroy, /\| WebTrust CA key destruction \(1\) \| CA keys are destroyed under multiple person control \| step \d+ \(destroy\)/);
  t.match(
    destroy,
    /\| WebTrust CA key destruction \(2\) \| Every copy and backup of the key is destroyed \| NOT COVERED by this ceremony/,
    'no key inventory is declared',
  );
  const init = renderMarkdown(buildPlan(loadDefinition(join(CEREMONIES, 'hca-token-init.yaml')), 'zh-TW', TOOL));
  t.match(init, /\| WebTrust CA 金鑰保管、備份及回復（3） \| CA 金鑰之備份於多人控管下製作、保管及回復 \| 未涵蓋：本儀式沒有執行此項之步驟/, 'no backup step');
  const keygen = buildPlan(loadDefinition(join(CEREMONIES, 'hca-g3-keygen.yaml')), 'en', TOOL);
  const rows = [...criteriaTables(keygen).values()][0]!;
  t.match(rows.find((row) => row[0] === 'BR 6.1.1.1 (3)')![2]!, "Outside this record: the Qualified Auditor's own report");
  t.match(rows.find((row) => row[0] === 'BR 6.1.1.1, in all cases (1)')![2]!, 'On paper: the physical security of the room');
  t.match(rows.find((row) => row[0] === 'BR 6.1.1.1, in all cases (5)')![2]!, "On paper: the CA's controls");
});

const definition = loadDefinition(join(FIXTURES, 'report.yaml'));
const JOURNAL = { file: '/evidence/work/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /evidence/work' };
const location = (values: Record<string, string>): JournalEntry => ({
  step: 'location',
  event: 'step.completed',
  who: ['alice', 'wendy'],
  data: { type: 'record', index: 2, performer: 'alice', witnesses: ['wendy'], values },
});

function reportRows(lang: 'en' | 'zh-TW', entries: JournalEntry[]): string[][] {
  const journal = records(header(definition.sha256), [signedIn, ...entries]);
  const doc = buildReport(
    definition,
    readCeremonyRecord(
      journal,
      definition.steps.map((s) => s.id),
    ),
    lang,
    { tool: 'keyceremony 0.1.0', journal: JOURNAL },
  );
  return criteriaTables(doc).values().next().value!;
}

t.test('BR 6.1.1.1 (2) in the record: the Qualified Auditor or a video, else not shown', async (t) => {
  const row = (rows: string[][], label: string): string => rows.find((r) => r[0] === label)![2]!;
  const none = reportRows('en', [location({ date: '2026-11-28', place: 'B1', 'bag-number': 'TB123456' })]);
  t.match(row(none, 'BR 6.1.1.1 (2)'), "NOT SHOWN: neither the Qualified Auditor's name, firm and attendance nor a video reference is recorded");
  t.match(row(none, 'BR 6.1.1.1 (2)'), 'Auditor role signed in at the terminal: 李建國 Dave (dave)', 'an auditor id at the terminal alone does not show (2)');
  const partial = reportRows('en', [location({ date: '2026-11-28', place: 'B1', 'bag-number': 'TB123456', auditor: '陳會計師' })]);
  t.match(row(partial, 'BR 6.1.1.1 (2)'), 'NOT SHOWN', 'a name without firm and attendance is not enough');
  const shown = reportRows('zh-TW', [
    location({ date: '2026-11-28', place: 'B1', 'bag-number': 'TB123456', auditor: '陳會計師', firm: '示範會計師事務所', attended: '09:00-11:30' }),
  ]);
  t.match(row(shown, 'BR 6.1.1.1 (2)'), '紀錄顯示：合格稽核人員：陳會計師（步驟 3（location））');
  t.match(row(shown, 'BR 6.1.1.1 (2)'), '稽核事務所：示範會計師事務所');
  t.notMatch(row(shown, 'BR 6.1.1.1 (2)'), '未顯示');
  t.match(row(shown, 'BR 6.1.1.1 (3)'), '不在本紀錄範圍內：合格稽核人員本身之報告');
  t.match(row(none, 'WebTrust (b)'), 'Script includes: step 2 (approval)');
  t.match(row(none, 'WebTrust (b)'), 'A typed reference only: no approver, date or script hash is recorded');
  t.match(row(none, 'WebTrust (e)'), /Script includes: step 3 \(location\)\nRecord shows: step 3 \(location\): completed .*Bag number TB123456/);
});

t.test('item 13: the audit evidence rows: recorded, not recorded, or not declared by the script', async (t) => {
  for (const [lang, expected] of [
    [
      'en',
      [
        '| Qualified Auditor | Qualified Auditor | 陳會計師 (step 3 (location)) |',
        '| Qualified Auditor | Audit firm | not recorded |',
        '| Video of the ceremony | Video file | not declared: the script has no field for it |',
        '| Bag and envelope register | Tamper-evident bag numbers | TB123456 (step 3 (location)) |',
        '| Key inventory of the token | Keys on the token after | not declared',
      ],
    ],
    ['zh-TW', ['| 合格稽核人員 | 稽核事務所 | 未記錄 |', '| 儀式錄影 | 錄影檔 | 未宣告：腳本無此欄位 |', '| 封袋及信封登記 | 防拆封袋編號 | TB123456']],
  ] as const) {
    const journal = records(header(definition.sha256), [
      signedIn,
      location({ date: '2026-11-28', place: 'B1', 'bag-number': 'TB123456', auditor: '陳會計師' }),
    ]);
    const md = renderMarkdown(
      buildReport(
        definition,
        readCeremonyRecord(
          journal,
          definition.steps.map((s) => s.id),
        ),
        lang,
        { tool: 'keyceremony 0.1.0', journal: JOURNAL },
      ),
    );
    t.match(md, lang === 'en' ? '**Audit evidence**' : '**稽核佐證**');
    for (const row of expected) t.match(md, row, `${lang}: ${row}`);
  }
});

t.test('item 16: each zh-TW title names its kind of ceremony', async (t) => {
  const titles: Record<string, string> = {
    'dryrun-root-init': '金鑰產製',
    'hca-token-init': '載具初始化',
    'dryrun-hca-g2-standin': '金鑰產製',
    'hca-g3-keygen': '金鑰產製',
    'grca-issue-hca-g3': '憑證簽發',
    'hca-g3-accept': '憑證接受',
    'grca-crl': '憑證廢止清冊簽發',
    'hca-custodian-change': '保管人異動',
    'hca-g2-destroy': '金鑰銷毀',
  };
  for (const [ceremony, kind] of Object.entries(titles)) {
    const definition = loadDefinition(join(CEREMONIES, `${ceremony}.yaml`));
    t.equal(buildPlan(definition, 'zh-TW', TOOL).title, `${kind}儀式腳本：${definition.title['zh-TW']}`, ceremony);
  }
});

// Review 16: in zh-TW the criteria cells list with 、, as the rest of the record does, not
// with an English comma ("於第 3 筆紀錄封存（已完成）, e374…", "test：DEMO, 序號 08fe…").
t.test('zh-TW criteria cells join their facts with 、, en with a comma', async (t) => {
  const tokens = { test: { label: 'REPORT-TEST', serial: '08fe0b5db39611cd', state: 'to be initialised by this ceremony' } };
  for (const lang of ['en', 'zh-TW'] as const) {
    const journal = records(header(definition.sha256, tokens), [signedIn, location({ date: '2026-11-28', place: 'B1', 'bag-number': 'TB123456' })]);
    const doc = buildReport(
      definition,
      readCeremonyRecord(
        journal,
        definition.steps.map((s) => s.id),
      ),
      lang,
      { tool: 'keyceremony 0.1.0', journal: JOURNAL },
    );
    const rows = criteriaTables(doc).values().next().value!;
    const row = (label: string): string => rows.find((r) => r[0] === label)![2]!;
    const zh = lang === 'zh-TW';
    t.match(row('BR 6.1.1.1 (3)'), zh ? /§8 日誌：[^\n,]+、[0-9a-f]{16}…/ : /§8 Journal: [^\n]+, [0-9a-f]{16}…/, `${lang}: the journal's state and hash`);
    t.match(
      row(zh ? 'BR 6.1.1.1，所有情形（3）' : 'BR 6.1.1.1, in all cases (3)'),
      zh ? 'test：REPORT-TEST、序號 08fe0b5db39611cd' : 'test: REPORT-TEST, Serial number 08fe0b5db39611cd',
      `${lang}: the token's label and serial`,
    );
  }
});
