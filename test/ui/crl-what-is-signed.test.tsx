// Brief crl16u item 1: the CRL signing screen said `Issuer root-certificate` (the input's id)
// and `Next update in 180 days`, and the read-aloud after it only the file's hash. Now, before
// approval, the prepared facts name the issuer by its DN, the CRL number from the ledger,
// thisUpdate and nextUpdate as dates in the ceremony's time zone (Asia/Taipei) and how many
// serials the CRL lists; the read-aloud after says the same with the CRL's fingerprint, and so
// does the record line. 80x24, en and zh-TW.
import t from 'tap';
import { Box } from 'ink';
import type { FileRecord } from '../../src/ceremony/types.js';
import { translator, type Lang } from '../../src/ui/i18n/index.js';
import { readoutOf, stepItem } from '../../src/ui/model/record.js';
import type { ScreenContext } from '../../src/ui/model/screen-context.js';
import type { View } from '../../src/ui/model/view.js';
import type { ShareDesk } from '../../src/ui/share-desk.js';
import { StepScreen } from '../../src/ui/step-screen.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { overWide, renderUi } from './helpers/render.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const GRCA_CRL = new URL('../../ceremonies/grca-crl.yaml', import.meta.url).pathname;
const DN = 'C=TW, O=Government Root Certification Authority, CN=GRCA DRY RUN';
// 2026-12-07T06:00:00Z is 14:00 in Taipei; nextUpdate 180 days later.
const prepared = {
  issuer: DN,
  crlNumber: '7',
  thisUpdate: '2026-12-07T06:00:00.000Z',
  nextUpdate: '2027-06-05T06:00:00.000Z',
  revokedSerials: 2,
};
const crlFile = (): FileRecord => {
  const f = fingerprint('root.crl');
  return { name: 'root.crl', kind: 'crl', sha256: f.sha256, words: f.words, bytes: 900, step: 'crl' };
};
const ledgerFile = (): FileRecord => {
  const f = fingerprint('root-ca.crl.ledger');
  return { name: 'root-ca.crl.ledger', kind: 'ledger', sha256: f.sha256, words: f.words, bytes: 900, step: 'crl' };
};
const result = {
  outputs: [crlFile(), ledgerFile()],
  performer: 'alice',
  witnesses: ['wendy'],
  details: { number: '7', issuer: DN, thisUpdate: prepared.thisUpdate, nextUpdate: prepared.nextUpdate, revoked: 2, newlyRevoked: 0 },
};

function render(s: ScreenContext, view: View) {
  let done = false;
  const ui = renderUi(
    <Box width={80}>
      <StepScreen
        view={view}
        sc={s}
        desk={{} as ShareDesk}
        act={() => undefined}
        onReadoutDone={() => {
          done = true;
        }}
        onChoose={() => undefined}
        onShareHidden={() => undefined}
        rows={22}
        width={80}
      />
    </Box>,
    { lang: s.lang },
  );
  return { ui, done: () => done };
}

const flat = (frame: string) => frame.replace(/\s+/g, '');
const says = (frame: string, text: string) => flat(frame).includes(flat(text));

for (const lang of ['en', 'zh-TW'] as const satisfies Lang[]) {
  const tr = translator(lang);

  t.test(`${lang}: before approval the CRL screen says what is signed`, async (t) => {
    const s = screenContext(GRCA_CRL, lang, { prepared, stepIndex: 3 });
    const { ui } = render(s, { kind: 'approval', step: stepOf(s, 'crl') });
    t.teardown(ui.unmount);
    // The whole screen, scrolled: every line of the facts, whatever fits in 24 rows at once.
    const frame = ui.frame();
    t.same(overWide(frame), [], 'fits 80 columns');
    const all = ui.frames.join('\n');
    t.ok(says(all, DN), 'the issuer by its DN');
    t.notOk(says(all, `${tr('facts.issuer')} root-certificate`), 'not by the input id');
    t.ok(says(all, `${tr('prepared.crlNumber')}`) && /\b7\b/.test(all), 'the CRL number');
    t.ok(says(all, '2026-12-07 14:00:00 UTC+08:00 Asia/Taipei'), 'thisUpdate in the ceremony zone');
    t.ok(says(all, '2027-06-05 14:00:00 UTC+08:00 Asia/Taipei'), 'nextUpdate in the ceremony zone');
    t.ok(says(all, tr('prepared.revokedSerials')), 'how many serials are listed');
  });

  t.test(`${lang}: the read-aloud after the CRL says its number, issuer and dates with its fingerprint`, async (t) => {
    const s = screenContext(GRCA_CRL, lang, { results: { crl: result }, stepIndex: 4 });
    const index = s.definition.steps.findIndex((step) => step.id === 'crl');
    const readout = readoutOf(s, index)!;
    const crl = readout.entries.find((e) => e.sha256 === result.outputs[0]!.sha256)!;
    t.match(
      crl.facts?.map((f) => f.label),
      [tr('facts.issuer'), tr('prepared.crlNumber'), tr('prepared.thisUpdate'), tr('prepared.nextUpdate'), tr('prepared.revokedSerials')],
    );
    const { ui, done } = render(s, { kind: 'readout', index });
    t.teardown(ui.unmount);
    const page = ui.frame();
    t.same(overWide(page), [], 'fits 80 columns');
    t.ok(page.split('\n').length <= 24, 'fits 24 rows');
    t.ok(says(page, 'root.crl') && says(page, DN), 'names the CRL and its issuer');
    t.ok(says(page, '2027-06-05 14:00:00 UTC+08:00 Asia/Taipei'), 'nextUpdate said as a date');
    await ui.press('enter');
    await ui.press('enter');
    t.ok(done(), 'then on');
    const item = stepItem(s, index);
    const line = item?.kind === 'step' ? item.details.join('\n') : '';
    t.ok(says(line, `${tr('prepared.crlNumber')}`) && says(line, '2026-12-07 14:00:00'), `the record line says it too: ${line}`);
  });
}
