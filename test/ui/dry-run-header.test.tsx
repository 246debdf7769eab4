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

  t.test(`${lang}: a dry run on SoftHSM shows no software-token warning`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const ui = renderApp(t, lang, { ...fake.session, dryRun: true, softwareToken: DEVICE });
    const opening = await ui.waitFor(tr('signIn.intro'));
    t.match(opening, tr('header.dryRun'));
    t.notMatch(opening, tr('software.title'));
    t.notMatch(opening, tr('header.productionSoftware'));
  });
}
