// `keyceremony journal verify <workdir>`: checks the workdir's journal.jsonl and prints what
// the witnesses copy onto the paper log (record count, first and last time, sealed or not,
// the final hash as hex and PGP words). state.json, when present, says how far the journal
// had got (`journalHead`) and whether the ceremony ended (`status`), so that a journal cut
// at a record boundary, or one that lost its seal, is caught too.
// Then the HSM-signed checkpoints against the audit public key (`--audit-key <file>`, else the
// one the workdir records), and which records they cover (src/journal/checkpoint.ts).
// With --lang zh-TW the lines of a journal that verifies are in Chinese (VERIFY_TEXT), wrapped to
// 80 columns under the value column; record times are in the zone of the recorded script, if it names one.
// Exit 0 when the journal verifies, 1 when it does not (naming the first bad record), 2 for usage.
import { existsSync, statSync } from 'node:fs';
import { ExitCode, InputError, KeyceremonyError } from '../../errors.js';
import { JOURNAL_READ_LIMIT } from '../../journal/journal.js';
import { describeRecord, isSha256Hex, type JournalHead, type JournalRecord } from '../../journal/record.js';
import { STATE_FILE, readWorkdirState, type WorkdirState } from '../../journal/workdir-state.js';
import { EVENT_DATA_TEXT, eventDataLine } from '../../journal/event-data-text.js';
import { verifyJournalSummary, type JournalProblemKind } from '../../journal/verify.js';
import { chooseLang } from '../lang.js';
import { checkWorkdirCheckpoints, readGivenAuditKeys, type CheckpointReport } from '../../journal/workdir-checkpoints.js';
import { formatTime } from '../../report/format.js';
import { readDefinition } from '../../report/verified-workdir.js';
import { fill } from '../../util/fill.js';
import { groupedHex, pgpWords } from '../../util/fingerprint.js';
import type { Lang } from '../../util/lang.js';
import { insideWorkdir, readWorkdirFile } from '../../util/safe-path.js';
import { displayWidth, padDisplay, wrapDisplay } from '../../util/text-width.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';

const JOURNAL_FILE = 'journal.jsonl';
const WORDS_PER_LINE = 8;

const HINTS: Record<JournalProblemKind, string> = {
  malformed: 'the journal was edited after it was written; keep this copy as evidence and compare it with the backup copy and the paper log',
  changed: 'the journal was edited after it was written; keep this copy as evidence and compare it with the backup copy and the seal words on the paper log',
  missing: 'records were removed after they were written; keep this copy as evidence and compare it with the backup copy',
  duplicated: 'a record was copied after it was written; keep this copy as evidence and compare it with the backup copy',
  reordered: 'records were moved after they were written; keep this copy as evidence and compare it with the backup copy',
  truncated:
    'the journal is shorter than what was written; if the run was interrupted, `keyceremony resume <workdir>` cuts an unfinished last line and records it; otherwise compare with the backup copy',
  'after-seal': 'something was added after the ceremony was sealed; the paper log has the seal words of the real end',
  unsealed: 'state.json says the ceremony ended, but the journal does not end with its seal; compare it with the backup copy',
  'event-data': EVENT_DATA_TEXT.en.hint,
};

export async function command(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    throw new InputError(`journal: unknown subcommand "${sub ?? ''}"`, { hint: 'use `keyceremony journal verify <workdir>`' });
  }
  const { values, positionals } = parseCommandArgs('journal verify', rest, { 'audit-key': { type: 'string', multiple: true }, lang: { type: 'string' } }, [
    'workdir',
  ]);
  const lang = chooseLang(values.lang, io.env);
  const givenKeys = values['audit-key'] === undefined ? undefined : readGivenAuditKeys(values['audit-key'], 'journal verify');
  const workdir = positionals[0]!;
  if (!existsSync(workdir) || !statSync(workdir).isDirectory()) {
    throw new InputError(`journal verify: workdir ${workdir} ${existsSync(workdir) ? 'is not a directory' : 'does not exist'}`, {
      hint: 'give the workdir of a ceremony (the directory that holds journal.jsonl)',
    });
  }
  const file = insideWorkdir(workdir, JOURNAL_FILE);
  if (!existsSync(file)) {
    throw new InputError(`journal verify: ${file} does not exist`, {
      hint: `is ${workdir} the workdir of a ceremony? \`keyceremony run\` creates ${JOURNAL_FILE} there`,
    });
  }
  const state = readWorkdirState(workdir, 'journal verify');
  let bytes: Buffer;
  try {
    bytes = readWorkdirFile(workdir, JOURNAL_FILE, JOURNAL_READ_LIMIT);
  } catch (error) {
    if (error instanceof KeyceremonyError) throw error;
    throw new KeyceremonyError(`journal verify: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { code: 'journal.read' });
  }

  const result = verifyJournalSummary(bytes, { expectedHead: state?.journalHead, requireSeal: state?.ended === true, checkEventData: true });
  for (const line of labelled(lang, VERIFY_TEXT[lang].labels.journal, file)) println(io.stdout, line);
  if (!result.ok) {
    const { problem, records } = result;
    println(
      io.stdout,
      records.length === 0 ? 'verified  no records before the problem' : `verified  records 1 to ${records.length}, before the problem at line ${problem.line}`,
    );
    const eventData = problem.eventData;
    const message =
      eventData === undefined
        ? `journal verify: ${file}, line ${problem.line}: ${problem.message}`
        : eventDataLine(lang, 'journal verify', file, problem, eventData);
    throw new KeyceremonyError(message, {
      hint: eventData === undefined ? HINTS[problem.kind] : EVENT_DATA_TEXT[lang].hint,
      exitCode: ExitCode.failed,
      code: `journal.${problem.kind}`,
      // The facts of the Chinese sentence; a record that does not fit its event is worded in the language of --lang already.
      ...(eventData === undefined ? { details: { file, line: problem.line } } : {}),
    });
  }

  const { count, first, last, head, sealed, auditRecords } = result;
  const checkpoints = checkWorkdirCheckpoints(workdir, first, auditRecords, givenKeys, 'journal verify', file);
  const text = VERIFY_TEXT[lang];
  const out = (label: keyof typeof text.labels | '', value: string): void => {
    for (const line of labelled(lang, label === '' ? '' : text.labels[label], value)) println(io.stdout, line);
  };
  const definition = (first.data.definition as { sha256?: unknown } | undefined)?.sha256;
  if (isSha256Hex(definition)) out('script', text.script(hexLines(lang, definition)));
  const timeZone = isSha256Hex(definition) ? definitionTimeZone(workdir, definition) : undefined;
  out('records', text.records(count, shownTime(lang, first.time, timeZone), shownTime(lang, last.time, timeZone)));
  const recorded = state?.status === undefined ? undefined : (text.statuses[state.status] ?? state.status);
  out('status', sealed ? text.sealed(last.seq, recorded) : text.open(recordName(lang, last), recorded));
  out('head', headLine(text, state, head, sealed));
  out('hash', hexLines(lang, head.hash));
  const words = pgpWords(Buffer.from(head.hash, 'hex')).split(' ');
  // Eight words a line in English, as before; in zh-TW the label is as wide, but the words are wrapped to 80 columns.
  if (lang === 'en') for (let i = 0; i < words.length; i += WORDS_PER_LINE) out(i === 0 ? 'words' : '', words.slice(i, i + WORDS_PER_LINE).join(' '));
  else out('words', words.join(' '));
  out('verified', text.verified(count));
  for (const [label, value] of checkpointLines(lang, text, checkpoints, head.seq)) out(label, value);
  return ExitCode.completed;
}

/** Labels and values take this many columns before the value (`status    `), in both languages. */
const LABEL_WIDTH = 10;
/** The terminal width a zh-TW line is wrapped to; English lines are not wrapped: they keep the exact shape the existing tests quote. */
const LINE_WIDTH = 80;

/**
 * The lines of one fact: its label padded to LABEL_WIDTH columns (display width: a CJK
 * character takes two), then the value. In zh-TW the value is wrapped under the value column
 * so that every line fits 80 columns; a value of several lines (hex in two halves) keeps them.
 * A line with no space in it is a file's path: kept whole, on a line of its own, even past 80
 * columns, so that it can be copied (a long TMPDIR cut `test-audit-` | `key.pem` in two).
 */
function labelled(lang: Lang, label: string, value: string): string[] {
  const prefix = label === '' ? ' '.repeat(LABEL_WIDTH) : `${padDisplay(label, LABEL_WIDTH - 1)} `;
  if (lang === 'en') return [prefix + value];
  const hang = ' '.repeat(displayWidth(prefix));
  const room = LINE_WIDTH - displayWidth(prefix);
  return value
    .split('\n')
    .flatMap((part) => (/\s/.test(part) ? wrapDisplay(part, room) : [part]))
    .map((line, i) => (i === 0 ? prefix : hang) + line);
}

/** Hex in groups of four: on one line in English (as before), in two halves of eight groups in zh-TW, so the line fits 80 columns. */
function hexLines(lang: Lang, hex: string): string {
  const groups = groupedHex(hex).split(' ');
  if (lang === 'en' || groups.length <= 8) return groups.join(' ');
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += 8) lines.push(groups.slice(i, i + 8).join(' '));
  return lines.join('\n');
}

/**
 * A record time in the ceremony's time zone (`2026-11-28 09:16:00 +08:00`, as the report
 * shows it), when the workdir's definition names one; otherwise as the journal wrote it, the
 * ISO text in English (unchanged) and date, time and offset in zh-TW.
 */
function shownTime(lang: Lang, iso: string, timeZone: string | undefined): string {
  if (timeZone === undefined && lang === 'en') return iso;
  return formatTime(iso, timeZone);
}

/**
 * The time zone of the workdir's definition.yaml, when it is the script the journal records
 * (same SHA-256) and loads; undefined otherwise. Only for showing times: the journal's own
 * check never depends on it, and a missing or changed copy is for `report` to refuse.
 */
function definitionTimeZone(workdir: string, recorded: string): string | undefined {
  try {
    return readDefinition(workdir, recorded, 'journal verify').timeZone;
  } catch {
    return undefined;
  }
}

/** A record by its number, step and event, in the words of the failure messages (EVENT_DATA_TEXT). */
function recordName(lang: Lang, record: Pick<JournalRecord, 'seq' | 'step' | 'event'>): string {
  if (lang === 'en') return describeRecord(record);
  const words = EVENT_DATA_TEXT[lang];
  return record.step === null ? fill(words.record, { seq: record.seq, event: record.event }) : fill(words.stepRecord, { ...record, step: record.step });
}

type VerifyText = (typeof VERIFY_TEXT)[Lang];

/**
 * The words of a journal that verifies, English and Traditional Chinese side by side. The
 * zh-TW terms are those of the report and docs/zh-TW-glossary.md: 日誌, 紀錄, 封存 (sealed),
 * 查核點 (checkpoint), 稽核公鑰, 最終雜湊值, 硬體安全模組 (the HSM in a sentence).
 */
const VERIFY_TEXT = {
  en: {
    labels: {
      journal: 'journal',
      script: 'script',
      records: 'records',
      status: 'status',
      head: 'head',
      hash: 'hash',
      words: 'words',
      verified: 'verified',
      checkpoints: 'checkpoints',
      auditKey: 'audit key',
      covered: 'covered',
    },
    statuses: {} as Record<string, string>,
    script: (hex: string) => `SHA-256 ${hex}`,
    records: (count: number, from: string, to: string) => `${count}, from ${from} to ${to}`,
    sealed: (seq: number, status: string | undefined) => `sealed at record ${seq}${status === undefined ? '' : ` (${STATE_FILE} status: ${status})`}`,
    open: (record: string, status: string | undefined) =>
      `open: not sealed, the last record is ${record}${status === undefined ? '' : ` (${STATE_FILE} status: ${status})`}`,
    noState: `no ${STATE_FILE}`,
    noHead: `${STATE_FILE} has no journalHead`,
    notCheckedSealed: (why: string) => `not checked (${why}); the seal shows that nothing was cut off the end`,
    notCheckedOpen: (why: string) => `not checked (${why}): records cut off after the last one shown would not be noticed`,
    headMatches: (seq: number) => `matches ${STATE_FILE} (record ${seq})`,
    headAhead: (seq: number, ahead: number) => `reaches record ${seq} as ${STATE_FILE} records, and ${ahead} more written before the state was saved`,
    verified: (count: number) => `${count} ${count === 1 ? 'record' : 'records'}: none changed, missing, duplicated or reordered`,
    checkpointsNone: 'none: every record is covered only by the final hash on the paper log',
    checkpoints: (all: number, verified: number) => `${all}, ${verified} verified`,
    notChecked: (count: number, spki: string) => `, ${count} not checked (no audit key with their SPKI SHA-256 ${spki}: give --audit-key)`,
    auditKey: (hex: string, from: string) => `SPKI SHA-256 ${hex} (${from})`,
    keyGiven: (source: string) => `--audit-key ${source}`,
    keyWorkdir: (source: string) => `${source}, from the workdir: compare with the init-token record`,
    coveredNone: 'no record by a verified checkpoint: every record only by the final hash',
    coveredAll: (covered: number) => `records 1 to ${covered} by the checkpoint signed in the HSM`,
    coveredPart: (covered: number, last: number) =>
      `records 1 to ${covered} by the checkpoint signed in the HSM; records ${covered + 1} to ${last} only by the final hash`,
  },
  'zh-TW': {
    labels: {
      journal: '日誌檔',
      script: '腳本',
      records: '紀錄',
      status: '狀態',
      head: '日誌末筆',
      hash: '雜湊值',
      words: 'PGP 字詞',
      verified: '驗證',
      checkpoints: '查核點',
      auditKey: '稽核公鑰',
      covered: '保護範圍',
    },
    // state.json's status, in the words of the report (sealStatuses) and the screens.
    statuses: { completed: '已完成', aborted: '已中止', running: '進行中', interrupted: '已中斷', failed: '已失敗' } as Record<string, string>,
    script: (hex: string) => `SHA-256 ${hex}`,
    records: (count: number, from: string, to: string) => `共 ${count} 筆，自 ${from} 至 ${to}`,
    sealed: (seq: number, status: string | undefined) => `於第 ${seq} 筆紀錄封存${status === undefined ? '' : `（${STATE_FILE} 所載狀態：${status}）`}`,
    open: (record: string, status: string | undefined) => `未封存：最後一筆為${record}${status === undefined ? '' : `（${STATE_FILE} 所載狀態：${status}）`}`,
    noState: `沒有 ${STATE_FILE}`,
    noHead: `${STATE_FILE} 未記載日誌末筆`,
    notCheckedSealed: (why: string) => `未檢查（${why}）；封存紀錄表示末端未遭截去任何紀錄`,
    notCheckedOpen: (why: string) => `未檢查（${why}）：最後一筆之後若有紀錄遭截去，將無從察覺`,
    headMatches: (seq: number) => `與 ${STATE_FILE} 相符（第 ${seq} 筆）`,
    headAhead: (seq: number, ahead: number) => `達 ${STATE_FILE} 所記載之第 ${seq} 筆，其後另有 ${ahead} 筆於狀態儲存前寫入`,
    verified: (count: number) => `共 ${count} 筆紀錄，無任何竄改、缺漏、重複或順序錯置`,
    checkpointsNone: '無：所有紀錄僅由紙本紀錄上之最終雜湊值保護',
    checkpoints: (all: number, verified: number) => `共 ${all} 個，${verified} 個已驗證`,
    notChecked: (count: number, spki: string) => `，${count} 個未檢查（找不到 SPKI SHA-256 為 ${spki} 之稽核公鑰：請以 --audit-key 提供）`,
    // The hex in two halves and the file on lines of their own: a wrap never cuts a sentence in the middle of a term.
    auditKey: (hex: string, from: string) => `SPKI SHA-256\n${hex}\n${from}`,
    keyGiven: (source: string) => `${source}\n（以 --audit-key 提供）`,
    keyWorkdir: (source: string) => `${source}\n（取自工作目錄：請與載具初始化儀式之紀錄核對）`,
    coveredNone: '無任何紀錄受已驗證之查核點保護：所有紀錄僅由最終雜湊值保護',
    coveredAll: (covered: number) => `第 1 至 ${covered} 筆紀錄由硬體安全模組簽署之查核點保護`,
    coveredPart: (covered: number, last: number) =>
      `第 1 至 ${covered} 筆紀錄由硬體安全模組簽署之查核點保護；\n第 ${covered + 1} 至 ${last} 筆僅由最終雜湊值保護`,
  },
} satisfies Record<Lang, unknown>;

/** What the checkpoints prove, and what they do not: the records after the last verified one rest on the final hash alone. */
function checkpointLines(lang: Lang, text: VerifyText, report: CheckpointReport, lastSeq: number): Array<[keyof VerifyText['labels'], string]> {
  const { checks, keys, keysFrom } = report;
  if (checks.length === 0) return [['checkpoints', text.checkpointsNone]];
  const verified = checks.filter((c) => c.status === 'verified');
  const unchecked = checks.filter((c) => c.status === 'no-key');
  const lines: Array<[keyof VerifyText['labels'], string]> = [
    [
      'checkpoints',
      text.checkpoints(checks.length, verified.length) +
        (unchecked.length > 0 ? text.notChecked(unchecked.length, [...new Set(unchecked.map((c) => c.spkiSha256))].join(', ')) : ''),
    ],
  ];
  for (const key of keys.filter((k) => verified.some((c) => c.key === k))) {
    lines.push(['auditKey', text.auditKey(hexLines(lang, key.spkiSha256), keysFrom === 'given' ? text.keyGiven(key.source) : text.keyWorkdir(key.source))]);
  }
  const covered = verified.at(-1)?.signedSeq;
  lines.push(['covered', covered === undefined ? text.coveredNone : covered >= lastSeq - 1 ? text.coveredAll(covered) : text.coveredPart(covered, lastSeq)]);
  return lines;
}

function headLine(text: VerifyText, state: WorkdirState | undefined, head: JournalHead, sealed: boolean): string {
  if (state?.journalHead === undefined) {
    const why = state === undefined ? text.noState : text.noHead;
    return sealed ? text.notCheckedSealed(why) : text.notCheckedOpen(why);
  }
  const ahead = head.seq - state.journalHead.seq;
  return ahead === 0 ? text.headMatches(head.seq) : text.headAhead(state.journalHead.seq, ahead);
}
