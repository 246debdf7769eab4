// What frames every screen: header (title, step k of N, clock with zone, elapsed), where the
// ceremony is among its steps, the keys that work now, the record of finished steps, and
// the screens without a form (busy, read aloud, finished).
import t from 'tap';
import { Box } from 'ink';
import { Footer } from '../../src/ui/components/footer.js';
import { Header } from '../../src/ui/components/header.js';
import { Notice } from '../../src/ui/components/notice.js';
import { RecordLog } from '../../src/ui/components/record-log.js';
import { StepList } from '../../src/ui/components/step-list.js';
import { formatClock, formatElapsed } from '../../src/ui/model/clock.js';
import { BusyScreen } from '../../src/ui/screens/busy.js';
import { FinishedScreen } from '../../src/ui/screens/finished.js';
import { ReadoutScreen } from '../../src/ui/screens/readout.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { overWide, renderUi } from './helpers/render.js';

const steps = [
  { number: 1, id: 'sign-in', title: '參與人員簽到' },
  { number: 2, id: 'inventory', title: '記錄資料' },
  { number: 3, id: 'init', title: '初始化載具並分持 PIN 碼' },
  { number: 4, id: 'unlock', title: '多人控管啟用載具' },
  { number: 5, id: 'keygen', title: '產製金鑰對' },
];

t.test('the clock: date, time, UTC offset and zone; elapsed as hh:mm:ss', async (t) => {
  t.equal(formatClock(new Date('2025-05-01T02:03:04Z'), 'Asia/Taipei'), '2025-05-01 10:03:04 UTC+08:00 Asia/Taipei');
  t.equal(formatClock(new Date('2025-05-01T02:03:04Z'), 'UTC'), '2025-05-01 02:03:04 UTC', 'the zone once, not "UTC+00:00 UTC"');
  t.equal(formatClock(new Date('2025-05-01T02:03:04Z'), 'Etc/UTC'), '2025-05-01 02:03:04 UTC');
  t.equal(formatElapsed(3_723_000), '01:02:03');
});

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: header and step list at 80 columns`, async (t) => {
    const ui = renderUi(
      <Box flexDirection="column" width={80}>
        <Header
          title="醫事憑證管理中心第三代CA金鑰產製 HCA G3 CA key generation and CSR, a long title"
          stepNumber={4}
          stepCount={5}
          clock="2025-05-01 10:03:04 UTC+08:00 Asia/Taipei"
          elapsed="00:12:34"
          width={80}
        />
        <StepList steps={steps} current={3} width={80} />
        <Footer
          hints={[
            { keys: 'Enter', action: tr('hint.next') },
            { keys: '^E', action: tr('hint.exception') },
            { keys: '^C', action: tr('hint.stop') },
          ]}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.match(frame, tr('header.step', { k: 4, n: 5 }));
    t.match(frame, '2025-05-01 10:03:04 UTC+08:00 Asia/Taipei');
    t.match(frame, tr('header.elapsed', { time: '00:12:34' }));
    t.match(frame, /✓ 3 init\s+初始化載具並分持 PIN 碼/, 'the step before, done');
    t.match(frame, /▶ 4 unlock\s+多人控管啟用載具/, 'the current step');
    t.match(frame, /· 5 keygen\s+產製金鑰對/, 'the step to come');
    t.match(frame, tr('steps.earlier', { n: 2 }));
    t.match(frame, `Enter ${tr('hint.next')}  ^E ${tr('hint.exception')}  ^C ${tr('hint.stop')}`);
    t.same(overWide(frame), [], 'a long CJK title is cut to fit');
  });

  t.test(`${lang}: refusal notice, with its hint`, async (t) => {
    const ui = renderUi(
      <Notice
        notice={{ title: tr('notice.refused'), message: 'step issue: the CSR fingerprint typed does not match', hint: 'stop and compare', tone: 'bad' }}
        width={80}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    t.match(ui.frame(), tr('notice.line', { title: tr('notice.refused'), message: 'step issue: the CSR fingerprint typed does not match' }));
    t.match(ui.frame(), tr('notice.hintLine', { hint: 'stop and compare' }));
  });

  t.test(`${lang}: busy, read aloud (one page per fingerprint), finished`, async (t) => {
    const busy = renderUi(<BusyScreen doing={tr('busy.generateKey')} />, { lang });
    t.teardown(busy.unmount);
    t.match(busy.frame(), tr('busy.generateKey'));
    t.match(busy.frame(), tr('busy.wait'));

    const key = fingerprint('key');
    const file = fingerprint('csr');
    let done = 0;
    const readout = renderUi(
      <ReadoutScreen
        title="產製金鑰對"
        entries={[
          { what: tr('readout.key', { label: 'HCA-G3', algorithm: 'RSA 4096', token: 'hca' }), sha256: key.sha256, words: key.words },
          { what: tr('readout.file', { name: 'hca-g3.csr' }), sha256: file.sha256, words: file.words },
        ]}
        onDone={() => done++}
        width={80}
      />,
      { lang },
    );
    t.teardown(readout.unmount);
    let frame = readout.frame();
    t.match(frame, tr('readout.page', { k: 1, n: 2 }));
    t.match(frame, key.sha256.slice(0, 4).toUpperCase() + ' ' + key.sha256.slice(4, 8).toUpperCase());
    t.match(frame, key.words.split(' ').slice(0, 4).join(' '));
    t.match(frame, tr('readout.next'));
    await readout.press('enter');
    frame = readout.frame();
    t.match(frame, 'hca-g3.csr');
    t.match(frame, tr('readout.ack'));
    t.equal(done, 0);
    await readout.press('enter');
    t.equal(done, 1, 'done after the last page');
    t.same(overWide(readout.frames.join('\n')), []);

    for (const status of ['completed', 'aborted', 'interrupted', 'failed'] as const) {
      const finished = renderUi(<FinishedScreen status={status} />, { lang });
      t.teardown(finished.unmount);
      t.match(finished.frame(), tr(`finished.${status}`));
    }
  });

  t.test(`${lang}: finished steps stay above as a record`, async (t) => {
    const ui = renderUi(
      <RecordLog
        generation={0}
        width={80}
        items={[
          {
            kind: 'step',
            key: 'a',
            number: 5,
            total: 12,
            id: 'keygen',
            title: '產製金鑰對',
            who: '王小明 Alice, 林美玲 Wendy',
            details: ['金鑰 HCA-G3 RSA 4096 SHA-256 2821 C4F9 3785 D34A …'],
          },
          { kind: 'exception', key: 'b', number: 1, by: '陳志豪 Walter', text: 'fire alarm test at 10:02', step: 'keygen' },
        ]}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    t.match(ui.frame(), '✓ 5/12 keygen  產製金鑰對  · 王小明 Alice, 林美玲 Wendy');
    t.match(ui.frame(), '金鑰 HCA-G3 RSA 4096 SHA-256 2821 C4F9 3785 D34A …');
    t.match(ui.frame(), `! ${tr('record.exception', { n: 1, by: '陳志豪 Walter', text: 'fire alarm test at 10:02' })}`);
  });
}
