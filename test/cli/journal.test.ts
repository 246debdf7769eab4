import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../src/journal/journal.js';
import type { JournalHead, JournalRecord } from '../../src/journal/record.js';
import { groupedHex, pgpWords } from '../../src/util/fingerprint.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { HEADER, tempDir } from '../journal/helpers/journals.js';
import type { JournalEntry } from '../../src/journal/record.js';

// `journal verify` checks each record's data against its event (src/journal/events.ts), so the
// journal here holds what keyceremony writes: a header with the module and profile, and the
// records of a small key generation ceremony with their real events and fields.
const OPENED = {
  definition: HEADER.definition,
  tool: HEADER.tool,
  node: HEADER.node,
  os: { platform: 'linux', release: '6.1', arch: 'x64', hostname: 'ceremony-01' },
  ceremony: 'hca-g3-keygen',
  hsm: {
    module: { path: '/usr/lib/softhsm/libsofthsm2.so', sha256: 'a7'.repeat(32) },
    profile: { file: 'softhsm.yaml', sha256: 'b8'.repeat(32), dryRun: true },
    tokens: { hca: { label: 'HCA-G3', serial: '6a1f0c2e9b3d4e51' } },
  },
};
const people = [
  { id: 'alice', name: 'Alice Wang', roles: ['administrator'] },
  { id: 'bob', name: 'Bob Lin', roles: ['witness'] },
  { id: 'carol', name: 'Carol Chang', roles: ['custodian'] },
];
const CEREMONY: JournalEntry[] = [
  { step: 'sign-in', event: 'step.completed', who: ['alice', 'bob', 'carol'], data: { type: 'sign-in', index: 0, participants: people } },
  {
    step: 'inventory',
    event: 'step.completed',
    who: ['alice', 'bob'],
    data: { type: 'record', index: 1, values: { 'hsm-serial': 'HSM-0042', 'bag-number': 'A1234567' } },
  },
  { step: 'unlock', event: 'step.completed', who: ['carol', 'bob'], data: { type: 'unlock', index: 2, performer: 'carol', witnesses: ['bob'] } },
  { step: 'keygen', event: 'step.completed', who: ['alice', 'bob'], data: { type: 'generate-key', index: 3, performer: 'alice', witnesses: ['bob'] } },
  { step: 'csr', event: 'step.started', who: ['alice', 'bob'], data: { type: 'create-csr', index: 4 } },
  { step: null, event: 'exception.recorded', who: ['bob'], data: { text: 'fire alarm test at 10:05, ceremony paused 4 minutes', number: 1 } },
  { step: 'lock', event: 'step.completed', who: ['alice', 'bob'], data: { type: 'lock', index: 6 } },
];

interface Workdir {
  dir: string;
  file: string;
  head: JournalHead;
  records: JournalRecord[];
}

/** A workdir with the small ceremony's journal (records 1 to 8, then the seal as record 9). */
function workdir(t: Parameters<typeof tempDir>[0], options: { seal?: boolean; status?: string } = {}): Workdir {
  const dir = tempDir(t);
  const file = join(dir, 'journal.jsonl');
  let tick = 0;
  const journal = Journal.create(file, OPENED, { clock: () => new Date(Date.parse('2026-11-28T01:15:00.000Z') + 60_000 * tick++ + 123) });
  for (const entry of CEREMONY) journal.append(entry);
  if (options.seal ?? true) journal.seal({ status: 'completed', exceptions: 1 }, ['alice', 'bob']);
  journal.close();
  if (options.status !== undefined) writeState(dir, { status: options.status, journalHead: journal.head });
  const records = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalRecord);
  return { dir, file, head: journal.head, records };
}

function writeState(dir: string, state: unknown): void {
  writeFileSync(join(dir, 'state.json'), typeof state === 'string' ? state : JSON.stringify(state));
}

function rewriteJournal(w: Workdir, edit: (lines: string[]) => void): void {
  const lines = readFileSync(w.file, 'utf8').trimEnd().split('\n');
  edit(lines);
  writeFileSync(w.file, lines.map((line) => `${line}\n`).join(''));
}

t.test('a sealed journal that matches state.json: exit 0 and the lines for the paper log', async (t) => {
  const w = workdir(t, { status: 'completed' });
  const result = await keyceremonyInProcess(['journal', 'verify', w.dir]);
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, '');
  const words = pgpWords(Buffer.from(w.head.hash, 'hex')).split(' ');
  t.equal(
    result.stdout,
    [
      `journal   ${w.file}`,
      `script    SHA-256 ${groupedHex(HEADER.definition.sha256)}`,
      `records   9, from ${w.records[0]!.time} to ${w.records[8]!.time}`,
      'status    sealed at record 9 (state.json status: completed)',
      'head      matches state.json (record 9)',
      `hash      ${groupedHex(w.head.hash)}`,
      `words     ${words.slice(0, 8).join(' ')}`,
      `          ${words.slice(8, 16).join(' ')}`,
      `          ${words.slice(16, 24).join(' ')}`,
      `          ${words.slice(24, 32).join(' ')}`,
      'verified  9 records: none changed, missing, duplicated or reordered',
      // A journal written without an HSM has no checkpoints, and says what covers it then.
      'checkpoints none: every record is covered only by the final hash on the paper log',
      '',
    ].join('\n'),
  );
});

t.test('a journal in progress without state.json verifies and says what could not be checked', async (t) => {
  const w = workdir(t, { seal: false });
  const result = await keyceremonyInProcess(['journal', 'verify', w.dir]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, 'records   8, from ');
  t.match(result.stdout, 'status    open: not sealed, the last record is record 8 (step lock, event step.completed)\n');
  t.match(result.stdout, 'head      not checked (no state.json): records cut off after the last one shown would not be noticed\n');

  writeState(w.dir, { status: 'running', journalHead: { seq: 6, hash: w.records[5]!.hash } });
  const ahead = await keyceremonyInProcess(['journal', 'verify', w.dir]);
  t.equal(ahead.code, 0, ahead.stderr);
  t.match(ahead.stdout, 'head      reaches record 6 as state.json records, and 2 more written before the state was saved\n');

  const sealed = workdir(t);
  const noState = await keyceremonyInProcess(['journal', 'verify', sealed.dir]);
  t.match(noState.stdout, 'head      not checked (no state.json); the seal shows that nothing was cut off the end\n');
});

t.test('an edited record: exit 1 naming the first bad record', async (t) => {
  const w = workdir(t, { status: 'completed' });
  rewriteJournal(w, (lines) => (lines[2] = lines[2]!.replace('A1234567', 'A7654321')));
  const result = await keyceremonyInProcess(['journal', 'verify', w.dir]);
  t.equal(result.code, 1);
  t.equal(result.stdout, `journal   ${w.file}\nverified  records 1 to 2, before the problem at line 3\n`);
  t.equal(
    result.stderr,
    `keyceremony: error: journal verify: ${w.file}, line 3: record 3 (step inventory, event step.completed) was changed: its hash does not match its content\n` +
      'keyceremony: hint: the journal was edited after it was written; keep this copy as evidence and compare it with the backup copy and the seal words on the paper log\n',
  );
});

t.test('deleted, swapped and duplicated records each fail with their own message', async (t) => {
  const cases: [string, (lines: string[]) => void, string][] = [
    ['deleted', (lines) => lines.splice(4, 1), 'line 5: record 5 is missing: line 5 holds record 6 (step csr, event step.started)'],
    ['swapped', (lines) => ([lines[3], lines[4]] = [lines[4]!, lines[3]!]), 'line 4: record 5 (step keygen, event step.completed) is out of order'],
    ['duplicated', (lines) => lines.splice(2, 0, lines[1]!), 'line 3: record 2 (step sign-in, event step.completed) is duplicated: line 3 repeats line 2'],
  ];
  for (const [name, edit, message] of cases) {
    const w = workdir(t, { status: 'completed' });
    rewriteJournal(w, edit);
    const result = await keyceremonyInProcess(['journal', 'verify', w.dir]);
    t.equal(result.code, 1, name);
    t.match(result.stderr, `keyceremony: error: journal verify: ${w.file}, ${message}`, name);
  }
});

t.test('state.json catches a journal cut at a record boundary and a lost seal', async (t) => {
  const cut = workdir(t, { status: 'completed' });
  rewriteJournal(cut, (lines) => lines.splice(6));
  const truncated = await keyceremonyInProcess(['journal', 'verify', cut.dir]);
  t.equal(truncated.code, 1);
  t.match(truncated.stderr, `line 7: the journal was cut short: it ends at record 6 (step csr, event step.started), but the recorded journal head is record 9`);

  const unsealed = workdir(t, { seal: false, status: 'aborted' });
  const result = await keyceremonyInProcess(['journal', 'verify', unsealed.dir]);
  t.equal(result.code, 1);
  t.match(result.stderr, 'line 9: the journal is not sealed: it ends at record 8 (step lock, event step.completed), with no ceremony.sealed record after it');
  t.match(result.stderr, 'keyceremony: hint: state.json says the ceremony ended, but the journal does not end with its seal');
});

t.test('a state.json that cannot be read fails the check (exit 1)', async (t) => {
  const w = workdir(t);
  writeState(w.dir, '{"journalHead": ');
  // The real executable for one exit 1; the other commands here run in-process (helpers/in-process.ts).
  const broken = await keyceremony(['journal', 'verify', w.dir]);
  t.equal(broken.code, 1);
  t.match(broken.stderr, `keyceremony: error: journal verify: ${join(w.dir, 'state.json')} is not valid JSON`);
  writeState(w.dir, { journalHead: { seq: '9', hash: w.head.hash } });
  const badHead = await keyceremonyInProcess(['journal', 'verify', w.dir]);
  t.equal(badHead.code, 1);
  t.match(badHead.stderr, 'has a journalHead that is not { seq, hash } of a record');
});

t.test('usage errors exit 2', async (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'no-such-workdir');
  const noWorkdir = await keyceremonyInProcess(['journal', 'verify', missing]);
  t.equal(noWorkdir.code, 2);
  t.equal(
    noWorkdir.stderr,
    `keyceremony: error: journal verify: workdir ${missing} does not exist\nkeyceremony: hint: give the workdir of a ceremony (the directory that holds journal.jsonl)\n`,
  );
  writeFileSync(join(dir, 'a-file'), '');
  const notDir = await keyceremonyInProcess(['journal', 'verify', join(dir, 'a-file')]);
  t.equal(notDir.code, 2);
  t.match(notDir.stderr, `keyceremony: error: journal verify: workdir ${join(dir, 'a-file')} is not a directory`);
  const empty = await keyceremonyInProcess(['journal', 'verify', dir]);
  t.equal(empty.code, 2);
  t.match(empty.stderr, `keyceremony: error: journal verify: ${join(dir, 'journal.jsonl')} does not exist`);
  const noArgs = await keyceremonyInProcess(['journal', 'verify']);
  t.equal(noArgs.code, 2);
  t.match(noArgs.stderr, 'keyceremony: error: journal verify: expected <workdir>, got 0 arguments');
  const badSub = await keyceremonyInProcess(['journal', 'check', dir]);
  t.equal(badSub.code, 2);
  t.match(badSub.stderr, 'keyceremony: error: journal: unknown subcommand "check"');
  const badOption = await keyceremonyInProcess(['journal', 'verify', dir, '--fast']);
  t.equal(badOption.code, 2);
  t.match(badOption.stderr, "keyceremony: error: journal verify: unknown option '--fast'");
});
