// A rehearsal says so at the top of every screen, in the officers' language; a production
// ceremony's header does not.
import t from 'tap';
import { Header } from '../../src/ui/components/header.js';
import { translator } from '../../src/ui/i18n/index.js';
import { renderUi } from './helpers/render.js';

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: the header of a dry run says DRY RUN / 演練`, async (t) => {
    const header = (dryRun: boolean) => (
      <Header
        title="HCA G3 CA key generation"
        dryRun={dryRun}
        stepNumber={1}
        stepCount={9}
        clock="2025-05-01 10:03:04 UTC+08:00 Asia/Taipei"
        elapsed="00:00:01"
        width={80}
      />
    );
    const rehearsal = renderUi(header(true), { lang });
    t.teardown(rehearsal.unmount);
    t.equal(tr('header.dryRun'), lang === 'en' ? 'DRY RUN' : '演練');
    t.match(rehearsal.frame(), `${tr('header.dryRun')} · HCA G3 CA key generation`);
    const production = renderUi(header(false), { lang });
    t.teardown(production.unmount);
    t.notMatch(production.frame(), tr('header.dryRun'));
    t.match(production.frame(), 'HCA G3 CA key generation');
  });
}
