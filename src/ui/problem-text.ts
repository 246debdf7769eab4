// The machine's and the HSM's refusals are English sentences naming the step, person or
// share (they also go into the journal). A Traditional Chinese screen says the whole
// sentence in Chinese from the facts the refusal keeps (i18n/problems.ts), with no English
// after it; an English screen leads with the gist where the code is known and keeps the
// machine's own words. A code no catalogue knows is shown as the machine worded it.
import type { Problem } from '../ceremony/types.js';
import { CATALOGUES, type Lang, type MessageKey, type Translate } from './i18n/index.js';
import { hintWords, problemWords, type ProblemNames } from './i18n/problems.js';

function catalogued(key: string): MessageKey | undefined {
  return key in CATALOGUES.en ? (key as MessageKey) : undefined;
}

function knownKey(code: string | undefined): MessageKey | undefined {
  return code ? catalogued(`code.${code}`) : undefined;
}

/** One line: the whole sentence in zh-TW; in English the gist (when known) and the machine's own words. */
export function problemText(t: Translate, lang: Lang, problem: Problem, names: ProblemNames = {}): string {
  if (lang !== 'en') return problemWords(lang, problem, names) ?? problem.message;
  const key = knownKey(problem.code);
  const gist = key ? t(key) : undefined;
  return gist && gist !== problem.message ? t('common.aside', { text: gist, aside: problem.message }) : problem.message;
}

/**
 * The hint in the terminal's language, when the catalogue has it (i18n/hints.ts). A hint is
 * translated only when the engine's hint is exactly the English text the translation was
 * made from. On an English screen the hint is the engine's; on a Chinese screen a hint the
 * catalogue has no words for is left out rather than shown in English (review terms16t: no
 * English in zh-TW): the sentence above it says what happened, and the journal keeps the hint.
 */
export function hintText(lang: Lang, problem: Problem): string | undefined {
  if (lang === 'en') return problem.hint;
  return hintWords(lang, problem);
}
