// Paused: nothing moves until two people continue the ceremony.
import { Box, Text } from 'ink';
import { Form } from '../components/form.js';
import { Tone } from '../components/tone.js';
import type { FieldSpec } from '../model/fields.js';
import { useText } from '../providers.js';
import { wrapDisplay } from '../../util/text-width.js';

export function PausedScreen({
  by,
  reason,
  twoPeople,
  onContinue,
  width,
}: {
  by: string;
  reason: string;
  twoPeople: readonly FieldSpec[];
  onContinue: (by: string[]) => void;
  width: number;
}) {
  const { t } = useText();
  return (
    <Box flexDirection="column">
      {wrapDisplay(t('paused.title', { by, reason }), width).map((line, i) => (
        <Tone key={i} kind="warn" bold>
          {line}
        </Tone>
      ))}
      <Text>{t('paused.continue')}</Text>
      <Box marginTop={1}>
        <Form width={width} fields={twoPeople} onSubmit={(v) => onContinue([v.first!, v.second!])} />
      </Box>
    </Box>
  );
}
