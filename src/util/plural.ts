// Counted nouns: English puts a role title in the plural after a count other than one
// ("3 PIN share custodians", not "3 PIN share custodian"); Chinese has no plural form
// (醫事憑證管理中心管理員 2 人). Titles come from the definition, so the rule is the
// regular one, applied to the title's last word.
import type { Lang } from './lang.js';

function englishPlural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** `phrase` as counted `n` times in `lang`: the last English word in the plural unless n is 1. */
export function counted(lang: Lang, n: number, phrase: string): string {
  if (lang !== 'en' || n === 1) return phrase;
  return phrase.replace(/[A-Za-z]+$/, englishPlural);
}
