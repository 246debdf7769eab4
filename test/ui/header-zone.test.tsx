// The header's wall clock is in the ceremony's own zone (the definition's timeZone), as the plan
// and the report give times, whatever the terminal's zone: review16e saw "01:54:10 UTC" on screen
// where the report said 09:54 +08:00, so a witness copying a time wrote another one (issue 16
// item 12). The terminal here is put in UTC; the definition says Asia/Taipei.
import t from 'tap';
import { Box } from 'ink';
import { CeremonyApp } from '../../src/ui/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { renderUi } from './helpers/render.js';

const HCA = new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url).pathname;

const zoneBefore = process.env.TZ;
process.env.TZ = 'UTC';
t.teardown(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: the header names the ceremony's zone, not the terminal's`, async (t) => {
    t.equal(Intl.DateTimeFormat().resolvedOptions().timeZone, 'UTC', 'the terminal is in UTC');
    const fake = fakeCeremony(t, { file: HCA, lang });
    // No clock given: the UI's own, as `run` starts it.
    const ui = renderUi(
      <Box width={80}>
        <CeremonyApp session={fake.session} colors={false} onOutcome={() => undefined} onError={() => undefined} size={{ columns: 80, rows: 24 }} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = await ui.waitFor(translator(lang)('signIn.intro'));
    t.match(frame, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+08:00 Asia\/Taipei/, 'the wall clock in Taipei time, with offset and zone');
    t.notMatch(frame, /\d\d:\d\d:\d\d UTC\s/, 'not in the terminal zone');
  });
}
