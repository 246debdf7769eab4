// Issue 9, item 7: for random journals, any single byte changed, any record removed,
// duplicated or moved, and any truncation is detected, and reported at the right line as
// the right kind of damage. Truncation at a record boundary is detected given the head the
// runner recorded or, for a journal that must be sealed, the missing seal.
import t from 'tap';
import fc from 'fast-check';
import { createRecord, OPENED_EVENT, SEALED_EVENT, type JournalEntry, type JournalHead, type JournalRecord } from '../../src/journal/record.js';
import { findSecretKey } from '../../src/journal/secret-keys.js';
import { formatJournalTime } from '../../src/journal/time.js';
import { verifyJournal, type JournalProblemKind, type VerifyResult } from '../../src/journal/verify.js';

interface RandomJournal {
  lines: string[];
  records: JournalRecord[];
  head: JournalHead;
  sealed: boolean;
}

const NUM_RUNS = 200;

// Unicode strings (graphemes: several UTF-8 bytes, never a lone surrogate), nested values,
// numbers of every form; keys that name secrets are left out, as append refuses them.
const data = fc
  .dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' }), { maxKeys: 4 })
  .filter((value) => findSecretKey(value, 'data') === undefined);

const entry: fc.Arbitrary<JournalEntry> = fc.record({
  step: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { nil: null }),
  event: fc.constantFrom('step.started', 'step.completed', 'record.entered', 'exception.recorded', 'quorum.reached', 'output.written'),
  who: fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 3 }),
  data,
});

const journal: fc.Arbitrary<RandomJournal> = fc
  .record({
    header: data,
    entries: fc.array(entry, { minLength: 1, maxLength: 8 }),
    sealed: fc.boolean(),
    start: fc.date({ min: new Date('2001-01-01T00:00:00Z'), max: new Date('2098-12-31T00:00:00Z'), noInvalidDate: true }),
    offset: fc.integer({ min: -12 * 60, max: 14 * 60 }),
  })
  .map(({ header, entries, sealed, start, offset }) => {
    const all: JournalEntry[] = [{ step: null, event: OPENED_EVENT, who: [], data: header }, ...entries];
    if (sealed) all.push({ step: null, event: SEALED_EVENT, who: ['alice', 'bob'], data: {} });
    const records: JournalRecord[] = [];
    const lines: string[] = [];
    all.forEach((item, index) => {
      const { record, line } = createRecord(records.at(-1), item, formatJournalTime(new Date(start.getTime() + index * 61_001), offset));
      records.push(record);
      lines.push(line);
    });
    const last = records.at(-1)!;
    return { lines, records, head: { seq: last.seq, hash: last.hash }, sealed };
  });

const bytesOf = (lines: readonly string[]): Buffer => Buffer.from(lines.map((line) => `${line}\n`).join(''));

/** The verification failed with one of `kinds`, at `line`, with the lines before it accepted. */
function failedAs(result: VerifyResult, kinds: JournalProblemKind[], line?: number): boolean {
  if (result.ok) return false;
  if (!kinds.includes(result.problem.kind)) return false;
  if (line !== undefined && (result.problem.line !== line || result.records.length !== line - 1)) return false;
  return true;
}

t.test('random journals verify, in canonical form, and read back as written', async (t) => {
  fc.assert(
    fc.property(journal, ({ lines, records, head, sealed }) => {
      const result = verifyJournal(bytesOf(lines), { expectedHead: head, requireSeal: sealed, checkCanonicalForm: true });
      return result.ok && result.sealed === sealed && JSON.stringify(result.records) === JSON.stringify(records);
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass('verified');
});

t.test('any single byte changed is detected at its line', async (t) => {
  fc.assert(
    fc.property(journal, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ lines }, at, flip) => {
      const bytes = bytesOf(lines);
      const position = at % bytes.length;
      bytes[position] = bytes[position]! ^ flip;
      const line = bytes.subarray(0, position).filter((byte) => byte === 0x0a).length + 1;
      return failedAs(verifyJournal(bytes), ['changed', 'malformed', 'truncated'], line);
    }),
    { numRuns: NUM_RUNS * 3 },
  );
  t.pass('detected');
});

t.test('any record removed is detected: missing, or cut off the end', async (t) => {
  fc.assert(
    fc.property(journal, fc.nat(), ({ lines, head, sealed }, at) => {
      const index = at % lines.length;
      const removed = bytesOf(lines.filter((_, i) => i !== index));
      if (index < lines.length - 1) return failedAs(verifyJournal(removed), ['missing'], index + 1);
      // The last record: what is left is a journal in progress, unless the head or the seal says otherwise.
      return (
        failedAs(verifyJournal(removed, { expectedHead: head }), ['truncated'], index + 1) &&
        (!sealed || failedAs(verifyJournal(removed, { requireSeal: true }), ['unsealed'], index + 1))
      );
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass('detected');
});

t.test('any record duplicated anywhere is detected', async (t) => {
  fc.assert(
    fc.property(journal, fc.nat(), fc.nat(), ({ lines }, from, to) => {
      const index = from % lines.length;
      const insertAt = to % (lines.length + 1);
      const copy = [...lines];
      copy.splice(insertAt, 0, lines[index]!);
      // A copy placed just before its original is in the right place; the original is then the repeat.
      const line = insertAt === index ? index + 2 : insertAt + 1;
      return failedAs(verifyJournal(bytesOf(copy)), ['duplicated'], line);
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass('detected');
});

t.test('any record moved is detected as reordered', async (t) => {
  fc.assert(
    fc.property(journal, fc.nat(), fc.nat(), ({ lines }, from, to) => {
      const index = from % lines.length;
      const copy = [...lines];
      const [moved] = copy.splice(index, 1);
      const insertAt = to % lines.length;
      fc.pre(insertAt !== index);
      copy.splice(insertAt, 0, moved!);
      return failedAs(verifyJournal(bytesOf(copy)), ['reordered'], Math.min(index, insertAt) + 1);
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass('detected');
});

t.test('any truncation is detected; at a record boundary given the recorded head or a required seal', async (t) => {
  fc.assert(
    fc.property(journal, fc.nat(), ({ lines, head, sealed }, at) => {
      const bytes = bytesOf(lines);
      const cut = bytes.subarray(0, at % bytes.length);
      const atBoundary = cut.length === 0 || cut[cut.length - 1] === 0x0a;
      const anywhere = failedAs(verifyJournal(cut, { expectedHead: head }), ['truncated']);
      const sealMissing = !sealed || failedAs(verifyJournal(cut, { requireSeal: true }), ['truncated', 'unsealed']);
      const onItsOwn = atBoundary || failedAs(verifyJournal(cut), ['truncated']);
      return anywhere && sealMissing && onItsOwn;
    }),
    { numRuns: NUM_RUNS * 2 },
  );
  t.pass('detected');
});

t.test("verifyJournalSummary (journal verify) gives verifyJournal's verdict on intact and damaged journals", async (t) => {
  const { verifyJournalSummary } = await import('../../src/journal/verify.js');
  const agree = (bytes: Buffer, options: Parameters<typeof verifyJournal>[1]) => {
    const full = verifyJournal(bytes, options);
    const summary = verifyJournalSummary(bytes, options);
    if (full.ok !== summary.ok) return false;
    if (full.ok && summary.ok)
      return (
        summary.count === full.records.length &&
        summary.first.hash === full.records[0]!.hash &&
        summary.last.hash === full.records.at(-1)!.hash &&
        summary.head.hash === full.head.hash &&
        summary.sealed === full.sealed
      );
    if (!full.ok && !summary.ok) return summary.problem.kind === full.problem.kind && summary.problem.line === full.problem.line;
    return false;
  };
  fc.assert(
    fc.property(journal, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (j, at, cut, xor) => {
      const bytes = bytesOf(j.lines);
      const options = { expectedHead: j.head, requireSeal: j.sealed };
      if (!agree(bytes, options)) return false;
      const changed = Buffer.from(bytes);
      changed[at % changed.length]! ^= xor;
      if (!agree(changed, options)) return false;
      const removed = j.lines.filter((_, i) => i !== at % j.lines.length);
      if (!agree(bytesOf(removed), options)) return false;
      return agree(bytes.subarray(0, cut % bytes.length), options);
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass('summary and full verification agree on every case');
});
