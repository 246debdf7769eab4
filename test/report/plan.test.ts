// The plan: the definition as the key generation script, in both languages and formats.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { SECTION_KEYS, plainText, type Block, type CeremonyDocument, type Section } from '../../src/report/document.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildPlan } from '../../src/report/plan.js';
import { groupedHex } from '../../src/util/fingerprint.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const hca = loadDefinition(join(FIXTURES, 'hca-g3-keygen.yaml'));
const tagged = loadDefinition(join(FIXTURES, 'report.yaml'));
const TOOL = { tool: 'keyceremony 0.1.0' };

function section(doc: CeremonyDocument, anchor: string): Section {
  const found = doc.sections.find((s) => s.anchor === anchor);
  if (!found) throw new Error(`no section ${anchor}`);
  return found;
}

function text(blocks: readonly Block[]): string {
  return JSON.stringify(blocks);
}

t.test('the plan has every section in the shared order, and one sub-section per step, numbered from 1', async (t) => {
  for (const lang of ['en', 'zh-TW'] as const) {
    const doc = buildPlan(hca, lang, TOOL);
    t.same(
      doc.sections.map((s) => s.anchor),
      SECTION_KEYS.map((key) => `section-${key}`),
      lang,
    );
    t.same(
      doc.sections.map((s) => s.number),
      SECTION_KEYS.map((_, i) => String(i + 1)),
    );
    const steps = section(doc, 'section-steps').sections;
    t.same(
      steps.map((s) => s.anchor),
      hca.steps.map((s) => `step-${s.id}`),
    );
    t.match(steps[0]!.title, lang === 'en' ? /^Step 1 · Sign in participants$/ : /^步驟 1・參與人員簽到$/);
    t.match(steps[4]!.title, lang === 'en' ? 'Step 5 · Create the certificate request' : '步驟 5・產製憑證申請檔');
  }
});

t.test('each step says who performs it, who witnesses it and how many, and whether it is sensitive', async (t) => {
  const doc = buildPlan(hca, 'en', TOOL);
  const csr = section(doc, 'section-steps').sections.find((s) => s.anchor === 'step-csr')!;
  const rows = (csr.blocks[0] as Extract<Block, { kind: 'fields' }>).rows.map(([label, value]) => [label, plainText(value)]);
  t.same(rows.slice(0, 5), [
    ['Step id', 'csr'],
    ['Type', 'create-csr'],
    [
      'Sensitive',
      'yes: multiple person control (多人控管): the performer and the witnesses act under different participant ids (identities are checked on paper, on the attendance sheet)',
    ],
    ['Performed by (role)', 'administrator'],
    ['Witnessed by (role)', 'witness'],
  ]);
  t.same(
    rows.find(([label]) => label === 'Subject'),
    ['Subject', 'C=TW, O=行政院, CN=醫事憑證管理中心 - G3'],
  );
  t.same(
    rows.find(([label]) => label === 'Instructions'),
    ['Instructions', 'Read the CSR fingerprint aloud; the witness compares it with the screen'],
  );
  t.ok(
    rows.some(([label]) => label === 'Done (time, initials)'),
    'room to tick the step off on paper',
  );

  const lock = section(doc, 'section-steps').sections.find((s) => s.anchor === 'step-lock')!;
  t.match(text(lock.blocks), '"Sensitive","no"');
  t.notMatch(text(lock.blocks), 'Performed by (role)', 'a lock step names no performer role');
});

t.test('roles with minimums and conflicts, credentials as threshold of count, inputs, and sign-off lines per role', async (t) => {
  const doc = buildPlan(hca, 'zh-TW', TOOL);
  const roles = text(section(doc, 'section-roles').blocks);
  // In zh-TW the roles table names roles by title, the built-in ones too (issue 16).
  t.match(roles, /"保管人","3","見證人"/, 'custodian: at least 3, may not also be witness');
  t.match(roles, /"見證人","1","管理人員、保管人"/);
  t.notMatch(roles, /"(administrator|witness|custodian|auditor)"/, 'no role code');
  const materials = text(section(doc, 'section-materials').blocks);
  t.match(materials, '5 份中需 3 份');
  t.match(materials, '醫事憑證管理中心正式HSM分區');
  t.match(materials, 'hca-pin-shares');

  const signOff = section(doc, 'section-sign-off').blocks[0] as Extract<Block, { kind: 'signatures' }>;
  t.same(
    signOff.signatures.map((s) => s.title),
    ['管理人員', '見證人', '保管人（3 人之第 1 人）', '保管人（3 人之第 2 人）', '保管人（3 人之第 3 人）', '稽核人員'],
    'one signature block per person each role needs (at least one per role), headed by the role title (not **administrator**)',
  );
  t.same(signOff.signatures[0]!.blanks, ['姓名', '簽名', '日期']);
});

t.test('the criteria table maps BR 6.1.1.1 and WebTrust (a) to (h), and flags what no step covers', async (t) => {
  const gaps = buildPlan(hca, 'en', TOOL);
  const criteria = section(gaps, 'section-criteria');
  t.match(plainText((criteria.blocks[0] as Extract<Block, { kind: 'paragraph' }>).text), 'CA key generation', 'the kinds of the ceremony first');
  t.match(plainText((criteria.blocks[1] as Extract<Block, { kind: 'notice' }>).text), 'No step of the script is tagged with WebTrust criteria (b) (e) (f)');
  const table = criteria.blocks[3] as Extract<Block, { kind: 'table' }>;
  t.same(
    table.rows.map((row) => plainText(row[0]!)),
    [
      'BR 6.1.1.1 (1)',
      'BR 6.1.1.1 (2)',
      'BR 6.1.1.1 (3)',
      ...[1, 2, 3, 4, 5].map((n) => `BR 6.1.1.1, in all cases (${n})`),
      ...'abcdefgh'.split('').map((l) => `WebTrust (${l})`),
    ],
  );
  t.match(plainText(table.rows[9]![2]!), 'NOT COVERED', '(b) is not covered');

  const covered = section(buildPlan(tagged, 'en', TOOL), 'section-criteria');
  t.notOk(
    covered.blocks.some((block) => block.kind === 'notice'),
    'no warning when every criterion is covered',
  );
  const rows = (covered.blocks[2] as Extract<Block, { kind: 'table' }>).rows;
  t.match(plainText(rows[9]![2]!), 'step 2 (approval): Confirm the approval', '(b) points at the tagged step');
  t.match(plainText(rows[12]![2]!), 'step 3 (location): Record date and place', '(e)');
  t.match(plainText(rows[13]![2]!), 'step 8 (storage): Store the token', '(f)');
  t.equal(
    plainText(rows[8]![2]!)
      .split('\n')
      .filter((line) => line.startsWith('step 1 ')).length,
    1,
    'a step named by type and by tag is listed once',
  );
});

t.test('Markdown and HTML of the plan, in English and Traditional Chinese', async (t) => {
  const en = renderMarkdown(buildPlan(hca, 'en', TOOL));
  t.match(en, /^# Key ceremony script: HCA G3 CA key generation and CSR\n/);
  t.match(en, '\n## 4. Steps\n\n### Step 1 · Sign in participants\n');
  // In groups of four, upper case, as every other hash the papers show (it was the raw lower-case hex).
  t.match(en, `Definition SHA-256 ${groupedHex(hca.sha256)}`);
  t.notMatch(en, hca.sha256, 'not as raw hex');
  t.match(en, '- **Subject**: C=TW, O=行政院, CN=醫事憑證管理中心 - G3');
  t.match(en, '| `hca-user-pin` | `hca` | user (CKU\\_USER) | 3 of 5 | `custodian` |');
  t.match(en, '- **Done (time, initials)**: ______________________________');
  t.match(
    en,
    '**多人控管 (multiple person control)**: As the GPKI certificate policy defines it: a single operation must be performed by at least two persons, simultaneously and separately, so that no one can perform and complete it alone.',
  );

  const zh = renderMarkdown(buildPlan(hca, 'zh-TW', TOOL));
  t.match(zh, /^# 金鑰產製儀式腳本：醫事憑證管理中心第三代CA金鑰產製\n/);
  t.match(zh, '### 步驟 5・產製憑證申請檔');
  t.match(zh, '- **執行人（角色）**：管理人員\n', 'the role by its built-in title, not its English id nor its description (issue 22 item 16, issue 16)');
  t.match(zh, '**多人控管（multiple person control）**：依政府機關公開金鑰基礎建設（GPKI）憑證政策之定義：單一作業須由至少兩人同時且分別執行');
  t.match(zh, '**機敏性資訊（sensitive information）**');
  t.match(zh, '**憑證用戶（subscriber）**');

  const html = renderHtml(buildPlan(hca, 'zh-TW', TOOL));
  t.match(html, /^<!DOCTYPE html>\n<html lang="zh-Hant-TW">/);
  t.match(html, '<h3>步驟 5・產製憑證申請檔</h3>');
  t.match(html, '<td>C=TW, O=行政院, CN=醫事憑證管理中心 - G3</td>');
  t.match(html, '<span class="write-in"></span>');
});

t.test('every certificate step type says what it uses and what it writes', async (t) => {
  const root = loadDefinition(join(FIXTURES, 'root-ceremony.yaml'));
  const md = renderMarkdown(buildPlan(root, 'en', TOOL));
  for (const expected of [
    '- **Subject**: C=TW, O=行政院, CN=政府憑證總管理中心 - G2\n- **Certificate profile**: `root`\n- **Validity**: 20 years\n- **Output file**: `grca-g2.crt`',
    '- **Issuer certificate**: `grca-g2.crt`\n- **Certificate request**: `hca-csr`\n- **Key the request must carry**: RSA-4096\n- **Subject**: C=TW, O=行政院, CN=醫事憑證管理中心 - G3',
    '- **Next update**: 180 days\n- **Revoked**: 01ab (superseded)\n- **Output file**: `grca-g2.crl`',
    '- **Certificate**: `hca-cert`\n- **Chain**: `grca-cert`',
    '- **Witnessed by (role)**: `witness × 2`\n- **Key**: `OLD-ROOT`',
    '- **New threshold**: 3 of 3',
    '- **Token**: `root`',
    '| `OLD-ROOT` | `root` | RSA-4096 |',
    '| `hca-csr` | csr | — | `0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef` |',
    '| step 3 (keygen) | `GRCA-G2` | `root` | RSA 4096 | ______________________________ |',
  ]) {
    t.match(md, expected);
  }
  const files = md.split('\n').filter((line) => /^\| step \d+ \(\w[\w-]*\) \| `[^`]+` \| _+ \|$/.test(line));
  t.same(
    files.map((line) => line.split('`')[1]),
    ['grca-g2.crt', 'hca-g3.crt', 'grca-g2.crl', 'grca-g2.ledger', 'root-pin.rotate.manifest.json'],
    'every file the ceremony writes, with room for its SHA-256',
  );
});

t.test("the files to be written are every file the steps' specs produce: an init-token's audit key, an issue-crl's ledger", async (t) => {
  const filesOf = (md: string) =>
    md
      .split('\n')
      .filter((line) => /^\| step \d+ \(\w[\w-]*\) \| `[^`]+` \| _+ \|$/.test(line))
      .map((line) => line.split('`')[1]);
  t.same(
    filesOf(renderMarkdown(buildPlan(tagged, 'en', TOOL))),
    ['test-so-pin.init.manifest.json', 'test-user-pin.init.manifest.json', 'test-audit-key.pem'],
    "the token's two share-set manifests and its audit key",
  );

  const root = loadDefinition(join(FIXTURES, 'root-ceremony.yaml'));
  t.same(
    filesOf(renderMarkdown(buildPlan(root, 'en', TOOL))),
    ['grca-g2.crt', 'hca-g3.crt', 'grca-g2.crl', 'grca-g2.ledger', 'root-pin.rotate.manifest.json'],
    'the CRL, then the ledger the CRL step writes on',
  );
});
