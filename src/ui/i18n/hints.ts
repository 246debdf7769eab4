// The engine's hints in the terminal's language (issue 16; review terms16t: a zh-TW screen
// said `提示：seal the object in a new bag…`). The catalogues hold each hint under
// `fix.<code>`, and where one code gives several hints, `fix.<code>#<which>`. An English
// entry may name what the engine put into its hint as `{name}` (a group number, a share set,
// a custodian's id): the engine's hint must be exactly that text with something in each
// place, and the Chinese entry is filled with the same values. A hint no entry matches is
// not translated: a call site that words its hint differently, or adds to it, is not given
// a translation of something else.
import type { Lang } from '../../util/lang.js';
import { fillChinese } from '../../util/fill.js';
import { en } from './en.js';
import { zhTW } from './zh-TW.js';

/** The catalogue key a code's hints are under: every storage failure shares one. */
function hintCode(code: string): string {
  return code.startsWith('storage.') ? 'storage' : code;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The values of an English template's `{name}` places in `hint`, or undefined when the hint is not that template. */
function matchTemplate(template: string, hint: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const place = /^\{(\w+)\}$/.exec(part);
      if (!place) return escapeRegExp(part);
      names.push(place[1]!);
      return '(.+?)';
    })
    .join('');
  const found = new RegExp(`^${pattern}$`, 's').exec(hint);
  if (!found) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, found[i + 1]!]));
}

/** The catalogue keys of `code`'s hints: `fix.<code>` and `fix.<code>#<which>`. */
export function hintKeys(code: string): string[] {
  const base = `fix.${hintCode(code)}`;
  return Object.keys(en).filter((key) => key === base || key.startsWith(`${base}#`));
}

/** The hint in zh-TW where an entry of its code matches the engine's English exactly; else undefined. */
export function translatedHint(lang: Lang, problem: { code?: string | undefined; hint?: string | undefined }): string | undefined {
  if (lang === 'en' || !problem.hint || !problem.code) return undefined;
  const english: Readonly<Record<string, string>> = en;
  const chinese: Readonly<Record<string, string>> = zhTW;
  for (const key of hintKeys(problem.code)) {
    const values = matchTemplate(english[key]!, problem.hint);
    if (values !== undefined) return fillChinese(chinese[key]!, values);
  }
  return undefined;
}
