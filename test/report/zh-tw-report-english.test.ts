// Issue 22 item 16: the zh-TW record is a Chinese-language document. For every ceremony of the
// dry-run chain, the zh-TW report (Markdown and HTML) and the zh-TW attestation letter hold none
// of the English the auditor listed: the exception step's `text：none / 無`, `其他事件
// step.started`, `index/type`, `pinFlags.*：false`, `requestSha256`, `provenGone：true`,
// `Implementation of PKCS11`, and role codes; nor GPKI named as the GCA, nor two words for
// one concept (程序書 beside 腳本, 信賴其憑證者 beside 信賴憑證者).
// (test/report/zh-tw-record.test.ts checks the times and zones of the same reports.)
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const { out } = await dryRunOutput(join(t.testdir({}), 'chain'));
const workdirs = readdirSync(out).filter((name) => existsSync(join(out, name, 'journal.jsonl'))).sort();

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
 * The text in which a role code may not appear: the document without the roles table (the
 * legend of role codes and titles), the glossary (each term beside its English) and the
 * ceremony's English title and description, which the record quotes as the definition has them.
 */
function withoutLegends(markdown: string, englishQuotes: string[]): string {
  let text = markdown.replace(/\n## 2\. [^\n]*\n\n\|[^]*?\n\n/, '\n').replace(/\n## 10\. [^]*$/, '\n');
  for (const quote of englishQuotes) text = text.split(quote).join(' ');
  return text;
}

t.test('the patterns are not blind: each finds the words the auditor quoted', async (t) => {
  for (const { pattern, quoted, why } of ITEM_16) t.match(quoted, pattern, why);
});

t.ok(workdirs.length >= 11, 'the workdirs of the chain');

for (const name of workdirs) {
  t.test(`${name}: the zh-TW report and letter hold none of the English item 16 lists`, async (t) => {
    const workdir = join(out, name);
    // The workdir's copy of the definition, read only for its role codes and English title (its
    // X.509 profiles sit in the workdir's profiles/, not beside it, so it is not loaded whole).
    const definition = parse(readFileSync(join(workdir, 'definition.yaml'), 'utf8')) as { roles: Record<string, unknown>; title: { en: string }; description?: { en?: string } };
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
    // Role codes: only in the legend. A role shows by its title wherever the record names one.
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
