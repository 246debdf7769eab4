// A rehearsal says so at the top of every screen, in the officers' language; a production
// ceremony's header does not. A production ceremony on a software token (SoftHSM, NSS
// softoken; run --allow-software-token) says that on every header, and its opening screen
// says what it means (issue 16).
import t, { type Test } from 'tap';
import stringWidth from 'string-width';
import { CeremonyApp, type UiSession } from '../../src/ui/app.js';
import { Header } from '../../src/ui/components/header.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { overWide, renderUi } from './helpers/render.js';

const FIXED = { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false };
const DEVICE = 'SoftHSM project SoftHSM v2';

function renderApp(t: Test, lang: 'en' | 'zh-TW', session: UiSession) {
  const ui = renderUi(
    <CeremonyApp session={session} colors={false} onOutcome={() => undefined} onError={() => undefined} clock={FIXED} size={{ columns: 80, rows: 24 }} />,
    { lang },
  );
  t.teardown(ui.unmount);
  return ui;
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  const header = (dryRun: boolean, softwareToken = false) => (
    <Header
      title="HCA G3 CA key generation"
      dryRun={dryRun}
      softwareToken={softwareToken}
      stepNumber={1}
      stepCount={9}
      clock="2025-05-01 10:03:04 UTC+08:00 Asia/Taipei"
      elapsed="00:00:01"
      width={80}
    />
  );

  t.test(`${lang}: the header of a dry run says DRY RUN / 演練`, async (t) => {
    const rehearsal = renderUi(header(true), { lang });
    t.teardown(rehearsal.unmount);
    t.equal(tr('header.dryRun'), lang === 'en' ? 'DRY RUN' : '演練');
    t.match(rehearsal.frame(), `${tr('header.dryRun')} · HCA G3 CA key generation`);
    const production = renderUi(header(false), { lang });
    t.teardown(production.unmount);
    t.notMatch(production.frame(), tr('header.dryRun'));
    t.match(production.frame(), 'HCA G3 CA key generation');
    t.notMatch(production.frame(), tr('header.productionSoftware'));
  });

  t.test(`${lang}: production on a software token says so in the header, whole, at 80 columns`, async (t) => {
    t.equal(tr('header.productionSoftware'), lang === 'en' ? 'PRODUCTION ON A SOFTWARE TOKEN' : '正式（軟體載具）');
    const software = renderUi(header(false, true), { lang });
    t.teardown(software.unmount);
    t.match(software.frame(), `${tr('header.productionSoftware')} · HCA G3 CA key generation`);
    t.same(overWide(software.frame()), []);
    const rehearsal = renderUi(header(true, true), { lang });
    t.teardown(rehearsal.unmount);
    t.match(rehearsal.frame(), `${tr('header.dryRun')} · `, 'a rehearsal on SoftHSM is what SoftHSM is for: DRY RUN, no warning');
    t.notMatch(rehearsal.frame(), tr('header.productionSoftware'));
  });

  t.test(`${lang}: at 80x24 the opening screen says the token is a software token, not an HSM; every header keeps saying it`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const ui = renderApp(t, lang, { ...fake.session, softwareToken: DEVICE });
    const opening = await ui.waitFor(tr('signIn.intro'));
    const flat = (text: string) => text.replace(/\s+/g, '');
    t.match(opening, tr('header.productionSoftware'));
    t.match(flat(opening), flat(tr('notice.line', { title: tr('software.title'), message: tr('software.text', { device: DEVICE }) })));
    t.same(overWide(opening), [], 'nothing wider than 80 columns');
    t.ok(opening.split('\n').length <= 24, `the opening screen fits 24 rows (${opening.split('\n').length})`);
    const footer = opening.split('\n').find((line) => line.startsWith(`Enter ${tr('hint.next')}`));
    t.ok(footer !== undefined && stringWidth(footer) <= 80 && footer.includes(`^C ${tr('hint.stop')}`), `the footer is whole: ${footer}`);

    await ui.answer('alice', 'Alice', '1', 'wendy', 'Wendy', '2', 'dave', 'Dave', '3', 'carol', 'Carol', '3');
    await ui.press('enter');
    const next = await ui.waitFor(lang === 'en' ? 'Bag number' : '封袋編號');
    t.match(next, tr('header.productionSoftware'), 'the next screen still says it in its header');
    t.notMatch(next, tr('software.title'), 'the long warning was on the opening screen');
  });

  t.test(`${lang}: at 80x24 with the software-token banner, everyone signed in can be brought on screen before sign-in ends`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const ui = renderApp(t, lang, { ...fake.session, softwareToken: DEVICE });
    await ui.waitFor(tr('signIn.intro'));
    const people = ['wang', 'lin', 'hc1', 'hc2', 'hc3', 'tsai'];
    for (const [i, id] of people.entries()) await ui.answer(id, `Person ${id}`, i === 0 ? '1' : i === 1 ? '2' : '3');
    const listed = (frame: string) => people.filter((id) => frame.split('\n').some((line) => line.startsWith(`   ${id} `)));
    let frame = ui.frame();
    t.ok(frame.split('\n').length <= 24, `fits 24 rows (${frame.split('\n').length})`);
    t.same(overWide(frame), []);
    const hidden = people.filter((id) => !listed(frame).includes(id));
    t.ok(hidden.length > 0, `the banner leaves no room for all (not shown: ${hidden.join(', ')})`);
    t.notMatch(frame, lang === 'en' ? 'more above' : '上方另有', 'nobody is said to be above');
    t.match(frame, tr('signIn.moreEarlier', { n: hidden.length, ids: hidden.join(tr('list.separator')) }));
    const seen = new Set(listed(frame));
    for (let i = 0; i < people.length && !listed(ui.frame()).includes('wang'); i++) {
      await ui.press('pageUp');
      frame = ui.frame();
      t.ok(frame.split('\n').length <= 24, 'still 24 rows');
      for (const id of listed(frame)) seen.add(id);
    }
    t.same([...seen].sort(), [...people].sort(), 'every person signed in was on screen, with name and roles');
    t.match(ui.frame(), /^ {3}wang +Person wang +\S/m, 'the first: id, name, role');
  });

  t.test(`${lang}: a dry run on SoftHSM shows no software-token warning`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const ui = renderApp(t, lang, { ...fake.session, dryRun: true, softwareToken: DEVICE });
    const opening = await ui.waitFor(tr('signIn.intro'));
    t.match(opening, tr('header.dryRun'));
    t.notMatch(opening, tr('software.title'));
    t.notMatch(opening, tr('header.productionSoftware'));
  });
}
