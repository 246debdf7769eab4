// The header is two lines at any width, whatever the language (review of issue 16 at 80x24):
// the title was cut to the width less the step counter's length in characters, and a Chinese
// counter (步驟 3（共 11 步）) is wider than its length, so a long zh-TW title ran into it,
// wrapped onto a third line and, on a full screen, pushed the line with 正式 off the top.
import t from 'tap';
import stringWidth from 'string-width';
import { Header } from '../../src/ui/components/header.js';
import { renderUi } from './helpers/render.js';

const TITLES = {
  en: 'Healthcare CA custodian change (user PIN rotation)',
  'zh-TW': '醫事憑證管理中心 PIN 碼保管人異動（使用者 PIN 碼更換）',
};
const KEYGEN_ZH = '醫事憑證管理中心第三代CA金鑰產製及憑證申請檔';

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  for (const [name, props] of [
    ['production on a software token, step 3 of 11', { softwareToken: true, stepNumber: 3, stepCount: 11 }],
    ['production, every step done', { stepNumber: 10, stepCount: 9 }],
    ['aborted at step 3 of 11', { softwareToken: true, stepNumber: 3, stepCount: 11, aborted: true }],
    ['paused, step 12 of 12', { stepNumber: 12, stepCount: 12, paused: true }],
  ] as const) {
    for (const title of zh ? [TITLES['zh-TW'], KEYGEN_ZH] : [TITLES.en]) {
      t.test(`${lang}: ${name}: ${title}`, async (t) => {
        for (const width of [80, 100]) {
          const ui = renderUi(<Header title={title} clock="2026-12-08 01:49:12 UTC+08:00 Asia/Taipei" elapsed="00:01:04" width={width} {...props} />, {
            lang,
          });
          const lines = ui.frame().split('\n');
          ui.unmount();
          t.equal(lines.length, 2, `${width} columns: two lines`);
          t.ok(
            lines.every((line) => stringWidth(line) <= width),
            `${width} columns: none wider`,
          );
          t.match(lines[0], zh ? /^正式/ : /^PRODUCTION/, `${width} columns: the mode begins the first line`);
          t.match(lines[0], zh ? /(步）|均已完成)$/ : /(\d|done)$/, `${width} columns: the step counter ends it, whole`);
        }
      });
    }
  }
}
