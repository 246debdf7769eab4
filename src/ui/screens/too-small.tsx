// Below 80x24 the ceremony's screens would lose lines (at 72x22 two custodians vanished
// from the share-entry list): this replaces them until the terminal grows, then the
// ceremony comes back as it was (issue 16 item 10).
import { Box, Text } from 'ink';
import { Tone } from '../components/tone.js';
import { useText } from '../providers.js';
import { DESIGN_SIZE } from '../terminal.js';
import { wrapDisplay } from '../../util/text-width.js';

export function TooSmallScreen({ columns, rows, width }: { columns: number; rows: number; width: number }) {
  const { t } = useText();
  const text = t('tooSmall.text', { columns, rows, needColumns: DESIGN_SIZE.columns, needRows: DESIGN_SIZE.rows });
  return (
    <Box flexDirection="column">
      <Tone kind="warn" bold>
        {t('tooSmall.title')}
      </Tone>
      {wrapDisplay(text, Math.min(width, columns)).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </Box>
  );
}
