// A window of prepared lines that fits the rows left on an 80x24 screen; Page Up and Page
// Down move it when there is more (a certificate description is longer than the screen).
import { Box, Text } from 'ink';
import { useKeys } from '../keyboard.js';
import { useEffect, useState } from 'react';
import type { Line } from '../model/blocks.js';
import { useInputActive, useText } from '../providers.js';
import { Tone } from './tone.js';

/** `onEndShown`: called once the last line has been on screen (at once when everything fits). */
export function Scroll({ lines, height, onEndShown }: { lines: readonly Line[]; height: number; onEndShown?: (() => void) | undefined }) {
  const { t } = useText();
  const [offset, setOffset] = useState(0);
  const overflow = lines.length > height;
  const room = overflow ? Math.max(1, height - 1) : height;
  const maxOffset = Math.max(0, lines.length - room);
  const at = Math.min(offset, maxOffset);
  useKeys((_input, key) => {
    if (key.pageDown) setOffset(Math.min(maxOffset, at + room));
    if (key.pageUp) setOffset(Math.max(0, at - room));
  }, useInputActive() && overflow);
  const shown = lines.slice(at, at + room);
  const endShown = at + shown.length >= lines.length;
  useEffect(() => {
    if (endShown) onEndShown?.();
  }, [endShown, onEndShown]);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Tone key={i} kind={line.tone}>
          {line.text === '' ? ' ' : line.text}
        </Tone>
      ))}
      {overflow ? <Text>{<Tone kind="muted">{t('scroll.more', { from: at + 1, to: at + shown.length, n: lines.length })}</Tone>}</Text> : null}
    </Box>
  );
}
