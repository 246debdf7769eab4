// How a record whose data does not fit its event (or whose event keyceremony does not write)
// is named to the reader, in en and zh-TW: `journal verify`, `report`, `history` and `bundle`
// refuse such a journal with this one message, so that the witnesses read the same words
// whichever command found it. Its hash was made to match, so only the schema tells.
import type { EventDataProblem } from './events.js';
import type { JournalProblem } from './verify.js';
import { fill } from '../util/fill.js';
import type { Lang } from '../util/lang.js';

export const EVENT_DATA_TEXT = {
  en: {
    where: '{command}: {file}, line {line}: ',
    record: 'record {seq} (event {event})',
    stepRecord: 'record {seq} (step {step}, event {event})',
    unknown: '{record} is an event that keyceremony does not write',
    mismatch: '{record} does not fit its event: {path}: {issue}',
    hint: 'the record is not what keyceremony writes, yet its hash matches: the journal was rewritten and its hashes computed again; keep this copy as evidence and compare it with the backup copy and the seal words on the paper log',
  },
  'zh-TW': {
    where: '{command}：{file}，第 {line} 行：',
    record: '第 {seq} 筆紀錄（事件 {event}）',
    stepRecord: '第 {seq} 筆紀錄（步驟 {step}，事件 {event}）',
    unknown: '{record}不是 keyceremony 會寫入的事件',
    mismatch: '{record}的資料不符合該事件的格式：{path}：{issue}',
    hint: '此紀錄不是 keyceremony 寫入的內容，雜湊值卻相符：日誌遭改寫且雜湊值被重新計算；請保留此副本作為證據，並與備份副本及紙本紀錄上的封存字詞比對',
  },
} satisfies Record<Lang, Record<string, string>>;

/** The failure line for a record that does not fit its event, in `lang`: `{command}: {file}, line {line}: record …`. */
export function eventDataLine(lang: Lang, command: string, file: string, problem: JournalProblem, eventData: EventDataProblem): string {
  const text = EVENT_DATA_TEXT[lang];
  const seq = problem.seq ?? problem.line;
  const name =
    eventData.step === null ? fill(text.record, { seq, event: eventData.event }) : fill(text.stepRecord, { seq, step: eventData.step, event: eventData.event });
  const what = eventData.unknownEvent
    ? fill(text.unknown, { record: name })
    : fill(text.mismatch, { record: name, path: eventData.path, issue: eventData.issue[lang] });
  return fill(text.where, { command, file, line: problem.line }) + what;
}
