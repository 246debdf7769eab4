// "Step ids drift with two-digit step numbers" (review of issue 16 at 80x24): in the list of
// steps under the header, " 9 keygen" and "10 sign-off" start their ids, and their titles, in
// the same column, in both languages.
import t from 'tap';
import stringWidth from 'string-width';
import { StepList } from '../../src/ui/components/step-list.js';
import { renderUi } from './helpers/render.js';

const TITLES = {
  en: [
    'Sign in',
    'Record values',
    'Confirm the room',
    'Initialise the token',
    'Unlock',
    'New PIN',
    'Lock',
    'Unlock again',
    'Generate the key pair',
    'Sign off',
    'Close',
  ],
  'zh-TW': ['參與人員簽到', '記錄資料', '確認機房', '初始化載具', '啟用載具', '新 PIN 碼', '登出載具', '再次啟用', '產製金鑰對', '簽署確認', '結束'],
};
const IDS = ['sign-in', 'inventory', 'room', 'init', 'unlock-so', 'new-user-pin', 'lock-so', 'unlock', 'keygen', 'sign-off', 'close'];

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: with ten steps or more, ids and titles stay in one column`, async (t) => {
    const steps = IDS.map((id, i) => ({ number: i + 1, id, title: TITLES[lang][i]! }));
    for (const current of [8, 9, 10]) {
      const ui = renderUi(<StepList steps={steps} current={current} width={80} />, { lang });
      t.teardown(ui.unmount);
      const lines = ui
        .frame()
        .split('\n')
        .filter((line) => /[✓▶·] +\d/.test(line));
      t.equal(lines.length, 3, ui.frame());
      const columnOf = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
      const shown = lines.map((line) => steps.find((s) => line.includes(` ${s.id} `) || line.includes(` ${s.id}\u0020`))!);
      t.ok(shown.some((s) => s.number >= 10) && shown.some((s) => s.number < 10), `one- and two-digit numbers together: ${lines.join(' | ')}`);
      const idColumns = lines.map((line, i) => columnOf(line, ` ${shown[i]!.id} `) + 1);
      const titleColumns = lines.map((line, i) => columnOf(line, shown[i]!.title));
      t.equal(new Set(idColumns).size, 1, `ids in one column: ${lines.join(' | ')}`);
      t.equal(new Set(titleColumns).size, 1, `titles in one column: ${lines.join(' | ')}`);
    }
  });
}
