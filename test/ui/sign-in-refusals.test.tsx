// Sign-in after a refusal (issue 16, the hca-g3-keygen review): Enter on a refused role did
// nothing, and the person was stuck without a hint. The typed text stays, the refusal says
// what to type, and Enter again on the same text says it is still refused and how to change
// it. In en, the roles still needed are counted in the plural.
import t from 'tap';
import { Box } from 'ink';
import type { Participant } from '../../src/ceremony/types.js';
import type { Definition } from '../../src/definition/definition.js';
import { counted } from '../../src/util/plural.js';
import { roleLines } from '../../src/ui/model/people.js';
import { SignInScreen } from '../../src/ui/screens/sign-in.js';
import { overWide, renderUi } from './helpers/render.js';

const definition = {
  roles: {
    administrator: { min: 1, title: { en: 'CA administrator', 'zh-TW': '憑證管理中心管理員' } },
    witness: { min: 2, title: { en: 'Witness', 'zh-TW': '見證人' } },
    custodian: { min: 3, title: { en: 'PIN share custodian', 'zh-TW': 'PIN 碼分持保管人' } },
  },
} as unknown as Definition;

const flat = (text: string) => text.replace(/\s+/g, ' ');

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';

  t.test(`${lang}: a refused role keeps the text, says what to type, and Enter again answers`, async (t) => {
    const submitted: Participant[][] = [];
    const ui = renderUi(
      <Box width={80}>
        <SignInScreen roles={roleLines(definition, lang)} conflicts={[['administrator', 'witness']]} onSubmit={(p) => submitted.push(p)} rows={15} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    t.match(
      flat(ui.frame()),
      zh ? '尚缺：憑證管理中心管理員 1 人、見證人 2 人、PIN 碼分持保管人 3 人' : 'still needed: 1 CA administrator, 2 Witnesses, 3 PIN share custodians',
      'counted in the plural in en',
    );
    await ui.answer('hc1', '張淑芬 Chang Shu-fen', 'janitor');
    const unknown = zh
      ? '✗ 「janitor」不是本儀式的角色：請輸入上方所列的角色編號（1 至 3）或名稱'
      : '✗ "janitor" is not a role of this ceremony: type role numbers from the list above (1 to 3) or their titles';
    t.match(flat(ui.frame()), unknown, 'what was wrong and what to type');
    t.match(ui.frame(), /› (Roles|角色)\s+janitor/, 'the typed text stays in the field');
    await ui.press('enter');
    t.match(
      flat(ui.frame()),
      zh ? '✗ 仍遭拒：「janitor」不是本儀式的角色' : '✗ still refused: "janitor" is not a role of this ceremony',
      'Enter again on the same text: the screen answers',
    );
    t.match(flat(ui.frame()), zh ? '請以 Backspace 或 Ctrl+U 修改；↑ 回到上一欄' : 'Backspace or Ctrl+U changes it; ↑ goes back a field');
    await ui.type('x');
    t.notMatch(ui.frame(), '✗', 'typing clears the refusal');
    await ui.press('enter');
    t.notMatch(flat(ui.frame()), zh ? '仍遭拒' : 'still refused', 'a changed text is checked afresh, not "still" refused');
    await ui.press('ctrlU');
    await ui.answer('1, 2');
    t.match(
      ui.frame().replace(/\s+/g, ''),
      zh
        ? 'hc1（張淑芬ChangShu-fen）不得同時擔任憑證管理中心管理員及見證人：角色互斥，請只輸入其中一個'
        : 'hc1(張淑芬ChangShu-fen)cannotbebothCAadministratorandWitness:therolesconflict;typeonlyoneofthem',
      'the person by id and name, not the id alone',
    );
    await ui.press('ctrlU');
    await ui.answer('3');
    t.match(ui.frame(), /hc1\s+張淑芬 Chang Shu-fen\s+(PIN share custodian|PIN 碼分持保管人)/, 'signed in once a role is right');
    t.match(flat(ui.frame()), zh ? 'PIN 碼分持保管人 2 人' : '2 PIN share custodians');
    // The same name under another id is refused as it is typed, naming the earlier id (review16g item 8).
    await ui.answer('lin', '張淑芬 Chang Shu-fen');
    t.match(
      ui.frame().replace(/\s+/g, ''),
      zh ? '✗張淑芬ChangShu-fen已以代號「hc1」簽到：每人只以一個代號簽到一次' : '✗張淑芬ChangShu-fenhasalreadysignedinashc1:eachpersonsignsinonce,underoneid',
    );
    await ui.press('ctrlU');
    await ui.answer('林秀英 Lin', '3');
    t.match(ui.frame(), /lin\s+林秀英 Lin/, 'another name signs in');
    t.same(submitted, []);
    t.same(overWide(ui.frames.join('\n')), []);
  });
}

t.test('counted: the last English word in the plural unless one; Chinese unchanged', async (t) => {
  t.equal(counted('en', 3, 'PIN share custodian'), 'PIN share custodians');
  t.equal(counted('en', 1, 'PIN share custodian'), 'PIN share custodian');
  t.equal(counted('en', 2, 'Witness'), 'Witnesses');
  t.equal(counted('en', 2, 'Security officer'), 'Security officers');
  t.equal(counted('en', 2, 'deputy'), 'deputies');
  t.equal(counted('en', 2, 'key'), 'keys');
  t.equal(counted('en', 2, 'role id "ops"'), 'role id "ops"', 'a quoted id is left as it is');
  t.equal(counted('zh-TW', 3, 'PIN 碼分持保管人'), 'PIN 碼分持保管人');
});
