// A refusal or failure, near the input it concerns: what the machine said and its hint.
import { Box } from 'ink';
import type { Translate } from '../i18n/index.js';
import { useText } from '../providers.js';
import { wrapDisplay } from '../../util/text-width.js';
import { Tone, type ToneKind } from './tone.js';

export interface NoticeContent {
  title: string;
  message: string;
  hint?: string | undefined;
  tone: ToneKind;
}

function parts(t: Translate, notice: NoticeContent, width: number): { head: string[]; hint: string[] } {
  return {
    head: wrapDisplay(t('notice.line', { title: notice.title, message: notice.message }), width),
    hint: notice.hint ? wrapDisplay(t('notice.hintLine', { hint: notice.hint }), width) : [],
  };
}

/** How many rows the notice takes, so the step screen above can make room. */
export function noticeRows(t: Translate, notice: NoticeContent | undefined, width: number): number {
  if (!notice) return 0;
  const { head, hint } = parts(t, notice, width);
  return head.length + hint.length;
}

export function Notice({ notice, width }: { notice: NoticeContent | undefined; width: number }) {
  const { t } = useText();
  if (!notice) return null;
  const { head, hint } = parts(t, notice, width);
  return (
    <Box flexDirection="column">
      {head.map((line, i) => (
        <Tone key={`m${i}`} kind={notice.tone} bold={i === 0}>
          {line}
        </Tone>
      ))}
      {hint.map((line, i) => (
        <Tone key={`h${i}`} kind="warn">
          {line}
        </Tone>
      ))}
    </Box>
  );
}
