// Bench-only worker (figure 3, shares): the time to combine typed shares into the secret with
// src/quorum's combine(), for a 3-of-5 and a 10-of-20 set of 256-bit secrets. combine() is the
// whole path an unlock takes before C_Login: each share's envelope and checksum read back,
// its commitment checked against the manifest, the Shamir combination (secrets.js-grempe)
// and the manifest's verifier. Prints one JSON object.
//
//   node scripts/bench/shares-worker.mjs --runs 5 --warmup 1 --iterations 200
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '../..');
const quorum = await import(join(ROOT, 'dist/quorum/index.js'));

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' }, iterations: { type: 'string', default: '200' } } });
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const ITERATIONS = Number(values.iterations);

/** ms per call of fn, one value per run (each run averages ITERATIONS calls). */
function perCall(fn) {
  const out = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const start = process.hrtime.bigint();
    for (let j = 0; j < ITERATIONS; j++) fn(j);
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / ITERATIONS;
    if (i >= WARMUP) out.push(ms);
  }
  return out;
}

const results = {};
for (const [threshold, of] of [
  [3, 5],
  [10, 20],
]) {
  const custodians = Array.from({ length: of }, (_, i) => `c${i + 1}`);
  const secret = quorum.newSecret();
  const { shares, manifest } = quorum.split(secret, { threshold, of, custodians, label: 'bench-pin' });
  // Different quorums in turn, as different custodians turn up.
  const quorums = Array.from({ length: 8 }, (_, k) => Array.from({ length: threshold }, (_, i) => shares[(k + i) % of].text));
  results[`${threshold}-of-${of}`] = {
    shareGroups: shares[0].text.split('-').length,
    combineMs: perCall((j) => quorum.wipe(quorum.combine(quorums[j % quorums.length], manifest))),
    splitMs: perCall(() => quorum.split(secret, { threshold, of, custodians, label: 'bench-pin' })),
    derivePinMs: perCall(() => quorum.wipe(quorum.derivePin(secret, 32))),
  };
  quorum.wipe(secret);
}
process.stdout.write(JSON.stringify(results));
