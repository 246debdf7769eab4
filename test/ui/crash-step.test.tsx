// Issue 16 (room16f item 2): after a kill -9 and a resume, the resume notice on the first
// screen named step N (the read-aloud screen the process died on) while the deviations step
// and the closing read-aloud listed the crash "at step N+1" (the step of the record before
// the resume, already the next step's start). Both now name the step that was being done.
import t from 'tap';
import { Box } from 'ink';
import { deviationsOf } from '../../src/ceremony/deviations.js';
import { stepOnScreenAtEnd } from '../../src/ceremony/resume-readout.js';
import { resumptionOf } from '../../src/ceremony/resumption.js';
import { translator } from '../../src/ui/i18n/index.js';
import { approvalFields } from '../../src/ui/model/approval.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { resumedText } from '../../src/ui/model/resumed.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { journalRecords } from './helpers/journal-records.js';
import { overWide, renderUi } from './helpers/render.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const KEYGEN = new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url).pathname;
const key = fingerprint('HCA-G3 public key');

function journals() {
  const record = journalRecords();
  // Killed on the key's read-aloud screen: the last record is already the next step's start.
  const onReadout = [
    record('ceremony.opened', null),
    record('step.completed', 'keygen', ['alice', 'wendy'], { keys: [{ label: 'HCA-G3', spkiSha256: key.sha256 }] }),
    record('step.started', 'keygen-confirmed'),
    record('ceremony.resumed', null),
  ];
  // Killed at the approval of unlock, after a record step that made nothing to read aloud.
  const atApproval = [
    record('ceremony.opened', null),
    record('step.completed', 'inventory', ['alice', 'wendy'], { values: { place: 'B1' } }),
    record('step.started', 'unlock'),
    record('ceremony.resumed', null),
  ];
  return { onReadout, atApproval };
}

t.test('the resume notice and the deviations name the same step after a crash', async (t) => {
  const s = screenContext(KEYGEN, 'en');
  for (const [name, records, expected] of [
    ['on the read-aloud screen', journals().onReadout, 'keygen'],
    ['at the next approval, after a step with nothing to read aloud', journals().atApproval, 'unlock'],
  ] as const) {
    const before = records.slice(0, -1);
    const notice = resumptionOf(before, stepOnScreenAtEnd(s.definition, before));
    const crash = deviationsOf(records, s.definition).find((d) => d.kind === 'crashed');
    t.equal(notice?.step, expected, `${name}: the notice`);
    t.equal(crash?.step, expected, `${name}: the deviation`);
  }
});

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  const zh = lang === 'zh-TW';

  t.test(`${lang}: the deviations step lists the crash at the step the resume notice named`, async (t) => {
    const { onReadout } = journals();
    const s = { ...screenContext(KEYGEN, lang), deviations: () => deviationsOf(onReadout, screenContext(KEYGEN, lang).definition) };
    const before = onReadout.slice(0, -1);
    const notice = resumedText(s, resumptionOf(before, stepOnScreenAtEnd(s.definition, before))!);
    const keygenName = zh ? '步驟 4「產製金鑰對」' : 'step 4, Generate the key pair';
    const nextName = zh ? '步驟 5' : 'step 5';
    t.ok(notice.replace(/\s+/g, ' ').includes(keygenName), `the notice names the key generation: ${notice}`);
    const step = stepOf(s, 'deviations');
    const ui = renderUi(
      <Box width={80}>
        <ApprovalScreen blocks={stepBlocks(s, step)} fields={approvalFields(s, step)} onSubmit={() => undefined} rows={30} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const flat = ui.frame().replace(/\s+/g, ' ');
    t.match(flat, tr('deviation.crashed').replace(/\s+/g, ' '));
    t.ok(flat.includes(keygenName), `the crash is listed at ${keygenName}`);
    t.notOk(new RegExp(`${nextName}\\D`).test(flat), `not at ${nextName}`);
    t.same(overWide(ui.frame()), []);
  });
}
