// Interruptions stay visible (issue 16 item 3): the deviations step lists every
// interruption, crash, refused share, failure, pause and exception from the journal (it
// said "no exceptions" after two crashes and a refused share); elapsed time counts from
// the ceremony's opening across resumes; after a crash on a read-aloud screen, resume shows
// that screen again. Who stopped the ceremony: test/ui/people-screens.test.tsx (the form)
// and test/e2e/ui-tmux.test.ts (the journal).
import t from 'tap';
import { renderApp } from './helpers/app.js';
import { Box } from 'ink';
import { deviationsOf } from '../../src/ceremony/deviations.js';
import { readoutToRepeat } from '../../src/ceremony/resume-readout.js';
import { SIGNAL_AT_TERMINAL } from '../../src/util/journal-notes.js';
import { journalRecords } from './helpers/journal-records.js';
import { translator } from '../../src/ui/i18n/index.js';
import { approvalFields } from '../../src/ui/model/approval.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { overWide, renderUi } from './helpers/render.js';
import { ENGINE_FIXTURE, definitionOf, screenContext, stepOf } from './helpers/screen-context.js';

const record = journalRecords();

const JOURNAL = [
  record('ceremony.opened', null),
  record('step.started', 'keygen'),
  record('ceremony.resumed', null),
  record('share.refused', 'unlock', ['carol'], { message: 'group 8 is wrong' }),
  record('ceremony.interrupted', 'unlock', ['wendy', 'alice'], { signal: 'none: stopped at the terminal', stoppedBy: 'wendy' }),
  record('ceremony.resumed', null),
  record('step.started', 'keygen'),
  record('ceremony.resumed', null),
  record('exception.recorded', 'keygen', ['walter'], { text: 'fire alarm test at 10:02' }),
];

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: the deviations step lists everything off the script, from the journal`, async (t) => {
    const sc = {
      ...screenContext(ENGINE_FIXTURE, lang, { exceptions: [{ by: 'walter', text: 'fire alarm test at 10:02', step: 'keygen' }] }),
      deviations: () => deviationsOf(JOURNAL),
      // The journal's times are Taipei's (+08:00); the list reads them in the header's zone.
      timeZone: 'Asia/Taipei',
    };
    const step = stepOf(sc, 'deviations');
    const ui = renderUi(
      <Box width={80}>
        <ApprovalScreen blocks={stepBlocks(sc, step)} fields={approvalFields(sc, step)} onSubmit={() => undefined} rows={30} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.match(frame, tr('deviation.count', { n: 5 }));
    // Long lines wrap at spaces: read them as one text.
    const flat = frame.replace(/\s+/g, ' ');
    t.equal(flat.split(tr('deviation.crashed').replace(/\s+/g, ' ')).length - 1, 2, 'both crashes');
    t.match(flat, tr('deviation.share-refused'));
    t.match(flat, 'group 8 is wrong');
    t.match(flat, tr('deviation.interrupted'));
    // Who stopped it, and who confirmed, each said as such (review17: a bare list did not say which).
    t.match(
      flat,
      lang === 'en' ? '(stopped by 林美玲 Wendy, confirmed by 王小明 Alice)' : '（由 林美玲 Wendy 停止，王小明 Alice 確認）',
      'who stopped it, and who confirmed',
    );
    t.match(flat, 'fire alarm test at 10:02');
    // Steps by number and title, not id (issue 16).
    t.match(flat, lang === 'en' ? '#4 10:00:00 step 8, Unlock the token with a quorum: ' : '#4 10:00:00 步驟 8「多人控管啟用載具」：');
    t.notMatch(frame, /(step|步驟) (keygen|unlock)\b/);
    t.notMatch(frame, tr('facts.noExceptions'));
    t.same(overWide(frame), []);
  });

  t.test(`${lang}: elapsed time counts from the opening, across resumes`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const now = new Date('2025-05-01T02:03:04Z');
    const ui = renderApp({ ...fake.session, openedAt: new Date(now.getTime() - (1 * 3600 + 23 * 60 + 5) * 1000) }, lang, {
      clock: { now: () => now, timeZone: 'Asia/Taipei', tick: false },
    });
    t.teardown(ui.unmount);
    t.match(await ui.waitFor(tr('signIn.intro')), tr('header.elapsed', { time: '01:23:05' }));
  });
}

t.test('resume shows a read-aloud screen again when the last process ended on it', async (t) => {
  const definition = definitionOf(ENGINE_FIXTURE);
  const keygen = definition.steps.findIndex((s) => s.id === 'keygen');
  const completed = [record('step.approved', 'keygen'), record('step.completed', 'keygen')];
  t.equal(
    readoutToRepeat(definition, [...completed, record('step.started', 'csr')]),
    keygen,
    'killed on the fingerprint screen (the next step has started, nobody acted in it)',
  );
  t.equal(
    readoutToRepeat(definition, [...completed, record('ceremony.resumed', null), record('ceremony.restarted', 'csr'), record('step.prepared', 'csr')]),
    keygen,
    'a resume and what it notes are not progress',
  );
  t.equal(
    readoutToRepeat(definition, [...completed, record('ceremony.interrupted', 'csr'), record('ceremony.resumed', null), record('exception.recorded', 'csr')]),
    keygen,
    'nor a stop or an exception',
  );
  t.equal(readoutToRepeat(definition, [...completed, record('step.approved', 'csr')]), undefined, 'the next step was approved: the readout was done');
  // Ctrl+C records the step on screen: on the readout, its own step; on the next step's screen
  // (a confirm-result asking the witness to type the fingerprint back), that step (review at 80x24, M3).
  const atTerminal = (step: string) => record('ceremony.interrupted', step, ['wendy', 'alice'], { signal: SIGNAL_AT_TERMINAL, stoppedBy: 'wendy' });
  t.equal(readoutToRepeat(definition, [...completed, atTerminal('keygen'), record('ceremony.resumed', null)]), keygen, 'stopped on the readout: shown again');
  t.equal(
    readoutToRepeat(definition, [...completed, atTerminal('csr'), record('ceremony.resumed', null), record('ceremony.restarted', 'csr')]),
    undefined,
    "stopped on the next step's screen: the readout was acknowledged, not shown again",
  );
  t.equal(readoutToRepeat(definition, [record('ceremony.opened', null)]), undefined);
});
