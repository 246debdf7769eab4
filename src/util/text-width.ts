// Terminal columns, not string length: a CJK character takes two columns, so labels in
// Traditional Chinese are padded and cut by display width (string-width, which Ink itself
// uses to lay out text) or the columns of a zh-TW screen drift out of line.
import stringWidth from 'string-width';

export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces to `width` columns (never cut). */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** `text` cut to at most `width` columns, with … when something was cut. */
export function fitDisplay(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  for (const char of text) {
    if (stringWidth(out + char) > width - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** The widest of `texts`, in columns. */
export function widest(texts: readonly string[]): number {
  return texts.reduce((max, text) => Math.max(max, stringWidth(text)), 0);
}

// Characters a line must not start with (closing punctuation) or end with (opening
// punctuation), so a wrap never leaves 「 alone at the end of a line or ， at the start of one.
const NO_BREAK_BEFORE = new Set([...'，、。．：；！？）」』》〉】〕…,.:;!?)]}']);
const NO_BREAK_AFTER = new Set([...'（「『《〈【〔([{']);

// A Latin word at most this wide is not broken at its `/` or `-`: a token label
// like "DEMO-MXCBLK9K" or a name like Wang-Lindqvist, read and compared as one, moves to the
// next line whole; a path or a long id still breaks at them.
const SHORT_WORD = 20;

/**
 * May a line break between `before` and `char`? After spaces, around wide (CJK) characters,
 * and after `/` and `-` in a word wider than SHORT_WORD columns (`longWord`).
 */
function breakBetween(before: string, char: string, longWord: boolean): boolean {
  if (char === ' ' || NO_BREAK_BEFORE.has(char) || NO_BREAK_AFTER.has(before)) return false;
  if (before === '/' || before === '-') return longWord;
  return before === ' ' || stringWidth(before) === 2 || stringWidth(char) === 2;
}

// A file name without a folder (hca-so-pin.init.manifest.json, maybe in quotes or followed by
// punctuation): read and compared whole, it moves to the next line whole like a short word;
// only a path breaks at its `/` and `-` (issue 16, the confirm-result screen).
const FILE_NAME = /^[("'「]?[\w.-]+\.[A-Za-z0-9]{1,5}[)"'」,.:;]*$/;

// A command-line flag (--allow-software-token, maybe in quotes or brackets, or followed by
// punctuation) is typed as one: it moves to the next line whole, never "--allow-" and
// "software-token" on two lines (review of issue 16 at 80x24).
const FLAG = /^[("'「`[]?--[A-Za-z0-9][\w-]*[)"'」`\],.:;]*$/;

/**
 * For each position in `chars`, whether the Latin word it lies in (between spaces or CJK
 * characters: 機房：SOFTHSM-DRYRUN、 holds the word SOFTHSM-DRYRUN) is wider than SHORT_WORD and not a file name or a flag.
 */
function inLongWords(chars: readonly string[]): boolean[] {
  const long = chars.map(() => false);
  const edge = (char: string) => char === ' ' || stringWidth(char) === 2;
  let start = 0;
  while (start < chars.length) {
    let end = start;
    while (end < chars.length && !edge(chars[end]!)) end++;
    const word = chars.slice(start, end).join('');
    if (stringWidth(word) > SHORT_WORD && !FILE_NAME.test(word) && !FLAG.test(word)) for (let i = start; i < end; i++) long[i] = true;
    start = end + 1;
  }
  return long;
}

// A run of at most this many CJK characters standing alone between spaces is a name or a
// word (張淑芬 in "張淑芬 Carol", 管理員): it is kept on one line, as a Latin word is.
const SHORT_CJK_RUN = 4;

/** For each position in `chars`, whether it lies inside a short CJK run between spaces (or the ends), after its first character. */
function insideShortRuns(chars: readonly string[]): boolean[] {
  const inside = chars.map(() => false);
  let start = 0;
  while (start < chars.length) {
    if (stringWidth(chars[start]!) !== 2) {
      start++;
      continue;
    }
    let end = start;
    while (end < chars.length && stringWidth(chars[end]!) === 2) end++;
    const alone = (start === 0 || chars[start - 1] === ' ') && (end === chars.length || chars[end] === ' ');
    if (alone && end - start <= SHORT_CJK_RUN) for (let i = start + 1; i < end; i++) inside[i] = true;
    start = end;
  }
  return inside;
}

// The CJK names of the people of the ceremony at hand (李建國 of "李建國 Dave"), as the UI
// registers them once people sign in. Chinese breaks between any two characters, so a name
// glued to the words around it (保管人為李建國；…) could end one line and start the next
// (李 | 建國, review of issue 16 at 80x24). Rather than guess which characters form a name,
// the runs the people themselves gave are kept whole wherever they appear: a break may fall
// before or after such a run, never inside it. Kept here, module-wide, so every wrap of the
// screen (messages, records, notices) keeps them without each caller passing the people on.
let wholeNames: ReadonlyArray<readonly string[]> = [];

/** The names whose CJK runs (two characters or more) no wrap breaks inside; replaces those given before. */
export function keepNamesWhole(names: Iterable<string>): void {
  const runs = new Set<string>();
  for (const name of names) for (const run of name.match(/[\p{Script=Han}]{2,}/gu) ?? []) runs.add(run);
  wholeNames = [...runs].map((run) => [...run]);
}

/** For each position in `chars`, whether it lies inside a registered name (after its first character). */
function insideNames(chars: readonly string[]): boolean[] {
  const inside = chars.map(() => false);
  for (const name of wholeNames)
    for (let start = 0; start + name.length <= chars.length; start++)
      if (name.every((char, k) => chars[start + k] === char)) for (let k = 1; k < name.length; k++) inside[start + k] = true;
  return inside;
}

/** The pieces of `paragraph` between break opportunities; each keeps its trailing spaces. */
function segments(paragraph: string): string[] {
  const chars = [...paragraph];
  const names = insideNames(chars);
  const inside = insideShortRuns(chars).map((short, i) => short || names[i]!);
  const long = inLongWords(chars);
  const out: string[] = [];
  let piece = '';
  chars.forEach((char, i) => {
    // PIN 碼 is one term: its space is not a place to break (a line ending in PIN and the next starting with 碼).
    const pinTerm = char === '碼' && chars.slice(Math.max(0, i - 4), i).join('') === 'PIN ';
    if (piece !== '' && !inside[i] && !pinTerm && breakBetween(chars[i - 1]!, char, long[i]!)) {
      out.push(piece);
      piece = '';
    }
    piece += char;
  });
  if (piece !== '') out.push(piece);
  return out;
}

/**
 * Wraps `text` into lines of at most `width` columns. Lines break at spaces, after `/` and
 * `-` in long words (paths, ids) and between CJK characters (Chinese has no spaces), never inside a Latin
 * word, a flag, a hex group, a short CJK name between spaces or a registered name (keepNamesWhole): only a
 * word wider than the whole line is cut, between characters.
 */
export function wrapDisplay(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const piece of segments(paragraph)) {
      if (stringWidth(line + piece.trimEnd()) <= width) {
        line += piece;
        continue;
      }
      if (line.trim() !== '') lines.push(line.trimEnd());
      line = '';
      if (stringWidth(piece.trimEnd()) <= width) {
        line = piece;
        continue;
      }
      for (const char of piece) {
        if (stringWidth(line + char) > width && line.trim() !== '') {
          lines.push(line.trimEnd());
          line = '';
        }
        line += char;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** `text` wrapped to `width` columns with its leading indent kept on every line, or `hang` columns on the lines after the first. */
export function wrapIndented(text: string, width: number, hang?: number): string[] {
  // Each paragraph (line of `text`) keeps its own indent, so a message of several lines keeps its shape.
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, width, hang));
}

function wrapParagraph(text: string, width: number, hang: number | undefined): string[] {
  const indent = /^ */.exec(text)![0];
  const next = ' '.repeat(hang ?? indent.length);
  const body = text.slice(indent.length);
  const first = wrapDisplay(body, Math.max(1, width - indent.length));
  if (first.length <= 1 || next.length === indent.length) return first.map((line) => indent + line);
  // The first line keeps its indent; the rest are wrapped again to the narrower width after the hang.
  const rest = wrapDisplay(body.slice(first[0]!.length).trimStart(), Math.max(1, width - next.length));
  return [indent + first[0]!, ...rest.map((line) => next + line)];
}
