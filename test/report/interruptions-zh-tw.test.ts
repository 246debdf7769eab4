// Issue 16 item 11: the interruptions, restarts and resumes of a ceremony read in the
// language of the report. The engine writes fixed notes and values into these records in
// English (the journal's language); the zh-TW report says them in Chinese, labels every
// field, and names people by their names. What people typed and error messages stay as recorded.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { plainText, type Block } from '../../src/report/document.js';
import { buildReport } from '../../src/report/report.js';
import { JOURNAL_NOTES, SIGNAL_AT_TERMINAL, SIGNAL_UNKNOWN } from '../../src/util/journal-notes.js';
import { header, records, signedIn } from './helpers/records.js';

const definition = loadDefinition(join(new URL('./fixtures/', import.meta.url).pathname, 'report.yaml'));
const JOURNAL = { file: '/w/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /w' };
const PROCESS = { coreLimit: { soft: 0, hard: 0 }, corePattern: 'core', ptraceScope: 1, swap: { areas: 0, usedKiB: 0 } };
const TOOL = { name: 'keyceremony', version: '0.1.0', sha256: 'ab'.repeat(32) };

function deviationRows(lang: 'en' | 'zh-TW'): string[] {
  const journal = records(header(definition.sha256), [
    signedIn,
    { step: 'init', event: 'ceremony.interrupted', who: [], data: { signal: SIGNAL_UNKNOWN, note: JOURNAL_NOTES.interrupted } },
    {
      step: null,
      event: 'ceremony.resumed',
      who: [],
      data: {
        snapshotSeq: 2,
        journalSeq: 3,
        staleLock: { pid: 4242, host: 'ceremony-01', since: '2026-11-28T09:02:00.000+08:00' },
        process: PROCESS,
        tool: TOOL,
      },
    },
    { step: 'init', event: 'ceremony.restarted', who: [], data: { loginsLost: ['test'], sharesLost: 1 } },
    { step: 'init', event: 'shares.discarded', who: [], data: { sets: ['7Q2M9K4D'], reason: JOURNAL_NOTES.sharesDiscarded } },
    { step: 'approval', event: 'step.reconciled', who: [], data: { from: 'journal', seq: 3, note: JOURNAL_NOTES.reconciledFromJournal } },
    { step: 'init', event: 'step.retried', who: ['alice', 'wendy'], data: { allowFinalTry: false } },
    {
      step: 'location',
      event: 'ceremony.interrupted',
      who: ['alice', 'wendy'],
      data: { signal: SIGNAL_AT_TERMINAL, stoppedBy: 'alice', confirmedBy: ['wendy'], note: JOURNAL_NOTES.interrupted },
    },
  ]);
  const doc = buildReport(
    definition,
    readCeremonyRecord(
      journal,
      definition.steps.map((s) => s.id),
    ),
    lang,
    { tool: 'keyceremony 0.1.0', journal: JOURNAL },
  );
  const deviations = doc.sections.find((s) => s.anchor === 'section-deviations')!;
  // The deviations' table, then the other records of the course (a resume, a restart: listed, not counted).
  const tables = deviations.blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
  // The lines of a record's fields, sorted: the journal keeps its data in canonical (key) order.
  return tables.flatMap((table) => table.rows.map((row) => plainText(row.at(-1)!).split('\n').sort().join('\n')));
}

const sorted = (lines: string) => lines.split('\n').sort().join('\n');

t.test('zh-TW: interruptions, the resume and the restart in Chinese, people by name', async (t) => {
  const rows = deviationRows('zh-TW');
  t.same(rows, [
    sorted('訊號：不明（無訊號，亦未記錄停止者）\n附註：應要求停止；硬體安全模組之登入已登出；以 keyceremony resume 續行'),
    sorted('分持組：7Q2M9K4D\n原因：程序於載具設定完成前停止；保管人應銷毀此批分持碼'),
    sorted(
      '訊號：無：於終端機上停止\n停止者：王小明 Alice（alice）\n確認者：<script>alert(1)</script> 林美玲（wendy）\n附註：應要求停止；硬體安全模組之登入已登出；以 keyceremony resume 續行',
    ),
    sorted(
      '已儲存狀態至紀錄：2\n日誌至紀錄：3\n已停止程序遺留之鎖定之程序代號：4242\n已停止程序遺留之鎖定之主機：ceremony-01\n已停止程序遺留之鎖定之起始時間：2026-11-28T09:02:00.000+08:00\n程序之核心傾印上限之軟性：0\n程序之核心傾印上限之硬性：0\n程序之核心傾印檔名樣式：core\n程序之程序追蹤範圍：1\n程序之置換空間之區域數：0\n程序之置換空間之已使用（KiB）：0\n工具之名稱：keyceremony\n工具之版本：0.1.0\n工具之SHA-256：' +
        'ab'.repeat(32),
    ),
    sorted('已失效之載具登入：test\n先前已輸入、須重新輸入之分持碼份數：1'),
    sorted('採用依據：其日誌紀錄\n紀錄：3\n附註：已於重新啟動前完成；依其日誌紀錄採用，不再重做'),
    sorted('允許最後一次嘗試：否'),
  ]);
  const all = rows.join('\n');
  for (const english of [
    'stopped on request',
    'unknown',
    'sharesLost',
    'loginsLost',
    'snapshotSeq',
    'staleLock',
    'coreLimit',
    'allowFinalTry',
    'false',
    'journal',
    'note',
    'signal',
  ])
    t.notMatch(all, english, `no "${english}"`);
});

t.test('en: the same fields in plain words', async (t) => {
  const rows = deviationRows('en');
  t.equal(rows[0], sorted('signal: unknown (no signal, no one named)\nnote: stopped on request; HSM sessions logged out; resume with keyceremony resume'));
  t.equal(rows[4], sorted('token logins lost: test\nshares entered before, to enter again: 1'));
  t.equal(
    rows[2],
    sorted(
      'signal: none: stopped at the terminal\nstopped by: 王小明 Alice (alice)\nconfirmed by: <script>alert(1)</script> 林美玲 (wendy)\nnote: stopped on request; HSM sessions logged out; resume with keyceremony resume',
    ),
  );
});

t.test('a note the engine does not write is shown as recorded', async (t) => {
  const journal = records(header(definition.sha256), [
    signedIn,
    { step: 'init', event: 'ceremony.interrupted', who: [], data: { signal: 'SIGTERM', note: 'an older wording' } },
  ]);
  const doc = buildReport(
    definition,
    readCeremonyRecord(
      journal,
      definition.steps.map((s) => s.id),
    ),
    'zh-TW',
    { tool: 'keyceremony 0.1.0', journal: JOURNAL },
  );
  const deviations = doc.sections.find((s) => s.anchor === 'section-deviations')!;
  const table = deviations.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
  t.equal(sorted(plainText(table.rows[0]!.at(-1)!)), sorted('訊號：SIGTERM\n附註：an older wording'));
});

t.test('someone who joined is named with their roles by title in zh-TW, not by role code', async (t) => {
  const participant = { id: 'erin', name: '陳怡君 Erin', roles: ['witness'] };
  const journal = records(header(definition.sha256), [
    signedIn,
    { step: 'init', event: 'participants.joined', who: ['erin', 'alice', 'dave'], data: { participant, confirmedBy: ['alice', 'dave'] } },
  ]);
  for (const [lang, expected] of [
    ['zh-TW', '參與人員：陳怡君 Erin（erin）\n角色：見證人\n確認者：王小明 Alice（alice）、李建國 Dave（dave）'],
    ['en', 'participant: 陳怡君 Erin (erin)\nroles: witness\nconfirmed by: 王小明 Alice (alice), 李建國 Dave (dave)'],
  ] as const) {
    const doc = buildReport(
      definition,
      readCeremonyRecord(
        journal,
        definition.steps.map((s) => s.id),
      ),
      lang,
      { tool: 'keyceremony 0.1.0', journal: JOURNAL },
    );
    const deviations = doc.sections.find((s) => s.anchor === 'section-deviations')!;
    const table = deviations.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
    t.equal(sorted(plainText(table.rows[0]!.at(-1)!)), sorted(expected), lang);
  }
});
