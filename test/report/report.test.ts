// The report built from journals the engine could write but a happy dry run does not:
// an aborted ceremony, a participant who says the script was not followed, a refusal.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { plainText, type Block, type CeremonyDocument } from '../../src/report/document.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { header, records, signedIn } from './helpers/records.js';

const definition = loadDefinition(join(new URL('./fixtures/', import.meta.url).pathname, 'report.yaml'));
const JOURNAL = { file: '/evidence/work/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /evidence/work' };

function report(lang: 'en' | 'zh-TW'): CeremonyDocument {
  const journal = records(header(definition.sha256), [
    signedIn,
    {
      step: 'approval',
      event: 'step.completed',
      who: ['alice', 'wendy'],
      data: {
        type: 'confirm',
        index: 1,
        performer: 'alice',
        witnesses: ['wendy'],
        details: { statement: definition.steps[1]!.type === 'confirm' ? definition.steps[1].statement : {} },
      },
    },
    {
      step: 'location',
      event: 'event.refused',
      who: ['alice'],
      data: { event: 'step.submit', code: 'people.same', message: 'alice cannot witness her own step' },
    },
    { step: 'location', event: 'participant.signed-off', who: ['dave'], data: { followedScript: false, note: 'the HSM serial was not checked' } },
    {
      step: 'location',
      event: 'ceremony.aborted',
      who: ['alice', 'wendy'],
      data: { reason: 'HSM serial does not match the inventory', created: { keys: [], outputs: [], loggedIn: ['test'] } },
    },
    { step: null, event: 'ceremony.sealed', who: [], data: { status: 'aborted', exceptions: 0 } },
  ]);
  return buildReport(
    definition,
    readCeremonyRecord(
      journal,
      definition.steps.map((s) => s.id),
    ),
    lang,
    { tool: 'keyceremony 0.1.0', journal: JOURNAL },
  );
}

t.test('an aborted ceremony says so up front, and each step says how far it got', async (t) => {
  const md = renderMarkdown(report('en'));
  t.match(md, '> **Warning**: The ceremony was aborted: HSM serial does not match the inventory');
  t.match(md, '- **Status**: **aborted and sealed**');
  t.match(md, /### Step 3 · Record date and place\n[\s\S]*?- \*\*Status\*\*: \*\*not completed: the ceremony ended first\*\*/);
  t.match(md, /### Step 4 · Initialise token and split its PINs\n[\s\S]*?- \*\*Status\*\*: \*\*not reached\*\*/);
  t.match(md, '- **Status**: sealed at record 7 (aborted)');
  t.match(md, '- **Journal head**: not checked: there is no state.json with a journal head');
  t.match(md, '- **Terminal time zone**: Asia/Taipei');
  t.match(md, '- **Time zone**: not declared by the definition: times are shown as the terminal recorded them');
  t.match(md, '| `test`<br>Rehearsal token | `REPORT-TEST` | not recorded | not recorded | not recorded | to be initialised by this ceremony |');
});

t.test('refusals, sign-offs that say the script was not followed and the abort are deviations', async (t) => {
  const doc = report('en');
  const deviations = doc.sections.find((s) => s.anchor === 'section-deviations')!;
  // The deviations the screens count (deviationsOf), then the other records of the course, listed and not counted.
  const tables = deviations.blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
  const rows = tables.map((table) => table.rows.map((row) => row.map((cell) => plainText(cell))));
  t.same(rows, [
    [
      [
        '2026-11-28 09:04:00 +08:00',
        'step 3 (location)',
        'Sign-off: script not followed\nparticipant.signed-off',
        '李建國 Dave (dave)',
        'said the ceremony did not follow the script\nthe HSM serial was not checked',
      ],
      [
        '2026-11-28 09:05:00 +08:00',
        'step 3 (location)',
        'Aborted\nceremony.aborted',
        '王小明 Alice (alice), <script>alert(1)</script> 林美玲 (wendy)',
        'reason: HSM serial does not match the inventory\ncreated so far: tokens logged in test',
      ],
    ],
    [
      [
        '2026-11-28 09:03:00 +08:00',
        'step 3 (location)',
        'Refused\nevent.refused',
        '王小明 Alice (alice)',
        'code: people.same\nevent: step.submit\nmessage: alice cannot witness her own step',
      ],
    ],
  ]);
  t.match(plainText((deviations.blocks[1] as Extract<Block, { kind: 'paragraph' }>).text), 'Off the script, 2 in all:');
  const md = renderMarkdown(doc);
  t.match(
    md,
    /\| WebTrust \(g\) \| .* \| §9 Sign-off: 1 of 4 participants signed off at the terminal \(recorded at the terminal; the handwritten signatures are on paper\); 1 said the ceremony did NOT follow the script/,
  );
  t.match(md, '- Recorded at sign-off: the ceremony did NOT follow the script (2026-11-28 09:04:00 +08:00): the HSM serial was not checked');
});

t.test(
  'the deviations section says what it lists: aborts and sign-offs saying the script was not followed too, and not the ordinary course of a step',
  async (t) => {
    const en = renderMarkdown(report('en'));
    t.match(
      en,
      "Every exception, pause, refusal, failure, interruption and abort the journal recorded, and every sign-off that says the script was not followed, in order. The ordinary course of a step (its start, approval and completion) is in the step's own record, not here.",
    );
    t.match(
      en,
      '(exceptions, pauses, refusals, failures, interruptions, aborts, sign-offs saying the script was not followed)',
      'criterion (h) counts the same',
    );
    const zh = renderMarkdown(report('zh-TW'));
    t.match(
      zh,
      '日誌所記錄之每一件異常、暫停、拒絕、失敗、中斷及中止，以及表示未依腳本執行之簽署確認，依發生順序列出。步驟之正常進行（開始、核准及完成）載於該步驟本身之紀錄，不列於此。',
    );
    t.match(zh, '| 2026-11-28 09:04:00 +08:00 | 步驟 3（location） | 簽署確認：未依腳本執行<br>`participant.signed-off` |');
    // A journal with nothing off the script: a started and completed step, a sign-off that says it was followed.
    const quiet = records(header(definition.sha256), [
      signedIn,
      { step: 'approval', event: 'step.started', who: [], data: { type: 'confirm', index: 1 } },
      { step: 'sign-off', event: 'participant.signed-off', who: ['alice'], data: { followedScript: true, note: '' } },
    ]);
    for (const lang of ['en', 'zh-TW'] as const) {
      const doc = buildReport(
        definition,
        readCeremonyRecord(
          quiet,
          definition.steps.map((s) => s.id),
        ),
        lang,
        { tool: 'keyceremony 0.1.0', journal: JOURNAL },
      );
      const deviations = doc.sections.find((s) => s.anchor === 'section-deviations')!;
      t.same(
        deviations.blocks.map((b) => (b.kind === 'paragraph' ? plainText(b.text) : b.kind)),
        [
          lang === 'en'
            ? 'No exception, pause, refusal, failure, interruption or abort was recorded, and no sign-off says the script was not followed.'
            : '未記錄任何異常、暫停、拒絕、失敗、中斷或中止，亦無簽署確認表示未依腳本執行。',
        ],
        `${lang}: nothing listed`,
      );
    }
  },
);

t.test('the same record in Traditional Chinese', async (t) => {
  const md = renderMarkdown(report('zh-TW'));
  t.match(md, '> **注意**：儀式已中止：HSM serial does not match the inventory');
  t.match(md, '- **狀態**：**已中止並封存**');
  t.match(md, '| 2026-11-28 09:05:00 +08:00 | 步驟 3（location） | 中止<br>`ceremony.aborted` |');
  t.match(md, '原因：HSM serial does not match the inventory');
  t.match(md, '- **確認事項**：C=TW, O=行政院, CN=醫事憑證管理中心 - G3 之金鑰產製儀式業經核准', 'the confirmed statement in the language of the report');
  t.match(md, '**稽核人員**\n\n- 姓名：______________________________\n- 單位：');
});
