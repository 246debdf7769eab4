// Display width, not string length: CJK characters take two columns.
import t from 'tap';
import { displayWidth, fitDisplay, padDisplay, widest, wrapDisplay } from '../../src/util/text-width.js';

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
