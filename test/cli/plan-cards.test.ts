// `keyceremony plan <definition> --cards` (issue 16 item 5): a printable blank share card for
// every share the ceremony hands out, en and zh-TW, boxes laid out as the share is typed;
// checked in the HTML, against a real split, and printed by Chromium to a PDF read back
// with pdftotext.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { run } from '../helpers/softhsm.js';
import { tempDir } from '../journal/helpers/journals.js';
import { newSecret, shareShape, split, formatForPaper } from '../../src/quorum/index.js';
import { credentialTitle } from '../../src/definition/definition.js';
import { loadDefinition } from '../../src/definition/loader.js';

const CEREMONIES = new URL('../../ceremonies/', import.meta.url).pathname;
const tokenInit = join(CEREMONIES, 'hca-token-init.yaml');
const keygen = join(CEREMONIES, 'hca-g3-keygen.yaml');
const ENGLISH = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const CHROMIUM = process.env.KEYCEREMONY_TEST_CHROMIUM ?? '/usr/bin/chromium';

const cardsOf = (html: string) => html.split('<section class="card"').slice(1);
const count = (text: string, needle: string) => text.split(needle).length - 1;

t.test('a card has as many groups as a real share, laid out five a row like the paper form', async (t) => {
  const shape = shareShape();
  const secret = newSecret();
  const { shares } = split(secret, { threshold: 2, of: 2, custodians: ['a', 'b'] });
  const groups = shares[0]!.text.split('-');
  t.equal(shape.groups, groups.length, `${groups.length} groups`);
  t.equal(shape.lastGroupLength, groups.at(-1)!.length);
  t.equal(formatForPaper(shares[0]!.text).split('\n').length, Math.ceil(shape.groups / 5), 'rows of five, as on paper');
});

t.test('plan --cards prints one card per share of every credential the ceremony splits, in English', async (t) => {
  const result = await keyceremonyInProcess(['plan', tokenInit, '--cards'], { env: ENGLISH });
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, '');
  const html = result.stdout;
  t.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  t.match(html, '@page { size: 148mm 105mm;', 'A6 landscape');
  t.notMatch(html, /<script|src=|href=/i, 'no script, no outside resource');
  const cards = cardsOf(html);
  t.equal(cards.length, 10, 'SO PIN and user PIN, 5 shares each');
  const shape = shareShape();
  cards.forEach((card, i) => {
    const credential = i < 5 ? 'hca-so-pin' : 'hca-user-pin';
    const k = (i % 5) + 1;
    t.match(card, ` data-credential="${credential}" data-share="${k}">`);
    t.match(card, '<dd>Healthcare CA HSM token initialisation</dd>', 'the ceremony');
    t.match(card, `<dd>Healthcare CA token ${i < 5 ? 'SO PIN' : 'user PIN'}</dd>`, 'the credential by its title');
    t.match(card, `<dt>Share</dt><dd>${k} of 5 (any 3 of the 5 open it)</dd>`);
    // The set id in the one form screens, refusals and report show (QWJ7B68Z): 8 boxes of its own, labelled plainly (issue 16).
    t.match(
      card,
      `<dt>Set id</dt><dd><span class="setid">${'<span class="idbox"></span>'.repeat(8)}</span><span class="setid-note">8 characters, as the screen shows it</span></dd>`,
      'the set id left blank, 8 boxes to copy it into as the screen shows it',
    );
    t.match(
      card,
      'Groups 1 and 2 begin with the set id: its first four characters, then its last four; the last character of each group is its check character',
    );
    t.match(card, '<dt>Custodian</dt><dd><span class="fill"></span></dd>', 'the custodian is left blank');
    const rows = [...card.matchAll(/<span class="no">(\d+)<\/span>/g)].map((m) => Number(m[1]));
    t.same(rows, [1, 6, 11, 16], 'rows numbered by their first group');
    t.equal(count(card, '<span class="group">'), shape.groups, 'a box group per share group');
    t.equal(count(card, '<span class="box'), (shape.groups - 1) * 5 + shape.lastGroupLength, 'a box per character');
    t.equal(count(card, 'class="box check"'), shape.groups, 'the check character of each group shaded');
  });
});

t.test('plan --cards --lang zh-TW writes the cards in Traditional Chinese', async (t) => {
  const result = await keyceremonyInProcess(['plan', tokenInit, '--cards', '--lang', 'zh-TW'], { env: ENGLISH });
  t.equal(result.code, 0, result.stderr);
  const cards = cardsOf(result.stdout);
  t.equal(cards.length, 10);
  t.match(result.stdout, '<html lang="zh-Hant-TW">');
  t.match(cards[0]!, '<h1>分持卡</h1>');
  t.match(cards[0]!, '<dd>醫事憑證管理中心 硬體安全模組載具初始化</dd>');
  t.match(cards[0]!, '<dd>醫事憑證管理中心載具之安全管理者 PIN 碼</dd>');
  t.match(cards[7]!, '<dt>分持碼</dt><dd>第 3 份，共 5 份（任 3 份可開啟）</dd>');
  t.match(
    cards[7]!,
    `<dt>分持組編號</dt><dd><span class="setid">${'<span class="idbox"></span>'.repeat(8)}</span><span class="setid-note">8 個字元，依畫面所示抄寫</span></dd>`,
  );
  t.match(cards[7]!, '第 1、2 段開頭為分持組編號：先為其前 4 個字元，再為其後 4 個字元');
  t.match(cards[7]!, '<dt>保管人</dt>');
  t.notMatch(result.stdout.replace(/<style>[\s\S]*<\/style>/, '').replace(/<[^>]*>/g, ''), /\b(Share|Set id|Custodian|Ceremony)\b/, 'no English label');
});

t.test('a credential title from the definition, else the token title and the PIN', async (t) => {
  const definition = loadDefinition(tokenInit);
  t.equal(credentialTitle(definition, 'hca-user-pin', 'en'), 'Healthcare CA token user PIN');
  t.equal(credentialTitle(definition, 'hca-user-pin', 'zh-TW'), '醫事憑證管理中心載具之使用者 PIN 碼');
  const titled = { ...definition, credentials: { x: { ...definition.credentials['hca-so-pin']!, title: { en: 'HCA SO PIN', 'zh-TW': '醫事憑證 SO PIN' } } } };
  t.equal(credentialTitle(titled, 'x', 'zh-TW'), '醫事憑證 SO PIN');
  const kek = { ...definition, credentials: { k: { ...definition.credentials['hca-so-pin']!, kek: true as const } } };
  t.equal(credentialTitle(kek, 'k', 'en'), 'Healthcare CA token key-encryption key');
});

t.test('the cards print to A6 pages in Chromium, one card a page, the Chinese text kept', async (t) => {
  const dir = tempDir(t);
  const html = join(dir, 'cards.html');
  const pdf = join(dir, 'cards.pdf');
  const result = await keyceremonyInProcess(['plan', tokenInit, '--cards', '--lang', 'zh-TW'], { env: ENGLISH });
  t.equal(result.code, 0, result.stderr);
  writeFileSync(html, result.stdout);
  const print = await run(CHROMIUM, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-pdf-header-footer',
    `--user-data-dir=${mkdtempSync(join(dir, 'chromium-'))}`,
    `--print-to-pdf=${pdf}`,
    `file://${html}`,
  ]);
  t.equal(print.code, 0, print.stderr);
  const info = await run('pdfinfo', [pdf]);
  t.match(info.stdout, /Pages:\s+10\n/, 'one page a card');
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info.stdout);
  t.ok(size, info.stdout);
  // A6 landscape is 148 x 105 mm: 419.5 x 297.6 pt.
  t.ok(Math.abs(Number(size![1]) - 419.5) < 2 && Math.abs(Number(size![2]) - 297.6) < 2, `A6 landscape: ${size![0]}`);
  const text = await run('pdftotext', ['-layout', pdf, '-']);
  t.equal(text.code, 0, text.stderr);
  const pages = text.stdout.split('\f').filter((page) => page.trim() !== '');
  t.equal(pages.length, 10);
  pages.forEach((page, i) => {
    const compact = page.replace(/\s+/g, '');
    t.ok(compact.includes(`第${(i % 5) + 1}份，共5份（任3份可開啟）`), `page ${i + 1}: share k of n`);
    t.ok(compact.includes('分持組編號') && compact.includes('保管人'), `page ${i + 1}: set id and custodian lines`);
  });
});

t.test('bad use of --cards: exit 2, a message that says why, nothing on stdout', async (t) => {
  const md = await keyceremonyInProcess(['plan', tokenInit, '--cards', '--format', 'md'], { env: ENGLISH });
  t.equal(md.code, 2);
  t.equal(md.stdout, '');
  t.match(md.stderr, 'keyceremony: error: plan: --cards writes HTML, not --format md');
  const none = await keyceremonyInProcess(['plan', keygen, '--cards'], { env: ENGLISH });
  t.equal(none.code, 2);
  t.equal(none.stdout, '');
  t.match(none.stderr, `keyceremony: error: plan: ${keygen}: no step of ceremony hca-g3-keygen splits a credential`);
  t.match(none.stderr, 'keyceremony: hint: share cards are printed for the ceremony that makes the shares');
});
