// The share entry field's buffer, group by group, with a cursor on one group. Typing at the
// end appends; typing on an earlier group (reached with ←/→, Home/End) retypes that group
// from its first character, and after its fifth the cursor goes back to the end, to the first
// group not yet typed. So a wrong group 5 is fixed by moving there and typing five characters,
// not by erasing back, and typing then goes on from the card where it left off.
import { DATA_SYMBOLS_PER_GROUP, GROUP_LENGTH } from '../../quorum/group-check.js';
import { normaliseShareText } from '../../quorum/share-text.js';
import { HEADER_GROUPS, SET_ID_GROUPS } from '../../quorum/envelope.js';

export interface ShareGroups {
  /** Normalised characters per group (upper case, O/I/L as digits); share text, never drawn. */
  groups: string[];
  /** The group being edited; groups.length means appending at the end. */
  cursor: number;
  /** The cursor group is not retyped yet: the next character replaces it. */
  fresh: boolean;
}

export const EMPTY_GROUPS: ShareGroups = { groups: [], cursor: 0, fresh: true };

export const atEnd = (s: ShareGroups) => s.cursor >= s.groups.length;

function typeChar(s: ShareGroups, char: string): ShareGroups {
  const groups = [...s.groups];
  if (atEnd(s)) {
    const last = groups.at(-1);
    if (last !== undefined && last.length < GROUP_LENGTH) groups[groups.length - 1] = last + char;
    else groups.push(char);
    return { groups, cursor: groups.length, fresh: true };
  }
  const group = s.fresh ? char : (groups[s.cursor] ?? '') + char;
  groups[s.cursor] = group;
  if (group.length < GROUP_LENGTH) return { groups, cursor: s.cursor, fresh: false };
  // Retyped whole: on to the first group not yet typed, where End goes, not to the next group.
  // The custodian goes on typing from the card where they left off; on the next group, already
  // typed, that overwrote it (a fix of group 3 with groups 1 to 4 typed put group 5 into 4,
  // then named group 4 wrong; share18 finding 1).
  return { groups, cursor: groups.length, fresh: true };
}

/**
 * The cursor is not on a header group (groups 1 to 4): a share refused at its header takes no
 * typing here, only a retype of a header group (or Ctrl+U) makes it take groups again.
 */
export const outsideHeader = (s: ShareGroups) => atEnd(s) || s.cursor >= HEADER_GROUPS;

/** Why typing stopped: the header refuses the share, or every group of the share is typed. */
export type NotTaken = 'refused' | 'full';

/**
 * Typed or pasted text: separators are skipped, every other character goes in at the cursor.
 * `refused` says whether a state's header groups refuse the share: once they do, characters
 * go in only while a header group is being retyped; nothing is appended, so neither the rest
 * of the header (a refused set id took group 3 with a ✓ and group 4 began, brief crl16u
 * item 3) nor the other custodian's secret groups are typed into the field (review of issue
 * 16). `groupsOf` is the share's length in groups once its header says it: nothing starts a
 * group past the last (a 19-group share took 61).
 */
export function typeText(
  s: ShareGroups,
  text: string,
  refused: (s: ShareGroups) => boolean = () => false,
  groupsOf: (s: ShareGroups) => number | undefined = () => undefined,
): { state: ShareGroups; ignored: NotTaken | undefined } {
  let state = s;
  for (const symbol of normaliseShareText(text)) {
    if (outsideHeader(state) && refused(state)) return { state, ignored: 'refused' };
    const groups = groupsOf(state);
    const last = state.groups.at(-1);
    if (atEnd(state) && groups !== undefined && state.groups.length >= groups && (last?.length ?? 0) >= GROUP_LENGTH) return { state, ignored: 'full' };
    state = typeChar(state, symbol.char);
  }
  return { state, ignored: undefined };
}

/** Backspace: the last character at the end, or of the group being retyped. */
export function erase(s: ShareGroups): ShareGroups {
  const groups = [...s.groups];
  if (atEnd(s)) {
    const last = groups.at(-1);
    if (last === undefined) return s;
    if (last.length <= 1) groups.pop();
    else groups[groups.length - 1] = last.slice(0, -1);
    return { groups, cursor: groups.length, fresh: true };
  }
  groups[s.cursor] = (groups[s.cursor] ?? '').slice(0, -1);
  return { groups, cursor: s.cursor, fresh: false };
}

export type Move = 'left' | 'right' | 'home' | 'end';

export function move(s: ShareGroups, where: Move): ShareGroups {
  const cursor =
    where === 'home' ? 0 : where === 'end' ? s.groups.length : where === 'left' ? Math.max(0, s.cursor - 1) : Math.min(s.groups.length, s.cursor + 1);
  return { groups: s.groups, cursor, fresh: true };
}

/**
 * The groups (0-based) that say a share is the wrong one: group 1 (and 2, once typed) holds
 * the set id, group 4 the share number. Their own check characters are right, but a refused
 * share's header group is marked ✗, never ✓ beside the refusal (review of issue 16).
 */
export function refusingGroups(refusal: { kind: 'other-set'; setId: string } | { kind: 'other-share' }): number[] {
  if (refusal.kind === 'other-share') return [HEADER_GROUPS - 1];
  const groups = Math.min(SET_ID_GROUPS, Math.ceil(refusal.setId.length / DATA_SYMBOLS_PER_GROUP));
  return Array.from({ length: groups }, (_, i) => i);
}

/**
 * The group (1-based) the next keypress types or retypes, as the counter names it: the group
 * being retyped, or at the end the group being typed (the next one once the last is whole).
 * After ←/Home the counter follows the cursor, not the end (review of issue 16); past the
 * last group of a complete share see pastLastGroup.
 */
export function cursorGroup(s: ShareGroups): number {
  if (!atEnd(s)) return s.cursor + 1;
  const last = s.groups.at(-1);
  return last !== undefined && last.length < GROUP_LENGTH ? s.groups.length : s.groups.length + 1;
}

/**
 * Every group of a share of `expectedGroups` is typed whole and the cursor is past the last:
 * the next key types no group, so the counter says 'after group 19', not 'group 19' (it named
 * 19 both there and one ← back on the last group; review of issue 16).
 */
export function pastLastGroup(s: ShareGroups, expectedGroups: number | undefined): boolean {
  return expectedGroups !== undefined && atEnd(s) && s.groups.length >= expectedGroups && (s.groups.at(-1)?.length ?? 0) >= GROUP_LENGTH;
}
