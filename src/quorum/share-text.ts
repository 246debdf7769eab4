// How a share looks to a person: Crockford base32 symbols in groups of five (four data
// symbols and a check character), joined by dashes. Reading is forgiving where that is
// safe: spaces, dashes and line breaks are ignored, case does not matter, and the letters
// Crockford maps to digits are accepted (O -> 0, I and L -> 1). Any other character is an
// error in the group it was typed in; it is never guessed at.
import { DATA_SYMBOLS_PER_GROUP, GROUP_LENGTH, checkSymbol, groupIsValid } from './group-check.js';

/** Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U. */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const ALIASES: Record<string, string> = { O: '0', I: '1', L: '1' };

/** What is ignored between characters when a share is read. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/u;

/** One typed character after normalising: its symbol value, or -1 when it is not a share character. */
export interface TypedSymbol {
  char: string;
  value: number;
}

/** Normalises typed text to symbols, keeping characters that are not in the alphabet (value -1). */
export function normaliseShareText(text: string): TypedSymbol[] {
  const out: TypedSymbol[] = [];
  for (const raw of text) {
    if (SEPARATORS.test(raw)) continue;
    const upper = raw.toUpperCase();
    const char = ALIASES[upper] ?? upper;
    out.push({ char, value: char.length === 1 ? ALPHABET.indexOf(char) : -1 });
  }
  return out;
}

/**
 * Whether two typings are the same share text, read as a share is read (separators, case
 * and the Crockford aliases aside). The one normalisation: a handed-out share typed back is
 * compared with it too.
 */
export function sameShareText(a: string, b: string): boolean {
  const canonical = (text: string) =>
    normaliseShareText(text)
      .map((s) => s.char)
      .join('');
  return canonical(a) === canonical(b);
}

/** Cuts normalised symbols into groups of five; the last group may be shorter. */
export function cutIntoGroups<T>(symbols: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < symbols.length; i += GROUP_LENGTH) groups.push(symbols.slice(i, i + GROUP_LENGTH));
  return groups;
}

/** The number of characters (check characters included) that `dataSymbols` data symbols take. */
export function typedLength(dataSymbols: number): number {
  return dataSymbols + Math.ceil(dataSymbols / DATA_SYMBOLS_PER_GROUP);
}

/** Adds a check character after every four data symbols and renders groups joined by dashes. */
export function renderGroups(data: readonly number[]): string {
  const groups: string[] = [];
  for (let start = 0, group = 0; start < data.length; start += DATA_SYMBOLS_PER_GROUP, group++) {
    const chunk = data.slice(start, start + DATA_SYMBOLS_PER_GROUP);
    groups.push([...chunk, checkSymbol(group, chunk)].map((v) => ALPHABET[v]).join(''));
  }
  return groups.join('-');
}

/** Whether one typed group (data and check character) is valid as group number `group`. */
export function typedGroupIsValid(group: number, symbols: readonly TypedSymbol[]): boolean {
  return (
    symbols.every((s) => s.value >= 0) &&
    groupIsValid(
      group,
      symbols.map((s) => s.value),
    )
  );
}

/** The data symbols of typed groups, check characters removed. */
export function dataSymbols(groups: readonly (readonly TypedSymbol[])[]): number[] {
  return groups.flatMap((group) => group.slice(0, -1).map((s) => s.value));
}

/** A share text laid out for paper: `perLine` groups per line (the groups are unchanged). */
export function formatForPaper(text: string, perLine = 5): string {
  const groups = cutIntoGroups(normaliseShareText(text)).map((g) => g.map((s) => s.char).join(''));
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += perLine) lines.push(groups.slice(i, i + perLine).join(' '));
  return lines.join('\n');
}
