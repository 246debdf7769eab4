// How many quorums a share set of a given shape has. A new set is checked by combining every
// threshold subset of its shares (src/quorum/split.ts), so the shape decides how long that
// takes: at about 0.2 ms a combination, 100,000 of them take some 20 seconds at the terminal.
// Shapes with more are refused where they are first known: the definition, then split().

/** The most threshold subsets a new share set may have; each one is combined and checked. */
export const MAX_QUORUM_COMBINATIONS = 100_000;

/** C(of, threshold), the number of different quorums of exactly `threshold` shares; Infinity past 2^53. */
export function quorumCombinations(threshold: number, of: number): number {
  if (!Number.isInteger(threshold) || !Number.isInteger(of) || threshold < 0 || of < threshold) return 0;
  const k = Math.min(threshold, of - threshold);
  let count = 1;
  for (let i = 1; i <= k; i++) {
    count = (count * (of - k + i)) / i; // exact: each partial product is itself a binomial coefficient
    if (count > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return Math.round(count);
}

/** Why a threshold-of-of shape has too many quorums to check, or undefined when it has not. */
export function tooManyQuorums(threshold: number, of: number): string | undefined {
  const count = quorumCombinations(threshold, of);
  if (count <= MAX_QUORUM_COMBINATIONS) return undefined;
  const shown = Number.isFinite(count) ? count.toLocaleString('en-US') : 'more than 2^53';
  return `${threshold}-of-${of} has ${shown} different quorums of ${threshold} shares; every one is combined and checked before any share is shown, and at most ${MAX_QUORUM_COMBINATIONS.toLocaleString('en-US')} can be`;
}
