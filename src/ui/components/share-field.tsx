// Where a custodian types a share. Nothing of the share is ever drawn: one • per symbol
// typed, and after each group of five a mark saying whether that group is right (every
// group carries its own check character). The typed text lives only in this component's
// buffer, and the buffer is emptied the moment the share is handed on.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { checkShareTyping, type GroupState } from '../../quorum/index.js';
import { useText } from '../providers.js';
import { Cursor } from './cursor.js';
import { eraseLast, useLineInput } from './line-input.js';
import { Tone } from './tone.js';

export interface ShareFieldProps {
  label: string;
  /** The share set this step needs; a share of another set is flagged as soon as groups 1 to 3 say so. */
  expectedSetId?: string | undefined;
  /** Called with the complete share (all groups and the checksum right); the field is then emptied. */
  onSubmit(text: string): void;
  onEscape?: () => void;
  focus?: boolean;
}

const MARK: Record<GroupState, string> = { valid: '✓', invalid: '✗', incomplete: '' };

export function ShareField({ label, expectedSetId, onSubmit, onEscape, focus = true }: ShareFieldProps) {
  const { t } = useText();
  const [buffer, setBuffer] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const live = useRef(buffer);
  live.current = buffer;
  const set = (next: string) => {
    live.current = next;
    setBuffer(next);
    setMessage(undefined);
  };

  useLineInput(
    {
      onText: (text) => set(live.current + text),
      onErase: () => set(eraseLast(live.current)),
      onClear: () => set(''),
      onKey: (key) => {
        if (key.escape) onEscape?.();
      },
      onEnter: () => {
        const typed = live.current;
        const check = checkShareTyping(typed);
        if (!check.complete) {
          setMessage(check.problem ?? t('shares.incomplete'));
          return;
        }
        set('');
        onSubmit(typed);
      },
    },
    focus,
  );

  const check = checkShareTyping(buffer);
  const wrong = check.groups.findIndex((g) => g.state === 'invalid');
  const foreign = expectedSetId !== undefined && check.setId !== undefined && check.setId !== expectedSetId;
  const status = message
    ? { kind: 'bad' as const, text: message }
    : wrong >= 0
      ? { kind: 'bad' as const, text: t('shares.groupWrong', { n: wrong + 1 }) }
      : foreign
        ? { kind: 'bad' as const, text: t('shares.wrongSet', { got: check.setId ?? '', want: expectedSetId ?? '' }) }
        : check.problem
          ? { kind: 'bad' as const, text: check.problem }
          : check.complete
            ? { kind: 'ok' as const, text: t('shares.complete') }
            : undefined;
  const typedGroups = check.groups.filter((g) => g.state !== 'incomplete').length;

  return (
    <Box flexDirection="column">
      <Text>
        <Tone kind="accent">{'› '}</Tone>
        {label}{' '}
        <Tone kind="muted">{check.expectedGroups ? t('shares.groupCount', { k: typedGroups, n: check.expectedGroups }) : t('shares.groupCountUnknown', { k: typedGroups })}</Tone>
      </Text>
      <Text>
        {'  '}
        {check.groups.map((group, i) => (
          <Text key={i}>
            {'•'.repeat(group.text.length)}
            <Tone kind={group.state === 'valid' ? 'ok' : 'bad'}>{MARK[group.state]}</Tone>
            {i < check.groups.length - 1 ? ' ' : ''}
          </Text>
        ))}
        <Cursor shown={focus} />
      </Text>
      {status ? <Tone kind={status.kind}>{`  ${status.kind === 'ok' ? '✓' : '✗'} ${status.text}`}</Tone> : <Text> </Text>}
    </Box>
  );
}
