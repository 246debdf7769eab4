// Sign-off: each participant confirms, says whether the ceremony followed the script, and
// writes a note (required when it did not).
import { Box, Text } from 'ink';
import { Form, formHelpRows } from '../components/form.js';
import { moreLine } from '../components/more-line.js';
import { Tone } from '../components/tone.js';
import { Wrapped } from '../components/wrapped.js';
import type { FieldSpec } from '../model/fields.js';
import { useText } from '../providers.js';
import { displayWidth, fitDisplay, padDisplay, widest, wrapDisplay } from '../../util/text-width.js';

export interface SignOffLine {
  id: string;
  name: string;
  signedOff: boolean;
  followedScript?: boolean | undefined;
}

export interface SignOffScreenProps {
  participants: readonly SignOffLine[];
  /** Everything off the script on record (every kind, from the journal): how many, and how many of each kind in words. */
  deviations: { count: number; kinds: string };
  onSubmit: (signOff: { participant: string; followedScript: boolean; note: string }) => void;
  rows: number;
  width: number;
}

// A longer name is cut to this many columns on the list (the sign-off record keeps it whole).
const NAME_MAX = 30;

export function SignOffScreen({ participants, deviations, onSubmit, rows, width }: SignOffScreenProps) {
  const { t } = useText();
  const fields: FieldSpec[] = [
    {
      name: 'participant',
      label: t('signOff.participant'),
      help: t('people.typeOwnId'),
      check: (id) => {
        const p = participants.find((x) => x.id === id);
        if (!p) return t('people.notSignedIn', { id });
        return p.signedOff ? t('signOff.already', { id }) : undefined;
      },
      describe: (id) => participants.find((x) => x.id === id)?.name,
    },
    {
      name: 'followed',
      // With deviations listed, the question is about the rest: a "no" is not read as the person's own failing.
      label: deviations.count > 0 ? t('signOff.followedApart', { n: deviations.count }) : t('signOff.followed'),
      kind: 'choice',
      // With deviations on record "followed the script" is no default: each person answers.
      ...(deviations.count > 0 ? { preselect: false, help: t('signOff.followedHelp', { n: deviations.count }) } : {}),
      choices: [
        { value: 'yes', label: t('common.yes') },
        { value: 'no', label: t('common.no') },
      ],
    },
    // A note is required when the script was not followed, and welcome when it was.
    { name: 'note', label: t('signOff.noteRequired'), help: t('signOff.noteHelp'), shownWhen: (v) => v.followed === 'no' },
    { name: 'comment', label: t('signOff.note'), optional: true, help: t('signOff.commentHelp'), shownWhen: (v) => v.followed !== 'no' },
  ];
  const idWidth = widest(participants.map((p) => p.id));
  // Names padded to the widest (by display width: a CJK character takes two columns), so the
  // answers start in one column in both languages, not ragged after each name (review of issue 16).
  const nameWidth = Math.min(NAME_MAX, widest(participants.map((p) => p.name)));
  const intro = deviations.count > 0 ? t('signOff.intro', { n: deviations.count, kinds: deviations.kinds }) : t('signOff.introNone');
  const room = Math.max(1, rows - 5 - formHelpRows(fields, width) - wrapDisplay(intro, width).length);
  // More people than rows: one row says who is not shown (as the sign-in does), and those
  // left out are the ones who have signed off already, so whoever still has to sign is on screen.
  const hideCount = participants.length <= room ? 0 : participants.length - Math.max(0, room - 1);
  const hidden = new Set([...participants.filter((p) => p.signedOff), ...participants.filter((p) => !p.signedOff).reverse()].slice(0, hideCount));
  const shown = participants.filter((p) => !hidden.has(p));
  // Who still has to sign is named as such, apart from those who signed off already (review17:
  // '另有 4 人未列出（wang、lin、chen、tsai）' mixed three who had signed with one who had not).
  const hiddenToSign = participants.filter((p) => hidden.has(p) && !p.signedOff).map((p) => p.id);
  const hiddenSigned = participants.filter((p) => hidden.has(p) && p.signedOff).length;
  const also = hiddenSigned > 0 ? t('signOff.moreAlso', { n: hiddenSigned }) : '';
  const more =
    hiddenToSign.length > 0
      ? `${moreLine(t, 'signOff.moreToSign', hiddenToSign, width - displayWidth(also))}${also}`
      : hiddenSigned > 0
        ? `   ${t('signOff.moreSigned', { n: hiddenSigned })}`
        : undefined;
  return (
    <Box flexDirection="column">
      <Wrapped text={intro} width={width} />
      {shown.map((p) => (
        <Text key={p.id}>
          <Tone kind={p.signedOff ? 'ok' : 'muted'}>{p.signedOff ? ' ✓ ' : ' · '}</Tone>
          {padDisplay(p.id, idWidth)}
          {'  '}
          {p.signedOff ? padDisplay(fitDisplay(p.name, nameWidth), nameWidth) : fitDisplay(p.name, nameWidth)}
          <Tone kind="muted">{p.signedOff ? `  ${p.followedScript ? t('signOff.followedYes') : t('signOff.followedNo')}` : ''}</Tone>
        </Text>
      ))}
      {more ? <Tone kind="muted">{more}</Tone> : null}
      <Box marginTop={1}>
        <Form
          width={width}
          fields={fields}
          onSubmit={(values) =>
            onSubmit({ participant: values.participant!, followedScript: values.followed === 'yes', note: values.note ?? values.comment ?? '' })
          }
        />
      </Box>
    </Box>
  );
}
