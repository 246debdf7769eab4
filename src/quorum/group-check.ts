// The check character at the end of every group of a share, so the entry screen can say
// "group 7 is wrong" as soon as group 7 is typed, instead of "the share is wrong" at the end.
//
// Symbols are the 32 values of Crockford base32, taken as elements of the field GF(32)
// (polynomial x^5 + x^2 + 1, generator a = x). A group s_0 .. s_m (s_m is the check
// character, m <= 4) is valid when
//
//     a^0*s_0 + a^1*s_1 + ... + a^m*s_m  =  tag(g)        tag(g) = a^(g mod 31)
//
// where g is the group's number (0-based). Because the weights a^j are distinct and
// non-zero and the field has no zero divisors, this detects, with certainty:
//   - any single wrong character in the group (the sum moves by a^j * difference != 0);
//   - any swap of two different neighbouring characters (moves by a^j (1 - a) (x - y) != 0);
//   - a whole group typed in another group's place (tags differ for up to 31 groups).
// A swap across a group boundary is a single wrong character in each of the two groups.
// Two or more errors in one group are caught with probability 31/32 here, and by the
// share's 32-bit checksum (checksum.ts) otherwise.

const FIELD_SIZE = 32;
const PRIMITIVE_POLYNOMIAL = 0b100101; // x^5 + x^2 + 1

const EXP: number[] = [];
const LOG: number[] = new Array<number>(FIELD_SIZE).fill(0);
{
  let x = 1;
  for (let i = 0; i < FIELD_SIZE - 1; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & FIELD_SIZE) x ^= PRIMITIVE_POLYNOMIAL;
  }
}

function exp(power: number): number {
  return EXP[((power % (FIELD_SIZE - 1)) + (FIELD_SIZE - 1)) % (FIELD_SIZE - 1)] as number;
}

function multiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return exp((LOG[a] as number) + (LOG[b] as number));
}

/** The number of data symbols in a full group; a group is these plus one check character. */
export const DATA_SYMBOLS_PER_GROUP = 4;
export const GROUP_LENGTH = DATA_SYMBOLS_PER_GROUP + 1;

function groupTag(groupNumber: number): number {
  return exp(groupNumber);
}

/** Weighted sum of the symbols, the tag subtracted (addition and subtraction are XOR). */
function syndrome(groupNumber: number, symbols: readonly number[]): number {
  let sum = groupTag(groupNumber);
  symbols.forEach((symbol, position) => (sum ^= multiply(exp(position), symbol)));
  return sum;
}

/** The check symbol that completes `data` (1..4 symbols) as group number `groupNumber`. */
export function checkSymbol(groupNumber: number, data: readonly number[]): number {
  if (data.length < 1 || data.length > DATA_SYMBOLS_PER_GROUP) throw new RangeError('a group holds 1 to 4 data symbols');
  // Solve a^m * c = tag - sum(data): c = (syndrome of data) / a^m.
  return multiply(syndrome(groupNumber, data), exp(-data.length));
}

/** True when the group's symbols (data then check character) satisfy its check equation. */
export function groupIsValid(groupNumber: number, symbols: readonly number[]): boolean {
  return symbols.length >= 2 && symbols.length <= GROUP_LENGTH && syndrome(groupNumber, symbols) === 0;
}
