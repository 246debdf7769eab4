// Where a custodian types a share. Nothing of the share is ever drawn: one • per symbol
// typed, laid out like the share card (five groups a row, each row numbered by its first
// group), and after each group a mark saying whether that group is right (every group carries
// its own check character). ←/→ and Home/End move between groups, and typing on a group
// retypes it (model/share-groups.ts). The typed text lives only in this component's buffer,
// and the buffer is emptied the moment the share is handed on.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { checkShareGroups, type GroupState, type TypingCheck } from '../../quorum/index.js';
import { SET_ID_SYMBOLS } from '../../quorum/envelope.js';
import {
  EMPTY_GROUPS,
  atEnd,
  cursorGroup,
  erase,
  move,
  outsideHeader,
  pastLastGroup,
  refusingGroups,
  typeText,
  type NotTaken,
  type ShareGroups,
} from '../model/share-groups.js';
import { useText } from '../providers.js';
import { listNumbers, type Translate } from '../i18n/index.js';
import { Cursor } from './cursor.js';
import { useLineInput } from './line-input.js';
import { Tone } from './tone.js';
import { Wrapped } from './wrapped.js';
import { useEscapeHint } from './escape-hint.js';

// A label ending in full-width punctuation is not followed by a space.
const FULL_WIDTH_END = /[：，、。；]$/;

export interface ShareFieldProps {
  label: string;
  /**
   * The share set this step needs; a share of another set is refused as soon as group 1 (the
   * first half of the set id) says so, before any mark says the share is right.
   */
  expectedSetId?: string | undefined;
  /** Another set of this ceremony whose id is, or begins with, what the header shows: to name it when its share is typed here. */
  otherSet?: ((shown: string) => OtherSet | undefined) | undefined;
  /** The share number this custodian holds; another's share is refused as soon as group 4 says so. */
  expectedIndex?: number | undefined;
  /** Who holds a share number (from the manifest), to name them when the wrong share is typed. */
  holderOf?: ((index: number) => Holder | undefined) | undefined;
  /** Who holds the expected share (the person typing), to say whose share was expected. */
  expectedHolder?: string | undefined;
  /**
   * A share refused at its header group (another set, another share number): called once
   * per refused share, with what was refused, for the journal. The refusal is shown either
   * way, and Enter does not hand the share on.
   */
  onRefused?: ((refusal: HeaderRefusal, text: string) => void) | undefined;
  /** The screen's width: the ✗ line wraps to it with a hanging indent, never cut. */
  width?: number | undefined;
  /** Called with the complete share (all groups and the checksum right); the field is then emptied. */
  onSubmit: (text: string) => void;
  onEscape?: () => void;
  focus?: boolean;
}

/** A share's holder as a refusal names them: by name, or (not signed in) by id and role. */
export interface Holder {
  name: string;
  signedIn: boolean;
}

/** Another share set of the ceremony, as a refusal names it. */
export interface OtherSet {
  setId: string;
  /** The credential's title. */
  credential: string;
  /** A rotation (or a new split) replaced the set: its cards open nothing now. */
  superseded: boolean;
}

/**
 * What the header groups of a typed share say that makes it the wrong share, before its secret
 * part is typed. `setId` is what the header shows of the other set's id: its first four
 * characters when group 1 alone refuses it, all eight once group 2 is typed.
 */
export type HeaderRefusal = { kind: 'other-set'; setId: string } | { kind: 'other-share'; index: number };

/** The whole set id, or its first half followed by an ellipsis. */
const shownSetId = (shown: string) => (shown.length < SET_ID_SYMBOLS ? `${shown}…` : shown);

const MARK: Record<GroupState, string> = { valid: '✓', invalid: '✗', incomplete: '' };
const PER_ROW = 5;

/** Group numbers (1-based) to name as wrong: marked wrong, or left short before the last one. */
export function wrongGroups(check: TypingCheck, edit: ShareGroups): number[] {
  return check.groups.flatMap((g, i) =>
    g.state === 'invalid' || (g.state === 'incomplete' && i < check.groups.length - 1 && i !== edit.cursor) ? [i + 1] : [],
  );
}

/** The header groups name another set or another share number: the share is refused. */
export function headerRefusal(check: TypingCheck, p: Pick<ShareFieldProps, 'expectedSetId' | 'expectedIndex'>): HeaderRefusal | undefined {
  // Group 1 holds the set id's first half: a share of another set is refused there (it showed ✓ until group 2; review M2).
  const shown = check.setId ?? check.setIdStart;
  if (p.expectedSetId !== undefined && shown !== undefined && !p.expectedSetId.startsWith(shown)) return { kind: 'other-set', setId: shown };
  if (p.expectedIndex !== undefined && check.index !== undefined && check.index !== p.expectedIndex) return { kind: 'other-share', index: check.index };
  return undefined;
}

/** A header refusal in words: which share this is, whose, and which was expected. */
export function refusalText(t: Translate, refusal: HeaderRefusal, p: Omit<ShareFieldProps, 'label' | 'onSubmit'>): string {
  if (refusal.kind === 'other-set') {
    const want = p.expectedSetId ?? '';
    const other = p.otherSet?.(refusal.setId);
    if (other === undefined) return t('shares.wrongSet', { got: shownSetId(refusal.setId), want });
    return t(other.superseded ? 'shares.supersededSet' : 'shares.wrongSetOf', { credential: other.credential, got: other.setId, want });
  }
  const holder = p.holderOf?.(refusal.index);
  const want = p.expectedIndex ?? 0;
  if (holder === undefined || p.expectedHolder === undefined) return t('shares.wrongIndexUnknown', { got: refusal.index, want });
  return t(holder.signedIn ? 'shares.wrongIndex' : 'shares.wrongIndexAbsent', { got: refusal.index, holder: holder.name, want, name: p.expectedHolder });
}

/**
 * The counter of a share refused at its header, where the field takes no typing: what it
 * takes now, the refusing group retyped or Ctrl+U. It said 'group 5 of 19 · 4 typed' though
 * group 5 was not taken (share18 finding 2).
 */
function refusedCounter(t: Translate, refusal: HeaderRefusal): string {
  const groups = refusingGroups(refusal);
  return groups.length > 1 ? t('shares.groupCountRefusedSet') : t('shares.groupCountRefused', { n: (groups[0] ?? 0) + 1 });
}

/**
 * What is wrong with what is typed so far, in words, or undefined. Every ✗ is named: a
 * refusal at the header and wrong groups beside it are said together; the refusal was
 * dropped as soon as another group was wrong (review of issue 16).
 */
function problemOf(t: Translate, check: TypingCheck, edit: ShareGroups, p: ShareFieldProps): string | undefined {
  const wrong = wrongGroups(check, edit);
  const wrongText =
    wrong.length === 1 ? t('shares.groupWrong', { n: wrong[0]! }) : wrong.length > 1 ? t('shares.groupsWrong', { groups: listNumbers(t, wrong) }) : undefined;
  const refusal = headerRefusal(check, p);
  if (refusal && wrongText !== undefined) return t('shares.refusedAndWrong', { refusal: refusalText(t, refusal, p), wrong: wrongText });
  if (refusal) return refusalText(t, refusal, p);
  if (wrongText !== undefined) return wrongText;
  // Every group checks and the whole share does not: what it means and what to do, not only
  // that the checksum fails, in the screen's language (review at 80x24).
  return check.problemKind === 'checksum' ? t('shares.wholeShareWrong') : check.problem;
}

export function ShareField(props: ShareFieldProps) {
  const { label, onSubmit, onEscape, focus = true, width } = props;
  const { t } = useText();
  // The footer shows Esc only where it acts (issue 16): here, while this field has the keyboard.
  useEscapeHint(onEscape !== undefined && focus);
  const [edit, setEdit] = useState<ShareGroups>(EMPTY_GROUPS);
  const [message, setMessage] = useState<string | undefined>();
  // Typing was not taken (the header refuses the share, or every group is typed): said on the help line.
  const [notTaken, setNotTaken] = useState<NotTaken | undefined>();
  const live = useRef(edit);
  live.current = edit;
  const set = (next: ShareGroups, ignored?: NotTaken) => {
    live.current = next;
    setEdit(next);
    setMessage(undefined);
    setNotTaken(ignored);
  };
  const isRefused = (s: ShareGroups) => headerRefusal(checkShareGroups(s.groups), props) !== undefined;
  // The refusal last reported, so each refused share is journaled once, not once per keystroke.
  const reported = useRef<string | undefined>(undefined);
  /**
   * An edit. When the header groups now name another set or share, the share is refused
   * there and reported (once). Typing after the refusing header is not taken (typeText), so
   * the other custodian's secret groups never go in, and what is typed meanwhile goes
   * nowhere else, until the field is cleared (Ctrl+U), left (Esc) or its header retyped.
   */
  const edited = (next: ShareGroups, ignored?: NotTaken) => {
    set(next, ignored);
    if (!props.onRefused) return;
    const refusal = headerRefusal(checkShareGroups(next.groups), props);
    if (refusal === undefined) {
      if (next.groups.join('') === '') reported.current = undefined;
      return;
    }
    const key = JSON.stringify(refusal);
    if (reported.current === key) return;
    reported.current = key;
    props.onRefused(refusal, refusalText(t, refusal, props));
  };

  useLineInput(
    {
      onText: (text) => {
        const typed = typeText(live.current, text, isRefused, (s) => checkShareGroups(s.groups).expectedGroups);
        edited(typed.state, typed.ignored);
      },
      onErase: () => edited(erase(live.current)),
      onClear: () => edited(EMPTY_GROUPS),
      onKey: (key) => {
        if (key.escape) onEscape?.();
        else if (key.leftArrow) set(move(live.current, 'left'));
        else if (key.rightArrow) set(move(live.current, 'right'));
        else if (key.home) set(move(live.current, 'home'));
        else if (key.end) set(move(live.current, 'end'));
      },
      onEnter: () => {
        const groups = live.current.groups;
        const check = checkShareGroups(groups);
        const problem = problemOf(t, check, live.current, props);
        if (problem !== undefined || !check.complete) {
          setMessage(problem ?? t('shares.incomplete'));
          return;
        }
        set(EMPTY_GROUPS);
        onSubmit(groups.join('-'));
      },
    },
    focus,
  );

  const check = checkShareGroups(edit.groups);
  const refusal = headerRefusal(check, props);
  const refused = refusal !== undefined;
  // The header group that refuses the share is marked ✗ (its check character is right, the share is not).
  const refusing = new Set(refusal ? refusingGroups(refusal) : []);
  const stateAt = (i: number, state: GroupState): GroupState => (refusing.has(i) ? 'invalid' : state);
  const problem = message ?? problemOf(t, check, edit, props);
  const status =
    problem !== undefined ? { kind: 'bad' as const, text: problem } : check.complete ? { kind: 'ok' as const, text: t('shares.complete') } : undefined;
  const typedGroups = check.groups.filter((g) => g.state !== 'incomplete').length;
  // Rows of five, like the card; the append position may open a new row.
  const lastFull = (edit.groups.at(-1)?.length ?? PER_ROW) >= PER_ROW;
  const cursorRow = !atEnd(edit) ? -1 : Math.floor((lastFull ? check.groups.length : check.groups.length - 1) / PER_ROW);
  const rows = Math.max(1, Math.ceil(check.groups.length / PER_ROW), cursorRow + 1);

  return (
    <Box flexDirection="column">
      <Text>
        <Tone kind="accent">{'› '}</Tone>
        {label}
        {/* A full-width colon (第 1 份分持碼：) carries its own space. */}
        {FULL_WIDTH_END.test(label) ? '' : ' '}
        <Tone kind="muted">
          {refusal !== undefined && outsideHeader(edit)
            ? refusedCounter(t, refusal)
            : pastLastGroup(edit, check.expectedGroups)
              ? t('shares.groupCountDone', { n: edit.groups.length })
              : check.expectedGroups
                ? t('shares.groupCount', { at: cursorGroup(edit), n: check.expectedGroups, k: typedGroups })
                : t('shares.groupCountUnknown', { at: cursorGroup(edit), k: typedGroups })}
        </Tone>
      </Text>
      {Array.from({ length: rows }, (_, row) => (
        <Text key={row}>
          <Tone kind="muted">{`${String(row * PER_ROW + 1).padStart(3)}   `}</Tone>
          {check.groups.slice(row * PER_ROW, row * PER_ROW + PER_ROW).map((group, j) => {
            const i = row * PER_ROW + j;
            const here = focus && i === edit.cursor;
            return (
              <Text key={i}>
                <Text inverse={here}>{'•'.repeat(group.text.length).padEnd(here ? 5 : group.text.length, ' ')}</Text>
                <Tone kind={stateAt(i, group.state) === 'valid' ? 'ok' : 'bad'}>{MARK[stateAt(i, group.state)]}</Tone>
                {j < PER_ROW - 1 ? ' ' : ''}
              </Text>
            );
          })}
          {cursorRow === row ? <Cursor shown={focus} /> : null}
        </Text>
      ))}
      {/* Refused at its header: what to do now, instead of how to edit a share that cannot be accepted. */}
      {refused ? (
        <Wrapped
          kind="muted"
          text={`      ${notTaken === 'refused' ? t('shares.refusedNotTaken') : ''}${t('shares.refusedWhatNow')}`}
          width={width ?? 80}
          hang={6}
        />
      ) : notTaken === 'full' ? (
        <Wrapped kind="muted" text={`      ${t('shares.fullNotTaken', { n: check.expectedGroups ?? edit.groups.length })}`} width={width ?? 80} hang={6} />
      ) : (
        <Tone kind="muted">{`      ${t('shares.editHelp')}`}</Tone>
      )}
      {!status ? (
        <Text> </Text>
      ) : width === undefined ? (
        <Tone kind={status.kind}>{`  ${status.kind === 'ok' ? '✓' : '✗'} ${status.text}`}</Tone>
      ) : (
        <Wrapped kind={status.kind} text={`  ${status.kind === 'ok' ? '✓' : '✗'} ${status.text}`} width={width} hang={4} />
      )}
    </Box>
  );
}
