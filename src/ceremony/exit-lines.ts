// The lines `run` and `resume` print when the ceremony ends or stops, in the language of
// --lang (issue 16 item 2: after the UI exits, the officers read these too). The commands
// and paths in them stay as they are typed.
import type { Lang } from '../util/lang.js';
import { fill, fillChinese } from '../util/fill.js';
import { stepIndex, stepTitle, type Definition } from '../definition/definition.js';

const LINES = {
  en: {
    dryRun: 'DRY RUN ',
    production: 'PRODUCTION ',
    productionSoftware: 'PRODUCTION ON A SOFTWARE TOKEN ',
    step: 'step {n}, {title}',
    interrupted: '{dryRun}interrupted at {step}; to resume:',
    ended: '{dryRun}"{ceremony}" {status}; journal of {n} records:',
    completed: 'completed',
    aborted: 'aborted',
    report: 'report {file}',
    finalHash: 'final journal hash (SHA-256):',
    inWords: 'in words (PGP word list):',
    reportNotWritten: 'warning: the report {file} could not be written ({why}); this makes it from the journal:',
    logoutFailed: 'warning: logging out: {why}',
    warning: 'warning: {warning}',
    alreadySealed: '{ceremony} is already sealed ({status}); nothing to resume',
    sealedBefore: '{dryRun}{ceremony} was sealed before the interruption ({status}, record {seq}); nothing to resume',
    signalReceived: '{signal} received: stopping when the current operation has finished',
    stoppedAfterSeal:
      '{dryRun}stopped on the closing screen: the journal is sealed and stays as it is; the closing was not acknowledged and no report was written; resume shows the closing again:',
    sealedAcknowledge:
      "a witness signs the paper log beside this hash: the seal is the journal's last record, so the acknowledgement is on paper, not in the journal",
  },
  'zh-TW': {
    dryRun: '（演練）',
    production: '（正式）',
    productionSoftware: '正式（軟體載具）',
    step: '步驟 {n}「{title}」',
    interrupted: '{dryRun}於{step}中斷；狀態已保存；續行請輸入：',
    ended: '{dryRun}「{ceremony}」{status}；日誌共 {n} 筆紀錄：',
    completed: '已完成',
    aborted: '已中止',
    report: '報告 {file}',
    finalHash: '日誌最終雜湊值（SHA-256）：',
    inWords: '以字詞表示（PGP 字詞表）：',
    reportNotWritten: '警告：無法寫入報告 {file}（{why}）；可由日誌重新產生：',
    logoutFailed: '警告：登出時發生錯誤（{why}）',
    warning: '警告：{warning}',
    alreadySealed: '「{ceremony}」已封存（{status}），無須續行',
    sealedBefore: '{dryRun}「{ceremony}」於中斷前已封存（{status}，第 {seq} 筆紀錄），無須續行',
    signalReceived: '收到 {signal} 訊號：目前的操作完成後即停止',
    stoppedAfterSeal: '{dryRun}於結束畫面停止：日誌已封存，維持原狀；結束畫面尚未經見證人確認，亦未產生報告；續行時將再次顯示結束畫面：',
    sealedAcknowledge: '請見證人於紙本紀錄上此雜湊值旁簽名確認：封存紀錄是日誌的最後一筆，故確認記在紙本紀錄上，不在日誌中',
  },
} satisfies Record<Lang, Record<string, string>>;

// A scripted run's line per finished step (`run --answers`), in the language of --lang.
const PROGRESS = {
  en: {
    line: '{dryRun}[{k}/{n}] {step} ({type}) done{summary}',
    summary: ': {parts}',
    separator: '; ',
    list: ', ',
    by: 'by {who}',
    key: 'key {label} {algorithm} spki sha256 {sha}…',
    file: '{name} sha256 {sha}…',
    unlocked: 'token {token} unlocked',
    locked: 'locked {tokens}',
    destroyed: 'key {label} destroyed',
    fromToken: '{field} {value} as the token reports it (answers: reportedByToken)',
  },
  'zh-TW': {
    line: '{dryRun}[{k}/{n}] {title}（{step}）已完成{summary}',
    summary: '：{parts}',
    separator: '；',
    list: '、',
    by: '執行與見證：{who}',
    key: '金鑰 {label}（{algorithm}），公鑰 SHA-256 {sha}…',
    file: '檔案 {name}，SHA-256 {sha}…',
    unlocked: '載具 {token} 已解鎖',
    locked: '已登出載具 {tokens}',
    destroyed: '金鑰 {label} 已銷毀',
    fromToken: '{field} 取自載具回報之 {value}（答案檔：reportedByToken）',
  },
} satisfies Record<Lang, Record<string, string>>;

/** What a finished step left, for its progress line: people, keys, files, tokens. */
export interface StepSummary {
  who: string[];
  keys: Array<{ label: string; algorithm: string; sha: string }>;
  files: Array<{ name: string; sha: string }>;
  unlocked: string | undefined;
  locked: string[];
  destroyed: string[];
  /** Record values a rehearsal's answers took from the token itself (reportedByToken): read, not typed. */
  fromToken?: Array<{ field: string; value: string }>;
}

/** A scripted run's line for a finished step: `[3/12] keygen (generate-key) done: by alice, wendy; key …`. */
export function progressLine(
  lang: Lang,
  dryRun: boolean,
  position: { k: number; n: number },
  step: { id: string; type: string; title: string },
  s: StepSummary,
): string {
  const w = PROGRESS[lang];
  const say = lang === 'zh-TW' ? fillChinese : fill;
  const parts = [
    ...(s.who.length ? [say(w.by, { who: s.who.join(w.list) })] : []),
    ...s.keys.map((key) => say(w.key, key)),
    ...s.files.map((file) => say(w.file, file)),
    ...(s.unlocked ? [say(w.unlocked, { token: s.unlocked })] : []),
    ...(s.locked.length ? [say(w.locked, { tokens: s.locked.join(w.list) })] : []),
    ...s.destroyed.map((label) => say(w.destroyed, { label })),
    ...(s.fromToken ?? []).map((taken) => say(w.fromToken, taken)),
  ];
  const summary = parts.length ? fill(w.summary, { parts: parts.join(w.separator) }) : '';
  return say(w.line, { dryRun: dryRunWord(lang, dryRun), ...position, step: step.id, type: step.type, title: step.title, summary });
}

/**
 * A command or path after its exit line, on a line of its own (issue 16 item 10): at 80
 * columns a path inside a sentence was wrapped mid-number ("共 4" / "6 筆") and the resume
 * command was split from its backquote. Alone, it is copied or typed whole.
 */
export function exitDetail(text: string): string {
  return `keyceremony:   ${text}`;
}

/**
 * The resume command as typed: a workdir does not keep the language, so a Chinese ceremony's
 * command says --lang zh-TW, or resume at a terminal whose locale is not Chinese reopened it in
 * English (review16e). English is the default and needs nothing.
 */
export function resumeCommand(dir: string, lang: Lang): string {
  return `keyceremony resume ${dir}${lang === 'en' ? '' : ` --lang ${lang}`}`;
}

export type ExitLine = keyof (typeof LINES)['en'];

export function exitLine(lang: Lang, key: ExitLine, params: Record<string, string | number> = {}): string {
  // Chinese sets the spaces where a name meets it (util/fill.ts): 演練醫事憑證… 已完成, not a doubled space.
  return `keyceremony: ${(lang === 'zh-TW' ? fillChinese : fill)(LINES[lang][key], params)}`;
}

// Why a file could not be written or a logout failed, in Chinese: the system's error code says
// it (EACCES…); the HSM's return value is named as the vendor's papers name it (CKR_…). What
// neither says is called unknown, with the code beside it, never the English sentence alone.
const WHY_ZH: Readonly<Record<string, string>> = {
  EACCES: '權限不足',
  EPERM: '權限不足',
  ENOSPC: '磁碟空間不足',
  EEXIST: '檔案已存在',
  ENOENT: '路徑不存在',
  EROFS: '檔案系統為唯讀',
  EISDIR: '該路徑為目錄',
  EIO: '讀寫錯誤',
};

/** The reason of `error` for an exit line: its message in English; in Chinese, from its code. */
export function exitWhy(lang: Lang, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (lang === 'en') return message;
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (typeof code !== 'string') return '原因不明';
  if (WHY_ZH[code]) return `${WHY_ZH[code]}，${code}`;
  return /^CKR_/.test(code) ? `硬體安全模組回報 ${code}` : `原因不明，${code}`;
}

/** A word of the catalogue on its own (the status inside a line). */
export function exitWord(lang: Lang, key: 'completed' | 'aborted'): string {
  return LINES[lang][key];
}

/** A step as the exit lines name it: number and title (the id only for a step the definition lacks). */
export function exitStep(lang: Lang, definition: Definition, id: string | undefined): string {
  const index = id === undefined ? -1 : stepIndex(definition, id);
  if (index < 0) return id ?? '?';
  return fill(LINES[lang].step, { n: index + 1, title: stepTitle(definition.steps[index]!, lang) });
}

/**
 * The mode at the head of an exit line: DRY RUN / （演練） or PRODUCTION / （正式）, PRODUCTION ON
 * A SOFTWARE TOKEN / 正式（軟體載具） on one. A production
 * run says so as plainly as a rehearsal does, so neither line passes for the other (issue 16).
 */
export function dryRunWord(lang: Lang, dryRun: boolean, softwareToken = false): string {
  // On a software token, as the header says it (header.productionSoftware): review at 80x24.
  return dryRun ? LINES[lang].dryRun : softwareToken ? LINES[lang].productionSoftware : LINES[lang].production;
}
