// Placeholders in message templates are `{name}`; a missing parameter is left visible rather
// than hidden. One function for every catalogue (the UI's, exit lines, journal verify's), so a
// command that only prints a line need not load the UI's catalogues to word it.
export type Params = Record<string, string | number>;

export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

// Chinese text and the names put into it (issue 16 item 11). A template cannot know whether
// a title is Chinese or Latin: 「擔任{a}」 ran 擔任 into a Latin-led title (PIN 碼分持保管人). So
// where a value meets the text around it with no space, a Chinese character and a Latin
// letter or digit get one; beside full-width punctuation there is none (「HCA」, not 「 HCA」).
// A space the template puts around a name stays where the name meets the text in a Latin
// letter (除 張淑芬 Carol 外); where an all-Chinese name meets Chinese text it goes (除張淑芬外):
// Chinese sets no space between words. A template that runs a title into its sentence writes
// none ({credential}的保管人).
const IDEOGRAPH = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/u;
const FULL_WIDTH_PUNCTUATION = /[\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]/u;
const LATIN = /[A-Za-z0-9]/;

/**
 * The space between `left` and `right` where a value meets text (`spaced`: the template or value
 * put one there; `chineseValue`: the value has no Latin letter or digit), or undefined to keep it.
 */
function spaceBetween(left: string, right: string, spaced: boolean, chineseValue: boolean): string | undefined {
  if (FULL_WIDTH_PUNCTUATION.test(left) || FULL_WIDTH_PUNCTUATION.test(right)) return '';
  if (chineseValue && IDEOGRAPH.test(left) && IDEOGRAPH.test(right)) return '';
  if (!spaced && ((IDEOGRAPH.test(left) && LATIN.test(right)) || (LATIN.test(left) && IDEOGRAPH.test(right)))) return ' ';
  return undefined;
}

/**
 * `fill` for Traditional Chinese templates: at each edge of a filled value, a space where a
 * Chinese character meets a Latin one, none beside full-width punctuation, none where an
 * all-Chinese value meets a Chinese character (spaceBetween).
 * Spaces inside a value, and in the template away from a value, are left as they are.
 */
export function fillChinese(template: string, params: Params = {}): string {
  let out = '';
  // Each edge of a value, and whether every value meeting there is all Chinese (no Latin letter or digit).
  const edges = new Map<number, boolean>();
  const mark = (at: number, chinese: boolean) => edges.set(at, (edges.get(at) ?? true) && chinese);
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const value = params[match[1]!];
    if (value === undefined) continue;
    out += template.slice(last, match.index);
    const text = String(value);
    const chinese = !LATIN.test(text);
    mark(out.length, chinese);
    out += text;
    mark(out.length, chinese);
    last = match.index + match[0].length;
  }
  out += template.slice(last);
  // From the end, so the positions before each edge stay where they were.
  for (const [edge, chinese] of [...edges].sort(([a], [b]) => b - a)) {
    let start = edge;
    while (start > 0 && out[start - 1] === ' ') start--;
    let end = edge;
    while (end < out.length && out[end] === ' ') end++;
    if (start === 0 || end === out.length) continue;
    const space = spaceBetween(out[start - 1]!, out[end]!, end > start, chinese);
    if (space !== undefined) out = out.slice(0, start) + space + out.slice(end);
  }
  return out;
}
