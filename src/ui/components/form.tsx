// A form that asks one field at a time, top to bottom: Enter accepts a field (after its
// check) and the last Enter submits; ↑ goes back. Answers stay on screen above the field
// being typed, so the witnesses can read everything before it is sent. Presentational: it
// reports the answers through onSubmit and knows nothing of the ceremony.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { answeredValues, fieldProblem, visibleFields, type FieldSpec, type Values } from '../model/fields.js';
import { useText } from '../providers.js';
import type { Translate } from '../i18n/index.js';
import { displayWidth, padDisplay, widest, wrapDisplay, wrapIndented } from '../../util/text-width.js';
import { Cursor } from './cursor.js';
import { eraseLast, useLineInput } from './line-input.js';
import { Tone, type ToneKind } from './tone.js';
import { Wrapped } from './wrapped.js';

export interface FormProps {
  fields: readonly FieldSpec[];
  onSubmit: (values: Record<string, string>) => void;
  /** Enter on an empty first field (sign-in: "everyone is in"). */
  onEmptySubmit?: () => void;
  initial?: Values;
  /** Shown instead of fields when there are none: Enter goes ahead. */
  emptyText?: string;
  focus?: boolean;
  /** The screen's width: the help and ✗ lines wrap to it at spaces and between CJK characters, never cut. */
  width?: number;
}

const MAX_LABEL = 34;
// The columns of the mark before a label (›, ✓ or two spaces).
const MARK = 2;

/**
 * A typed value in lines that fit after its label: a long answer (a path, an exception's
 * text) wraps under the value's column, not at column 0, with a column left for the cursor.
 * Spaces typed at the end are kept, so the cursor moves when one is typed.
 */
export function valueLines(value: string, width: number | undefined, labelWidth: number): string[] {
  const room = width === undefined ? Infinity : width - MARK - labelWidth - 1 - 1;
  if (displayWidth(value) <= room || room < 10) return [value];
  const lines = wrapDisplay(value, room);
  const trailing = /( *)$/.exec(value)![1]!;
  const end = lines.length - 1;
  lines[end] = lines[end]! + trailing.slice(0, Math.max(0, room - displayWidth(lines[end]!)));
  return lines;
}

function initialValues(fields: readonly FieldSpec[], initial: Values | undefined): Record<string, string> {
  const values: Record<string, string> = { ...initial };
  for (const f of fields)
    if (f.kind === 'choice' && f.preselect !== false && values[f.name] === undefined && f.choices?.[0]) values[f.name] = f.choices[0].value;
  return values;
}

/**
 * Words a choice also answers to, in either language: 是/否 pick yes/no on an English screen
 * too, and y/n on a Chinese one (a choice's own label and value already answer).
 */
const CHOICE_WORDS: Readonly<Record<string, string>> = { 是: 'yes', 否: 'no', 對: 'yes', 不: 'no', y: 'yes', n: 'no', yes: 'yes', no: 'no' };

/** The choice `typed` picks: the word it is, or the first whose label or value starts with it. */
export function pickChoice(field: FieldSpec, typed: string): string | undefined {
  const choices = field.choices ?? [];
  const word = CHOICE_WORDS[typed.trim().toLowerCase()];
  const byWord = word === undefined ? undefined : choices.find((c) => c.value === word);
  if (byWord) return byWord.value;
  const lower = typed.toLowerCase();
  return choices.find((c) => c.label.toLowerCase().startsWith(lower) || c.value.startsWith(lower))?.value;
}

/** The choices, the one chosen in the screen language's brackets ([yes] / 「是」), the others padded as wide. */
function choiceText(t: Translate, field: FieldSpec, value: string, current: boolean): string {
  const choices = field.choices ?? [];
  if (!current) return choices.find((c) => c.value === value)?.label ?? '';
  return choices.map((c) => t(c.value === value ? 'form.choiceChosen' : 'form.choiceOther', { label: c.label })).join(' ');
}

export function Form({ fields, onSubmit, onEmptySubmit, initial, emptyText, focus = true, width }: FormProps) {
  const { t } = useText();
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(fields, initial));
  const [at, setAt] = useState(0);
  const [error, setError] = useState<string | undefined>();
  // Enter again on a value already refused: said so, with what to do, so the screen answers
  // the key instead of seeming stuck (issue 16: sign-in after a refused role).
  const [again, setAgain] = useState(false);
  // Mirrors of the state for keystrokes that arrive before React has rendered the last one.
  const live = useRef({ values, at });
  live.current = { values, at };
  const shownError = useRef<string | undefined>(undefined);
  shownError.current = error;

  const update = (next: Record<string, string>, nextAt = live.current.at) => {
    live.current = { values: next, at: nextAt };
    setValues(next);
    setAt(nextAt);
  };
  const currentField = () => visibleFields(fields, live.current.values)[live.current.at];

  const cycle = (field: FieldSpec, step: number) => {
    const choices = field.choices ?? [];
    const index = choices.findIndex((c) => c.value === live.current.values[field.name]);
    // Nothing chosen yet (no preselection): → takes the first, ← the last.
    const next = index < 0 ? choices[step > 0 ? 0 : choices.length - 1] : choices[(index + step + choices.length) % choices.length];
    if (next) update({ ...live.current.values, [field.name]: next.value });
  };

  useLineInput(
    {
      onText: (text) => {
        const field = currentField();
        if (!field) return;
        const v = live.current.values;
        setError(undefined);
        if (field.kind === 'choice') {
          const choice = pickChoice(field, text);
          if (choice !== undefined) update({ ...v, [field.name]: choice });
          return;
        }
        update({ ...v, [field.name]: (v[field.name] ?? '') + text });
      },
      // A ✗ is about a value: once the field is empty again it has none, and the field's
      // neutral help (its format) returns; the ✗ stayed under an empty field (review of issue 16).
      onErase: () => {
        const field = currentField();
        const v = live.current.values;
        if (!field || field.kind === 'choice') return;
        const value = eraseLast(v[field.name] ?? '');
        if (value === '') setError(undefined);
        update({ ...v, [field.name]: value });
      },
      onClear: () => {
        const field = currentField();
        if (!field || field.kind === 'choice') return;
        setError(undefined);
        update({ ...live.current.values, [field.name]: '' });
      },
      onKey: (key) => {
        const field = currentField();
        if (key.upArrow && live.current.at > 0) {
          setError(undefined);
          update(live.current.values, live.current.at - 1);
        } else if ((key.leftArrow || key.rightArrow) && field?.kind === 'choice') {
          cycle(field, key.leftArrow ? -1 : 1);
        }
      },
      onEnter: () => {
        const { values: v, at: i } = live.current;
        const list = visibleFields(fields, v);
        const field = list[i];
        if (!field) return onSubmit({});
        const value = v[field.name] ?? '';
        if (i === 0 && value.trim() === '' && onEmptySubmit) return onEmptySubmit();
        const problem = fieldProblem(field, value, v, t('form.required'));
        if (problem) {
          setAgain(problem === shownError.current);
          return setError(problem);
        }
        setError(undefined);
        if (i + 1 < list.length) return update(v, i + 1);
        onSubmit(answeredValues(fields, v));
      },
    },
    focus,
  );

  const shown = visibleFields(fields, values);
  if (shown.length === 0) return <Tone kind="accent">{emptyText ?? t('form.pressEnter')}</Tone>;
  const current = shown[Math.min(at, shown.length - 1)];
  const labelWidth = Math.min(MAX_LABEL, widest(shown.map((f) => f.label)));
  return (
    <Box flexDirection="column">
      {shown.map((field, i) => {
        const value = values[field.name] ?? '';
        const here = i === at;
        const described = i < at && value.trim() !== '' ? field.describe?.(value.trim()) : undefined;
        // A label over MAX_LABEL is not cut: its value starts after it.
        const labelCols = Math.max(labelWidth, displayWidth(field.label));
        const shownValue = i < at && field.shownAs && value.trim() !== '' ? field.shownAs(value.trim()) : value;
        // A choice after a question too long to leave it room goes on its own line under the
        // question, whole, not split by the terminal ("… the script?  yes" / "no" read as
        // answered); with nothing chosen yet the line says so (review at 80x24).
        const choice = field.kind === 'choice' ? choiceText(t, field, value, here) + (here && value === '' ? t('form.choiceNone') : '') : '';
        const choiceUnder = field.kind === 'choice' && width !== undefined && MARK + labelCols + 1 + displayWidth(choice) > width;
        const parts = field.kind === 'choice' ? (choiceUnder ? ['', choice] : [choice]) : valueLines(shownValue, width, labelCols);
        const last = parts.length - 1;
        const indent = MARK + labelCols + 1;
        // A note on the value (→ recorded in capitals) goes after it when it fits, else on lines of
        // its own under the value column: ink wrapped it to column 0 (review at 80x24, C2).
        const lastWidth = (last === 0 ? MARK + labelWidth + 1 : indent) + displayWidth(parts[last] ?? '');
        const noteInline = described !== undefined && (width === undefined || lastWidth + 2 + displayWidth(described) <= width);
        const noteBelow = described !== undefined && !noteInline && width !== undefined ? wrapDisplay(described, Math.max(10, width - indent)) : [];
        const tail = (
          <>
            {field.kind === 'choice' ? null : <Cursor shown={here && focus} />}
            {noteInline ? <Tone kind="muted">{`  ${described}`}</Tone> : null}
          </>
        );
        return (
          <Box key={field.name} flexDirection="column">
            <Text>
              <Tone kind={here ? 'accent' : 'muted'}>{here ? '› ' : i < at ? '✓ ' : '  '}</Tone>
              {padDisplay(field.label, labelWidth)} {parts[0]}
              {last === 0 ? tail : null}
            </Text>
            {parts.slice(1).map((part, j) => (
              <Text key={j}>
                {' '.repeat(choiceUnder ? 2 * MARK : indent)}
                {part}
                {j + 1 === last ? tail : null}
              </Text>
            ))}
            {noteBelow.map((line, j) => (
              <Text key={`note-${j}`}>
                {' '.repeat(indent)}
                <Tone kind="muted">{line}</Tone>
              </Text>
            ))}
          </Box>
        );
      })}
      {error ? (
        <Note kind="bad" text={`  ✗ ${again ? t('form.stillRefused', { problem: error }) : error}`} width={width} hang={4} />
      ) : current?.help ? (
        <Note kind="muted" text={`  ${current.help}`} width={width} />
      ) : current?.kind === 'choice' ? (
        <Note
          kind="muted"
          text={`  ${t('form.choiceHelp', { choices: (current.choices ?? []).map((c) => t('form.choiceWord', { word: c.label })).join(t('form.choiceOr')) })}`}
          width={width}
        />
      ) : null}
    </Box>
  );
}

/** A help or ✗ line: wrapped by our rules when the width is known (its continuation lines keep the indent or hang), else as Ink lays it out. */
function Note({ kind, text, width, hang }: { kind: ToneKind; text: string; width: number | undefined; hang?: number }) {
  return width === undefined ? <Tone kind={kind}>{text}</Tone> : <Wrapped kind={kind} text={text} width={width} {...(hang === undefined ? {} : { hang })} />;
}

/** The rows the help line under a form can take at `width` (the longest of its fields' help), so a screen can make room for it. */
export function formHelpRows(fields: readonly FieldSpec[], width: number): number {
  return Math.max(1, ...fields.map((f) => (f.help ? wrapIndented(`  ${f.help}`, width).length : 1)));
}
