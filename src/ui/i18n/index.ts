// Message catalogues: every word the terminal UI shows comes from en.ts or zh-TW.ts, which
// have the same keys (the compiler checks zh-TW against en, and a test checks both ways).
// Placeholders are `{name}`; a missing parameter is left visible rather than hidden.
import type { Bilingual } from '../../definition/definition.js';
import { en } from './en.js';
import { zhTW } from './zh-TW.js';

export type { Lang } from '../../util/lang.js';
import type { Lang } from '../../util/lang.js';
export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
export type { Params } from '../../util/fill.js';
import { fill, fillChinese, type Params } from '../../util/fill.js';
export { fill };
// The Chinese sentences of refusal codes, which the report words its incidents with too.
export { hintWords, problemWords } from './problems.js';
export type Translate = (key: MessageKey, params?: Params) => string;

export const CATALOGUES: Record<Lang, Messages> = { en, 'zh-TW': zhTW };

export function translator(lang: Lang): Translate {
  const messages = CATALOGUES[lang];
  // Chinese text sets the spaces where a name meets it (util/fill.ts): 擔任 PIN 碼分持保管人, 載具的.
  const filled = lang === 'zh-TW' ? fillChinese : fill;
  return (key, params) => filled(messages[key], params);
}

/** Numbers as a list in words: "3", "3, 7 and 16", 第 3、7 及 16 (the share and fingerprint groups). */
export function listNumbers(t: Translate, numbers: readonly number[]): string {
  return numbers.length === 1 ? String(numbers[0]) : `${numbers.slice(0, -1).join(t('shares.listSeparator'))}${t('shares.listLast')}${numbers.at(-1)!}`;
}

/** A definition's own text (titles, instructions, statements) in the terminal's language. */
export function pick(text: Bilingual, lang: Lang): string {
  return text[lang];
}
