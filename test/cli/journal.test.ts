import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../src/journal/journal.js';
import type { JournalHead, JournalRecord } from '../../src/journal/record.js';
import { groupedHex, pgpWords, sha256 } from '../../src/util/fingerprint.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { HEADER, tempDir } from '../journal/helpers/journals.js';
import { displayWidth } from '../../src/util/text-width.js';
import { describeFindings, unexpectedWords } from '../ui/helpers/latin-words.js';
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

/**
 * A workdir with the small ceremony's journal (records 1 to 8, then the seal as record 9).
 * With `definition`, the workdir holds that script as definition.yaml and record 1 records its SHA-256.
 */
function workdir(t: Parameters<typeof tempDir>[0], options: { seal?: boolean; status?: string; definition?: string } = {}): Workdir {
  const dir = tempDir(t);
  const file = join(dir, 'journal.jsonl');
  let tick = 0;
  let opened = OPENED;
  if (options.definition !== undefined) {
    writeFileSync(join(dir, 'definition.yaml'), options.definition);
    opened = { ...OPENED, definition: { file: 'hca-g3-keygen.yaml', sha256: sha256(options.definition).toString('hex') } };
  }
  const journal = Journal.create(file, opened, { clock: () => new Date(Date.parse('2026-11-28T01:15:00.000Z') + 60_000 * tick++ + 123) });
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

t.test("the record times are shown in the time zone of the workdir's definition, when it is the recorded script", async (t) => {
  const keygen = readFileSync(new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url), 'utf8');
  t.match(keygen, /^timeZone: Asia\/Taipei/m);
  const w = workdir(t, { status: 'completed', definition: keygen });
  // Written at 01:15 and 01:23 UTC, read in Taipei (whole seconds, with the offset, as the report shows them).
  const en = await keyceremonyInProcess(['journal', 'verify', w.dir]);
  t.equal(en.code, 0, en.stderr);
  t.match(en.stdout, 'records   9, from 2026-11-28 09:15:00 +08:00 to 2026-11-28 09:23:00 +08:00\n');
  const zh = await keyceremonyInProcess(['journal', 'verify', w.dir, '--lang', 'zh-TW']);
  t.equal(zh.code, 0, zh.stderr);
  t.match(zh.stdout, '紀錄      共 9 筆，自 2026-11-28 09:15:00 +08:00 至 2026-11-28 09:23:00 +08:00\n');
  // A copy of the script that is not the recorded one names no zone: the times stay as the journal wrote them.
  writeFileSync(join(w.dir, 'definition.yaml'), keygen.replace('Asia/Taipei', 'Europe/Paris'));
  const changed = await keyceremonyInProcess(['journal', 'verify', w.dir]);
  t.equal(changed.code, 0, changed.stderr);
  t.match(changed.stdout, `records   9, from ${w.records[0]!.time} to ${w.records[8]!.time}\n`);
});

t.test('--lang zh-TW: an open journal and its state.json in Chinese, within 80 columns', async (t) => {
  const w = workdir(t, { seal: false });
  const noState = await keyceremonyInProcess(['journal', 'verify', w.dir, '--lang', 'zh-TW']);
  t.equal(noState.code, 0, noState.stderr);
  t.match(noState.stdout, '狀態      未封存：最後一筆為第 8 筆紀錄（步驟 lock，事件 step.completed）\n');
  t.match(noState.stdout, '日誌末筆  未檢查（沒有 state.json）：最後一筆之後若有紀錄遭截去，將無從察覺\n');
  t.match(noState.stdout, '驗證      共 8 筆紀錄，無任何竄改、缺漏、重複或順序錯置\n');
  t.match(noState.stdout, '查核點    無：所有紀錄僅由紙本紀錄上之最終雜湊值保護\n');
  writeState(w.dir, { status: 'running', journalHead: { seq: 6, hash: w.records[5]!.hash } });
  const ahead = await keyceremonyInProcess(['journal', 'verify', w.dir, '--lang', 'zh-TW']);
  t.equal(ahead.code, 0, ahead.stderr);
  t.match(ahead.stdout, '（state.json 所載狀態：進行中）\n');
  t.match(ahead.stdout, '日誌末筆  達 state.json 所記載之第 6 筆，其後另有 2 筆於狀態儲存前寫入\n');
  for (const result of [noState, ahead]) {
    // But the journal's path, kept whole however long the folder is (CI's TMPDIR is longer than this machine's).
    t.same(
      result.stdout.split('\n').filter((line) => displayWidth(line) > 80 && !line.endsWith(` ${join(w.dir, 'journal.jsonl')}`)),
      [],
      'no line wider than 80 columns',
    );
    // Apart from the workdir's path, ids and hex: the step and event of the last record, state.json, SHA-256 and the PGP words.
    const findings = unexpectedWords([{ name: 'journal verify', text: result.stdout }], { words: ['lock', 'step.completed', 'state.json'], folders: [w.dir] });
    t.equal(findings.length === 0 ? '' : describeFindings(findings), '', 'no English words');
  }
  const sealed = workdir(t);
  const seal = await keyceremonyInProcess(['journal', 'verify', sealed.dir, '--lang', 'zh-TW']);
  t.match(seal.stdout, '狀態      於第 9 筆紀錄封存\n');
  t.match(seal.stdout, '日誌末筆  未檢查（沒有 state.json）；封存紀錄表示末端未遭截去任何紀錄\n');
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
