// A message laid out in lines of the screen's width by our own wrapping (at spaces, `/`,
// `-` and between CJK characters), not Ink's, which cuts a long path or id at the edge and
// starts its continuation lines at column 0: here they keep the message's indent, or hang
// under its first line, and nothing is cut (issue 16 item 10).
import { Box } from 'ink';
import { wrapIndented } from '../../util/text-width.js';
import { Tone, type ToneKind } from './tone.js';

export function Wrapped({ text, width, kind = 'plain', bold = false, hang }: { text: string; width: number; kind?: ToneKind; bold?: boolean; hang?: number }) {
  return (
    <Box flexDirection="column">
      {wrapIndented(text, width, hang).map((line, i) => (
        <Tone key={i} kind={kind} bold={bold}>
          {line}
        </Tone>
      ))}
    </Box>
  );
}
