// `keyceremony plan`: the definition as the key generation script on stdout, Markdown or
// HTML, English or Traditional Chinese; usage and definition errors exit 2.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { tempDir } from '../journal/helpers/journals.js';

const FIXTURES = new URL('../report/fixtures/', import.meta.url).pathname;
const definition = join(FIXTURES, 'hca-g3-keygen.yaml');
const ENGLISH = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

t.test('plan prints the script as Markdown, in English by default', async (t) => {
  // The real executable once; the other commands here run in-process (helpers/in-process.ts).
  const result = await keyceremony(['plan', definition], { env: ENGLISH });
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, '');
  const md = result.stdout;
  t.match(md, /^# Key ceremony script: HCA G3 CA key generation and CSR\n/);
  const sections = md.split('\n').filter((line) => line.startsWith('## '));
  t.same(sections, [
    '## 1. Ceremony',
    '## 2. Roles and participants',
    '## 3. Cryptographic hardware and activation materials',
    '## 4. Steps',
    '## 5. Exceptions and deviations',
    '## 6. Keys and files: fingerprints',
    '## 7. Audit criteria for the kinds of work this ceremony does',
    '## 8. Journal',
    '## 9. Sign-off',
    '## 10. Glossary',
  ]);
  t.same(
    md.split('\n').filter((line) => line.startsWith('### ')),
    [
      '### Step 1 · Sign in participants',
      '### Step 2 · Record values',
      '### Step 3 · Unlock the token with a quorum',
      '### Step 4 · Generate the key pair',
      '### Step 5 · Create the certificate request',
      '### Step 6 · Lock the token',
      '### Step 7 · Sign off',
    ],
  );
  t.match(md, '| `custodian` | Custodian: holds a share of a PIN | 3 | witness | — | — |', 'roles with minimums and conflicts');
  t.match(md, '| `hca-user-pin` | `hca` | user (CKU\\_USER) | 3 of 5 | `custodian` | 32 characters, random |', 'credentials as threshold of count');
  t.match(md, '- **Algorithm**: RSA 4096');
  t.match(md, '- **Subject**: C=TW, O=行政院, CN=醫事憑證管理中心 - G3');
  t.match(
    md,
    '**Custodian (3 of 3)**\n\n- Roles: Custodian: holds a share of a PIN\n- Name: ______________________________\n- Signature: ______________________________',
  );
});

t.test('plan --lang zh-TW, or a Traditional Chinese locale, prints it in Traditional Chinese', async (t) => {
  const flag = await keyceremonyInProcess(['plan', definition, '--lang', 'zh-TW'], { env: ENGLISH });
  t.equal(flag.code, 0, flag.stderr);
  t.match(flag.stdout, /^# 金鑰產製儀式腳本：醫事憑證管理中心第三代CA金鑰產製\n/);
  t.match(flag.stdout, '### 步驟 3・多人控管啟用載具');
  t.match(flag.stdout, '| `hca-user-pin` | `hca` | 使用者（CKU\\_USER） | 5 份中需 3 份 |');
  t.match(flag.stdout, '- **主體名稱**：C=TW, O=行政院, CN=醫事憑證管理中心 - G3');
  const locale = await keyceremonyInProcess(['plan', definition], { env: { ...ENGLISH, LANG: 'zh_TW.UTF-8' } });
  t.equal(locale.stdout, flag.stdout, 'LANG=zh_TW.UTF-8 chooses Traditional Chinese');
});

t.test('plan --format html prints one self-contained HTML file', async (t) => {
  for (const lang of ['en', 'zh-TW']) {
    const result = await keyceremonyInProcess(['plan', definition, '--format', 'html', '--lang', lang]);
    t.equal(result.code, 0, result.stderr);
    t.match(result.stdout, /^<!DOCTYPE html>\n<html lang="(en|zh-Hant-TW)">/);
    t.match(result.stdout, lang === 'en' ? '<h3>Step 5 · Create the certificate request</h3>' : '<h3>步驟 5・產製憑證申請檔</h3>');
    t.match(result.stdout, '<td>C=TW, O=行政院, CN=醫事憑證管理中心 - G3</td>');
    t.notMatch(result.stdout, /<script|<link|<img|src=/i);
    t.match(result.stdout, /<\/html>\n$/);
  }
});

t.test('usage and definition errors exit 2 with a message and a hint', async (t) => {
  const format = await keyceremonyInProcess(['plan', definition, '--format', 'pdf']);
  t.equal(format.code, 2);
  t.equal(format.stdout, '');
  t.match(format.stderr, 'keyceremony: error: plan: --format must be md or html, not "pdf"\nkeyceremony: hint: ');
  const lang = await keyceremonyInProcess(['plan', definition, '--lang', 'fr']);
  t.equal(lang.code, 2);
  t.match(lang.stderr, 'keyceremony: error: --lang must be en or zh-TW, not "fr"');
  const none = await keyceremonyInProcess(['plan']);
  t.equal(none.code, 2);
  t.match(none.stderr, 'keyceremony: error: plan: expected <definition.yaml>, got 0 arguments');
  const option = await keyceremonyInProcess(['plan', definition, '--out', 'x.md']);
  t.equal(option.code, 2, 'plan writes to stdout only');

  const dir = tempDir(t);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    'ceremony: bad\ntitle: { en: Bad, zh-TW: 壞 }\nroles: {}\ntokens: {}\nsteps:\n  - { id: keygen, type: generate-key, token: nope, key: { label: K, algorithm: RSA, bits: 1024 } }\n',
  );
  const invalid = await keyceremonyInProcess(['plan', bad]);
  t.equal(invalid.code, 2);
  t.equal(invalid.stdout, '', 'nothing is printed for a definition that does not validate');
  t.match(invalid.stderr, `keyceremony: error: ${bad}:6:`);
  t.match(invalid.stderr, 'must be 2048, 3072 or 4096');
});
