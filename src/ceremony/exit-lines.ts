// The lines `run` and `resume` print when the ceremony ends or stops, in the language of
// --lang (issue 16 item 2: after the UI exits, the officers read these too). The commands
// and paths in them stay as they are typed.
import type { Lang } from '../util/lang.js';
import { fill } from '../util/fill.js';
import { stepIndex, stepTitle, type Definition } from '../definition/definition.js';

const LINES = {
  en: {
    dryRun: 'DRY RUN ',
    step: 'step {n}, {title}',
    interrupted: '{dryRun}interrupted at {step}; to resume:',
    ended: '{dryRun}{ceremony} {status}; journal of {n} records:',
    completed: 'completed',
    aborted: 'aborted',
    report: 'report {file}',
    finalHash: 'final journal hash (SHA-256):',
    inWords: 'in words (PGP word list):',
  },
  'zh-TW': {
    dryRun: '演練 ',
    step: '步驟 {n}「{title}」',
    interrupted: '{dryRun}於{step}中斷；狀態已保存；續行請輸入：',
    ended: '{dryRun}{ceremony} {status}；日誌共 {n} 筆紀錄：',
    completed: '已完成',
    aborted: '已終止',
    report: '報告 {file}',
    finalHash: '日誌最終雜湊值（SHA-256）：',
    inWords: '以字詞表示（PGP 字詞表）：',
  },
} satisfies Record<Lang, Record<string, string>>;

/**
 * A command or path after its exit line, on a line of its own (issue 16 item 10): at 80
 * columns a path inside a sentence was wrapped mid-number ("共 4" / "6 筆") and the resume
 * command was split from its backquote. Alone, it is copied or typed whole.
 */
export function exitDetail(text: string): string {
  return `keyceremony:   ${text}`;
}

export type ExitLine = keyof (typeof LINES)['en'];

export function exitLine(lang: Lang, key: ExitLine, params: Record<string, string | number> = {}): string {
  return `keyceremony: ${fill(LINES[lang][key], params)}`;
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

export function dryRunWord(lang: Lang, dryRun: boolean): string {
  return dryRun ? LINES[lang].dryRun : '';
}
