// Bench-only worker (figure 3): builds a synthetic journal with src/journal's createRecord, or
// times verifyJournal on one. Each mode runs in a process of its own: `verify` times exactly
// one verifyJournal call in a fresh process, as `keyceremony journal verify` makes it (the
// file's bytes, the recorded head, the seal required), so no run pays for the garbage of the
// one before and the heap holds nothing but what the command would hold. Prints JSON.
//
//   node scripts/bench/journal-worker.mjs build --records 100000 --size mixed --out <file>
//   node scripts/bench/journal-worker.mjs verify --file <file>
//   node scripts/bench/journal-worker.mjs floor --file <file> --runs 5 --warmup 1
//
// The records are real ones: the entries (step, event, who, data) of bench/journal-sample.jsonl,
// taken from dry-run journals, replayed in order with new seq, time, prev and hash; the
// first is a ceremony.opened record and the last a ceremony.sealed one, as in every journal.
// Size classes pick templates by size: all of them (mixed), the small ones (step.started and
// the like) or the large ones (step.completed with outputs, share hand-overs).
import { hash as oneShotHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '../..');
const journal = await import(join(ROOT, 'dist/journal/index.js'));
const record = await import(join(ROOT, 'dist/journal/record.js'));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    records: { type: 'string', default: '100000' },
    size: { type: 'string', default: 'mixed' },
    out: { type: 'string' },
    file: { type: 'string' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
  },
});
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);

function timeIt(fn) {
  const out = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i >= WARMUP) out.push(ms);
  }
  return out;
}

function templatesFor(size) {
  const sample = readFileSync(join(ROOT, 'bench/journal-sample.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => JSON.parse(l));
  const opened = sample.find((e) => e.event === journal.OPENED_EVENT);
  const sealed = sample.find((e) => e.event === journal.SEALED_EVENT);
  const middle = sample.filter((e) => e.event !== journal.OPENED_EVENT && e.event !== journal.SEALED_EVENT);
  // A finished line is the entry's JSON plus about 190 bytes of seq, time, prev and hash.
  const bytes = (e) => Buffer.byteLength(JSON.stringify(e));
  const pick = { mixed: () => middle, small: () => middle.filter((e) => bytes(e) < 140), large: () => middle.filter((e) => bytes(e) >= 300) }[size];
  if (!pick) throw new Error(`unknown size class ${size}`);
  return { opened, sealed, middle: pick() };
}

function build() {
  const records = Number(values.records);
  const { opened, sealed, middle } = templatesFor(values.size);
  const lines = [];
  let head;
  const t0 = Date.UTC(2026, 10, 28, 1, 0, 0);
  const add = (entry, i) => {
    const { record, line } = journal.createRecord(head, entry, journal.formatJournalTime(new Date(t0 + i * 250), 480));
    head = { seq: record.seq, hash: record.hash };
    lines.push(line);
  };
  add(opened, 0);
  for (let i = 1; i < records - 1; i++) add(middle[(i - 1) % middle.length], i);
  add(sealed, records - 1);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(values.out, text);
  // state.json as the runner leaves it, so that `journal verify <workdir>` checks head and seal too.
  writeFileSync(join(values.out, '..', 'state.json'), JSON.stringify({ status: 'completed', journalHead: head }));
  const sizes = lines.map((l) => Buffer.byteLength(l) + 1).sort((a, b) => a - b);
  return { records, head, bytes: Buffer.byteLength(text), meanRecordBytes: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length), medianRecordBytes: sizes[sizes.length >> 1] };
}

function verify() {
  const bytes = readFileSync(values.file);
  const state = JSON.parse(readFileSync(join(values.file, '..', 'state.json'), 'utf8'));
  const start = process.hrtime.bigint();
  // What `keyceremony journal verify` runs: the summary verdict (first and last record kept).
  const result = journal.verifyJournalSummary(bytes, { requireSeal: true, expectedHead: state.journalHead });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!result.ok) throw new Error(`the synthetic journal does not verify: ${JSON.stringify(result.problem)}`);
  return { records: result.count, ms };
}

/**
 * The per-line work of verifyJournal (JSON.parse, the hash of the line's bytes without its
 * hash member, the record's shape, seq and prev), written out here from src/journal's own
 * exported helpers, so that it can be timed with and without keeping every record.
 */
function sameChecks(text, keep) {
  const kept = [];
  let prev = '0'.repeat(64);
  let seq = 0;
  let first;
  let last;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i];
    const value = JSON.parse(line);
    const body = record.lineBody(line, value.hash);
    if (body === undefined || record.sha256Hex(body) !== value.hash) throw new Error(`line ${i + 1}: hash`);
    if (record.recordShapeProblem(value) !== undefined || value.seq !== ++seq || value.prev !== prev) throw new Error(`line ${i + 1}: shape or chain`);
    prev = value.hash;
    if (keep) kept.push(value);
    else {
      first ??= value;
      last = value;
    }
  }
  return keep ? kept.length : last.seq - first.seq + 1;
}

function floor() {
  // The parts verification cannot skip, alone: decoding, one JSON.parse and one SHA-256 per line.
  const bytes = readFileSync(values.file);
  const lines = bytes.toString('utf8').split('\n');
  lines.pop();
  return {
    decodeAndSplitMs: timeIt(() => bytes.toString('utf8').split('\n')),
    jsonParseMs: timeIt(() => {
      for (const l of lines) JSON.parse(l);
    }),
    // The same, keeping every parsed record as verifyJournal does (it returns them all): the extra is garbage collection.
    jsonParseKeepMs: timeIt(() => {
      const kept = [];
      for (const l of lines) kept.push(JSON.parse(l));
    }),
    sha256Ms: timeIt(() => {
      for (const l of lines) oneShotHash('sha256', l, 'hex');
    }),
    // verifyJournal's per-line checks on the decoded text, keeping every record (as it does) and keeping only the first and last.
    sameChecksKeepMs: timeIt(() => sameChecks(bytes.toString('utf8'), true)),
    sameChecksNoKeepMs: timeIt(() => sameChecks(bytes.toString('utf8'), false)),
    checkCanonicalFormMs: timeIt(() => journal.verifyJournal(bytes, { checkCanonicalForm: true })),
  };
}

const mode = { build, verify, floor }[positionals[0]];
if (!mode) throw new Error('usage: journal-worker.mjs build|verify|floor …');
process.stdout.write(JSON.stringify(mode()));
