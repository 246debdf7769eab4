// Sign-off: each participant confirms, says whether the ceremony followed the script, and
// writes a note (required when it did not).
import { Box, Text } from 'ink';
import { Form, formHelpRows } from '../components/form.js';
import { moreLine } from '../components/more-line.js';
import { Tone } from '../components/tone.js';
import { Wrapped } from '../components/wrapped.js';
import type { FieldSpec } from '../model/fields.js';
import { useText } from '../providers.js';
import { counted } from '../../util/plural.js';
import { displayWidth, fitDisplay, padDisplay, widest, wrapDisplay } from '../../util/text-width.js';

export interface SignOffLine {
  id: string;
  name: string;
  signedOff: boolean;
  followedScript?: boolean | undefined;
  /** How many deviations were on record when the person answered (the "apart from" of their question). */
  apart?: number | undefined;
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
  const { t, lang } = useText();
  // "the 4 deviations on record": the deviations are counted, not said to be "above", since the
  // screen lists none of them (review at 80x24: the small demo has no deviations step).
  const apartFrom = (n: number) => ({ n, deviations: counted(lang, n, t('signOff.deviation')) });
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
      label: deviations.count > 0 ? t('signOff.followedApart', apartFrom(deviations.count)) : t('signOff.followed'),
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
  // A yes given apart from deviations on record is recorded as such, not as a plain yes.
  const followedText = (p: SignOffLine) =>
    !p.followedScript ? t('signOff.followedNo') : p.apart ? t('signOff.followedYesApart', apartFrom(p.apart)) : t('signOff.followedYes');
  const idWidth = widest(participants.map((p) => p.id));
  // Names padded to the widest (by display width: a CJK character takes two columns), so the
  // answers start in one column in both languages, not ragged after each name (review of issue 16).
  const nameWidth = Math.min(NAME_MAX, widest(participants.map((p) => p.name)));
  const intro = deviations.count > 0 ? t('signOff.intro', { n: deviations.count, kinds: deviations.kinds }) : t('signOff.introNone');
  const room = Math.max(1, rows - 5 - formHelpRows(fields, width) - wrapDisplay(intro, width).length);
  // More people than rows: one row says who is not shown (as the sign-in does), and those
  // left out are the ones who have signed off already, so whoever still has to sign is on screen.
  // An answer too long for the row after the name wraps under the answer column, and the
  // person then takes as many rows as it does.
  const lead = 3 + idWidth + 2 + nameWidth + 2;
  const answerLines = (p: SignOffLine) => (p.signedOff ? wrapDisplay(followedText(p), Math.max(10, width - lead)) : ['']);
  const rowsOf = (list: readonly SignOffLine[]) => list.reduce((n, p) => n + answerLines(p).length, 0);
  const order = [...participants.filter((p) => p.signedOff), ...participants.filter((p) => !p.signedOff).reverse()];
  let hideCount = 0;
  while (hideCount < participants.length && rowsOf(order.slice(hideCount)) + (hideCount > 0 ? 1 : 0) > room) hideCount++;
  const hidden = new Set(order.slice(0, hideCount));
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
      {shown.map((p) => {
        const [first, ...rest] = answerLines(p);
        return (
          <Box key={p.id} flexDirection="column">
            <Text>
              <Tone kind={p.signedOff ? 'ok' : 'muted'}>{p.signedOff ? ' ✓ ' : ' · '}</Tone>
              {padDisplay(p.id, idWidth)}
              {'  '}
              {p.signedOff ? padDisplay(fitDisplay(p.name, nameWidth), nameWidth) : fitDisplay(p.name, nameWidth)}
              <Tone kind="muted">{p.signedOff ? `  ${first}` : ''}</Tone>
            </Text>
            {rest.map((line, i) => (
              <Text key={i}>
                <Tone kind="muted">{`${' '.repeat(lead)}${line}`}</Tone>
              </Text>
            ))}
          </Box>
        );
      })}
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
