// Screen content as data: blocks of facts (label and value), prose, and preformatted text.
// They are laid out into lines of a known width here, so the step screen can show a window
// of them at 80x24 and scroll the rest, and CJK labels line up by display width.
import { displayWidth, fitDisplay, padDisplay, widest, wrapDisplay, wrapIndented } from '../../util/text-width.js';

export type LineTone = 'plain' | 'muted' | 'ok' | 'bad' | 'warn' | 'accent' | 'title';

export interface Fact {
  label: string;
  /** A line break in the value starts a new line under it (a fingerprint's two lines of eight groups). */
  value: string;
  tone?: LineTone;
}

export type Block =
  | { kind: 'facts'; facts: Fact[]; title?: string }
  // A text's leading spaces indent every line it wraps into; `hang` (columns) indents the lines after the first instead.
  | { kind: 'text'; text: string; tone?: LineTone; hang?: number }
  | { kind: 'pre'; lines: string[]; title?: string };

export interface Line {
  text: string;
  tone: LineTone;
}

const LABEL_MAX = 24;

function factLines(facts: Fact[], width: number): Line[] {
  const labelWidth = Math.min(LABEL_MAX, widest(facts.map((f) => f.label)));
  const valueWidth = Math.max(10, width - labelWidth - 4);
  const lines: Line[] = [];
  for (const fact of facts) {
    const label = padDisplay(fitDisplay(fact.label, labelWidth), labelWidth);
    fact.value
      .split('\n')
      .flatMap((line) => wrapDisplay(line, valueWidth))
      .forEach((part, i) => {
        lines.push({ text: `  ${i === 0 ? label : ' '.repeat(labelWidth)}  ${part}`, tone: fact.tone ?? 'plain' });
      });
  }
  return lines;
}

export function blockLines(blocks: readonly Block[], width: number): Line[] {
  const lines: Line[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'facts':
        if (block.facts.length === 0) break;
        if (block.title) lines.push({ text: block.title, tone: 'accent' });
        lines.push(...factLines(block.facts, width));
        break;
      case 'text':
        for (const part of wrapIndented(block.text, width, block.hang)) lines.push({ text: part, tone: block.tone ?? 'plain' });
        break;
      case 'pre':
        if (block.title) lines.push({ text: block.title, tone: 'accent' });
        // Never cut what will be signed: a long line goes on, indented, on the next one.
        for (const line of block.lines) {
          if (displayWidth(line) <= width) {
            lines.push({ text: line, tone: 'plain' });
            continue;
          }
          const hang = Math.min(16, (/^ */.exec(line)?.[0].length ?? 0) + 4);
          for (const part of wrapIndented(line, width, hang)) lines.push({ text: part, tone: 'plain' });
        }
        break;
    }
  }
  return lines;
}
