// The per-group check character, exhaustively: the guarantees in group-check.ts hold for
// every position, every pair of symbols and every group number.
import t from 'tap';
import { checkSymbol, groupIsValid } from '../../src/quorum/group-check.js';

const randomSymbols = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 32));

function validGroup(groupNumber: number, dataLength: number): number[] {
  const data = randomSymbols(dataLength);
  return [...data, checkSymbol(groupNumber, data)];
}

t.test('the check symbol completes a valid group for 1 to 4 data symbols', async (t) => {
  let bad = 0;
  for (let g = 0; g < 40; g++) for (let n = 1; n <= 4; n++) if (!groupIsValid(g, validGroup(g, n))) bad++;
  t.equal(bad, 0);
  t.throws(() => checkSymbol(0, []), RangeError);
  t.throws(() => checkSymbol(0, [1, 2, 3, 4, 5]), RangeError);
  t.notOk(groupIsValid(0, [7]), 'a group is at least one data symbol and its check');
});

t.test('every single substitution, at every position, of every symbol by every other, is detected', async (t) => {
  let missed = 0;
  let tried = 0;
  for (let g = 0; g < 31; g++) {
    for (let n = 1; n <= 4; n++) {
      const group = validGroup(g, n);
      for (let position = 0; position < group.length; position++) {
        for (let from = 0; from < 32; from++) {
          for (let to = 0; to < 32; to++) {
            if (from === to) continue;
            const a = [...group];
            const b = [...group];
            a[position] = from;
            b[position] = to;
            // Of two groups differing in one place, at most one is valid.
            tried++;
            if (groupIsValid(g, a) && groupIsValid(g, b)) missed++;
          }
        }
      }
    }
  }
  t.equal(missed, 0, `${tried} substitutions tried`);
});

/**
 * A valid group number `g` with `n` data symbols that has x at `position` and y right after
 * it (y may be the check symbol), or undefined when no such group exists.
 */
function validGroupWith(g: number, n: number, position: number, x: number, y: number): number[] | undefined {
  const data = randomSymbols(n);
  data[position] = x;
  if (position + 1 < n) {
    data[position + 1] = y;
    return [...data, checkSymbol(g, data)];
  }
  // y must be the check symbol: vary another data symbol until it is (the check symbol
  // runs through all 32 values as any one data symbol does).
  const free = position === 0 ? 1 : 0;
  if (free >= n) return checkSymbol(g, data) === y ? [...data, y] : undefined;
  for (let v = 0; v < 32; v++) {
    data[free] = v;
    if (checkSymbol(g, data) === y) return [...data, y];
  }
  throw new Error('the check symbol did not take every value');
}

t.test('every swap of two different neighbouring symbols is detected', async (t) => {
  let missed = 0;
  let tried = 0;
  for (let g = 0; g < 31; g++) {
    for (let n = 1; n <= 4; n++) {
      for (let position = 0; position < n; position++) {
        for (let x = 0; x < 32; x++) {
          for (let y = 0; y < 32; y++) {
            if (x === y) continue;
            const valid = validGroupWith(g, n, position, x, y);
            if (valid === undefined) continue;
            const swapped = [...valid];
            [swapped[position], swapped[position + 1]] = [y, x];
            tried++;
            if (!groupIsValid(g, valid) || groupIsValid(g, swapped)) missed++;
          }
        }
      }
    }
  }
  t.equal(missed, 0, `${tried} swaps of a valid group tried`);
  // Every position and every pair of different symbols, except that a group of one data
  // symbol has only one check symbol per data symbol.
  let singles = 0;
  for (let g = 0; g < 31; g++) for (let x = 0; x < 32; x++) if (checkSymbol(g, [x]) !== x) singles++;
  t.equal(tried, 31 * 9 * 32 * 31 + singles, 'every case was covered');
});

t.test('a valid group typed in the place of another group is detected (up to 31 groups)', async (t) => {
  let missed = 0;
  for (let a = 0; a < 31; a++) {
    for (let b = 0; b < 31; b++) {
      if (a === b) continue;
      for (let n = 1; n <= 4; n++) if (groupIsValid(b, validGroup(a, n))) missed++;
    }
  }
  t.equal(missed, 0);
});
