// The 80x24 review of review16s: the header (the mode and the step) stays on the terminal
// whatever the body holds (a read-aloud under a crash notice, a failure with a long message):
// the body pages instead; and every time on screen is in the zone of the header's clock.
import t, { type Test } from 'tap';
import type { CeremonyEvent } from '../../src/ceremony/types.js';
import type { Deviation } from '../../src/ceremony/deviations.js';
import { KeyceremonyError } from '../../src/errors.js';
import { translator, type Lang } from '../../src/ui/i18n/index.js';
import { deviationText } from '../../src/ui/model/closing.js';
import { deviationNames } from '../../src/ui/model/facts.js';
import { resumedText } from '../../src/ui/model/resumed.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { renderApp } from './helpers/app.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { overWide, renderUi, type Rendered } from './helpers/render.js';
import { SignOffScreen } from '../../src/ui/screens/sign-off.js';
import { screenContext } from './helpers/screen-context.js';

const FILE = new URL('./fixtures/readout.yaml', import.meta.url).pathname;
const PEOPLE = [
  { id: 'alice', name: '王小明 Alice', roles: ['administrator'] },
  { id: 'wendy', name: '林美玲 Wendy', roles: ['witness'] },
  { id: 'carol', name: '張淑芬 Carol', roles: ['custodian'] },
  { id: 'dave', name: '李建國 Dave', roles: ['custodian'] },
];

/** The frame from the header down: what a 24-row terminal must hold, one row kept free. */
function live(t: Test, ui: Rendered, lang: Lang): string[] {
  const tr = translator(lang);
  const lines = ui.frame().split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${tr('header.production')} · `));
  t.ok(at >= 0, 'the header is in the frame');
  const shown = lines.slice(at);
  t.ok(shown.length <= 23, `the header and all under it fit 24 rows (${shown.length} lines):\n${shown.join('\n')}`);
  t.match(shown[0], tr('header.step', { k: 2, n: 4 }), 'the first line is the header: the mode and the step');
  t.match(shown[1], 'UTC+08:00 Asia/Taipei', 'then the clock');
  t.same(overWide(shown.join('\n')), []);
  return shown;
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);

  t.test(`${lang}: a read-aloud under the crash notice keeps the header on screen; its time is the header's zone`, async (t) => {
    const fake = fakeCeremony(t, { file: FILE, lang });
    const actor = fake.session.actor;
    actor.send({ type: 'participants.submit', step: 'sign-in', participants: PEOPLE } satisfies CeremonyEvent);
    const print = fingerprint('manifest of init');
    actor.send({
      type: 'step.recovered',
      step: 'init',
      performer: 'alice',
      witnesses: ['wendy'],
      seq: 9,
      source: 'journal',
      result: {
        outputs: [
          { name: 'test-so-pin.init.manifest.json', kind: 'share-manifest', sha256: print.sha256, words: print.words, bytes: 300, step: 'init' },
          { name: 'test-user-pin.init.manifest.json', kind: 'share-manifest', sha256: print.sha256, words: print.words, bytes: 300, step: 'init' },
        ],
      },
    } satisfies CeremonyEvent);
    // The journal was written by a process in UTC: the screen shows the header's zone, Taipei.
    const resumed = { step: 'init', time: '2026-12-07T05:56:08.000+00:00', how: 'crashed' as const, who: [], detail: '#24' };
    const ui = renderApp({ ...fake.session, resumed, readoutFrom: 1 }, lang);
    t.teardown(ui.unmount);
    await ui.waitFor(tr('readout.next'));
    const shown = live(t, ui, lang).join('\n');
    t.match(shown, /2026-12-07\s+13:56:08/, 'the crash notice gives the time in the header zone');
    t.notMatch(shown, '05:56:08');
    const page = tr('readout.page', { k: 1, n: 2 });
    t.ok(
      shown.split('\n').some((line) => line.includes(page)),
      `"${page}" whole on one line`,
    );
    t.match(shown, print.words.split(' ').at(-1)!, 'the whole fingerprint, words to the last, on the page');
    await ui.press('enter');
    await ui.waitFor(tr('readout.ack'));
    live(t, ui, lang);
  });

  t.test(`${lang}: a failure with a long message keeps the header on screen; the message pages`, async (t) => {
    const fake = fakeCeremony(t, { file: FILE, lang });
    const long = Array.from({ length: 12 }, (_, i) => `C_Sign returned CKR_DEVICE_ERROR on slot ${i} of the HSM while the CRL was being signed`).join('; ');
    fake.failNext('prepareShareSets', new KeyceremonyError(long, { hint: 'check the HSM cable and its log, then retry' }));
    const ui = renderApp(fake.session, lang);
    t.teardown(ui.unmount);
    await ui.waitFor(tr('signIn.intro'));
    for (const p of PEOPLE) await ui.answer(p.id, p.name, p.roles[0] === 'administrator' ? '1' : p.roles[0] === 'witness' ? '2' : '3');
    await ui.press('enter');
    await ui.waitFor(tr('facts.newShares'));
    await ui.answer('alice', 'wendy', 'test');
    await ui.waitFor(tr('failure.choices'));
    const shown = live(t, ui, lang).join('\n');
    t.match(shown, /lines 1-\d+ of \d+|第 1-\d+ 行/, 'the message says there is more');
    t.match(shown, `s  ${tr('failure.stop')}`, 'every choice is on screen');
    // The end of the message, and in English the hint under it: a Chinese screen leaves out a
    // hint it has no words for rather than show English (terms16t).
    const end = lang === 'en' ? 'check the HSM cable' : 'slot 11 of the';
    for (let i = 0; i < 4 && !ui.frame().includes(end); i++) await ui.press('pageDown');
    const next = live(t, ui, lang).join('\n');
    t.match(next, end, lang === 'en' ? 'PgDn shows the rest, the hint too' : 'PgDn shows the rest of the message');
    if (lang !== 'en') t.notMatch(next, 'check the HSM cable', 'no English hint on a Chinese screen');
    t.match(next, `s  ${tr('failure.stop')}`, 'the choices stay');
  });

  t.test(`${lang}: deviation lines and the resume notice give times in the header's zone`, async (t) => {
    const sc = { ...screenContext(FILE, lang), timeZone: 'Asia/Taipei' };
    const exception: Deviation = {
      kind: 'exception',
      seq: 34,
      time: '2026-12-07T06:06:47.000+00:00',
      step: 'init',
      who: ['wendy'],
      detail: 'camera paused at 14:05',
    };
    const line = deviationText(sc.t, lang, exception, deviationNames(sc));
    t.match(line, '#34 14:06:47 ', 'the exception at 14:06:47 Taipei, as the header and the witness say');
    t.notMatch(line, '06:06:47');
    const stopped = resumedText(sc, { step: 'init', time: '2026-12-07T05:55:00.000+00:00', how: 'stopped', who: ['alice'], detail: '' });
    t.match(stopped, '2026-12-07 13:55:00');
    // Without a zone given, the definition's; a journal already in Taipei time reads the same.
    t.match(
      resumedText({ ...sc, timeZone: undefined }, { step: 'init', time: '2026-12-07T13:55:00.000+08:00', how: 'crashed', who: [], detail: '#3' }),
      '13:55:00',
    );
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: the sign-off of 8 people at 80x24 names whoever it has no row for`, async (t) => {
    const people = Array.from({ length: 8 }, (_, i) => ({ id: `hc${i + 1}`, name: `林秀英 Lin Hsiu-ying ${i + 1}`, signedOff: i === 1 }));
    const ui = renderUi(
      <SignOffScreen participants={people} deviations={{ count: 2, kinds: '1 crash, 1 exception' }} onSubmit={() => undefined} rows={15} width={80} />,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.ok(frame.split('\n').length <= 15, frame);
    const more = frame.split('\n').find((line) => line.includes('…'));
    t.ok(more, 'a line says who is not shown');
    for (const p of people.filter((p) => !p.signedOff)) t.ok(new RegExp(`\\b${p.id}\\b`).test(frame), `${p.id}, still to sign, is listed or named`);
    // Who still has to sign is named as such; those who signed off already are counted apart
    // (review17: one list mixed the two).
    t.equal(
      more?.trim(),
      tr('signOff.moreToSign', { n: 1, ids: 'hc8' }) + tr('signOff.moreAlso', { n: 1 }),
      'left out: who signed off already, then from the end',
    );
    t.notMatch(frame, /\bhc2\b/, 'hc2, who signed off, is counted, not listed');
    t.same(overWide(frame), []);
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: a crash in the deviation list says what happened and when it was resumed`, async (t) => {
    const sc = { ...screenContext(FILE, lang), timeZone: 'Asia/Taipei' };
    const crash: Deviation = { kind: 'crashed', seq: 25, time: '2026-12-07T05:56:30.000+00:00', step: 'init', who: [], detail: '#24' };
    const line = deviationText(sc.t, lang, crash, deviationNames(sc));
    // Was: "crashed (resumed with no orderly stop): #24", the record number with nothing to say what it is.
    t.ok(line.endsWith(tr('deviation.crashed') + tr('deviation.crashResumed', { time: '13:56:30', record: '#24' })), line);
    t.match(
      line,
      lang === 'en' ? 'crash: the program ended without an orderly stop; resumed at 13:56:30' : '異常終止：程式未經正常停止即結束；於 13:56:30 續行',
    );
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: the stop dialog's footer does not offer ^C again; the footer under a step does`, async (t) => {
    const fake = fakeCeremony(t, { file: FILE, lang });
    const ui = renderApp(fake.session, lang);
    t.teardown(ui.unmount);
    const stopHint = new RegExp(`\\^C\\s+${tr('hint.stop')}`);
    t.match(await ui.waitFor(tr('signIn.intro')), stopHint, 'a step offers ^C');
    await ui.press('ctrlC');
    const dialog = await ui.waitFor(tr('stop.title'));
    t.notMatch(dialog, stopHint, `the stop dialog does not offer itself:\n${dialog}`);
    t.match(dialog, `Esc ${tr('hint.cancel')}`, 'it offers Esc to go back');
    t.same(overWide(dialog), []);
  });
}
