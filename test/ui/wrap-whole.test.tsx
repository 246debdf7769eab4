// Wrapped lines never split a command-line flag at its hyphen ("--allow-" | "software-token")
// nor a person's Chinese name between its characters (李 | 建國), in either language (review
// of issue 16 at 80x24). The names are those the people signed in with: the app registers them
// (keepNamesWhole), and every wrap on screen keeps them whole.
import t from 'tap';
import { renderApp } from './helpers/app.js';
import { Wrapped } from '../../src/ui/components/wrapped.js';
import { translator } from '../../src/ui/i18n/index.js';
import { keepNamesWhole, wrapDisplay } from '../../src/util/text-width.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { renderUi } from './helpers/render.js';

const WIDTHS = Array.from({ length: 71 }, (_, i) => 10 + i);
const FLAG = '--allow-software-token';

/** Every line holding part of `word` holds all of it (nothing but spaces lost at a break). */
function keptWhole(lines: readonly string[], word: string): boolean {
  const parts = lines.filter((line) => [...word].some((_, k) => k > 0 && line.includes(word.slice(0, k + 1)) && !line.includes(word)));
  return parts.length === 0 && lines.join('').includes(word);
}

t.teardown(() => keepNamesWhole([]));

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);

  t.test(`${lang}: a flag moves to the next line whole, at every width from 24 to 80`, async (t) => {
    const text = tr('software.text', { device: 'SoftHSM project SoftHSM v2' });
    t.match(text, FLAG);
    for (const width of WIDTHS.filter((w) => w >= 24)) {
      const ui = renderUi(<Wrapped text={text} width={width} />, { lang });
      const lines = ui.frame().split('\n');
      ui.unmount();
      t.ok(
        lines.some((line) => line.includes(FLAG)),
        `${width} columns: ${lines.join(' | ')}`,
      );
    }
    t.same(
      wrapDisplay(`then run again with ${FLAG} please`, 24),
      ['then run again with', FLAG, 'please'],
      'a flag wider than a short word is not broken at its -',
    );
    t.same(wrapDisplay('the-quite-long-identifier-of-a-set', 16), ['the-quite-long-', 'identifier-of-a-', 'set'], 'a long id still breaks at its -');
  });

  t.test(`${lang}: a signed-in person's Chinese name glued to the words around it is never split`, async (t) => {
    const text = tr('shares.wrongIndex', { got: 2, holder: '李建國', want: 1, name: '張淑芬' });
    keepNamesWhole([]);
    t.ok(
      WIDTHS.some((width) => !keptWhole(wrapDisplay(text, width), '李建國') || !keptWhole(wrapDisplay(text, width), '張淑芬')),
      'without the names, some width splits one (the case this guards)',
    );
    keepNamesWhole(['李建國 Dave', '張淑芬 Carol', 'Alice']);
    for (const width of WIDTHS) {
      const ui = renderUi(<Wrapped text={text} width={width} />, { lang });
      const lines = ui.frame().split('\n');
      ui.unmount();
      t.ok(keptWhole(lines, '李建國') && keptWhole(lines, '張淑芬'), `${width} columns: ${lines.join(' | ')}`);
    }
    t.same(wrapDisplay('每位參與人員輸入代號', 8), ['每位參與', '人員輸入', '代號'], 'other Chinese still breaks between characters');
    keepNamesWhole([]);
  });

  t.test(`${lang}: the app keeps the names of the people who signed in whole`, async (t) => {
    keepNamesWhole([]);
    const fake = fakeCeremony(t, { lang });
    const ui = renderApp(fake.session, lang);
    t.teardown(ui.unmount);
    await ui.waitFor(tr('signIn.intro'));
    for (const [id, name, roles] of [
      ['alice', '王小明 Alice', '1'],
      ['wendy', '林美玲 Wendy', '2'],
      ['dave', '李建國', '3'],
      ['carol', '張淑芬 Carol', '3'],
    ] as const)
      await ui.answer(id, name, roles);
    await ui.press('enter');
    await ui.waitFor(lang === 'zh-TW' ? '封袋編號' : 'Bag number');
    const text = tr('shares.wrongIndex', { got: 2, holder: '李建國', want: 1, name: '張淑芬' });
    for (const width of WIDTHS) t.ok(keptWhole(wrapDisplay(text, width), '李建國') && keptWhole(wrapDisplay(text, width), '張淑芬'), `${width} columns`);
  });
}
