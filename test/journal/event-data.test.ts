// Issue 15 item 2: `journal verify` checks each record's data against its event's schema
// (src/journal/events.ts). A forger who edits a record and computes every hash again gets
// past the hash chain; a record that is not what keyceremony writes for its event, or an
// event keyceremony never writes, is still refused, naming the file, the line, the record,
// the event and the field, in English and in Traditional Chinese.
import t from 'tap';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { rehashJournal } from '../helpers/rehash.js';
import { softhsm } from '../helpers/softhsm.js';
import { ExitCode } from '../../src/errors.js';
import { JOURNAL_EVENTS, eventDataProblem, parseJournalEvent } from '../../src/journal/events.js';
import { createRecord, type JournalEntry, type JournalRecord } from '../../src/journal/record.js';
import { verifyJournal } from '../../src/journal/verify.js';

const fx = softhsm(t);
const profile = fx.profile({ test: 'EVENT-DATA-TEST' });
const workdir = newWorkdir(fx);
const run = await keyceremonyInProcess([
  'run',
  join(FIXTURES, 'confirm-result', 'keygen.yaml'),
  '--hsm',
  profile,
  '--workdir',
  workdir,
  '--answers',
  join(FIXTURES, 'confirm-result', 'keygen.answers.yaml'),
]);
if (run.code !== 0) console.error(run.stdout, run.stderr);
const records = journalRecords(workdir);

/** A copy of the workdir whose journal `edit` rewrote, every hash computed again. */
function forge(name: string, edit: (record: JournalRecord) => void): string {
  const forged = join(fx.dir, name);
  cpSync(workdir, forged, { recursive: true });
  rehashJournal(forged, edit);
  return forged;
}

const keygenCompleted = (r: JournalRecord) => r.event === JOURNAL_EVENTS.stepCompleted && r.step === 'keygen';

t.test('every record a real ceremony writes fits its event', async (t) => {
  t.equal(run.code, 0, run.stderr);
  t.ok(records.length > 10, `${records.length} records`);
  t.same(records.map(eventDataProblem).filter(Boolean), []);
  const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
  t.equal(verify.code, ExitCode.completed, verify.stderr);
});

t.test('a journal rehashed without a change still verifies: what is refused below is the data', async (t) => {
  const forged = forge('unchanged', () => {});
  const verify = await keyceremonyInProcess(['journal', 'verify', forged]);
  t.equal(verify.code, ExitCode.completed, verify.stderr);
});

t.test('a record whose data does not fit its event is refused, in en and zh-TW', async (t) => {
  const forged = forge('index-as-text', (record) => {
    if (keygenCompleted(record)) record.data.index = 'the third';
  });
  // The forger drops the checkpoints it cannot sign again, so records move up: read the copy.
  const seq = journalRecords(forged).find(keygenCompleted)!.seq;
  const en = await keyceremonyInProcess(['journal', 'verify', forged]);
  t.equal(en.code, ExitCode.failed);
  t.match(
    en.stderr,
    `${join(forged, 'journal.jsonl')}, line ${seq}: record ${seq} (step keygen, event step.completed) does not fit its event: data.index: Invalid input: expected number, received string`,
  );
  t.match(en.stderr, /rewritten and its hashes computed again/);
  t.match(en.stdout, `verified  records 1 to ${seq - 1}, before the problem at line ${seq}`);

  const zh = await keyceremonyInProcess(['journal', 'verify', forged, '--lang', 'zh-TW']);
  t.equal(zh.code, ExitCode.failed);
  t.match(
    zh.stderr,
    `${join(forged, 'journal.jsonl')}，第 ${seq} 行：第 ${seq} 筆紀錄（步驟 keygen，事件 step.completed）的資料不符合該事件的格式：data.index：無效的輸入值：預期為 number，但收到 string`,
  );
  t.match(zh.stderr, /日誌遭改寫且雜湊值被重新計算/);
  const fromLocale = await keyceremonyInProcess(['journal', 'verify', forged], { env: { ...process.env, LANG: 'zh_TW.UTF-8', LC_ALL: '' } });
  t.match(fromLocale.stderr, /的資料不符合該事件的格式/, 'the locale chooses the language when --lang is not given');
});

t.test('a record missing a field its event has, or with one nested wrongly, is refused by path', async (t) => {
  const missing = forge('no-participants', (record) => {
    if (record.event === JOURNAL_EVENTS.participantsSignedIn) delete record.data.participants;
  });
  const signedIn = journalRecords(missing).find((r) => r.event === JOURNAL_EVENTS.participantsSignedIn)!;
  const verify = await keyceremonyInProcess(['journal', 'verify', missing]);
  t.equal(verify.code, ExitCode.failed);
  t.match(
    verify.stderr,
    `line ${signedIn.seq}: record ${signedIn.seq} (step ${signedIn.step}, event participants.signed-in) does not fit its event: data.participants: Invalid input: expected array, received undefined`,
  );

  const nested = forge('roles-as-text', (record) => {
    if (record.event === JOURNAL_EVENTS.participantsSignedIn) (record.data.participants as Array<Record<string, unknown>>)[1]!.roles = 'administrator';
  });
  const again = await keyceremonyInProcess(['journal', 'verify', nested]);
  t.equal(again.code, ExitCode.failed);
  t.match(again.stderr, 'data.participants.1.roles: Invalid input: expected array, received string');
});

t.test('an event keyceremony does not write is refused', async (t) => {
  const started = records.find((r) => r.event === JOURNAL_EVENTS.stepStarted)!;
  const forged = forge('unknown-event', (record) => {
    if (record.hash === started.hash) record.event = 'step.skipped';
  });
  const seq = journalRecords(forged).findIndex((r) => r.event === 'step.skipped') + 1;
  const en = await keyceremonyInProcess(['journal', 'verify', forged]);
  t.equal(en.code, ExitCode.failed);
  t.ok(seq > 1, 'the forged record is in the copy');
  t.match(en.stderr, `line ${seq}: record ${seq} (step ${started.step}, event step.skipped) is an event that keyceremony does not write`);
  const zh = await keyceremonyInProcess(['journal', 'verify', forged, '--lang', 'zh-TW']);
  t.match(zh.stderr, `第 ${seq} 筆紀錄（步驟 ${started.step}，事件 step.skipped）不是 keyceremony 會寫入的事件`);
});

t.test('verifyJournal checks event data only when asked; the journal layer verifies any chain', async (t) => {
  const entries: JournalEntry[] = [
    { step: null, event: JOURNAL_EVENTS.opened, who: [], data: records[0]!.data },
    { step: 'keygen', event: JOURNAL_EVENTS.stepStarted, who: [], data: { type: 'confirm', index: 'one' } },
  ];
  const lines: string[] = [];
  let previous: JournalRecord | undefined;
  for (const entry of entries) {
    const { record, line } = createRecord(previous, entry, records[0]!.time);
    lines.push(line);
    previous = record;
  }
  const text = lines.map((line) => `${line}\n`).join('');
  t.ok(verifyJournal(text).ok, 'without checkEventData the chain alone is checked');
  const checked = verifyJournal(text, { checkEventData: true });
  t.notOk(checked.ok);
  if (!checked.ok) {
    t.match(checked.problem, { kind: 'event-data', seq: 2, line: 2, eventData: { event: 'step.started', path: 'data.index' } });
    t.equal(checked.records.length, 1, 'the header before it is good');
  }
});

t.test('parseJournalEvent gives the typed event, or nothing for data that does not fit', async (t) => {
  const sealed = records.at(-1)!;
  const typed = parseJournalEvent(sealed);
  t.ok(typed);
  if (typed?.event === JOURNAL_EVENTS.sealed) t.equal(typed.data.status, 'completed');
  else t.fail('the last record is the seal');
  t.equal(parseJournalEvent({ ...sealed, data: { status: 'finished', exceptions: 0 } }), undefined);
  t.equal(parseJournalEvent({ ...sealed, event: 'ceremony.closed' }), undefined);
});

t.test('a record with a key its event does not have is refused, naming the key, in en and zh-TW', async (t) => {
  const forged = forge('extra-key', (record) => {
    if (keygenCompleted(record)) (record.data.keys as Array<Record<string, unknown>>)[0]!.exportedTo = 'usb stick';
  });
  const seq = journalRecords(forged).find(keygenCompleted)!.seq;
  const en = await keyceremonyInProcess(['journal', 'verify', forged]);
  t.equal(en.code, ExitCode.failed);
  const enLine = `${join(forged, 'journal.jsonl')}, line ${seq}: record ${seq} (step keygen, event step.completed) does not fit its event: data.keys.0: Unrecognized key: "exportedTo"`;
  t.match(en.stderr, `journal verify: ${enLine}`);
  const zh = await keyceremonyInProcess(['journal', 'verify', forged, '--lang', 'zh-TW']);
  t.equal(zh.code, ExitCode.failed);
  const zhLine = `第 ${seq} 筆紀錄（步驟 keygen，事件 step.completed）的資料不符合該事件的格式：data.keys.0：`;
  t.match(zh.stderr, zhLine);
  t.match(zh.stderr, 'exportedTo');

  // report, history and bundle read the journal through the same check, and refuse it in the same words.
  const report = await keyceremonyInProcess(['report', forged]);
  t.equal(report.code, ExitCode.failed, 'report refuses it');
  t.match(report.stderr, `report: ${enLine}`);
  t.match(report.stderr, /rewritten and its hashes computed again/);
  t.equal(report.stdout, '', 'no report is written');
  const reportZh = await keyceremonyInProcess(['report', forged, '--lang', 'zh-TW']);
  t.equal(reportZh.code, ExitCode.failed);
  t.match(reportZh.stderr, `report：${join(forged, 'journal.jsonl')}，第 ${seq} 行：${zhLine}`);
  const letter = await keyceremonyInProcess(['report', forged, '--letter']);
  t.equal(letter.code, ExitCode.failed, 'the attestation letter is refused too');
  t.match(letter.stderr, `report: ${enLine}`);

  const folder = join(fx.dir, 'history-extra-key');
  cpSync(forged, join(folder, 'keygen'), { recursive: true });
  const history = await keyceremonyInProcess(['history', folder]);
  t.not(history.code, ExitCode.completed, 'history flags it');
  t.match(history.stderr, `history: ${enLine.replace(forged, join(folder, 'keygen'))}`);

  const bundle = await keyceremonyInProcess(['bundle', forged, '--out', join(fx.dir, 'extra-key.tar.gz')]);
  t.equal(bundle.code, ExitCode.failed, 'bundle refuses it');
  t.match(bundle.stderr, `bundle: ${enLine}`);
  t.notOk(existsSync(join(fx.dir, 'extra-key.tar.gz')), 'no bundle is written');
});
