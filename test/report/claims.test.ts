// Issue 22: the report claims only what the journal supports. Every report of the shared
// dry-run chain, in en and zh-TW, is searched for the overclaims the auditor found, and for
// the wording that replaced them.
import t from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const { out } = await dryRunOutput(join(t.testdir({}), 'chain'));
const workdirs = readdirSync(out).filter((name) => existsSync(join(out, name, 'journal.jsonl'))).sort();

const OVERCLAIMS: Record<'en' | 'zh-TW', Array<[RegExp, string]>> = {
  en: [
    [/witnessed by different people|who are different people/, 'item 1: the tool knows participant ids, not people'],
    [/keyceremony enforces it/, 'item 1: the glossary'],
    [/exists only as shares/, 'item 5: the PIN is rebuilt in memory at unlock'],
    [/those of the approved script/, 'item 6: no approval is recorded'],
    [/provenGone/, 'item 7: a raw flag instead of what it shows'],
    [/Other event/, 'item 11: step.started listed as a deviation'],
    [/Tool SHA-256 \(installed files\)/, 'item 4: the tool hash is self-reported'],
    [/never left the HSM|never leaves the HSM/, 'item 3: the token\'s attributes are shown instead'],
  ],
  'zh-TW': [
    [/由不同人員執行及見證/, 'item 1'],
    [/僅以分持形式存在/, 'item 5'],
    [/與核准之腳本/, 'item 6'],
    [/provenGone|requestSha256|certificateSha256|lintsPassed/, 'items 7 and 16: English keys'],
    [/其他事件/, 'item 11'],
    [/政府憑證管理中心（GPKI）/, 'item 16: GPKI is 政府機關公開金鑰基礎建設'],
    [/privateKeyAttributes|tokenCertificate|從未離開/, 'item 3: journal keys, or a claim instead of the attributes'],
  ],
};

t.ok(workdirs.length >= 11, 'the eleven workdirs of the chain');
for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: no report of the chain overclaims`, async (t) => {
    for (const name of workdirs) {
      const report = await keyceremonyInProcess(['report', join(out, name), '--lang', lang]);
      t.equal(report.code, 0, `${name}: ${report.stderr}`);
      for (const [pattern, why] of OVERCLAIMS[lang]) t.notMatch(report.stdout, pattern, `${name}: ${why}`);
      t.match(report.stdout, lang === 'en' ? 'recorded at the terminal; the handwritten signatures are on paper' : '係終端機之紀錄；親筆簽名見紙本', `${name}: sign-offs are terminal records`);
      t.match(report.stdout, lang === 'en' ? 'Release (bundle hash)**: not an installed release (a git checkout)' : '發行版（套件雜湊值）**：非已安裝之發行版', `${name}: the release it ran on`);
    }
  });
}

t.test('destroy-key says exactly what the check shows', async (t) => {
  const en = await keyceremonyInProcess(['report', join(out, 'hca-g2-destroy'), '--lang', 'en']);
  t.match(en.stdout, 'After destruction, no object of this key was found on this token. This does not show that no copy exists elsewhere (backups, other tokens).');
  const zh = await keyceremonyInProcess(['report', join(out, 'hca-g2-destroy'), '--lang', 'zh-TW']);
  t.match(zh.stdout, '銷毀後，本載具上已查無此金鑰之物件；此不代表其他處（備份、其他載具）無副本。');
});

t.test('the overclaim patterns are not blind: the report before this change would match them', async (t) => {
  // The wording the auditor quoted, as the old catalogue had it.
  t.match('6 steps, 3 of them sensitive (performed and witnessed by different people)', OVERCLAIMS.en[0]![0]);
  t.match('共 9 個步驟，其中 4 個為機敏步驟（由不同人員執行及見證）', OVERCLAIMS['zh-TW'][0]![0]);
});
