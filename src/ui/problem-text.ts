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
 * The hint in the terminal's language, when the catalogue has it. A hint is translated only
 * when the engine's hint is exactly the English text the translation was made from: a call
 * site that words its hint differently, or adds to it, keeps its own words rather than
 * getting a translation of something else. `lang`: the screen's, for the hints worded by code.
 */
export function hintText(t: Translate, problem: Problem, lang: Lang = 'en'): string | undefined {
  if (!problem.hint || !problem.code) return problem.hint;
  // The hints the Chinese catalogue words by code (i18n/problems-zh.ts), where the catalogue has no exact fix.*.
  const worded = lang === 'en' ? undefined : hintWords(lang, problem);
  if (worded !== undefined) return worded;
  const key = catalogued(`fix.${problem.code.startsWith('storage.') ? 'storage' : problem.code}`);
  return key && CATALOGUES.en[key] === problem.hint ? t(key) : problem.hint;
}
