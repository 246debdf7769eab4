// The report of a real scripted dry run on SoftHSM: everything the journal holds is in it,
// it reads side by side with the plan, and its HTML prints to an A4 PDF in Chromium with
// the Traditional Chinese text and every participant in it.
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalRecord } from '../../src/journal/record.js';
import { groupedHex, pgpWords } from '../../src/util/fingerprint.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { run, softhsm } from '../helpers/softhsm.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const definition = join(FIXTURES, 'report.yaml');
const answers = join(FIXTURES, 'report.answers.yaml');
const CHROMIUM = process.env.KEYCEREMONY_TEST_CHROMIUM ?? '/usr/bin/chromium';

const fx = softhsm(t);
const workdir = newWorkdir(fx);
const ceremony = await runCeremony(fx, { definition, profile: fx.profile({ test: 'REPORT-TEST' }), workdir, answers });
t.equal(ceremony.code, 0, ceremony.stderr);
const records = journalRecords(workdir);

interface Completed {
  outputs?: Array<{ name: string; sha256: string; words: string }>;
  keys?: Array<{ label: string; spkiSha256: string; words: string }>;
}

function completedData(): Completed[] {
  return records.filter((r: JournalRecord) => r.event === 'step.completed').map((r) => r.data as Completed);
}

const NAMES = ['王小明 Alice', '<script>alert(1)</script> 林美玲', '張淑芬 Carol', '李建國 Dave'];
const STEP_TITLES_ZH = [
  '參與人員簽到',
  '確認儀式核准',
  '記錄日期與地點',
  '初始化載具並分持 PIN 碼',
  '多人控管啟用載具',
  '產製醫事憑證管理中心第三代金鑰對',
  '登出載具',
  '保管載具',
  '記錄異常事項',
  '簽署確認',
];

t.test('the Markdown report holds every step, participant, value, output hash, key fingerprint and the final hash', async (t) => {
  const result = await keyceremonyInProcess(['report', workdir, '--lang', 'en']);
  t.equal(result.code, 0, result.stderr);
  const md = result.stdout;
  t.match(md, /^# Key ceremony record: HCA G3 rehearsal key generation\n/);
  // Issue 22, item 11: a step starting is the ordinary course, not a deviation.
  t.ok(
    records.some((r) => r.event === 'step.started'),
    'the journal has step.started records',
  );
  t.notMatch(md, /Other event|step\.started/, 'and the report lists none of them as a deviation');
  t.match(md, '**Status**: **completed and sealed**');
  t.match(md, 'DRY RUN: a rehearsal');
  const header = records[0]!.data as { definition: { sha256: string }; tool: { sha256: string; version: string } };
  t.match(md, groupedHex(header.definition.sha256));
  t.match(md, groupedHex(header.tool.sha256));
  t.match(md, `keyceremony ${header.tool.version}`);

  const stepIds = ['sign-in', 'approval', 'location', 'init', 'unlock', 'keygen', 'lock', 'storage', 'deviations', 'sign-off'];
  stepIds.forEach((id, i) =>
    t.match(md, new RegExp(`\\n### Step ${i + 1} · .*\\n\\n\\*\\*The script\\*\\*\\n\\n- \\*\\*Step id\\*\\*: \`${id}\``), `step ${i + 1} ${id}`),
  );
  t.equal(md.match(/- \*\*Status\*\*: \*\*completed\*\*/g)?.length, stepIds.length, 'every step completed');
  t.match(md, /- \*\*Started\*\*: 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\n- \*\*Ended\*\*: 20\d\d-/);

  for (const name of NAMES)
    t.match(
      md,
      name.replace(/[<>]/g, (c) => `\\${c}`),
      name,
    );
  t.match(md, '| 王小明 Alice | `alice` | `administrator` |');
  t.match(md, '- **Performed by**: 王小明 Alice (alice)\n- **Witnessed by**: \\<script\\>alert(1)\\</script\\> 林美玲 (wendy)');
  t.match(
    md,
    '| step 3 (location) | date | 2026-11-28 |\n| step 3 (location) | place | 臺北市 機房 B1 \\| vault \\*2\\* \\& \\<cage\\> |\n| step 3 (location) | Bag number | TB123456 |',
    'date and place, in the order of the script',
  );

  const outputs = completedData().flatMap((d) => d.outputs ?? []);
  t.same(
    outputs.map((o) => o.name).sort(),
    ['test-audit-key.pem', 'test-so-pin.init.manifest.json', 'test-user-pin.init.manifest.json'],
    'the two share manifests and the audit key the token was initialised with',
  );
  for (const output of outputs) {
    t.match(md, `\`${groupedHex(output.sha256)}\`<br>${output.words}`, output.name);
    t.match(md, output.name);
  }
  const key = completedData().flatMap((d) => d.keys ?? [])[0]!;
  t.match(md, `\`${groupedHex(key.spkiSha256)}\`<br>${key.words}`, 'key fingerprint as hex groups and PGP words');
  t.match(md, /\| `HCA-G3-TEST`<br>`id [0-9a-f]+`<br>`pkcs11:token=REPORT-TEST;object=HCA-G3-TEST;/);

  t.match(
    md,
    /\| `REPORT-TEST` \| `[0-9a-f]{16}` \| SoftHSM project SoftHSM v2 \| 2\.6 \| to be initialised by this ceremony \|/,
    'token with serial and model',
  );
  t.match(md, '| `test-user-pin` | `test` | user (CKU\\_USER) | 2 of 2 | `custodian` |');
  t.match(md, /張淑芬 Carol \(carol\): share 1 of set [A-Z0-9]{8} \(20/, 'shares entered, by custodian and index');

  t.match(
    md,
    '| Exception recorded<br>`exception.recorded` | \\<script\\>alert(1)\\</script\\> 林美玲 (wendy) | fire alarm test at 10:02 \\<b\\>not bold\\</b\\>, ceremony continued |',
  );
  t.match(md, '| Paused<br>`ceremony.paused` | 王小明 Alice (alice) | reason: 午休 lunch break |');
  t.match(md, '| Continued<br>`ceremony.continued` |');

  const seal = records.at(-1)!;
  t.equal(seal.event, 'ceremony.sealed');
  t.match(md, `- **Final journal hash (SHA-256)**: \`${groupedHex(seal.hash)}\``);
  t.match(md, `- **Final journal hash (PGP words)**: ${pgpWords(Buffer.from(seal.hash, 'hex'))}`);
  t.match(md, `- **Journal head**: matches state.json (record ${seal.seq})`);

  t.same(
    md
      .split('\n')
      .filter((line) => line.includes('NOT COVERED') || line.includes('NOT SHOWN'))
      .map((line) => line.split(' | ')[0]),
    ['| WebTrust CA key storage, backup and recovery (3)'],
    'every criterion is covered, but backups: no step of this ceremony makes one',
  );
  t.match(
    md,
    /\| BR 6\.1\.1\.1 \(2\) \| .* \| Record shows: Qualified Auditor: 陳會計師 Chen \(step 3 \(location\)\), Audit firm: 示範會計師事務所 Example CPA/,
  );
  t.match(
    md,
    /\| WebTrust \(b\) \| Approval to conduct the key generation ceremony \| Script includes: step 2 \(approval\)<br>Record shows: step 2 \(approval\): completed .*王小明 Alice \(alice\), \\<script\\>/,
  );
  t.match(
    md,
    /\| WebTrust \(g\) \| .* \| §9 Sign-off: 4 of 4 participants signed off at the terminal \(recorded at the terminal; the handwritten signatures are on paper\)<br>step 10 \(sign-off\): completed/,
  );
  t.match(md, '**Auditor**\n\n- Name: ______________________________\n- Organisation: ______________________________\n- Signature:');
  for (const name of NAMES) t.match(md, `**${name.replace(/[<>]/g, (c) => `\\${c}`)}**\n\n- Id: `, `signature block for ${name}`);
});

t.test('the plan and the report read side by side: the same sections and step headings', async (t) => {
  const headings = (md: string): string[] => md.split('\n').filter((line) => /^#{2,3} /.test(line));
  for (const lang of ['en', 'zh-TW']) {
    const plan = await keyceremonyInProcess(['plan', definition, '--lang', lang]);
    const report = await keyceremonyInProcess(['report', workdir, '--lang', lang]);
    t.equal(plan.code, 0, plan.stderr);
    t.equal(report.code, 0, report.stderr);
    t.same(headings(report.stdout), headings(plan.stdout), lang);
    t.equal(headings(plan.stdout).length, 10 + 10, `${lang}: 10 sections, 10 steps`);
  }
});

t.test('the zh-TW HTML report prints to an A4 PDF in Chromium with the Chinese text and every participant', async (t) => {
  const dir = mkdtempSync(join(fx.dir, 'pdf-'));
  const html = join(dir, 'report.html');
  const pdf = join(dir, 'report.pdf');
  const result = await keyceremonyInProcess(['report', workdir, '--format', 'html', '--lang', 'zh-TW', '--out', html]);
  t.equal(result.code, 0, result.stderr);
  t.notMatch(readFileSync(html, 'utf8'), /<script/i, 'the participant named <script> is text, not an element');

  const print = await run(CHROMIUM, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(dir, 'chromium-'))}`,
    `--print-to-pdf=${pdf}`,
    `file://${html}`,
  ]);
  t.equal(print.code, 0, print.stderr);
  const text = await run('pdftotext', ['-layout', pdf, '-']);
  t.equal(text.code, 0, text.stderr);
  writeFileSync(join(dir, 'report.txt'), text.stdout);
  const pages = text.stdout.split('\f').filter((page) => page.trim() !== '');
  t.ok(pages.length >= 5, `${pages.length} pages`);
  t.match(text.stdout, /\d+ \/ \d+/, 'page numbers');
  const info = await run('pdfinfo', [pdf]);
  t.match(info.stdout, /Page size:.*\(A4\)/, 'A4 paper');

  // Table cells wrap, so compare without white space.
  const compact = text.stdout.replace(/\s+/g, '');
  // Now and then Chromium's font subset leaves a CJK glyph out of the PDF's ToUnicode map:
  // the page shows it, but pdftotext prints U+FFFD for it (seen as 保��載具). Such a glyph
  // may stand for any one character, and there must be only a handful of them.
  const unmapped = compact.match(/\uFFFD+/g) ?? [];
  t.ok(unmapped.length <= 10, `${unmapped.length} glyphs pdftotext could not map back to text`);
  const has = (expected: string, what: string): void => {
    const eachChar = [...expected.replace(/\s+/g, '')].map((c) => `(?:${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|\uFFFD+)`);
    t.ok(new RegExp(eachChar.join('')).test(compact), what);
  };
  has('金鑰產製儀式紀錄：醫事憑證管理中心第三代演練金鑰產製', 'the title');
  has('C=TW, O=行政院, CN=醫事憑證管理中心 - G3', 'the Chinese DN');
  for (const title of STEP_TITLES_ZH) has(title, `step title ${title}`);
  for (const name of NAMES) has(name, `participant ${name}`);
  has('臺北市 機房 B1 | vault *2* & <cage>', 'a recorded value with special characters, as typed');
  has('多人控管（multiple person control）', 'the glossary');
  has('單一作業須由至少兩人同時且分別執行', 'multiple person control as the policy defines it');
  const seal = records.at(-1)!;
  has(groupedHex(seal.hash), 'the final journal hash');
});
