// Figure `steps` of `npm run bench`: orchestration milliseconds per step, the tool's own time
// beyond the HSM's work and the fsyncs. The ceremony runs headless with the dry-run answers and
// scripts/bench/step-probe.mjs preloaded, which times every PKCS#11 call and every fsync.
//
// A step's span runs from its `step.started` record to the next step's (the last step's to
// `ceremony.sealed`), so the spans cover the ceremony from its first step to the seal with no
// gap: the work between two steps (state.json, the next screen's facts) counts for the step
// before. The time from `ceremony.opened` to the first step (profile, module and token checks)
// is reported on its own. Journal times have 1 ms resolution; the probe's are finer. HSM and
// fsync intervals are merged before they are subtracted, so overlapping ones count once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** [start, end] intervals merged into disjoint ones, sorted. */
export function mergeIntervals(intervals) {
  const sorted = intervals.map(([a, b]) => [a, b]).sort((x, y) => x[0] - y[0]);
  const merged = [];
  for (const [a, b] of sorted) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** How much of the disjoint `intervals` falls in [from, to]. */
export function overlap(intervals, from, to) {
  let sum = 0;
  for (const [a, b] of intervals) sum += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return sum;
}

/**
 * The spans of one ceremony's workdir, with `probe` (its line of the step log): per step, the
 * span, the HSM and fsync time in it, and what is left, the orchestration.
 */
export function stepBreakdown(workdir, probe) {
  const records = readFileSync(join(workdir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const time = (r) => Date.parse(r.time);
  const starts = records.filter((r) => r.event === 'step.started');
  const sealed = records.find((r) => r.event === 'ceremony.sealed');
  if (starts.length === 0 || !sealed) throw new Error(`${workdir}: the journal has no step or no seal`);
  const hsm = mergeIntervals(probe.hsm);
  const fsync = mergeIntervals(probe.fsync);
  const waits = mergeIntervals([...probe.hsm, ...probe.fsync]);
  const span = (from, to) => {
    const ms = to - from;
    return { ms, hsmMs: overlap(hsm, from, to), fsyncMs: overlap(fsync, from, to), orchestrationMs: ms - overlap(waits, from, to) };
  };
  const steps = starts.map((r, i) => ({ step: r.step, ...span(time(r), time(starts[i + 1] ?? sealed)) }));
  return { beforeFirstStep: span(time(records[0]), time(starts[0])), steps };
}
