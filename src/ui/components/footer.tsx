// The keys that work now, and only those.
import { Box } from 'ink';
import { displayWidth, wrapDisplay } from '../../util/text-width.js';
import { Tone } from './tone.js';

export interface KeyHint {
  keys: string;
  action: string;
  /**
   * Hints without it are always shown. When the line is wider than the screen, the hint with
   * the highest rank goes first (its key still works; the demo intro and README list it).
   */
  dropRank?: number;
}

const SEPARATOR = '  ';

function hintText(hint: KeyHint): string {
  return hint.keys ? `${hint.keys} ${hint.action}` : hint.action;
}

/**
 * The hints on one line (issue 16: a two-line footer takes a body row at 80x24): the least
 * needed hints are left out until the line fits, each shown hint whole (a cut hint is a key
 * nobody knows about).
 */
export function footerLines(hints: readonly KeyHint[], width: number): string[] {
  let shown = [...hints];
  const line = () => shown.map(hintText).join(SEPARATOR);
  while (displayWidth(line()) > width) {
    const spare = shown.reduce<KeyHint | undefined>(
      (worst, h) => (h.dropRank !== undefined && (worst === undefined || h.dropRank > (worst.dropRank ?? 0)) ? h : worst),
      undefined,
    );
    if (!spare) break;
    shown = shown.filter((h) => h !== spare);
  }
  const text = line();
  if (text === '') return [];
  // Hints that must stay and still do not fit (a long translation) are wrapped, never cut.
  return displayWidth(text) > width ? wrapDisplay(text, width) : [text];
}

export function Footer({ hints, width }: { hints: readonly KeyHint[]; width: number }) {
  return (
    <Box flexDirection="column">
      {footerLines(hints, width).map((line, i) => (
        <Tone key={i} kind="muted">
          {line}
        </Tone>
      ))}
    </Box>
  );
}

export function Rule({ width }: { width: number }) {
  return <Tone kind="muted">{'─'.repeat(width)}</Tone>;
}
