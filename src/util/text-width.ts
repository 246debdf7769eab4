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

/** May a line break between `before` and `char`? After spaces, `/` and `-`, and around wide (CJK) characters. */
function breakBetween(before: string, char: string): boolean {
  if (char === ' ' || NO_BREAK_BEFORE.has(char) || NO_BREAK_AFTER.has(before)) return false;
  return before === ' ' || before === '/' || before === '-' || stringWidth(before) === 2 || stringWidth(char) === 2;
}

/** The pieces of `paragraph` between break opportunities; each keeps its trailing spaces. */
function segments(paragraph: string): string[] {
  const out: string[] = [];
  let piece = '';
  let before = '';
  for (const char of paragraph) {
    if (piece !== '' && breakBetween(before, char)) {
      out.push(piece);
      piece = '';
    }
    piece += char;
    before = char;
  }
  if (piece !== '') out.push(piece);
  return out;
}

/**
 * Wraps `text` into lines of at most `width` columns. Lines break at spaces, after `/` and
 * `-` (paths, ids) and between CJK characters (Chinese has no spaces), never inside a Latin
 * word or a hex group: only a word wider than the whole line is cut, between characters.
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
