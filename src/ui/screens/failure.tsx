// A step failed: what the HSM or the tool said, its hint, and only the choices that are
// safe now. A retry needs two people, like every other decision that is not routine.
import { Box, Text } from 'ink';
import { useState } from 'react';
import { Form, formHelpRows } from '../components/form.js';
import { Scroll } from '../components/scroll.js';
import type { Line } from '../model/blocks.js';
import { visibleFields } from '../model/fields.js';
import { useLineInput } from '../components/line-input.js';
import { Tone } from '../components/tone.js';
import type { FieldSpec } from '../model/fields.js';
import { useText } from '../providers.js';
import { wrapDisplay } from '../../util/text-width.js';

export type FailureChoice = 'exception' | 'pause' | 'abort' | 'stop';

export interface FailureScreenProps {
  stepTitle: string;
  message: string;
  hint?: string | undefined;
  /** The token warns that the next login is the last try before the PIN locks. */
  finalTry: boolean;
  twoPeople: readonly FieldSpec[];
  onRetry: (by: string[], allowFinalTry: boolean) => void;
  onChoose: (choice: FailureChoice) => void;
  width: number;
  /** Rows the screen may take: a long message scrolls rather than push the header off the terminal (review16s). */
  rows?: number;
}

const KEYS: Record<string, FailureChoice> = { e: 'exception', p: 'pause', a: 'abort', s: 'stop' };

export function FailureScreen({ stepTitle, message, hint, finalTry, twoPeople, onRetry, onChoose, width, rows = 22 }: FailureScreenProps) {
  const { t } = useText();
  const [retrying, setRetrying] = useState(false);
  useLineInput(
    {
      onText: (text) => {
        const key = text.toLowerCase();
        if (key === 'r') setRetrying(true);
        else if (KEYS[key]) onChoose(KEYS[key]);
      },
    },
    !retrying,
  );
  const fields: FieldSpec[] = finalTry
    ? [
        ...twoPeople,
        {
          name: 'finalTry',
          label: t('failure.allowFinalTry'),
          kind: 'choice',
          choices: [
            { value: 'no', label: t('common.no') },
            { value: 'yes', label: t('common.yes') },
          ],
        },
      ]
    : [...twoPeople];
  const title = wrapDisplay(t('failure.title', { step: stepTitle }), width);
  const said: Line[] = [
    ...wrapDisplay(message, width - 2).map((line): Line => ({ text: `  ${line}`, tone: 'plain' })),
    ...(hint ? wrapDisplay(t('notice.hintLine', { hint }), width - 2).map((line): Line => ({ text: `  ${line}`, tone: 'warn' })) : []),
    ...(finalTry ? wrapDisplay(t('failure.finalTryWarning'), width - 2).map((line): Line => ({ text: `  ${line}`, tone: 'warn' })) : []),
  ];
  // Under the message: a blank line, then the choices (a line and five keys) or the retry form (its title, fields and help).
  const below = 1 + (retrying ? 1 + Math.max(1, visibleFields(fields, {}).length) + formHelpRows(fields, width) : 6);
  return (
    <Box flexDirection="column">
      {title.map((line, i) => (
        <Tone key={`t${i}`} kind="bad" bold>
          {line}
        </Tone>
      ))}
      <Scroll lines={said} height={Math.max(2, rows - title.length - below)} />
      <Box marginTop={1} flexDirection="column">
        {retrying ? (
          <>
            <Tone kind="accent">{t('failure.retryTitle')}</Tone>
            <Form width={width} fields={fields} onSubmit={(v) => onRetry([v.first!, v.second!], v.finalTry === 'yes')} />
          </>
        ) : (
          <>
            <Text>{t('failure.choices')}</Text>
            <Text>{`  r  ${t('failure.retry')}`}</Text>
            <Text>{`  e  ${t('failure.exception')}`}</Text>
            <Text>{`  p  ${t('failure.pause')}`}</Text>
            <Text>{`  a  ${t('failure.abort')}`}</Text>
            <Text>{`  s  ${t('failure.stop')}`}</Text>
          </>
        )}
      </Box>
    </Box>
  );
}
