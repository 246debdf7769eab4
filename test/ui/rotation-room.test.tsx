// A rotation as the room sees it (review of issue 16 at 80x24, M7): the new shares replace a
// set whose cards open nothing once the step ends, and the hand-out says so before anyone
// sits down, naming the old set, in both languages.
import t, { type Test } from 'tap';
import { renderApp } from './helpers/app.js';
import { FAKE_SERIAL, fakeCeremony } from './helpers/ceremony.js';
import { overWide } from './helpers/render.js';
import { translator } from '../../src/ui/i18n/index.js';

const CHANGE = new URL('../../ceremonies/hca-custodian-change.yaml', import.meta.url).pathname;
const flat = (text: string) => text.replace(/\s+/g, '');

/** The custodian change at the terminal up to its rotation's confirmation, with `signedIn` custodians; the old set's shares entered. */
async function toRotation(t: Test, lang: 'en' | 'zh-TW', signedIn: string[]) {
  const tr = translator(lang);
  const fake = fakeCeremony(t, { file: CHANGE, lang, journal: true, premade: { 'hca-user-pin': ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'] } });
  const ui = renderApp(fake.session, lang);
  t.teardown(ui.unmount);
  await ui.waitFor(tr('signIn.intro'));
  await ui.answer('wang', 'Wang', '1');
  await ui.answer('lin', 'Lin', '2');
  await ui.answer('chen', 'Chen', '2');
  for (const id of signedIn) await ui.answer(id, id.toUpperCase(), '3');
  await ui.press('enter');
  await ui.waitFor(lang === 'zh-TW' ? '核准文號' : 'Approval of the custodian change');
  await ui.answer('X-1', 'rotation', FAKE_SERIAL, 'TB100002', 'wang', 'lin');
  await ui.waitFor(tr('shares.custodian'));
  const old = fake.shares['hca-user-pin']!;
  for (const [k, id] of ['hc1', 'hc2', 'hc3'].entries()) {
    await ui.answer(id);
    await ui.type(old[id]!);
    await ui.press('enter');
    if (k < 2) await ui.waitFor(tr('shares.progress', { k: k + 1, n: 3 }));
  }
  return { fake, ui };
}

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const tr = translator(lang);

  t.test(`${lang}: the hand-out of a rotation names the set it replaces and says its cards are to be destroyed`, async (t) => {
    const { fake, ui } = await toRotation(t, lang, ['hc1', 'hc2', 'hc3', 'hc4', 'hc5']);
    const oldSet = fake.session.actor.getSnapshot().context.shareSets['hca-user-pin']!.setId;
    const listed = await ui.waitFor(tr('facts.custodians'));
    t.match(listed, /HC1\)?.*HC2/s, "five custodians signed in for five shares: the new set's custodians listed");
    await ui.answer('wang', 'lin');
    const frame = await ui.waitFor(tr('handout.lookAway', { name: 'HC1' }));
    const replaces = tr('handout.replaces', { old: oldSet });
    t.match(flat(frame), flat(replaces), 'the old set named, its cards void once the step ends, to be destroyed');
    t.ok(
      flat(frame).indexOf(flat(replaces)) < flat(frame).indexOf(flat(tr('handout.confirmId', { name: 'HC1' }))),
      'said before the first custodian types their id',
    );
    t.match(frame, zh ? '應於見證人面前銷毀' : 'destroy them before the witnesses');
    t.same(overWide(frame), [], 'within 80 columns');
    // The frame test keeps what scrolled above the header; the live area is from the header down.
    const live = frame.slice(frame.indexOf(zh ? '正式 · ' : 'PRODUCTION · '));
    t.ok(live.split('\n').length <= 24, 'the live area fits 24 rows');
  });

  t.test(`${lang}: more custodians signed in than shares: the summary says the custodians are named below, not all of them`, async (t) => {
    const { ui } = await toRotation(t, lang, ['hc1', 'hc2', 'hc3', 'hc4', 'hc5', 'hn1', 'hn2']);
    const frame = await ui.waitFor(tr('facts.custodians'));
    const live = frame.slice(frame.indexOf(zh ? '正式 · ' : 'PRODUCTION · '));
    t.match(live, tr('facts.custodiansNamedBelow', { n: 5 }), 'the five to be named below');
    t.notMatch(live, /HN1.*HN2/s, 'not every holder of the role as if all were custodians of the new set');
    t.match(live, tr('custodians.label'), 'and the field that names them');
  });
}
