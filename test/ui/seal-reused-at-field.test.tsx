// Brief crl16u item 4: a bag number this ceremony already recorded (the bag the HSM just came
// out of), typed as the new bag at storage, was accepted with a ✓ and refused only after the
// performer and witness were typed, in internal terms (`step storage: field "hsm-bag-out" is
// RT100002, already recorded … at step inventory (field "hsm-bag-in")`). Now the field
// refuses it as it is typed (✗, it stays on the field), naming the step by its number and
// title and the field by its label. grca-crl, 80x24, en and zh-TW.
import t from 'tap';
import { Box } from 'ink';
import type { CeremonyEvent } from '../../src/ceremony/types.js';
import { translator, type Lang } from '../../src/ui/i18n/index.js';
import type { ShareDesk } from '../../src/ui/share-desk.js';
import { StepScreen } from '../../src/ui/step-screen.js';
import { overWide, renderUi } from './helpers/render.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const GRCA_CRL = new URL('../../ceremonies/grca-crl.yaml', import.meta.url).pathname;
const inventory = { values: { 'hsm-serial': 'ABC123', 'hsm-bag-in': 'RT100002' }, performer: 'alice', witnesses: ['wendy'] };
const flat = (frame: string) => frame.replace(/\s+/g, '');

for (const lang of ['en', 'zh-TW'] as const satisfies Lang[]) {
  const tr = translator(lang);

  t.test(`${lang}: the bag the HSM came out of, typed as its new bag, is refused at the field`, async (t) => {
    const s = screenContext(GRCA_CRL, lang, { results: { inventory }, stepIndex: s0(lang) });
    const sent: CeremonyEvent[] = [];
    const ui = renderUi(
      <Box width={80}>
        <StepScreen
          view={{ kind: 'approval', step: stepOf(s, 'storage') }}
          sc={s}
          desk={{} as ShareDesk}
          act={(event) => {
            sent.push(event);
            return undefined;
          }}
          onReadoutDone={() => undefined}
          onChoose={() => undefined}
          onShareHidden={() => undefined}
          rows={22}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    // Typed in lower case: recorded upper-cased, and still the same bag.
    await ui.answer('rt100002');
    const frame = ui.frame();
    t.same(overWide(frame), [], 'fits 80 columns');
    t.ok(frame.split('\n').length <= 24, 'fits 24 rows');
    t.ok(flat(frame).includes('✗'), `refused with ✗:\n${frame}`);
    const inventoryTitle = lang === 'en' ? 'Inventory of the HSM and its bag' : '清點硬體安全模組及封袋';
    const said = flat(
      tr('record.sealRecorded', {
        value: 'RT100002',
        step: tr('deviation.step', { n: 2, title: inventoryTitle }),
        field: lang === 'en' ? 'Tamper-evident bag number (HSM out of storage)' : '防拆封袋編號（取出時）',
      }),
    );
    t.ok(flat(frame).includes(said), 'says where it was recorded, by step number, title and field label');
    t.notOk(/hsm-bag-in|field "/.test(frame), 'no field ids');
    t.notOk(flat(frame).includes(flat(`✓${lang === 'en' ? 'Tamper-evident bag number (HSM back to storage)' : '防拆封袋編號（歸還時）'}`)), 'no ✓ beside it');
    // Another bag is taken, and the form goes on to the performer.
    await ui.press('ctrlU');
    await ui.answer('RT100003', 'alice', 'wendy');
    t.match(sent, [{ type: 'step.submit', step: 'storage', values: { 'hsm-bag-out': 'RT100003' } }], 'a new bag is taken');
  });
}

function s0(lang: Lang): number {
  return screenContext(GRCA_CRL, lang).definition.steps.findIndex((step) => step.id === 'storage');
}
