// `keyceremony report <workdir> --letter`: the one-page attestation letter for the CA's
// security officer (issue 22 item 14), made from a real scripted dry run on SoftHSM. It holds
// the final hash, every key fingerprint and output hash and every participant; its HTML has
// no script and shows the participant named `<script>` as text; a changed journal is refused
// as the report refuses it.
import t from 'tap';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalRecord } from '../../src/journal/record.js';
import { groupedHex, pgpWords, sha256 } from '../../src/util/fingerprint.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { run, softhsm } from '../helpers/softhsm.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const CHROMIUM = process.env.KEYCEREMONY_TEST_CHROMIUM ?? '/usr/bin/chromium';

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
const seal = records.at(-1)!;
const header = records[0]!.data as { definition: { sha256: string } };

interface Completed {
  outputs?: Array<{ name: string; sha256: string; words: string }>;
  keys?: Array<{ label: string; spkiSha256: string; words: string }>;
  details?: { auditKey?: { spkiSha256: string; label: string } };
}
const completed = records.filter((r: JournalRecord) => r.event === 'step.completed').map((r) => r.data as Completed);
const outputs = completed.flatMap((d) => d.outputs ?? []);
const keys = completed.flatMap((d) => d.keys ?? []);
const auditKey = completed.find((d) => d.details?.auditKey !== undefined)!.details!.auditKey!;

const NAMES = ['王小明 Alice', '<script>alert(1)</script> 林美玲', '張淑芬 Carol', '李建國 Dave'];
const md = (name: string): string => name.replace(/[<>]/g, (c) => `\\${c}`);

t.test('the Markdown letter holds the ceremony, final hash, every key fingerprint, output hash and participant, and the signature lines', async (t) => {
  const result = await keyceremonyInProcess(['report', workdir, '--letter', '--lang', 'en']);
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, '');
  const letter = result.stdout;
  t.match(letter, /^# Key ceremony attestation letter: HCA G3 rehearsal key generation\n/);
  t.match(letter, 'DRY RUN: a rehearsal', 'a dry run says so');
  t.match(letter, groupedHex(header.definition.sha256), 'the definition hash');
  t.match(letter, /- \*\*Date\*\*: 20\d\d-\d\d-\d\d\n/);
  t.match(letter, '- **Place**: 臺北市 機房 B1 \\| vault \\*2\\* \\& \\<cage\\>', 'the place as typed, escaped');
  t.match(letter, /\| `test` \| `REPORT-TEST` \| `[0-9a-f]{16}` \| SoftHSM project SoftHSM v2 \|/, 'the token and its serial');

  t.equal(keys.length, 1);
  for (const key of keys)
    t.match(letter, `| \`${key.label}\` | \`test\` | generated at step 6 (keygen) | \`${groupedHex(key.spkiSha256)}\` |`, `key ${key.label}`);
  t.match(
    letter,
    `generated at step 4 (init) (audit key of the journal checkpoints) | \`${groupedHex(auditKey.spkiSha256)}\``,
    'the audit key the token was initialised with',
  );
  t.equal(outputs.length, 3);
  for (const output of outputs)
    t.match(
      letter,
      `| \`${output.name}\`<br>step 4 (init) | ${output.name.endsWith('.pem') ? 'audit key' : 'share set manifest'} | \`${groupedHex(output.sha256)}\` |`,
      output.name,
    );

  t.match(letter, /\| Administrator \| 王小明 Alice \(alice\) \|/, 'participants by role');
  t.match(letter, /\| Witness \| \\<script\\>alert\(1\)\\<\/script\\> 林美玲 \(wendy\) \|/);
  for (const name of NAMES) t.match(letter, md(name), name);

  t.match(letter, `- **Final journal hash (SHA-256)**: \`${groupedHex(seal.hash)}\``);
  t.match(letter, `- **Final journal hash (PGP words)**: ${pgpWords(Buffer.from(seal.hash, 'hex'))}`);
  t.match(letter, `${records.length} records, hash-chained`);
  const checkpoints = records.filter((r) => r.event === 'journal.checkpoint').length;
  t.ok(checkpoints > 0, 'the token signs checkpoints');
  t.match(letter, `- **Checkpoints signed in the HSM**: ${checkpoints} signed in the HSM, ${checkpoints} of them verified with the audit key`);

  t.match(
    letter,
    /- 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d · step 6 \(keygen\) · Exception recorded · \\<script\\>alert\(1\)\\<\/script\\> 林美玲 \(wendy\): fire alarm test at 10:02 \\<b\\>not bold\\<\/b\\>, ceremony continued\n/,
    'the deviations: the exception',
  );
  t.match(letter, /· step 8 \(storage\) · Paused · 王小明 Alice \(alice\): reason: 午休 lunch break\n/, 'and the pause');
  t.match(letter, /except for the (\d+ deviations|deviation) listed above/, 'the count in its number, not deviation(s)');
  t.match(letter, `definition SHA-256 ${header.definition.sha256}`);
  t.match(
    letter,
    "**The certification authority's security officer**\n\n- Certification authority: ______________________________\n- Name: ______________________________\n- Title: ______________________________\n- Signature: ______________________________\n- Date: ______________________________",
  );
  t.match(letter, `**Witness: ${md(NAMES[1]!)}**\n\n- Id: \`wendy\`\n- Signature: ____`, 'the witness signs too');
  t.notMatch(letter, /## \d+\. Glossary|WebTrust/, 'short: no glossary, no criteria');
});

t.test('the zh-TW HTML letter: Taiwan wording, no script, names escaped, one A4 page', async (t) => {
  const dir = mkdtempSync(join(fx.dir, 'letter-'));
  const html = join(dir, 'letter.html');
  const result = await keyceremonyInProcess(['report', workdir, '--letter', '--format', 'html', '--lang', 'zh-TW', '--out', html]);
  t.equal(result.code, 0, result.stderr);
  const text = readFileSync(html, 'utf8');
  t.equal(
    result.stdout,
    `keyceremony: 見證聲明書已寫入 ${html}\nkeyceremony: 見證聲明書 SHA-256：${groupedHex(sha256(text).toString('hex'))}\n`,
    'said in the language of --lang',
  );
  t.notMatch(text, /<script/i, 'the participant named <script> is text, not an element');
  t.match(text, '&lt;script&gt;alert(1)&lt;/script&gt; 林美玲');
  t.match(text, "default-src 'none'", 'the same Content-Security-Policy as the report');
  t.match(text, '<h1>金鑰儀式見證聲明書：醫事憑證管理中心第三代演練金鑰產製</h1>');
  t.match(text, '憑證管理中心安全管理人員');
  t.match(text, '除上列');
  t.match(text, groupedHex(seal.hash));
  for (const key of keys) t.match(text, groupedHex(key.spkiSha256));
  for (const output of outputs) t.match(text, groupedHex(output.sha256));
  t.notMatch(text, /<nav/, 'a one-page letter has no table of contents');

  const pdf = join(dir, 'letter.pdf');
  const print = await run(CHROMIUM, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(dir, 'chromium-'))}`,
    `--print-to-pdf=${pdf}`,
    `file://${html}`,
  ]);
  t.equal(print.code, 0, `chromium exits 0 (${print.stderr.slice(-200)})`);
  const info = await run('pdfinfo', [pdf]);
  t.match(info.stdout, /Page size:.*\(A4\)/, 'A4 paper');
  const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]);
  // One page for the facts, and the signatures on the next at most (the exception, the
  // pause and the participant with a long name make this fixture's letter longer than most).
  t.ok(pages <= 2, `${pages} pages`);
});

t.test('a changed journal is refused like the report: exit 1, the first bad record named, no letter written', async (t) => {
  const dir = join(mkdtempSync(join(fx.dir, 'copy-')), 'work');
  cpSync(workdir, dir, { recursive: true });
  const journal = join(dir, 'journal.jsonl');
  const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
  const index = records.findIndex((r) => r.step === 'location' && r.event === 'step.completed');
  lines[index] = lines[index]!.replace('TB123456', 'TB999999');
  writeFileSync(journal, lines.map((line) => `${line}\n`).join(''));
  const out = join(dir, 'letter.md');
  const result = await keyceremonyInProcess(['report', dir, '--letter', '--out', out]);
  t.equal(result.code, 1);
  t.equal(result.stdout, '');
  t.equal(existsSync(out), false, 'no letter file');
  t.match(
    result.stderr,
    `keyceremony: error: report: the journal does not verify: ${journal}, line ${index + 1}: record ${index + 1} (step location, event step.completed) was changed: its hash does not match its content\n`,
  );
  t.match(result.stderr, 'keyceremony: hint: no record is made from a journal that does not verify');
});

t.test('--letter with a bad --format is refused before the workdir is read', async (t) => {
  const result = await keyceremonyInProcess(['report', workdir, '--letter', '--format', 'pdf']);
  t.equal(result.code, 2);
  t.equal(
    result.stderr,
    'keyceremony: error: report: --format must be md or html, not "pdf"\nkeyceremony: hint: md is Markdown for review; html is one self-contained file that prints on A4\n',
  );
});
