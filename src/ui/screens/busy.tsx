// While the HSM works: what it is doing, and that nobody should touch anything.
import { Box, Text } from 'ink';
import { Spinner } from '../components/spinner.js';
import { Tone } from '../components/tone.js';
import { useText } from '../providers.js';

export function BusyScreen({ doing }: { doing: string }) {
  const { t } = useText();
  return (
    <Box flexDirection="column">
      <Spinner label={doing} />
      <Text> </Text>
      <Tone kind="muted">{t('busy.wait')}</Tone>
    </Box>
  );
}
