// The keys that work now, and only those.
import { Box } from 'ink';
import { displayWidth, wrapDisplay } from '../../util/text-width.js';
import { Tone } from './tone.js';

export interface KeyHint {
  keys: string;
  action: string;
}

/**
 * The hints on as many lines as they need, each hint whole (a cut hint is a key nobody
 * knows about): at 80 columns usually one line, two when many keys work.
 */
export function footerLines(hints: readonly KeyHint[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const hint of hints) {
    const text = hint.keys ? `${hint.keys} ${hint.action}` : hint.action;
    const next = line === '' ? text : `${line}  ${text}`;
    if (line !== '' && displayWidth(next) > width) {
      lines.push(line);
      line = text;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  // A single hint wider than the screen (a long translation) is wrapped, never cut.
  return lines.flatMap((l) => (displayWidth(l) > width ? wrapDisplay(l, width) : [l]));
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
