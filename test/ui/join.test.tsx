// The terminal UI's entry point for someone who missed the sign-in: Ctrl+N, their id, name
// and roles, and the two people already signed in who confirm them. The machine decides;
// a refusal is shown, and once joined the newcomer can act.
import t from 'tap';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { renderApp } from './helpers/app.js';

const CTRL_N = '\u000e';

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: someone joins after the sign-in, confirmed by two, and witnesses`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const tr = translator(lang);
    const ui = renderApp(fake.session, lang);
    t.teardown(ui.unmount);
    await ui.waitFor(tr('signIn.intro'));
    t.notMatch(ui.frame(), `^N ${tr('hint.join')}`, 'nobody can confirm anyone before the sign-in');
    for (const [id, name, roles] of [
      ['alice', 'Alice', '1'],
      ['wendy', 'Wendy', '2'],
      ['dave', 'Dave', '3'],
      ['carol', 'Carol', '3'],
    ])
      await ui.answer(id!, name!, roles!);
    await ui.press('enter');
    const frame = await ui.waitFor(lang === 'en' ? 'Bag number' : '封袋編號');
    t.match(frame, `^N ${tr('hint.join')}`);

    await ui.type(CTRL_N);
    await ui.waitFor(tr('join.title'));
    // The join dialog's own help: no "roles listed above" (none are) and no "empty id ends it" (review at 80x24, M8).
    const flat = (text: string) => text.replace(/\s+/g, '');
    t.match(flat(ui.frame()), flat(tr('join.idHelp')), "the id's help is the join's");
    t.notMatch(flat(ui.frame()), flat(tr('signIn.idHelp')).slice(-12), 'not the sign-in help');
    await ui.answer('erika', 'Erika');
    t.match(flat(ui.frame()), /[（(]1[^,、]+[,、]2[^,、]+[,、]3[^,、）)]+[）)]/, 'the roles help lists the roles by number');
    // The same role typed three ways (number, id, title) is taken once (issue 16 item 9).
    await ui.answer(lang === 'en' ? '2, witness, Witness' : '2、witness、見證人', 'alice', 'alice');
    t.match(ui.frame(), tr('people.samePerson', { id: 'alice' }).slice(0, 30), 'the second must be someone else');
    await ui.press('ctrlU');
    await ui.answer('wendy');
    await ui.waitFor(lang === 'en' ? 'Bag number' : '封袋編號');
    t.same(fake.session.actor.getSnapshot().context.participants.at(-1), { id: 'erika', name: 'Erika', roles: ['witness'] }, 'erika joined');
    await ui.answer('TB123456', 'alice', 'erika');
    await ui.waitFor(tr('facts.newShares'));
    t.same(fake.session.actor.getSnapshot().context.results.inventory?.witnesses, ['erika'], 'and witnessed the record');
  });
}
