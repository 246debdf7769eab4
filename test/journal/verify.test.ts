import t from 'tap';
import { canonicalJson } from '../../src/journal/canonical-json.js';
import { createRecord, lineBody, sha256Hex, type JournalRecord } from '../../src/journal/record.js';
import { verifyJournal, type JournalProblem, type VerifyResult } from '../../src/journal/verify.js';
import { buildJournal, CEREMONY, FIXED_TIME, journalText } from './helpers/journals.js';

// The journal these tests tamper with: record 1 ceremony.opened, 2 sign-in, 3 inventory,
// 4 unlock, 5 keygen, 6 csr, 7 exception, 8 lock, 9 ceremony.sealed.
const sealed = buildJournal();
const open = buildJournal(CEREMONY, { seal: false });

function problemOf(t: { fail(message: string): unknown }, result: VerifyResult): JournalProblem & { goodRecords: number } {
  if (result.ok) {
    t.fail('the journal verified, but it should not have');
    return { line: 0, kind: 'malformed', message: '', goodRecords: result.records.length };
  }
  return { ...result.problem, goodRecords: result.records.length };
}

/** The lines with `edit` applied to a copy. */
function edited(lines: readonly string[], edit: (lines: string[]) => void): string {
  const copy = [...lines];
  edit(copy);
  return journalText(copy);
}

/** A line whose hash matches its (possibly odd) content: what a forger who rehashes writes. */
function forgeLine(content: Record<string, unknown>): string {
  const hash = sha256Hex(canonicalJson(content));
  return canonicalJson({ ...content, hash });
}

t.test('a whole journal verifies, from text or bytes', async (t) => {
  for (const input of [sealed.text, Buffer.from(sealed.text)]) {
    const result = verifyJournal(input, { expectedHead: sealed.head, requireSeal: true, checkCanonicalForm: true });
    t.ok(result.ok);
    if (!result.ok) continue;
    t.equal(result.sealed, true);
    t.same(result.head, sealed.head);
    t.same(result.records, sealed.records);
  }
  const inProgress = verifyJournal(open.text, { expectedHead: open.head });
  t.ok(inProgress.ok);
  t.equal(inProgress.ok && inProgress.sealed, false);
  const ahead = verifyJournal(sealed.text, { expectedHead: { seq: 6, hash: sealed.records[5]!.hash } });
  t.ok(ahead.ok, 'records written after the state was last saved are fine');
});

t.test('an edited record is changed', async (t) => {
  const text = edited(sealed.lines, (lines) => (lines[2] = lines[2]!.replace('A1234567', 'A1234568')));
  t.same(problemOf(t, verifyJournal(text)), {
    seq: 3,
    line: 3,
    kind: 'changed',
    message: 'record 3 (step inventory, event record.entered) was changed: its hash does not match its content',
    goodRecords: 2,
  });
  const renumbered = edited(sealed.lines, (lines) => (lines[4] = lines[4]!.replace('"seq":5', '"seq":4')));
  t.same(problemOf(t, verifyJournal(renumbered)), {
    seq: 4,
    line: 5,
    kind: 'changed',
    message: 'record 4 (step keygen, event step.completed) was changed: its hash does not match its content',
    goodRecords: 4,
  });
});

t.test('a byte that changes the text but not the value is still a change', async (t) => {
  const journal = buildJournal([{ step: 'inventory', event: 'record.entered', who: ['alice'], data: { count: 1e21, note: 'tab\there' } }], { seal: false });
  t.match(journal.lines[1], /"count":1e\+21/);
  const exponent = edited(journal.lines, (lines) => (lines[1] = lines[1]!.replace('1e+21', '1E+21')));
  t.equal(problemOf(t, verifyJournal(exponent)).kind, 'changed');
  const escape = edited(journal.lines, (lines) => (lines[1] = lines[1]!.replace('\\t', '\\u0009')));
  t.equal(problemOf(t, verifyJournal(escape)).kind, 'changed');
  const crlf = journal.text.replace(/\n/g, '\r\n');
  t.same(problemOf(t, verifyJournal(crlf)), {
    line: 1,
    kind: 'changed',
    message: 'line 1 was changed: it ends with a carriage return (the file was converted to CRLF line ends)',
    seq: 1,
    goodRecords: 0,
  });
});

t.test('a deleted record is missing', async (t) => {
  const one = edited(sealed.lines, (lines) => lines.splice(4, 1));
  t.same(problemOf(t, verifyJournal(one)), {
    seq: 5,
    line: 5,
    kind: 'missing',
    message: 'record 5 is missing: line 5 holds record 6 (step csr, event output.written)',
    goodRecords: 4,
  });
  const two = edited(sealed.lines, (lines) => lines.splice(4, 2));
  t.same(problemOf(t, verifyJournal(two)), {
    seq: 5,
    line: 5,
    kind: 'missing',
    message: 'records 5 to 6 are missing: line 5 holds record 7 (event exception.recorded)',
    goodRecords: 4,
  });
  const header = edited(sealed.lines, (lines) => lines.shift());
  t.same(problemOf(t, verifyJournal(header)), {
    seq: 1,
    line: 1,
    kind: 'missing',
    message: 'record 1 is missing: line 1 holds record 2 (step sign-in, event step.completed)',
    goodRecords: 0,
  });
});

t.test('swapped and moved records are reordered', async (t) => {
  const swapped = edited(sealed.lines, (lines) => ([lines[3], lines[4]] = [lines[4]!, lines[3]!]));
  t.same(problemOf(t, verifyJournal(swapped)), {
    seq: 5,
    line: 4,
    kind: 'reordered',
    message: 'record 5 (step keygen, event step.completed) is out of order: it is at line 4, where record 4 belongs, and record 4 is at line 5',
    goodRecords: 3,
  });
  const movedDown = edited(sealed.lines, (lines) => lines.splice(7, 0, ...lines.splice(2, 1)));
  t.same(problemOf(t, verifyJournal(movedDown)), {
    seq: 4,
    line: 3,
    kind: 'reordered',
    message: 'record 4 (step unlock, event quorum.reached) is out of order: it is at line 3, where record 3 belongs, and record 3 is at line 8',
    goodRecords: 2,
  });
  // A different record 3, chained after record 2 like the real one, turning up later.
  const other = createRecord(sealed.records[1], { step: 'inventory', event: 'record.entered', who: ['mallory'], data: { 'bag-number': 'Z9' } }, FIXED_TIME);
  const stranger = edited(sealed.lines, (lines) => lines.splice(5, 0, other.line));
  t.same(problemOf(t, verifyJournal(stranger)), {
    seq: 3,
    line: 6,
    kind: 'reordered',
    message: 'record 3 (step inventory, event record.entered) is out of order: it is at line 6, after record 5, and differs from the record 3 at line 3',
    goodRecords: 5,
  });
});

t.test('a copied record is duplicated, wherever the copy is', async (t) => {
  const after = edited(sealed.lines, (lines) => lines.splice(4, 0, lines[3]!));
  t.same(problemOf(t, verifyJournal(after)), {
    seq: 4,
    line: 5,
    kind: 'duplicated',
    message: 'record 4 (step unlock, event quorum.reached) is duplicated: line 5 repeats line 4',
    goodRecords: 4,
  });
  const before = edited(sealed.lines, (lines) => lines.splice(1, 0, lines[5]!));
  t.same(problemOf(t, verifyJournal(before)), {
    seq: 6,
    line: 2,
    kind: 'duplicated',
    message: 'record 6 (step csr, event output.written) is duplicated: a copy is at line 2, where record 2 belongs, and the record is again at line 7',
    goodRecords: 1,
  });
  const afterSeal = edited(sealed.lines, (lines) => lines.push(lines[8]!));
  t.same(problemOf(t, verifyJournal(afterSeal)), {
    seq: 9,
    line: 10,
    kind: 'duplicated',
    message: 'record 9 (event ceremony.sealed) is duplicated: line 10 repeats line 9',
    goodRecords: 9,
  });
});

t.test('a line cut by a crash is a torn tail (truncated)', async (t) => {
  const next = createRecord(open.head, CEREMONY[0]!, FIXED_TIME);
  const fragment = open.text + next.line.slice(0, 40);
  t.same(problemOf(t, verifyJournal(fragment)), {
    line: 9,
    kind: 'truncated',
    message: 'the journal was cut while a record was written: line 9 is incomplete (40 bytes, no line end), after record 8 (step lock, event step.completed)',
    goodRecords: 8,
  });
  const noNewline = open.text + next.line;
  t.same(problemOf(t, verifyJournal(noNewline)), {
    line: 9,
    kind: 'truncated',
    message: 'the journal was cut while its last line was written: line 9 has no line end, after record 8 (step lock, event step.completed)',
    goodRecords: 8,
  });
  // Cut in the middle of a character: bytes that are not UTF-8 at the very end are still a torn tail.
  const bytes = Buffer.from(sealed.text);
  const chinese = bytes.indexOf(Buffer.from('醫'));
  const halfCharacter = bytes.subarray(0, chinese + 1);
  t.match(problemOf(t, verifyJournal(halfCharacter)), {
    kind: 'truncated',
    line: 5,
    message: `line 5 is incomplete (${chinese + 1 - bytes.lastIndexOf(0x0a, chinese) - 1} bytes, no line end)`,
  });
  t.same(problemOf(t, verifyJournal('')), { line: 1, kind: 'truncated', message: 'the journal is empty: it has no ceremony.opened record', goodRecords: 0 });
});

t.test('a journal cut at a record boundary is truncated given the recorded head, unsealed given that it ended', async (t) => {
  const cut = journalText(sealed.lines.slice(0, 7));
  t.ok(verifyJournal(cut).ok, 'on its own it looks like a journal in progress');
  t.same(problemOf(t, verifyJournal(cut, { expectedHead: sealed.head })), {
    seq: 8,
    line: 8,
    kind: 'truncated',
    message: 'the journal was cut short: it ends at record 7 (event exception.recorded), but the recorded journal head is record 9',
    goodRecords: 7,
  });
  t.same(problemOf(t, verifyJournal(cut, { requireSeal: true })), {
    line: 8,
    kind: 'unsealed',
    message: 'the journal is not sealed: it ends at record 7 (event exception.recorded), with no ceremony.sealed record after it',
    goodRecords: 7,
  });
  t.same(problemOf(t, verifyJournal(open.text, { requireSeal: true })).kind, 'unsealed');
  const rewritten = problemOf(t, verifyJournal(sealed.text, { expectedHead: { seq: 5, hash: 'f'.repeat(64) } }));
  t.same(rewritten, {
    seq: 5,
    line: 5,
    kind: 'changed',
    message:
      'record 5 (step keygen, event step.completed) was changed: its hash is not the one recorded as the journal head (the journal was rewritten up to this record)',
    goodRecords: 4,
  });
  t.throws(() => verifyJournal(sealed.text, { expectedHead: { seq: 0, hash: 'nope' } }), TypeError);
});

t.test('a record after the seal is after-seal', async (t) => {
  const extra = createRecord(sealed.head, CEREMONY[6]!, FIXED_TIME);
  t.same(problemOf(t, verifyJournal(sealed.text + `${extra.line}\n`)), {
    seq: 10,
    line: 10,
    kind: 'after-seal',
    message: 'record 10 (step lock, event step.completed) comes after the seal: the journal was sealed at record 9, and nothing may follow it',
    goodRecords: 9,
  });
});

t.test('a record replaced by another that hashes correctly breaks the chain (changed)', async (t) => {
  const forged = createRecord(sealed.records[3], { step: 'keygen', event: 'step.completed', who: ['mallory'], data: { label: 'HCA-G3' } }, FIXED_TIME);
  const text = edited(sealed.lines, (lines) => (lines[4] = forged.line));
  t.same(problemOf(t, verifyJournal(text)), {
    seq: 6,
    line: 6,
    kind: 'changed',
    message: 'record 6 (step csr, event output.written) does not chain to record 5: its prev is not the hash of record 5 (one of the two was replaced)',
    goodRecords: 5,
  });
  const { hash: _hash, ...first } = sealed.records[0]!;
  const badStart = edited(sealed.lines, (lines) => (lines[0] = forgeLine({ ...first, prev: '1'.repeat(64) })));
  t.same(problemOf(t, verifyJournal(badStart)), {
    seq: 1,
    line: 1,
    kind: 'changed',
    message: 'record 1 (event ceremony.opened) was changed: its prev is not 64 zeros, so it does not start the chain',
    goodRecords: 0,
  });
});

t.test('lines that are not journal records are malformed', async (t) => {
  const cases: [string, string][] = [
    ['not json', 'line 4 is not a journal record: it is not valid JSON'],
    ['', 'line 4 is not a journal record: it is empty'],
    ['[1,2]', 'line 4 is not a journal record: it is not a JSON object'],
    ['{"seq":4}', 'line 4 is not a journal record: it has no hash'],
  ];
  for (const [line, message] of cases) {
    const text = edited(sealed.lines, (lines) => (lines[3] = line));
    t.same(problemOf(t, verifyJournal(text)), { line: 4, kind: 'malformed', message, goodRecords: 3 }, JSON.stringify(line));
  }
  const { hash: _hash, ...fourth } = sealed.records[3]!;
  const extraField = edited(sealed.lines, (lines) => (lines[3] = forgeLine({ ...fourth, extra: true })));
  t.same(problemOf(t, verifyJournal(extraField)), {
    line: 4,
    kind: 'malformed',
    message: 'line 4 is not a journal record: unexpected field "extra"',
    goodRecords: 3,
  });
  const badTime = edited(sealed.lines, (lines) => (lines[3] = forgeLine({ ...fourth, time: '2026-11-28T01:15:00Z' })));
  t.match(problemOf(t, verifyJournal(badTime)).message, 'time must be ISO 8601 local time with milliseconds and UTC offset');

  const bytes = Buffer.from(sealed.text);
  bytes[bytes.indexOf(Buffer.from('醫')) + 1] = 0xff;
  t.same(problemOf(t, verifyJournal(bytes)), { line: 5, kind: 'malformed', message: 'line 5 is not valid UTF-8 text', goodRecords: 4 });
});

t.test('record 1 must open the ceremony, and only record 1', async (t) => {
  const headless = createRecord(undefined, { step: 'sign-in', event: 'step.completed', who: ['alice'], data: {} }, FIXED_TIME);
  t.same(problemOf(t, verifyJournal(`${headless.line}\n`)), {
    seq: 1,
    line: 1,
    kind: 'malformed',
    message: 'record 1 (step sign-in, event step.completed) is not a journal header: record 1 must be ceremony.opened',
    goodRecords: 0,
  });
  const { hash: _hash, ...record2 } = createRecord(open.records[0], CEREMONY[0]!, FIXED_TIME).record;
  const secondHeader = forgeLine({ ...record2, step: null, event: 'ceremony.opened' });
  t.equal(
    problemOf(t, verifyJournal(`${open.lines[0]!}\n${secondHeader}\n`)).message,
    'record 2 (event ceremony.opened) is a second ceremony.opened record: only record 1 opens the ceremony',
  );
});

t.test('checkCanonicalForm also requires the RFC 8785 form the hash is defined over', async (t) => {
  // A forger who knows that the hash covers the stored bytes writes a non-canonical line
  // with a matching hash. Nothing was changed after it was hashed, so the plain check
  // passes; the canonical-form check is what an independent JCS verifier would do.
  const last = open.lines.at(-1)!;
  const spaced = last.replace('{"data":{}', '{"data":{ }');
  const body = lineBody(spaced, open.head.hash)!;
  const rehashed = spaced.replace(open.head.hash, sha256Hex(body));
  const text = edited(open.lines, (lines) => (lines[lines.length - 1] = rehashed));
  t.ok(verifyJournal(text).ok);
  t.same(problemOf(t, verifyJournal(text, { checkCanonicalForm: true })), {
    seq: 8,
    line: 8,
    kind: 'changed',
    message: 'record 8 (step lock, event step.completed) was changed: the line is not the canonical JSON (RFC 8785) of the record',
    goodRecords: 7,
  });
});

t.test('a long journal verifies in one pass (sanity only; the benchmark times it)', async (t) => {
  const lines: string[] = [];
  let previous: JournalRecord | undefined;
  for (let seq = 1; seq <= 20_000; seq++) {
    const entry =
      seq === 1
        ? { step: null, event: 'ceremony.opened', who: [], data: {} }
        : { step: 'record', event: 'record.entered', who: ['alice', 'bob'], data: { seq, note: '醫事憑證' } };
    const { record, line } = createRecord(previous, entry, FIXED_TIME);
    lines.push(line);
    previous = record;
  }
  const text = journalText(lines);
  const result = verifyJournal(text, { expectedHead: { seq: previous!.seq, hash: previous!.hash } });
  t.ok(result.ok);
  t.equal(result.ok && result.records.length, 20_000);
  const moved = edited(lines, (copy) => copy.splice(19_000, 0, ...copy.splice(10, 1)));
  t.match(problemOf(t, verifyJournal(moved)), { kind: 'reordered', line: 11, goodRecords: 10 });
});
