// Issue 22 item 16: the zh-TW record is a Chinese-language document. For every ceremony of the
// dry-run chain, the zh-TW report (Markdown and HTML) and the zh-TW attestation letter hold none
// of the English the auditor listed: the exception step's `text：none / 無`, `其他事件
// step.started`, `index/type`, `pinFlags.*：false`, `requestSha256`, `provenGone：true`,
// `Implementation of PKCS11`, and role codes; nor GPKI named as the GCA, nor two words for
// one concept (程序書 beside 腳本, 信賴其憑證者 beside 信賴憑證者); nor (issue 16) a record
// field's id after its label, journal keys and engine values in the other facts, role codes in
// the roles table, or criteria references in English.
// (test/report/zh-tw-record.test.ts checks the times and zones of the same reports.)
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const { out } = await dryRunOutput(join(t.testdir({}), 'chain'));
const workdirs = readdirSync(out)
  .filter((name) => existsSync(join(out, name, 'journal.jsonl')))
  .sort();

/** Item 16's list, each with the words the auditor quoted from the reports before the fix. */
const ITEM_16: Array<{ pattern: RegExp; quoted: string; why: string }> = [
  { pattern: /none \/ 無|\btext：/, quoted: 'text：none / 無', why: "an exception step's value label and its typed none" },
  { pattern: /其他事件|step\.started/, quoted: '其他事件 step.started', why: 'a step starting listed as a deviation' },
  { pattern: /index\/type|\bindex：|\btype：/, quoted: 'index/type', why: 'the journal keys index and type' },
  { pattern: /pinFlags|：false|：true/, quoted: 'pinFlags.userPinLocked：false', why: 'raw PIN flags' },
  { pattern: /requestSha256|certificateSha256|spkiSha256/, quoted: 'requestSha256', why: 'journal keys for hashes' },
  { pattern: /provenGone/, quoted: 'provenGone：true', why: "destroy-key's raw flag" },
  { pattern: /Implementation of PKCS11/, quoted: 'SoftHSM Implementation of PKCS11 2.6', why: 'the module description untranslated' },
  { pattern: /政府憑證管理中心（GPKI）/, quoted: '政府憑證管理中心（GPKI）', why: 'GPKI is 政府機關公開金鑰基礎建設, not the GCA' },
  { pattern: /程序書/, quoted: '金鑰產製程序書', why: 'one word for the script: 腳本' },
  { pattern: /信賴其憑證者/, quoted: '信賴其憑證者', why: 'one word for relying party: 信賴憑證者' },
  // Issue 16: the last English in the zh-TW record.
  { pattern: /[\u4E00-\u9FFF）] \((?:[a-z0-9]+-)+[a-z0-9]+\)/, quoted: '防拆封袋編號 (bag-number)', why: 'a record field by its label only, not label (id)' },
  {
    pattern: /(^|\s)(of|what|name|sha256|signedWith|hashedBy|csrSha256|csrWords|proofOfPossession|extensions|profile|request|ledger)(\\?\[\d+\\?\])?[：.]/m,
    quoted: '  signedWith\\[1\\].hashedBy：token',
    why: 'journal keys in the other facts of confirm-result and create-csr',
  },
  {
    // A value at the end of a line, or before the Markdown line break (a backslash) of a list of facts.
    pattern: /：(key|file|token)\\?$|the same \(self-signed\)|subordinate CA certificate/m,
    quoted: '標的：key',
    why: 'fixed values the engine records, untranslated',
  },
  {
    pattern: /in all cases|WebTrust CA key|WebTrust CA public key|WebTrust activation data/,
    quoted: 'BR 6.1.1.1, in all cases (1)',
    why: 'criteria references in English',
  },
  // Issue 16, the review at 80x24: the last keys the zh-TW record still showed.
  {
    pattern: /\((?:ceremony|step|journal|share|shares|participants?)\.[a-z-]+\)/,
    quoted: '最後一筆紀錄：33 (ceremony.sealed)',
    why: "the last record's event name",
  },
  {
    pattern: /(^|[\s|])(share-manifest|audit-key|key-backup|certificate-chain|serial-list)(?=[\s|]|$)/m,
    quoted: '| share-manifest |',
    why: 'the kind of a file by its key',
  },
  { pattern: /[\u4E00-\u9FFF）]\.[\u4E00-\u9FFF]/, quoted: '稽核金鑰（日誌查核點）.演算法：EC P-384', why: 'a nested fact as a dotted path' },
  { pattern: /：未涵蓋：/, quoted: '腳本包含：未涵蓋：…', why: 'two colons after the script includes' },
];

/** HTML as the text a reader sees: tags dropped, entities decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<style[^]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * The text in which a role code may not appear: the document without the glossary (each term
 * beside its English) and the ceremony's English title and description, which the record
 * quotes as the definition has them.
 */
function withoutLegends(markdown: string, englishQuotes: string[]): string {
  // The roles table (section 2) names roles by title too now (issue 16): only the glossary is a legend.
  let text = markdown.replace(/\n## 10\. [^]*$/, '\n');
  for (const quote of englishQuotes) text = text.split(quote).join(' ');
  return text;
}

t.test('the patterns are not blind: each finds the words the auditor quoted', async (t) => {
  for (const { pattern, quoted, why } of ITEM_16) t.match(quoted, pattern, why);
  t.match('  簽署方式\\[1\\]之雜湊計算者：token\\', ITEM_16.find((i) => i.quoted === '標的：key')!.pattern, 'a value before the line break');
});

t.ok(workdirs.length >= 11, 'the workdirs of the chain');

for (const name of workdirs) {
  t.test(`${name}: the zh-TW report and letter hold none of the English item 16 lists`, async (t) => {
    const workdir = join(out, name);
    // The workdir's copy of the definition, read only for its role codes and English title (its
    // X.509 profiles sit in the workdir's profiles/, not beside it, so it is not loaded whole).
    const definition = parse(readFileSync(join(workdir, 'definition.yaml'), 'utf8')) as {
      roles: Record<string, unknown>;
      title: { en: string };
      description?: { en?: string };
    };
    const documents: Array<[string, string]> = [];
    for (const [what, args] of [
      ['report (md)', ['report', workdir, '--lang', 'zh-TW']],
      ['report (html)', ['report', workdir, '--lang', 'zh-TW', '--format', 'html']],
      ['letter (md)', ['report', workdir, '--letter', '--lang', 'zh-TW']],
    ] as const) {
      const result = await keyceremonyInProcess([...args]);
      t.equal(result.code, 0, `${what}: ${result.stderr}`);
      documents.push([what, what.endsWith('(html)') ? htmlText(result.stdout) : result.stdout]);
    }
    for (const [what, text] of documents) {
      for (const { pattern, why } of ITEM_16) t.notMatch(text, pattern, `${what}: ${why}`);
    }
    // Role codes: nowhere, the roles table included. A role shows by its title wherever the record names one.
    const roles = Object.keys(definition.roles);
    const english = [definition.title.en, definition.description?.en].filter((s): s is string => s !== undefined);
    for (const [what, text] of documents.filter(([w]) => !w.endsWith('(html)'))) {
      const checked = withoutLegends(text, english);
      for (const role of roles) {
        t.notMatch(checked, new RegExp(`(^|[^A-Za-z0-9_-])${role}(?![A-Za-z0-9_-])`, 'm'), `${what}: the role code ${role} outside the roles table`);
      }
    }
    // The module's description is translated, as the report's HSM section has it.
    for (const [what, text] of documents) t.match(text, 'PKCS#11 實作', `${what}: the module description in Chinese`);
  });
}
