// A record field with a pattern (two capital letters and six digits, e.g. AB123456): lower case
// is accepted and upper-cased, and the screen says so; so a refusal of `ab12345` must not read
// as a complaint about case. It names what is wrong: the length, or the format in any case
// (review of issue 16 at 80x24).
import t from 'tap';
import { renderApp, signIn, SMALL_PEOPLE } from './helpers/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony } from './helpers/ceremony.js';

const flat = (text: string) => text.replace(/\s+/g, '');

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  const zh = lang === 'zh-TW';
  const shown = { format: zh ? '兩個大寫英文字母加六位數字' : 'two capital letters and six digits', example: 'AB123456' };

  t.test(`${lang}: a refused value names the real problem, with the description and example`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const ui = renderApp(fake.session, lang);
    t.teardown(ui.unmount);
    await ui.waitFor(tr('signIn.intro'));
    await signIn(ui, SMALL_PEOPLE);
    await ui.waitFor(zh ? '封袋編號' : 'Bag number');

    const refusedAs = async (typed: string) => {
      await ui.type(typed);
      await ui.press('enter');
      const frame = flat(ui.frame());
      await ui.press('ctrlU');
      return frame;
    };

    // Wrong length and lower case: the length is what is wrong.
    let frame = await refusedAs('ab12345');
    const length = tr('record.wrongLength', { m: 8, ...shown });
    t.equal(
      length,
      zh
        ? '長度不符：應為 8 個字元（兩個大寫英文字母加六位數字），例如 AB123456'
        : 'wrong length: it must be 8 characters, two capital letters and six digits, e.g. AB123456',
    );
    t.match(frame, flat(`✗ ${length}`), 'the length is named');
    t.notMatch(frame, flat(tr('record.notFormat', shown)), 'not the bare format, which reads as if case were the problem');

    // Right length, lower case, still wrong in capitals: it says lower case is fine.
    frame = await refusedAs('a1234567');
    t.match(frame, flat(`✗ ${tr('record.notFormatAnyCase', shown)}`), 'the format, and that case is not the problem');
    t.match(tr('record.notFormatAnyCase', shown), zh ? '大小寫不拘，小寫將轉為大寫記錄' : 'case does not matter: lower case is recorded in capitals');

    // Right length, capitals, wrong format: the format and example.
    frame = await refusedAs('A1234567');
    t.match(frame, flat(`✗ ${tr('record.notFormat', shown)}`));

    // Lower case of the right format: accepted, and the screen says it is recorded in capitals.
    await ui.type('tb100002');
    await ui.press('enter');
    t.match(flat(ui.frame()), flat(tr('record.upperCased', { value: 'TB100002' })), 'lower case is upper-cased, and the screen says so');
    t.notMatch(flat(ui.frame()), '✗');
  });
}
