// Custodians enter their shares one at a time: first their id (the screen shows their name
// and which share of the set the manifest gives them), then the share itself, masked, with
// each group marked right or wrong as it is typed. Progress is k of the threshold. Every
// custodian of the set stays listed with their state (entered, typing, refused, waiting),
// and a share whose header groups name another set or another custodian's share number is
// refused there, before its secret part is typed, and the caller journals it (once).
import { Box, Text } from 'ink';
import { useState } from 'react';
import { Form } from '../components/form.js';
import { ShareField, type HeaderRefusal, type Holder, type OtherSet } from '../components/share-field.js';
import { Wrapped } from '../components/wrapped.js';
import { Tone, type ToneKind } from '../components/tone.js';
import { useText } from '../providers.js';
import type { Translate } from '../i18n/index.js';
import { displayWidth, padDisplay, widest, wrapDisplay, wrapIndented } from '../../util/text-width.js';

export interface CustodianLine {
  id: string;
  name: string;
  index: number;
  entered: boolean;
  /** False for a custodian who has not signed in: refused at the id, before a share is typed (issue 16). */
  signedIn?: boolean;
  /** The custodians' role title, to name one who has not signed in when their share is typed by another. */
  role?: string;
}

export interface ShareEntryScreenProps {
  /** The step's own instructions, shown first (before the shares are typed, issue 16 item 7). */
  instructions?: string | undefined;
  /** The token the shares open, as PKCS#11 reports it, laid out (nothing when the HSM was not read). */
  hsm?: readonly string[] | undefined;
  intro: string;
  setId: string;
  threshold: number;
  custodians: readonly CustodianLine[];
  /** Another share set of this ceremony (its credential's title, whether a rotation replaced it), to name it when one of its shares is typed. */
  otherSet?: (shown: string) => OtherSet | undefined;
  /** Hands the typed share on; returns what was wrong (in words) or undefined when accepted. */
  onOffer: (custodian: string, text: string) => string | undefined;
  /** A share refused at its header group, as it was typed: for the journal (never the share). */
  onRefused?: (custodian: string, refusal: HeaderRefusal) => void;
  rows: number;
  width: number;
}

type State = 'entered' | 'typing' | 'refused' | 'waiting' | 'absent';

const MARKS: Record<State, { mark: string; tone: ToneKind }> = {
  entered: { mark: '✓', tone: 'ok' },
  typing: { mark: '▶', tone: 'accent' },
  refused: { mark: '✗', tone: 'bad' },
  waiting: { mark: '·', tone: 'muted' },
  absent: { mark: '·', tone: 'muted' },
};

// Below the list while a share is typed: the field's label, up to 4 rows of groups, its help, and a ✗ line of up to 2 rows.
const FIELD_ROWS = 8;

const STATE_WORDS = {
  entered: 'shares.entered',
  typing: 'shares.state.typing',
  refused: 'shares.state.refused',
  waiting: 'shares.state.waiting',
} as const;

function stateText(t: Translate, c: CustodianLine, state: State): string {
  // One who has not signed in is named by their role "(not signed in)": no second word for it.
  const word = state === 'absent' ? '' : t(STATE_WORDS[state]);
  return word ? `${t('shares.index', { index: c.index })}  ${word}` : t('shares.index', { index: c.index });
}

/** One custodian a row: mark, id, name (wrapped in its column), share number and state. */
function tableLines(rows: ReadonlyArray<{ c: CustodianLine; state: State; text: string }>, idWidth: number, nameWidth: number) {
  return rows.flatMap(({ c, state, text }) =>
    wrapDisplay(c.name, nameWidth).map((name, i) => ({
      key: `${c.id}:${i}`,
      parts:
        i === 0
          ? [
              { text: ` ${MARKS[state].mark} `, tone: MARKS[state].tone },
              { text: `${padDisplay(c.id, idWidth)}  ${padDisplay(name, nameWidth)}  ` },
              { text, tone: 'muted' as ToneKind },
            ]
          : [{ text: `   ${' '.repeat(idWidth)}  ${name}` }],
    })),
  );
}

/** Where the table does not fit: the custodians side by side, as many a line as fit, each whole (wrapped only when wider than a line). */
function compactLines(rows: ReadonlyArray<{ c: CustodianLine; state: State; text: string }>, width: number) {
  type Part = { text: string; tone?: ToneKind };
  const lines: Array<{ key: string; parts: Part[] }> = [];
  let line: Part[] = [];
  let used = 0;
  const flush = () => {
    if (line.length) lines.push({ key: `l${lines.length}`, parts: line });
    line = [];
    used = 0;
  };
  for (const { c, state, text } of rows) {
    const cell = `${c.id} ${c.name}  ${text}`;
    const cellWidth = 3 + displayWidth(cell);
    if (used > 0 && used + 3 + cellWidth > width) flush();
    if (cellWidth > width) {
      const wrapped = wrapIndented(cell, width - 3, 2);
      lines.push({ key: `l${lines.length}`, parts: [{ text: ` ${MARKS[state].mark} `, tone: MARKS[state].tone }, { text: wrapped[0]! }] });
      for (const rest of wrapped.slice(1)) lines.push({ key: `l${lines.length}`, parts: [{ text: `   ${rest}` }] });
      continue;
    }
    line.push({ text: `${used > 0 ? '   ' : ''} ${MARKS[state].mark} `, tone: MARKS[state].tone }, { text: cell });
    used += (used > 0 ? 3 : 0) + cellWidth;
  }
  flush();
  return lines;
}

export function ShareEntryScreen({
  instructions,
  hsm = [],
  intro,
  setId,
  threshold,
  custodians,
  otherSet,
  onOffer,
  onRefused,
  rows,
  width,
}: ShareEntryScreenProps) {
  const { t } = useText();
  const [typing, setTyping] = useState<CustodianLine | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  // Custodians whose last share was refused (they may try again); kept on screen until they get one in.
  const [refused, setRefused] = useState<ReadonlySet<string>>(new Set());
  const entered = custodians.filter((c) => c.entered).length;
  const stateOf = (c: CustodianLine): State =>
    c.entered ? 'entered' : refused.has(c.id) ? 'refused' : typing?.id === c.id ? 'typing' : c.signedIn === false ? 'absent' : 'waiting';
  const listed = custodians.map((c) => {
    const state = stateOf(c);
    return { c, state, text: stateText(t, c, state) };
  });

  const idWidth = widest(custodians.map((c) => c.id));
  const stateWidth = widest(listed.map((l) => l.text));
  // As wide as the widest name when the line has room; else a long name wraps in its column (never cut).
  const nameWidth = Math.max(8, Math.min(widest(custodians.map((c) => c.name)), width - 3 - idWidth - 2 - 2 - stateWidth));
  const lookAway = typing ? t('shares.othersLookAway', { name: typing.name }) : '';
  const errorText = error && !typing ? `  ✗ ${error}` : undefined;
  // Rows under the list: the share field, or the custodian id with its help and the last refusal.
  const below = typing
    ? wrapDisplay(lookAway, width).length + FIELD_ROWS
    : 1 + Math.max(2, wrapIndented(`  ${t('shares.custodianHelp')}`, width).length) + (errorText ? wrapIndented(errorText, width, 4).length : 0);
  const table = tableLines(listed, idWidth, nameWidth);
  const instructionLines = instructions ? wrapDisplay(instructions, width) : [];
  const introLines = [...instructionLines, ...hsm, ...wrapDisplay(intro, width)];
  // While a share is typed the look-away line says what to do; the instructions and intro,
  // read before, step aside when the screen needs their rows (never cut, issue 16).
  // At the custodian id, when the table does not fit under all of it (after a resume the
  // notice takes rows), the step's instructions and the HSM lines step aside before the list
  // goes side by side: the list keeps its layout across a stop and resume (review of issue 16).
  // Then the intro too (the resume notice says where the ceremony is); only then side by side.
  const introOnly = wrapDisplay(intro, width);
  const fits = (lines: readonly string[]) => lines.length + 1 + table.length + below <= rows;
  const shownIntro = typing ? (fits(introLines) ? introLines : []) : fits(introLines) || !fits([]) ? introLines : fits(introOnly) ? introOnly : [];
  const room = rows - shownIntro.length - 1 - below;
  // Every custodian is listed, always: one a row when that fits, else side by side.
  const list = table.length <= room ? table : compactLines(listed, width);
  const gap = room - list.length >= 1;

  const holderOf = (index: number): Holder | undefined => {
    const c = custodians.find((x) => x.index === index);
    if (!c) return undefined;
    return c.signedIn === false
      ? { name: c.role === undefined ? c.id : t('shares.holderAbsent', { id: c.id, role: c.role }), signedIn: false }
      : { name: c.name, signedIn: true };
  };

  return (
    <Box flexDirection="column">
      {shownIntro.map((line, i) =>
        i < instructionLines.length && shownIntro !== introOnly ? (
          <Tone key={i} kind="accent">
            {line}
          </Tone>
        ) : (
          <Text key={i}>{line}</Text>
        ),
      )}
      <Text>
        <Tone kind="accent">{t('shares.progress', { k: entered, n: threshold })}</Tone>
        <Tone kind="muted">{`  ${t('shares.set', { setId })}`}</Tone>
      </Text>
      {list.map((line) => (
        <Text key={line.key}>
          {line.parts.map((part, i) =>
            part.tone ? (
              <Tone key={i} kind={part.tone}>
                {part.text}
              </Tone>
            ) : (
              part.text
            ),
          )}
        </Text>
      ))}
      <Box marginTop={gap ? 1 : 0} flexDirection="column">
        {typing ? (
          <>
            <Wrapped kind="warn" text={lookAway} width={width} />
            <ShareField
              label={t('shares.typeShare', { name: typing.name, index: typing.index })}
              expectedSetId={setId}
              otherSet={otherSet}
              expectedIndex={typing.index}
              holderOf={holderOf}
              expectedHolder={typing.name}
              width={width}
              onEscape={() => {
                // Esc empties the field: a refusal of what was typed in it goes with it (the
                // list still marks the custodian refused, and the journal keeps share.refused).
                setTyping(undefined);
                setError(undefined);
                setAttempt((n) => n + 1);
              }}
              onRefused={(refusal, text) => {
                // Refused at its header group, as it was typed: the journal says so once, and
                // the list marks the custodian.
                onRefused?.(typing.id, refusal);
                setRefused(new Set([...refused, typing.id]));
                setError(text);
              }}
              onSubmit={(text) => {
                const problem = onOffer(typing.id, text);
                setError(problem);
                const others = [...refused].filter((id) => id !== typing.id);
                setRefused(new Set(problem === undefined ? others : [...others, typing.id]));
                setTyping(undefined);
                setAttempt((n) => n + 1);
              }}
            />
          </>
        ) : (
          <Form
            width={width}
            key={attempt}
            fields={[
              {
                name: 'custodian',
                label: t('shares.custodian'),
                help: t('shares.custodianHelp'),
                check: (id) => {
                  const c = custodians.find((x) => x.id === id);
                  if (!c) return t('shares.notCustodian', { id });
                  if (c.signedIn === false) return t('people.notSignedIn', { id });
                  if (c.entered) return t('shares.already', { id });
                  return undefined;
                },
              },
            ]}
            onSubmit={(values) => {
              setError(undefined);
              setTyping(custodians.find((c) => c.id === values.custodian));
            }}
          />
        )}
        {errorText ? <Wrapped kind="bad" text={errorText} width={width} hang={4} /> : null}
      </Box>
    </Box>
  );
}
