// Below 80x24 the ceremony's screens would lose lines (at 72x22 two custodians vanished
// from the share-entry list): this replaces them until the terminal grows, then the
// ceremony comes back as it was (issue 16 item 10). Ctrl+C here is not silent: the screen
// says how to stop (enlarge, then the stop screen opens by itself), in the terminal's language.
import { Box, Text } from 'ink';
import { Tone } from '../components/tone.js';
import { useText } from '../providers.js';
import { DESIGN_SIZE } from '../terminal.js';
import { wrapDisplay } from '../../util/text-width.js';

export interface TooSmallScreenProps {
  columns: number;
  rows: number;
  width: number;
  /** Ctrl+C was pressed here: how the stop goes on (one person, or two: who stops and who confirms). */
  stopAsked?: 'one' | 'two' | undefined;
}

export function TooSmallScreen({ columns, rows, width, stopAsked }: TooSmallScreenProps) {
  const { t } = useText();
  const need = { needColumns: DESIGN_SIZE.columns, needRows: DESIGN_SIZE.rows };
  const text = t('tooSmall.text', { columns, rows, ...need });
  const shown = Math.min(width, columns);
  return (
    <Box flexDirection="column">
      <Tone kind="warn" bold>
        {t('tooSmall.title')}
      </Tone>
      {wrapDisplay(text, shown).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      {stopAsked
        ? wrapDisplay(t(stopAsked === 'two' ? 'tooSmall.stopTwo' : 'tooSmall.stopOne', need), shown).map((line, i) => (
            <Tone key={`stop${i}`} kind="warn">
              {line}
            </Tone>
          ))
        : null}
    </Box>
  );
}
