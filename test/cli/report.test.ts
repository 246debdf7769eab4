// `keyceremony report <workdir>`: made only from a journal that verifies. A changed,
// shortened or unsealed journal, or a changed script, is refused (exit 1) naming the
// first bad record; a report file is never overwritten.
import t from 'tap';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupedHex, sha256 } from '../../src/util/fingerprint.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';

const FIXTURES = new URL('../report/fixtures/', import.meta.url).pathname;

const fx = softhsm(t);
const workdir = newWorkdir(fx);
const ran = await runCeremony(fx, {
  definition: join(FIXTURES, 'report.yaml'),
  profile: fx.profile({ test: 'REPORT-TEST' }),
  workdir,
  answers: join(FIXTURES, 'report.answers.yaml'),
});
t.equal(ran.code, 0, ran.stderr);
const records = journalRecords(workdir);

/** A copy of the ceremony's workdir to damage. */
function copy(): { dir: string; journal: string; lines: string[] } {
  const dir = join(mkdtempSync(join(fx.dir, 'copy-')), 'work');
  cpSync(workdir, dir, { recursive: true });
  const journal = join(dir, 'journal.jsonl');
  return { dir, journal, lines: readFileSync(journal, 'utf8').trimEnd().split('\n') };
}

function writeLines(file: string, lines: string[]): void {
  writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
}

function setState(dir: string, change: (state: Record<string, unknown>) => void): void {
  const file = join(dir, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(state);
  writeFileSync(file, JSON.stringify(state));
}

t.test('a sealed ceremony: the report on stdout, in the language asked for', async (t) => {
  // The real executable once; the other commands here run in-process (helpers/in-process.ts).
  const en = await keyceremony(['report', workdir, '--lang', 'en']);
  t.equal(en.code, 0, en.stderr);
  t.equal(en.stderr, '');
  t.match(en.stdout, /^# Key ceremony record: HCA G3 rehearsal key generation\n/);
  t.match(en.stdout, `keyceremony journal verify ${workdir}`);
  const zh = await keyceremonyInProcess(['report', workdir, '--lang', 'zh-TW', '--format', 'html']);
  t.equal(zh.code, 0, zh.stderr);
  t.match(zh.stdout, '<h1>金鑰產製儀式紀錄：醫事憑證管理中心第三代演練金鑰產製</h1>');
});

t.test('--out writes a new file and prints its SHA-256; an existing file is never overwritten', async (t) => {
  const out = join(mkdtempSync(join(fx.dir, 'out-')), 'report.md');
  const first = await keyceremonyInProcess(['report', workdir, '--out', out, '--lang', 'en']);
  t.equal(first.code, 0, first.stderr);
  const text = readFileSync(out, 'utf8');
  t.equal(first.stdout, `keyceremony: report written to ${out}\nkeyceremony: report sha256 ${groupedHex(sha256(text).toString('hex'))}\n`);
  const again = await keyceremonyInProcess(['report', workdir, '--out', out, '--lang', 'zh-TW']);
  t.equal(again.code, 2);
  t.equal(again.stderr, `keyceremony: 錯誤：report：${out} 已存在\nkeyceremony: 提示：報告一律不覆寫；請以 --out 指定新的檔名\n`, 'in the language of --lang');
  const english = await keyceremonyInProcess(['report', workdir, '--out', out, '--lang', 'en']);
  t.equal(english.stderr, `keyceremony: error: report: ${out} already exists\nkeyceremony: hint: a report is never overwritten; give --out a new file name\n`);
  t.equal(readFileSync(out, 'utf8'), text, 'the first report is untouched');
});

t.test('--out under --lang zh-TW says what it wrote in Chinese (review terms16t: `report written to` at a zh-TW terminal)', async (t) => {
  const dir = mkdtempSync(join(fx.dir, 'out-zh-'));
  const report = join(dir, 'report.md');
  const zh = await keyceremonyInProcess(['report', workdir, '--out', report, '--lang', 'zh-TW']);
  t.equal(zh.code, 0, zh.stderr);
  const text = readFileSync(report, 'utf8');
  t.equal(zh.stdout, `keyceremony: 報告已寫入 ${report}\nkeyceremony: 報告 SHA-256：${groupedHex(sha256(text).toString('hex'))}\n`);
  const letter = join(dir, 'letter.md');
  const zhLetter = await keyceremonyInProcess(['report', workdir, '--letter', '--out', letter, '--lang', 'zh-TW']);
  t.equal(zhLetter.code, 0, zhLetter.stderr);
  t.match(zhLetter.stdout, `keyceremony: 見證聲明書已寫入 ${letter}\n`);
  t.notMatch(zhLetter.stdout, /written to|attestation/);
});

t.test('a changed record is refused: exit 1, the first bad record named, nothing rendered', async (t) => {
  const w = copy();
  const index = records.findIndex((r) => r.step === 'location' && r.event === 'step.completed');
  w.lines[index] = w.lines[index]!.replace('TB123456', 'TB999999');
  writeLines(w.journal, w.lines);
  // (The run itself left report.md in the workdir; this one goes to a new name.)
  const out = join(w.dir, 'report-from-changed-journal.md');
  const result = await keyceremonyInProcess(['report', w.dir, '--out', out]);
  t.equal(result.code, 1);
  t.equal(result.stdout, '');
  t.equal(existsSync(out), false, 'no report file');
  t.match(
    result.stderr,
    `keyceremony: error: report: the journal does not verify: ${w.journal}, line ${index + 1}: record ${index + 1} (step location, event step.completed) was changed: its hash does not match its content\n`,
  );
  t.match(
    result.stderr,
    `keyceremony: hint: no record is made from a journal that does not verify; keep this copy as evidence, compare it with the backup copy and the paper log, and see \`keyceremony journal verify ${w.dir}\``,
  );
});

t.test('a removed record, a cut-off end and a lost seal are refused', async (t) => {
  const removed = copy();
  removed.lines.splice(4, 1);
  writeLines(removed.journal, removed.lines);
  const missing = await keyceremonyInProcess(['report', removed.dir]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, `report: the journal does not verify: ${removed.journal}, line 5: record 5 is missing: line 5 holds record 6`);

  const cut = copy();
  writeLines(cut.journal, cut.lines.slice(0, -3));
  const truncated = await keyceremonyInProcess(['report', cut.dir]);
  t.equal(truncated.code, 1);
  t.match(truncated.stderr, `line ${records.length - 2}: the journal was cut short: it ends at record ${records.length - 3}`);

  const unsealed = copy();
  writeLines(unsealed.journal, unsealed.lines.slice(0, -1));
  const last = records.at(-2)!;
  setState(unsealed.dir, (state) => (state.journalHead = { seq: last.seq, hash: last.hash }));
  const noSeal = await keyceremonyInProcess(['report', unsealed.dir]);
  t.equal(noSeal.code, 1);
  t.match(
    noSeal.stderr,
    `line ${records.length}: the journal is not sealed: it ends at record ${last.seq} (step sign-off, event step.completed), with no ceremony.sealed record after it`,
  );
});

t.test('a changed script in the workdir is refused', async (t) => {
  const w = copy();
  const file = join(w.dir, 'definition.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}# edited after the ceremony\n`);
  const result = await keyceremonyInProcess(['report', w.dir]);
  t.equal(result.code, 1);
  const recorded = (records[0]!.data.definition as { sha256: string }).sha256;
  t.match(result.stderr, new RegExp(`keyceremony: error: report: ${file} has SHA-256 [0-9a-f]{64}, but the journal records ${recorded}\n`));
  t.match(result.stderr, 'keyceremony: hint: the copy of the ceremony script in the workdir was changed after the ceremony; stop and investigate');
});

t.test('a ceremony still in progress is reported as such', async (t) => {
  const w = copy();
  const keep = records.findIndex((r) => r.step === 'keygen' && r.event === 'step.completed') + 1;
  writeLines(w.journal, w.lines.slice(0, keep));
  const head = records[keep - 1]!;
  setState(w.dir, (state) => {
    state.status = 'running';
    state.journalHead = { seq: head.seq, hash: head.hash };
  });
  const result = await keyceremonyInProcess(['report', w.dir, '--lang', 'en']);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, `> **Warning**: The journal is not sealed: the ceremony has not ended (the last record is record ${head.seq}, step.completed).`);
  t.match(result.stdout, '- **Status**: **not ended: the journal is not sealed**');
  t.match(result.stdout, /### Step 7 · Lock the token\n[\s\S]*?- \*\*Status\*\*: \*\*not reached\*\*/);
});

t.test('usage: a folder that is not a workdir, a missing workdir, a bad option', async (t) => {
  const empty = mkdtempSync(join(fx.dir, 'empty-'));
  const notWorkdir = await keyceremonyInProcess(['report', empty]);
  t.equal(notWorkdir.code, 2);
  t.match(notWorkdir.stderr, `keyceremony: error: report: ${join(empty, 'journal.jsonl')} does not exist`);
  const missing = await keyceremonyInProcess(['report', join(empty, 'nope')]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, 'does not exist');
  const format = await keyceremonyInProcess(['report', workdir, '--format', 'docx']);
  t.equal(format.code, 2);
  t.match(format.stderr, 'report: --format must be md or html, not "docx"');
  const broken = copy();
  writeFileSync(join(broken.dir, 'state.json'), '{ not json');
  const state = await keyceremonyInProcess(['report', broken.dir]);
  t.equal(state.code, 1);
  t.match(state.stderr, `report: ${join(broken.dir, 'state.json')} is not valid JSON`);
});
