// Where the ceremony is among its steps: the last one done, the current one, the next one,
// and how many more lie on either side (the finished ones are in the record above).
import { Box, Text } from 'ink';
import { useText } from '../providers.js';
import { fitDisplay, padDisplay, widest } from '../../util/text-width.js';
import { Tone } from './tone.js';

export interface StepLine {
  number: number;
  id: string;
  title: string;
}

export interface StepListProps {
  steps: readonly StepLine[];
  /** 0-based index of the current step; steps.length when all are done. */
  current: number;
  width: number;
}

export function StepList({ steps, current, width }: StepListProps) {
  const { t } = useText();
  const from = Math.max(0, Math.min(current - 1, steps.length - 3));
  const shown = steps.slice(from, from + 3);
  // Numbers padded to the widest of the whole ceremony (" 9 keygen" over "10 sign-off"), so the
  // ids and titles stay in one column once the steps reach two digits, wherever the list scrolls.
  const numberWidth = String(steps.reduce((max, s) => Math.max(max, s.number), 0)).length;
  const label = (step: StepLine) => `${String(step.number).padStart(numberWidth)} ${step.id}`;
  const idWidth = widest(shown.map(label));
  const after = Math.max(0, steps.length - (from + shown.length));
  return (
    <Box flexDirection="column">
      {shown.map((step, i) => {
        const index = from + i;
        const state = index < current ? 'done' : index === current ? 'current' : 'todo';
        const mark = state === 'done' ? '✓' : state === 'current' ? '▶' : '·';
        const more =
          i === shown.length - 1 && after > 0 ? `  ${t('steps.more', { n: after })}` : i === 0 && from > 0 ? `  ${t('steps.earlier', { n: from })}` : '';
        const title = fitDisplay(step.title, Math.max(8, width - idWidth - 6 - more.length - 2));
        return (
          <Text key={step.id}>
            <Tone kind={state === 'done' ? 'ok' : state === 'current' ? 'accent' : 'muted'}>{` ${mark} `}</Tone>
            <Tone kind={state === 'current' ? 'accent' : state === 'todo' ? 'muted' : 'plain'} bold={state === 'current'}>
              {padDisplay(label(step), idWidth)}
            </Tone>
            {'  '}
            <Tone kind={state === 'todo' ? 'muted' : 'plain'}>{title}</Tone>
            <Tone kind="muted">{more}</Tone>
          </Text>
        );
      })}
    </Box>
  );
}
