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

/**
 * Wraps `text` into lines of at most `width` columns: at spaces where there are spaces
 * (English), between any two characters where there are none (Chinese has no spaces).
 */
export function wrapDisplay(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/(?<= )/)) {
      if (stringWidth(line + word.trimEnd()) <= width) {
        line += word;
        continue;
      }
      if (line.trim() !== '') lines.push(line.trimEnd());
      line = '';
      for (const char of word) {
        if (stringWidth(line + char) > width) {
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
