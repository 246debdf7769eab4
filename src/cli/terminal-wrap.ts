// Lines printed at a terminal, wrapped between words to its columns (issue 16 item 11). Its own
// module, apart from error-text.ts and exit-code.ts: the display width comes from string-width,
// whose Intl.Segmenter is a native handle no V8 start-up snapshot can hold, and the snapshot's
// entry (startup-snapshot.ts) shares the top-level catch. bin.ts lends the catch this wrap.
import { displayWidth, wrapDisplay } from '../util/text-width.js';
import { println, terminalColumns, type CliIo } from './io.js';

// The start of a line the wrap keeps on the first line only; the lines after it are indented under its end.
const LEAD = /^keyceremony:(?: (?:error|hint|warning|錯誤|提示|警告|原文)(?::|：))? *(?:原文：)?/;

/**
 * A line at a terminal of `columns` columns: wrapped between words (and between Chinese
 * characters), never inside a word, an id or a path shorter than the line, each continuation
 * indented under the text after `keyceremony: error: `. The terminal's own wrap cut words.
 */
export function wrapForTerminal(line: string, columns: number): string[] {
  if (displayWidth(line) <= columns) return [line];
  // A command or path alone on its line (exitDetail) is copied or typed whole: never broken here.
  if (/^keyceremony: {3}(?!原文：)/.test(line)) return [line];
  const lead = LEAD.exec(line)?.[0] ?? '';
  const indent = Math.min(displayWidth(lead), Math.floor(columns / 2));
  const body = wrapDisplay(line.slice(lead.length), Math.max(10, columns - indent));
  return body.map((part, i) => (i === 0 ? lead : ' '.repeat(indent)) + part);
}

/**
 * How `run` and `resume` print their lines: at a terminal each is wrapped to its columns
 * between words, continuation lines indented under the message; to a pipe each stays one line.
 */
export function printLines(io: CliIo): (line: string) => void {
  const columns = terminalColumns(io.stdout);
  return (line) => {
    for (const part of columns === undefined ? [line] : wrapForTerminal(line, columns)) println(io.stdout, part);
  };
}
