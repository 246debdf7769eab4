// The masked share input: one • per symbol, a mark per group, a wrong group named at once,
// and the share itself in no frame, ever.
import t from 'tap';
import { ShareField } from '../../src/ui/components/share-field.js';
import { newSecret, split } from '../../src/quorum/index.js';
import { renderUi } from './helpers/render.js';

const { shares, manifest } = split(newSecret(), { threshold: 2, of: 3, custodians: ['carol', 'dave', 'erin'], label: 'test-user-pin' });
const share = shares[0]!.text;
const groups = share.split('-');
/** Groups 4 onwards hold the share's secret part; 1 to 3 are the public set id and header. */
const secret = groups.slice(3);
const noShare = (frames: string[]) => frames.every((f) => !secret.some((g) => f.includes(g)) && !f.includes(share));

function withTypo(at: number): string {
  const wrong = [...groups];
  const g = wrong[at]!;
  wrong[at] = g.slice(0, 2) + (g[2] === '7' ? '8' : '7') + g.slice(3);
  return wrong.join('-');
}

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: typing a share shows bullets and marks, flags a wrong group, never the share`, async (t) => {
    const submitted: string[] = [];
    const ui = renderUi(<ShareField label="share 1:" expectedSetId={manifest.setId} onSubmit={(s) => submitted.push(s)} />, { lang });
    t.teardown(ui.unmount);
    await ui.type(withTypo(5).split('-').slice(0, 7).join(''));
    const frame = ui.frame();
    t.match(frame, /•••••✓ •••••✓ •••••✓ •••••✓ •••••✓ •••••✗ •••••✓/, 'group 6 marked wrong, the others right');
    t.match(frame, lang === 'en' ? 'group 6 is wrong: check it against your share card' : '第 6 組有誤：請對照分持卡');
    await ui.press('enter');
    t.same(submitted, [], 'an incomplete share is not handed on');
    t.match(ui.frame(), lang === 'en' ? 'the share is not complete yet' : '分持碼尚未輸入完整');
    await ui.press('ctrlU');
    t.notMatch(ui.frame(), '•', 'Ctrl+U empties the field');
    await ui.type(share.toLowerCase());
    t.match(ui.frame(), lang === 'en' ? 'all groups right: press Enter' : '各組均正確：請按 Enter');
    await ui.press('backspace');
    t.notMatch(ui.frame(), lang === 'en' ? 'all groups right' : '各組均正確', 'backspace erases the last symbol');
    await ui.type(share.toLowerCase().slice(-1));
    await ui.press('enter');
    t.same(submitted, [share.toLowerCase()], 'the complete share is handed on once');
    t.notMatch(ui.frame(), '•', 'and the field is emptied at once');
    t.ok(noShare(ui.frames), 'no frame contains the share or any secret group of it');
  });
}

t.test('a share of another set is flagged as soon as groups 1 to 3 say so', async (t) => {
  const other = split(newSecret(), { threshold: 2, of: 2, custodians: ['a', 'b'] });
  const ui = renderUi(<ShareField label="share:" expectedSetId={manifest.setId} onSubmit={() => undefined} />);
  t.teardown(ui.unmount);
  await ui.type(other.shares[0]!.text.split('-').slice(0, 3).join('-'));
  t.match(ui.frame(), `this share is of set ${other.manifest.setId}, not ${manifest.setId}`);
});

t.test('characters outside the alphabet mark their group wrong at once', async (t) => {
  const ui = renderUi(<ShareField label="share:" onSubmit={() => undefined} />);
  t.teardown(ui.unmount);
  await ui.type('AB!');
  t.match(ui.frame(), /•••✗/);
  t.match(ui.frame(), 'group 1 is wrong');
});
