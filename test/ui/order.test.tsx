// Order on screen (issue 16 item 7): the header and the step list name the step being done
// (on a key's read-aloud screen, the step that made it, not the next one), and a stop there
// is recorded at that step; a step's instructions come before its action, not after the
// shares are in.
import t, { type Test } from 'tap';
import type { UiOutcome } from '../../src/ui/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { renderApp } from './helpers/app.js';
import { FIXTURE, PEOPLE, screenContext, stepOf } from './helpers/screen-context.js';

const SMALL_FIXTURE = FIXTURE('small.yaml');

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A ceremony just past keygen (the machine at lock), as resume leaves it after a crash on the fingerprint screen. */
async function atFingerprintScreen(t: Test, lang: 'en' | 'zh-TW') {
  const fake = fakeCeremony(t, { lang });
  const actor = fake.session.actor;
  actor.send({ type: 'participants.submit', step: 'sign-in', participants: PEOPLE.filter((p) => ['alice', 'wendy', 'carol', 'dave'].includes(p.id)) });
  actor.send({ type: 'step.submit', step: 'inventory', performer: 'alice', witnesses: ['wendy'], values: { 'bag-number': 'TB123456' } });
  actor.send({ type: 'step.submit', step: 'init', performer: 'alice', witnesses: ['wendy'], values: {} });
  await settle();
  for (const set of actor.getSnapshot().context.distribution!.sets)
    for (const custodian of set.custodians) actor.send({ type: 'share.confirmed', step: 'init', credential: set.credential, custodian });
  await settle();
  actor.send({
    type: 'step.recovered',
    step: 'unlock',
    result: { session: { token: 'test', userType: 'user', credential: 'test-user-pin', setId: 'X', step: 'unlock' } },
    performer: 'alice',
    witnesses: ['wendy'],
    seq: 1,
  });
  actor.send({ type: 'step.submit', step: 'keygen', performer: 'alice', witnesses: ['wendy'], values: {} });
  await settle();
  t.equal(actor.getSnapshot().context.stepIndex, 5, 'the machine is at lock already');
  return { fake, actor };
}

/** The app on the fingerprint screen again, as resume gives it after a crash there (src/ceremony/resume-readout.ts). */
function renderFingerprintScreen(t: Test, fake: ReturnType<typeof fakeCeremony>, lang: 'en' | 'zh-TW', onOutcome: (o: UiOutcome) => void = () => undefined) {
  const ui = renderApp({ ...fake.session, readoutFrom: 4 }, lang, {
    onOutcome: onOutcome,
    clock: { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false },
  });
  t.teardown(ui.unmount);
  return ui;
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: on the fingerprint screen the header names keygen, and Ctrl+C there stops at keygen`, async (t) => {
    const { fake } = await atFingerprintScreen(t, lang);

    const outcomes: UiOutcome[] = [];
    const ui = renderFingerprintScreen(t, fake, lang, (o) => outcomes.push(o));
    const frame = await ui.waitFor(tr('readout.hex'));
    t.match(frame, tr('header.step', { k: 5, n: 7 }), 'the step being done');
    t.notMatch(frame, tr('header.step', { k: 6, n: 7 }));
    t.match(frame, /▶ 5 keygen/);
    await ui.press('ctrlC');
    await ui.waitFor(tr('stop.title'));
    // Only the word the label names stops it (yes / 是), not "y" (review16g item 13).
    await ui.answer('wendy', 'alice', 'y');
    t.match(ui.frame(), tr('stop.typeYes'));
    t.same(outcomes, [], 'y does not stop it');
    if (lang === 'zh-TW') t.match(ui.frame().replace(/\s+/g, ''), '無中文輸入法時輸入yes', 'after a wrong word, a Chinese screen says yes stops too');
    await ui.press('ctrlU');
    // 是 needs a Chinese input method; a ceremony terminal may have none: yes stops a Chinese screen too.
    await ui.answer('yes');
    await ui.waitFor(tr('finished.interrupted'));
    t.same(outcomes, [{ status: 'interrupted', stoppedBy: ['wendy', 'alice'], step: 'keygen' }]);
  });

  t.test(`${lang}: an exception recorded on the fingerprint screen is recorded at keygen, the step on screen`, async (t) => {
    const { fake, actor } = await atFingerprintScreen(t, lang);
    const ui = renderFingerprintScreen(t, fake, lang);
    await ui.waitFor(tr('readout.hex'));
    await ui.press('ctrlE');
    await ui.waitFor(tr('exception.title'));
    await ui.answer('wendy', 'the fingerprint was read twice');
    await ui.waitFor(tr('readout.hex'));
    t.match(actor.getSnapshot().context.exceptions, [{ by: 'wendy', text: 'the fingerprint was read twice', step: 'keygen' }], 'at keygen, not lock');
  });

  t.test(`${lang}: a step's instructions come before its action, not after the shares are in`, async (t) => {
    const before = screenContext(SMALL_FIXTURE, lang);
    const keygen = stepOf(before, 'keygen');
    const instructions = lang === 'en' ? 'The witness reads the fingerprint aloud.' : '見證人朗讀金鑰指紋。';
    t.match(stepBlocks(before, keygen)[0], { kind: 'text', text: instructions }, 'first, before the facts and the form');
    const after = screenContext(SMALL_FIXTURE, lang, {
      shares: { step: 'keygen', credential: 'test-user-pin', accepted: [{ custodian: 'carol', index: 1, setId: 'X' }] } as never,
    });
    t.notOk(
      stepBlocks(after, keygen).some((b) => b.kind === 'text' && b.text === instructions),
      'not repeated after the shares were entered (they were shown on the share-entry screen)',
    );
  });
}
