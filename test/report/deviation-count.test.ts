// Issue 16 item 2 (voids16r): one count of what went off the script. The deviations step's
// "none" (and the "none besides the n on record" the screen records for it) is no exception;
// a resume or a restart is no deviation of its own; a crash is called a crash; share cards
// voided by a crash are a deviation that names who destroys which sets. deviationsOf counts,
// and the report and the letter say the number the screens say.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { deviationsOf } from '../../src/ceremony/deviations.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { buildReport } from '../../src/report/report.js';
import { buildLetter } from '../../src/report/letter.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { translator } from '../../src/ui/i18n/index.js';
import { deviationWrittenBy } from '../../src/steps/index.js';
import { JOURNAL_NOTES } from '../../src/util/journal-notes.js';
import { header, records, signedIn } from './helpers/records.js';

const definition = loadDefinition(join(new URL('./fixtures/', import.meta.url).pathname, 'report.yaml'));
const JOURNAL = { file: '/w/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /w' };
const PROCESS = { coreLimit: { soft: 0, hard: 'unlimited' }, corePattern: 'core', swap: { areas: 0, usedKiB: 0 } };
const TOOL = { name: 'keyceremony', version: '0.1.0', sha256: 'ab'.repeat(32) };

/** A crash while the init step's share cards were handed out, then "none" at the deviations step. */
function journal(none: string) {
  return records(header(definition.sha256), [
    signedIn,
    { step: 'init', event: 'step.started', who: [], data: { type: 'init-token', index: 3 } },
    {
      step: 'init',
      event: 'shares.prepared',
      who: [],
      data: {
        sets: [
          { credential: 'test-so-pin', setId: '7G31XAQV', custodians: ['carol', 'dave'] },
          { credential: 'test-user-pin', setId: 'Z1R0NPN9', custodians: ['carol', 'dave'] },
        ],
      },
    },
    { step: 'init', event: 'share.handed-over', who: ['carol'], data: { credential: 'test-so-pin' } },
    // kill -9 here: the next process resumes with no interruption on record.
    { step: null, event: 'ceremony.resumed', who: [], data: { snapshotSeq: 2, journalSeq: 5, process: PROCESS, tool: TOOL } },
    { step: 'init', event: 'ceremony.restarted', who: [], data: { loginsLost: [], sharesLost: 0 } },
    { step: 'init', event: 'shares.discarded', who: [], data: { sets: ['7G31XAQV', 'Z1R0NPN9'], reason: JOURNAL_NOTES.sharesDiscarded } },
    { step: 'deviations', event: 'step.completed', who: ['wendy'], data: { type: 'exception', index: 9, values: { text: none } } },
  ]);
}

const NONE_BEYOND = {
  en: translator('en')('exception.noneBeyond', { n: 2, seqs: '#6, #8' }),
  'zh-TW': translator('zh-TW')('exception.noneBeyond', { n: 2, seqs: '#6、#8' }),
};

t.test('"none" and what the screen records for it are no exception, in either language', async (t) => {
  for (const none of ['none', '無', 'None.', '沒有', NONE_BEYOND.en, NONE_BEYOND['zh-TW']])
    t.equal(deviationWrittenBy('exception', { text: none }), undefined, `"${none}" says nothing went off the script`);
  t.equal(deviationWrittenBy('exception', { text: 'the camera was off 10:05-10:07' }), 'the camera was off 10:05-10:07');
  t.equal(deviationWrittenBy('exception', { text: 'none besides the camera' }), 'none besides the camera', 'a real one that starts with none');
});

t.test('deviationsOf: a crash and the voided cards, not the resume, the restart or the "none"', async (t) => {
  for (const none of Object.values(NONE_BEYOND)) {
    const found = deviationsOf(journal(none), definition);
    t.same(
      found.map((d) => d.kind),
      ['crashed', 'shares-voided'],
    );
    const voided = found[1]!;
    t.same(voided.who, ['carol'], 'the custodian who was handed a card destroys it');
    t.same(voided.sets, [
      { setId: '7G31XAQV', credential: 'test-so-pin' },
      { setId: 'Z1R0NPN9', credential: 'test-user-pin' },
    ]);
    t.equal(voided.step, 'init');
  }
});

t.test('the report and the letter count what the screens count, and call a crash a crash', async (t) => {
  const record = readCeremonyRecord(
    journal(NONE_BEYOND.en),
    definition.steps.map((s) => s.id),
    definition,
  );
  const options = { tool: 'keyceremony 0.1.0', journal: JOURNAL };
  const enReport = renderMarkdown(buildReport(definition, record, 'en', options));
  t.match(enReport, 'Off the script, 2 in all:');
  t.match(enReport, '| Crash (the process ended with no orderly stop)<br>`ceremony.resumed` |');
  t.match(enReport, 'Share cards void (custodians destroy them)');
  t.match(enReport, 'Other records of the course that are not deviations themselves');
  t.notMatch(enReport, 'Restarted after interruption');
  const enLetter = renderMarkdown(buildLetter(definition, record, 'en', options));
  t.match(enLetter, '2 recorded, as the journal holds them:');
  t.match(enLetter, 'except for the 2 deviations listed above');
  t.match(enLetter, 'Crash (the process ended with no orderly stop)');
  t.match(enLetter, '張淑芬 Carol');
  t.notMatch(enLetter, /Resumed|Process restarted|Exception recorded/, 'the resume, the restart and the "none" are no deviation');
  const zhLetter = renderMarkdown(buildLetter(definition, record, 'zh-TW', options));
  t.match(zhLetter, '共記錄 2 項，依日誌所載如下：');
  t.match(zhLetter, '除上列 2 項異常事項外');
  t.match(zhLetter, '異常終止（程式未經正常停止即結束）');
  t.match(zhLetter, '分持碼卡片作廢（保管人須銷毀）');
  const zhReport = renderMarkdown(buildReport(definition, record, 'zh-TW', options));
  t.match(zhReport, '未依腳本執行的事項，共 2 項：');
  t.notMatch(zhReport, '中斷後重新啟動');
});
