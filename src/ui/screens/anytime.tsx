// What can be done at any moment, over whatever step is on screen: record an exception,
// pause, abort (two people and a reason), let someone join who missed the sign-in (two
// people confirm them), or stop for now and resume later. Esc goes back.
import { Box, Text } from 'ink';
import { Form } from '../components/form.js';
import { useLineInput } from '../components/line-input.js';
import { Tone } from '../components/tone.js';
import type { FieldSpec } from '../model/fields.js';
import { useText } from '../providers.js';
import { translator } from '../i18n/index.js';
import { LANGS } from '../../util/lang.js';
import { wrapDisplay } from '../../util/text-width.js';

import type { Participant } from '../../ceremony/types.js';
import { resumeCommand } from '../../ceremony/exit-lines.js';
import { chosenRoles, personFields, type RoleLine } from './sign-in.js';

/**
 * The whole word that stops, in either language: 是 needs a Chinese input method, which a
 * keyboard-only ceremony terminal may not have, so a Chinese screen takes yes too and says so
 * once a wrong word was typed (review at 80x24, B1). A single letter never stops (review16g 13).
 */
const STOP_WORDS: ReadonlySet<string> = new Set(LANGS.map((lang) => translator(lang)('stop.yesWord')));

export type Overlay = 'exception' | 'pause' | 'abort' | 'join' | 'stop';

export interface OverlayScreenProps {
  overlay: Overlay;
  /** One signed-in person (exception, pause). */
  onePerson: FieldSpec;
  twoPeople: readonly FieldSpec[];
  /** The two who abort, or stop and confirm: people who take part (an auditor alone is refused). */
  twoTakingPart: readonly FieldSpec[];
  onException: (by: string, text: string) => void;
  onPause: (by: string, reason: string) => void;
  onAbort: (by: string[], reason: string) => void;
  /** Someone who was not at the sign-in: their id, name and roles, and the two who confirm them. */
  onJoin: (participant: Participant, confirmedBy: string[]) => void;
  join: { roles: readonly RoleLine[]; conflicts: ReadonlyArray<readonly [string, string]>; participants: readonly Participant[] };
  /** Who stopped and who confirmed (empty before two people have signed in). */
  onStop: (by: string[]) => void;
  /**
   * Two people have signed in: the one who stops names themselves and a second confirms,
   * as for a pause. Before that nothing sensitive can have happened and nobody could be
   * named, so typing yes is enough.
   */
  stopNeedsTwo: boolean;
  onCancel: () => void;
  /** Shown on the stop screen: where the state is saved. */
  workdir: string;
  /**
   * Ids of the custodians whose shares of the step under way are entered: a stop discards
   * them (HSM logins end with the process), and the stop screen says so by name before
   * anyone confirms (review of issue 16).
   */
  sharesEntered?: readonly string[];
  /**
   * The share cards a stop makes void (a step that hands out new shares, stopped before the
   * token is set), as a sentence naming the custodians and the sets (issue 16 item 1).
   */
  cardsVoided?: string | undefined;
  width: number;
}

export function OverlayScreen({
  overlay,
  onePerson,
  twoPeople,
  twoTakingPart,
  onException,
  onPause,
  onAbort,
  onJoin,
  join,
  onStop,
  stopNeedsTwo,
  onCancel,
  workdir,
  sharesEntered = [],
  cardsVoided,
  width,
}: OverlayScreenProps) {
  const { t, lang } = useText();
  useLineInput({ onKey: (key) => key.escape && onCancel() });
  const body = (() => {
    switch (overlay) {
      case 'exception':
        return <Form width={width} fields={[onePerson, { name: 'text', label: t('exception.what') }]} onSubmit={(v) => onException(v.by!, v.text!)} />;
      case 'pause':
        return <Form width={width} fields={[onePerson, { name: 'reason', label: t('pause.reason') }]} onSubmit={(v) => onPause(v.by!, v.reason!)} />;
      case 'abort':
        return (
          <Form
            width={width}
            fields={[...twoTakingPart, { name: 'reason', label: t('abort.reason') }]}
            onSubmit={(v) => onAbort([v.first!, v.second!], v.reason!)}
          />
        );
      case 'join':
        return (
          <Form
            width={width}
            fields={[...personFields(t, join.roles, join.conflicts, join.participants, { joining: true }), ...twoPeople]}
            onSubmit={(v) => onJoin({ id: v.id!, name: v.name!.trim(), roles: chosenRoles(v.roles!, join.roles) }, [v.first!, v.second!])}
          />
        );
      case 'stop':
        return (
          <Form
            width={width}
            fields={[
              ...(stopNeedsTwo
                ? [
                    { ...twoTakingPart[0]!, label: t('stop.who') },
                    { ...twoTakingPart[1]!, label: t('stop.second') },
                  ]
                : []),
              { name: 'confirm', label: t('stop.confirm'), check: (v) => (STOP_WORDS.has(v.trim().toLowerCase()) ? undefined : t('stop.typeYes')) },
            ]}
            onSubmit={(v) => onStop(stopNeedsTwo ? [v.first!, v.second!] : [])}
          />
        );
    }
  })();
  const discarded =
    overlay !== 'stop'
      ? ''
      : (sharesEntered.length === 0
          ? ''
          : t(sharesEntered.length === 1 ? 'stop.shareDiscarded' : 'stop.sharesDiscarded', {
              n: sharesEntered.length,
              ids: sharesEntered.join(t('list.separator')),
            })) + (cardsVoided ?? '');
  // The resume command as the line after exit prints it (exit-lines.ts): one truth for --lang.
  const intro = t(`${overlay}.intro`, { command: resumeCommand(workdir, lang), discarded });
  return (
    <Box flexDirection="column">
      <Tone kind={overlay === 'abort' ? 'bad' : 'accent'} bold>
        {t(`${overlay}.title`)}
      </Tone>
      {wrapDisplay(intro, width).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
    </Box>
  );
}
