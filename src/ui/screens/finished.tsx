import { Box } from 'ink';
import { Tone } from '../components/tone.js';
import { useText } from '../providers.js';

/** The last frame: left on the terminal when the UI closes. */
export function FinishedScreen({ status }: { status: 'completed' | 'aborted' | 'interrupted' | 'failed' }) {
  const { t } = useText();
  const tone = status === 'completed' ? 'ok' : status === 'interrupted' ? 'warn' : 'bad';
  return (
    <Box flexDirection="column">
      <Tone kind={tone} bold>
        {t(`finished.${status}`)}
      </Tone>
    </Box>
  );
}
