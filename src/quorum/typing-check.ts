// Feedback while a custodian types a share, called on every keystroke: which groups are
// right, which are wrong, which is still being typed, and whether the share is complete.
// It knows nothing of the manifest (readShare checks that once the share is complete).
import {
  ENVELOPE_VERSION,
  HEADER_GROUPS,
  LEADING_GROUPS,
  SET_ID_GROUPS,
  MIN_PAYLOAD_BYTES,
  decodeEnvelope,
  expectedShareLength,
  readHeaderShape,
  readLeadingHeader,
  readSetId,
} from './envelope.js';
import { GROUP_LENGTH } from './group-check.js';
import { wipe } from './secret-buffer.js';
import { ShareError } from './share-error.js';
import { cutIntoGroups, dataSymbols, normaliseShareText, typedGroupIsValid, type TypedSymbol } from './share-text.js';

export type GroupState = 'valid' | 'invalid' | 'incomplete';

export interface TypedGroup {
  /**
   * The group as read (upper case, O/I/L mapped to digits). It is share text, so it is a
   * getter over a private field: inspecting or serialising the result does not show it.
   */
  readonly text: string;
  state: GroupState;
}

export interface TypingCheck {
  groups: TypedGroup[];
  /** Every group typed and valid and the whole share's checksum matches. */
  complete: boolean;
  /** How many groups this share has, once groups 1 to 3 are typed correctly. */
  expectedGroups?: number;
  /**
   * The share set the share belongs to, once groups 1 and 2 (which hold exactly the set id)
   * are typed correctly: the entry screen can refuse a share of another set before the rest
   * is typed.
   */
  setId?: string;
  /**
   * The first half of the set id (its first four characters), once group 1 is typed
   * correctly: a share of another set can be refused at group 1 (review of issue 16, M2).
   */
  setIdStart?: string;
  /**
   * The share's index (and the set's threshold), once groups 1 to 4 are typed correctly:
   * the entry screen can refuse another custodian's share before the secret part is typed.
   */
  index?: number;
  threshold?: number;
  /** Why a share whose groups are all typed is still not complete (no share text in it). */
  problem?: string;
  /** Which problem it is (a screen says it in its own language): 'checksum' when every group checks and the whole share does not. */
  problemKind?: ShareError['problem'];
}

/** Keeps the group's text in a private field behind a getter: inspect and JSON show the state only. */
class Group implements TypedGroup {
  readonly #text: string;

  constructor(
    text: string,
    public state: GroupState,
  ) {
    this.#text = text;
  }

  get text(): string {
    return this.#text;
  }
}

function typedGroup(symbols: readonly TypedSymbol[], state: GroupState): TypedGroup {
  return new Group(symbols.map((s) => s.char).join(''), state);
}

function stateOf(groupNumber: number, symbols: readonly TypedSymbol[], fullLength: number): GroupState {
  if (symbols.some((s) => s.value < 0)) return 'invalid';
  if (symbols.length < fullLength) return 'incomplete';
  return typedGroupIsValid(groupNumber, symbols) ? 'valid' : 'invalid';
}

/** What the first two (three, four) groups say, once they are typed correctly. */
function leadingHeader(groups: readonly (readonly TypedSymbol[])[]): {
  setId?: string;
  setIdStart?: string;
  length?: number;
  index?: number;
  threshold?: number;
  problem?: string;
} {
  const right = (group: readonly TypedSymbol[] | undefined, i: number) => group !== undefined && group.length === GROUP_LENGTH && typedGroupIsValid(i, group);
  if (!right(groups[0], 0)) return {};
  // Group 1's data symbols are the set id's first four characters.
  const start = { setIdStart: readSetId(dataSymbols(groups.slice(0, 1))) };
  const setGroups = groups.slice(0, SET_ID_GROUPS);
  if (setGroups.length < SET_ID_GROUPS || !setGroups.every(right)) return start;
  const set = { ...start, setId: readSetId(dataSymbols(setGroups)) };
  const leading = groups.slice(0, LEADING_GROUPS);
  if (leading.length < LEADING_GROUPS || !leading.every(right)) return set;
  const { setId, version, payloadLength } = readLeadingHeader(dataSymbols(leading));
  if (version !== ENVELOPE_VERSION)
    return { ...set, problem: `the share is not a version ${ENVELOPE_VERSION} keyceremony share (its group 3 says format version ${version})` };
  if (payloadLength < MIN_PAYLOAD_BYTES) return { ...set, problem: 'group 3 does not describe a share' };
  const header = groups.slice(0, HEADER_GROUPS);
  const shape = header.length === HEADER_GROUPS && header.every(right) ? readHeaderShape(dataSymbols(header)) : {};
  return { ...set, setId, length: expectedShareLength(payloadLength), ...shape };
}

/** Marks each group, given the header (if known), and checks a fully typed share as a whole. */
function assess(cut: readonly (readonly TypedSymbol[])[], header: ReturnType<typeof leadingHeader>, text: () => string): TypingCheck {
  const { setId, setIdStart, length: expected, problem: headerProblem, index, threshold } = header;
  const shown = { ...(setIdStart === undefined ? {} : { setIdStart }), ...(setId === undefined ? {} : { setId }) };
  if (expected === undefined) {
    // Until groups 1 to 3 are right the length is unknown: every group is five characters.
    const groups = cut.map((symbols, i) => {
      const state = i === LEADING_GROUPS - 1 && headerProblem !== undefined ? 'invalid' : stateOf(i, symbols, GROUP_LENGTH);
      return typedGroup(symbols, state);
    });
    return { groups, complete: false, ...shown, ...(headerProblem === undefined ? {} : { problem: headerProblem }) };
  }
  const expectedGroups = Math.ceil(expected / GROUP_LENGTH);
  const lastLength = expected - (expectedGroups - 1) * GROUP_LENGTH;
  const groups = cut.map((symbols, i) => {
    const length = i === expectedGroups - 1 ? lastLength : GROUP_LENGTH;
    // A group past the last, or longer than its place allows, is extra.
    return typedGroup(symbols, i >= expectedGroups || symbols.length > length ? 'invalid' : stateOf(i, symbols, length));
  });
  const known = { expectedGroups, ...shown, ...(index === undefined ? {} : { index, threshold }) };
  const allTyped = groups.length === expectedGroups && groups.every((g) => g.state === 'valid');
  if (!allTyped) return { groups, complete: false, ...known };
  try {
    const decoded = decodeEnvelope(text());
    wipe(decoded.body);
    wipe(decoded.payload);
    return { groups, complete: true, ...known };
  } catch (error) {
    if (!(error instanceof ShareError)) throw error;
    return { groups, complete: false, ...known, problem: error.message, problemKind: error.problem };
  }
}

/** Feedback on a share typed as one text (separators, case and O/I/L aside). */
export function checkShareTyping(text: string): TypingCheck {
  const typed = normaliseShareText(text);
  const header = leadingHeader(cutIntoGroups(typed.slice(0, HEADER_GROUPS * GROUP_LENGTH)));
  if (header.length === undefined) return assess(cutIntoGroups(typed), header, () => text);
  // Anything after the last group is extra.
  return assess([...cutIntoGroups(typed.slice(0, header.length)), ...cutIntoGroups(typed.slice(header.length))], header, () => text);
}

/**
 * Feedback on a share typed group by group (the entry field keeps groups apart so that one
 * can be retyped): a group shorter than its place needs is still being typed.
 */
export function checkShareGroups(groups: readonly string[]): TypingCheck {
  const cut = groups.map((group) => normaliseShareText(group));
  return assess(cut, leadingHeader(cut), () => groups.join('-'));
}
