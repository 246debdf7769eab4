// Display width, not string length: CJK characters take two columns.
import t from 'tap';
import { displayWidth, fitDisplay, padDisplay, widest, wrapDisplay, wrapIndented } from '../../src/util/text-width.js';

t.test('padding and cutting by columns', async (t) => {
  t.equal(displayWidth('王小明'), 6);
  t.equal(padDisplay('王小明', 8), '王小明  ');
  t.equal(displayWidth(padDisplay('見證人', 10)), displayWidth(padDisplay('witness', 10)));
  t.equal(fitDisplay('醫事憑證管理中心', 9), '醫事憑證…');
  t.equal(fitDisplay('short', 9), 'short');
  t.equal(widest(['ab', '管理員']), 6);
});

t.test('wrapping: at spaces in English, between characters in Chinese, never wider than asked', async (t) => {
  t.same(wrapDisplay('the quick brown fox', 10), ['the quick', 'brown fox']);
  const zh = wrapDisplay('除張淑芬外，所有人現在請轉身，勿注視螢幕。', 20);
  t.ok(
    zh.every((line) => displayWidth(line) <= 20),
    zh.join('|'),
  );
  t.equal(zh.join(''), '除張淑芬外，所有人現在請轉身，勿注視螢幕。');
  t.same(wrapDisplay('a\nb', 10), ['a', 'b']);
});

t.test('wrapping breaks at spaces, / and - and between CJK characters, never inside a word or hex group (issue 16 item 10)', async (t) => {
  const path = '/var/lib/keyceremony/ceremonies/hca-g3-keygen/2025-05-01/journal.jsonl';
  const lines = wrapDisplay(`journal: ${path}`, 30);
  t.ok(
    lines.every((line) => displayWidth(line) <= 30),
    lines.join('|'),
  );
  t.equal(lines.join('').replace(/ /g, ''), `journal:${path}`, 'nothing lost but a space at a break');
  for (const line of lines.slice(0, -1)) t.match(line, /[/\-:]$/, `"${line}" ends at a / or - or the end of a word`);
  t.same(wrapDisplay('Carol Wang-Lindqvist approved', 14), ['Carol', 'Wang-Lindqvist', 'approved'], 'a short word is not broken at its -');
  // The init screen at 80 columns showed the token label as "DEMO-|MXCBLK9K": a label is compared as one.
  t.same(wrapDisplay('erases everything on this token and labels it "DEMO-MXCBLK9K". Compare', 50), [
    'erases everything on this token and labels it',
    '"DEMO-MXCBLK9K". Compare',
  ]);
  t.same(
    wrapDisplay('封袋：TB100002、機房：SOFTHSM-DRYRUN、核准', 24),
    ['封袋：TB100002、機房：', 'SOFTHSM-DRYRUN、核准'],
    'a short id between CJK characters moves whole',
  );
  t.same(wrapDisplay('the-quite-long-identifier-of-a-set', 16), ['the-quite-long-', 'identifier-of-a-', 'set'], 'a long id still breaks at its -');
  const hex = wrapDisplay('3f9a 41c2 88d0 0e7b 5a6c d2f1 0b93 7e44', 22);
  t.ok(
    hex.every((line) => line.split(' ').every((group) => group.length === 4)),
    `whole groups only: ${hex.join('|')}`,
  );
  t.same(wrapDisplay('supercalifragilistic', 8), ['supercal', 'ifragili', 'stic'], 'only a word wider than the line is cut');
  const zh = wrapDisplay('除 張淑芬 Carol 外，所有人請轉身（Carolyn 除外）', 16);
  t.ok(
    zh.every((line) => displayWidth(line) <= 16),
    zh.join('|'),
  );
  t.ok(
    zh.every((line) => !/^[，、。）」]/.test(line) && !/[（「]$/.test(line)),
    `no line starts with closing or ends with opening punctuation: ${zh.join('|')}`,
  );
  t.ok(
    zh.some((line) => line.includes('Carolyn')),
    `a Latin name inside Chinese stays whole: ${zh.join('|')}`,
  );
  t.same(wrapDisplay('管理員Carol核准', 8), ['管理員', 'Carol核', '准']);
  // The sign-in record at 80 columns split 張淑芬 as 張|淑芬 Carol: a short CJK run between spaces is a name, kept whole.
  const people = 'alice 王小明 Alice (administrator); wendy 林美玲 Wendy (witness); carol 張淑芬 Carol (custodian); dave 李建國 Dave (custodian)';
  const record = wrapDisplay(people, 75);
  t.ok(
    ['王小明', '林美玲', '張淑芬', '李建國'].every((name) => record.some((line) => line.includes(name))),
    `each CJK name on one line: ${record.join('|')}`,
  );
  t.same(wrapDisplay('見證人 林美玲 核准', 8), ['見證人', '林美玲', '核准'], 'short runs between spaces stay whole');
  t.same(wrapDisplay('每位參與人員輸入代號', 8), ['每位參與', '人員輸入', '代號'], 'a longer run (prose) still breaks between characters');
});

t.test('wrapIndented keeps the indent on continuation lines, or hangs them', async (t) => {
  t.same(wrapIndented('  one two three four', 11), ['  one two', '  three', '  four']);
  t.same(wrapIndented('  #3 12:00:01 the HSM was unplugged', 20, 4), ['  #3 12:00:01 the', '    HSM was', '    unplugged']);
  t.same(wrapIndented('short', 20, 4), ['short']);
  t.same(
    wrapIndented('  ✗ the first line is long\n  second', 16, 4),
    ['  ✗ the first', '    line is long', '  second'],
    'each line of a message keeps its own indent; none is lost or joined to the one before',
  );
});

t.test('a file name is kept whole when wrapped, a path still breaks at / and - (issue 16, room16f)', async (t) => {
  // The confirm-result screen showed "hca-so-pin.init.manifest.json" as "hca-|so-pin.init.manifest.json".
  const text = 'Confirm the result: the file hca-so-pin.init.manifest.json made by step 5, Initialise the token.';
  const lines = wrapDisplay(text, 40);
  t.ok(
    lines.some((line) => line.includes('hca-so-pin.init.manifest.json')),
    lines.join('|'),
  );
  t.ok(
    lines.every((line) => displayWidth(line) <= 40),
    lines.join('|'),
  );
  t.ok(
    wrapDisplay('確認結果：步驟 5「初始化載具」產出之檔案 hca-so-pin.init.manifest.json。', 40).some((line) =>
      line.includes('hca-so-pin.init.manifest.json。'),
    ),
    'in Chinese too, with the full stop after it',
  );
  const path = wrapDisplay('journal: /var/lib/keyceremony/hca-g3-keygen/journal.jsonl', 30);
  t.ok(path.length > 1 && path.slice(0, -1).every((line) => /[/\-:]$/.test(line)), path.join('|'));
});
