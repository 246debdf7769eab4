// The whole app on a real ceremony machine (actors stand in for the HSM): every phase in
// order, typed key by key, in both languages. Shares are read off the handout screen and
// typed back and used to unlock, as custodians would; no other frame may hold them.
import t, { type Test } from 'tap';
import { KeyceremonyError } from '../../src/errors.js';
import { toHsmError } from '../../src/hsm/hsm-error.js';
import { CeremonyApp, type UiOutcome } from '../../src/ui/app.js';
import { translator, type Lang } from '../../src/ui/i18n/index.js';
import { CLEAR_SCREEN_AND_SCROLLBACK } from '../../src/ui/terminal.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { fakeCeremony, type FakeOptions } from './helpers/ceremony.js';
import { overWide, renderUi, type Rendered } from './helpers/render.js';
import { signIn, SMALL_PEOPLE } from './helpers/app.js';
import { FIXTURE } from './helpers/screen-context.js';

const FIXED = { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false };

function renderApp(t: Test, lang: Lang, options: FakeOptions = {}) {
  const fake = fakeCeremony(t, { lang, ...options });
  const outcomes: UiOutcome[] = [];
  const errors: unknown[] = [];
  const ui = renderUi(
    <CeremonyApp
      session={fake.session}
      colors={false}
      onOutcome={(o) => outcomes.push(o)}
      onError={(e) => errors.push(e)}
      clock={FIXED}
      size={{ columns: 80, rows: 24 }}
    />,
    { lang },
  );
  t.teardown(ui.unmount);
  return { fake, ui, outcomes, errors, tr: translator(lang) };
}

/** The share inside the handout box, as a custodian copies it to paper. */
function shareOnScreen(frame: string): string {
  const groups = frame
    .split('\n')
    .map((line) => /^│\s+\d+\s+((?:[0-9A-Z]{1,5} ?)+?)\s*│$/.exec(line)?.[1])
    .filter((g): g is string => g !== undefined)
    .flatMap((g) => g.split(' ').filter(Boolean));
  return groups.join('-');
}

const secretGroups = (share: string) => share.split('-').slice(3);

/** Each custodian names themselves and types their share at the share-entry screen. */
async function enterShares(ui: Rendered, shares: Record<string, string>, custodians: string[]) {
  for (const custodian of custodians) {
    await ui.answer(custodian);
    await ui.type(shares[custodian]!);
    await ui.press('enter');
  }
}

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: a whole ceremony, every phase, no share outside its handout`, async (t) => {
    const { ui, outcomes, errors, tr } = renderApp(t, lang);
    let frame = await ui.waitFor(tr('signIn.intro'));
    t.match(frame, tr('header.step', { k: 1, n: 7 }));
    t.match(frame, '2025-05-01 10:03:04 UTC+08:00 Asia/Taipei', 'the wall clock with its zone');
    t.match(frame, tr('header.elapsed', { time: '00:00:00' }));
    t.match(frame, /▶ 1 sign-in/);
    await signIn(ui, SMALL_PEOPLE);

    frame = await ui.waitFor(lang === 'en' ? 'Bag number' : '封袋編號');
    t.match(frame, /✓ 1\/7 sign-in/, 'the finished step is kept as a record');
    await ui.answer('TB123456', 'alice', 'wendy');

    await ui.waitFor(tr('facts.newShares'));
    await ui.answer('alice', 'wendy', 'test');

    const shares: Record<string, string> = {};
    for (let handed = 0; handed < 4; handed++) {
      // The counter counts per credential: two sets of two shares, each custodian's two in turn.
      frame = await ui.waitFor(new RegExp(`${tr('handout.progress', { k: Math.floor(handed / 2), n: 2 })}[^]*${tr('handout.cardReady')}`));
      const custodian = frame.includes(tr('handout.confirmId', { name: '李建國 Dave' })) ? 'dave' : 'carol';
      // The handout names the credential as the share card does, by title, not by its id.
      t.notMatch(frame, /test-(so|user)-pin/, 'no credential id on the handout');
      const credential = frame.includes(lang === 'en' ? 'New shares of the Test token SO PIN' : '測試載具之安全管理者 PIN 碼的新分持碼')
        ? 'test-so-pin'
        : 'test-user-pin';
      await ui.answer(custodian);
      frame = await ui.waitFor(tr('handout.sensitive', { name: custodian === 'dave' ? '李建國 Dave' : '張淑芬 Carol' }));
      const share = shareOnScreen(frame);
      t.equal(share.split('-').length, 19, `${custodian}'s ${credential} share is on the handout screen`);
      shares[`${custodian}:${credential}`] = share;
      const before = ui.frames.length;
      await ui.press('enter');
      t.equal(ui.frames[before], CLEAR_SCREEN_AND_SCROLLBACK, 'the next thing written wipes screen and scrollback');
      await ui.waitFor(tr('handout.typeBack', { name: custodian === 'dave' ? '李建國 Dave' : '張淑芬 Carol' }));
      await ui.type(share.toLowerCase());
      await ui.press('enter');
    }

    frame = await ui.waitFor(tr('shares.custodian'));
    t.match(frame, tr('shares.progress', { k: 0, n: 2 }));
    await ui.answer('carol');
    const carol = shares['carol:test-user-pin']!.split('-');
    const typo = [...carol];
    typo[7] = typo[7]!.slice(0, 4) + (typo[7]!.endsWith('0') ? '1' : '0');
    await ui.type(typo.slice(0, 9).join(' '));
    frame = await ui.waitFor(tr('shares.groupWrong', { n: 8 }));
    t.match(
      frame,
      /  1   (•••••✓ ){4}•••••✓\n\s+6   •••••✓ •••••✓ •••••✗ •••••✓/,
      'five groups a row like the card; the wrong group is flagged as it is typed',
    );
    await ui.press('ctrlU');
    await ui.type(carol.join('-'));
    await ui.press('enter');
    await ui.waitFor(tr('shares.progress', { k: 1, n: 2 }));
    await ui.answer('dave');
    await ui.type(shares['dave:test-user-pin']!);
    await ui.press('enter');
    await ui.waitFor(tr('shares.collected', { k: 2, names: ['張淑芬 Carol', '李建國 Dave'].join(tr('list.separator')) }));
    await ui.answer('alice', 'wendy');
    await ui.waitFor(tr('record.unlocked', { token: lang === 'en' ? 'Test token' : '測試載具' }), 10_000);

    await ui.waitFor(lang === 'en' ? 'The witness reads the fingerprint aloud.' : '見證人朗讀金鑰指紋。');
    await ui.press('ctrlE');
    await ui.waitFor(tr('exception.title'));
    await ui.answer('wendy', 'the clock on the wall is 2 minutes fast');
    await ui.waitFor(tr('record.exception', { n: 1, by: '林美玲 Wendy', text: 'the clock on the wall is 2 minutes fast' }));
    await ui.answer('alice', 'wendy');
    frame = await ui.waitFor(tr('readout.ack'));
    const key = fingerprint('public key of UI-TEST');
    t.match(frame, key.sha256.slice(0, 4).toUpperCase(), 'the key fingerprint in hex groups');
    t.match(frame, key.words.split(' ').slice(0, 3).join(' '), 'and in words');
    t.match(
      frame,
      tr('readout.key', { label: 'UI-TEST', algorithm: 'EC P-256', token: lang === 'en' ? 'Test token' : '測試載具' }),
      'on the token called by its title',
    );
    await ui.press('enter');

    await ui.waitFor(tr('lock.goAhead'));
    await ui.press('enter');
    await ui.waitFor(tr('record.locked', { tokens: lang === 'en' ? 'Test token' : '測試載具' }));
    // Every kind of deviation counts, per kind; with one on record nobody's "followed the script" is preselected.
    await ui.waitFor(tr('signOff.intro', { n: 1, kinds: tr('deviation.kindCount', { what: tr('deviation.kind.exception'), n: 1 }) }));
    await ui.answer('alice', '');
    await ui.waitFor(tr('form.required'));
    await ui.answer(lang === 'en' ? 'yes' : '是', '');
    // The yes was given apart from the one on record, and the list says so; the question counts
    // it, not "above" (this screen lists none); the choice is whole, not split (review at 80x24).
    const apart = { n: 1, deviations: lang === 'en' ? 'deviation' : '項' };
    // (Read with the spaces of a wrapped line as one: the answer wraps under its column.)
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    const wrapped = (text: string) =>
      new RegExp(
        text
          .split(/\s+/)
          .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('\\s+'),
      );
    const signOff = await ui.waitFor(wrapped(tr('signOff.followedYesApart', apart)));
    t.match(flat(signOff), flat(tr('signOff.followedApart', apart)));
    t.notMatch(flat(signOff), lang === 'en' ? 'on record above' : '上述');
    t.same(overWide(signOff), [], 'nothing wider than 80 columns');
    for (const id of ['wendy', 'dave', 'carol']) await ui.answer(id, lang === 'en' ? 'yes' : '是', '');
    await ui.waitFor(tr('finished.completed'));
    t.ok(
      ui.frames.some((f) => f.includes('王小明 Alice ✓') && f.includes('林美玲 Wendy ✓')),
      'the sign-offs in the record by name (issue 16)',
    );
    t.notOk(
      ui.frames.some((f) => /\balice ✓/.test(f)),
      'not by id',
    );
    t.same(outcomes, [{ status: 'completed' }]);
    t.same(errors, []);

    const handoutFrames = ui.frames.filter(
      (f) => f.includes(tr('handout.sensitive', { name: '李建國 Dave' })) || f.includes(tr('handout.sensitive', { name: '張淑芬 Carol' })),
    );
    const leaks = ui.frames.filter((f) => !handoutFrames.includes(f) && Object.values(shares).some((s) => secretGroups(s).some((g) => f.includes(g))));
    t.equal(leaks.length, 0, 'no frame but the handout screens shows a share');
    t.same(overWide(ui.frames.join('\n')), [], 'nothing wider than 80 columns');
  });
}

t.test('a failed step: message, hint, retry by two people; stopping there reports the failure', async (t) => {
  const { ui, fake, outcomes, tr } = renderApp(t, 'en');
  await signIn(ui, SMALL_PEOPLE);
  await ui.answer('TB123456', 'alice', 'wendy');
  fake.failNext('prepareShareSets', new KeyceremonyError('the random source failed', { hint: 'check the entropy of the terminal', code: 'rng.failed' }));
  await ui.waitFor(tr('facts.newShares'));
  await ui.answer('alice', 'wendy', 'test');
  const frame = await ui.waitFor(tr('failure.choices'));
  t.match(frame, 'the random source failed');
  t.match(frame, 'Hint: check the entropy of the terminal');
  t.match(frame, /r e p a s choose/);
  await ui.type('r');
  await ui.answer('alice', 'wendy');
  await ui.waitFor(tr('facts.newShares'));
  t.pass('after the retry the step starts again');
  fake.failNext('prepareShareSets', new KeyceremonyError('the random source failed again', { code: 'rng.failed' }));
  await ui.answer('alice', 'wendy', 'test');
  await ui.waitFor('the random source failed again');
  await ui.type('s');
  await ui.answer('alice', 'wendy', 'yes');
  await ui.waitFor(tr('finished.failed'));
  t.match(outcomes, [{ status: 'failed', failure: { step: 'init', message: 'the random source failed again', code: 'rng.failed' } }]);
});

t.test("a failed step in zh-TW leads with the known cause in Chinese and keeps the HSM's own words", async (t) => {
  const { ui, fake, tr } = renderApp(t, 'zh-TW');
  await signIn(ui, SMALL_PEOPLE);
  await ui.answer('TB123456', 'alice', 'wendy');
  const removed = toHsmError(Object.assign(new Error('CKR_DEVICE_REMOVED'), { method: 'C_GenerateKeyPair', code: 0x32 }), 'generating the key on token "HCA"');
  fake.failNext('prepareShareSets', removed);
  await ui.waitFor(tr('facts.newShares'));
  await ui.answer('alice', 'wendy', 'test');
  const frame = await ui.waitFor(tr('failure.choices'));
  t.match(frame, 'HSM 已被移除或中斷連線', "the cause in the officers' language");
  t.match(frame, 'HSM 已被移除或中斷連線（CKR_DEVICE_REMOVED）', "and the HSM's return value, as the journal records it");
  t.notMatch(frame, 'generating the key', 'no English original (issue 16)');
  t.match(frame, '請重新連接硬體安全模組', 'the hint too');
  t.same(overWide(ui.frames.join('\n')), [], 'nothing wider than 80 columns');
});

t.test('pause and continue by two people, then abort by two people with a reason', async (t) => {
  const { ui, outcomes, tr } = renderApp(t, 'zh-TW');
  let frame = await ui.waitFor(tr('signIn.intro'));
  t.notMatch(frame, '^P', 'nothing can be paused before anyone signed in');
  await signIn(ui, SMALL_PEOPLE);
  await ui.waitFor('封袋編號');
  await ui.type('TB');
  await ui.press('ctrlP');
  await ui.waitFor(tr('pause.title'));
  await ui.answer('wendy', '等待機房鑰匙');
  frame = await ui.waitFor(tr('paused.title', { by: '林美玲 Wendy', reason: '等待機房鑰匙' }));
  t.notMatch(frame, '^P 暫停', 'a paused ceremony cannot be paused again');
  await ui.answer('wendy', 'alice');
  frame = await ui.waitFor('封袋編號');
  t.match(frame, /› 封袋編號\s+TB/, 'what was typed before the pause is still there');
  await ui.press('ctrlX');
  await ui.waitFor(tr('abort.title'));
  await ui.answer('alice', 'alice');
  t.match(ui.frame(), 'alice 已在本步驟中出現：須由另一人確認（多人控管）');
  await ui.press('ctrlU');
  await ui.answer('wendy', '封條破損');
  await ui.waitFor(tr('finished.aborted'));
  t.same(outcomes, [{ status: 'aborted' }]);
});

t.test('stopping: Ctrl+C asks first; a signal stops the run once the HSM is idle', async (t) => {
  const first = renderApp(t, 'en');
  await first.ui.waitFor(first.tr('signIn.intro'));
  await first.ui.press('ctrlC');
  await first.ui.waitFor(first.tr('stop.title'));
  await first.ui.press('escape');
  await first.ui.waitFor(first.tr('signIn.intro'));
  t.same(first.outcomes, [], 'Esc goes back');
  await first.ui.press('ctrlC');
  await first.ui.answer('yes');
  await first.ui.waitFor(first.tr('finished.interrupted'));
  t.same(first.outcomes, [{ status: 'interrupted' }]);

  const second = renderApp(t, 'en');
  await second.ui.waitFor(second.tr('signIn.intro'));
  second.fake.stop.requested = 'SIGTERM';
  await second.ui.waitFor(second.tr('finished.interrupted'));
  t.same(second.outcomes, [{ status: 'interrupted' }]);
});

t.test('signing: what will be signed before approval, and a refusal shown near the input', async (t) => {
  const { ui, fake, tr } = renderApp(t, 'en', { file: FIXTURE('issue.yaml'), premade: { 'grca-user-pin': ['carol', 'dave'] } });
  await signIn(ui, SMALL_PEOPLE);
  await ui.waitFor(tr('shares.custodian'));
  await enterShares(ui, fake.shares['grca-user-pin']!, ['carol', 'dave']);
  await ui.answer('alice', 'wendy');
  let frame = await ui.waitFor(tr('facts.prepared'));
  t.match(frame, 'subject       C=TW, O=行政院, CN=醫事憑證管理中心 - G3', 'the prepared description first');
  t.match(frame, 'Read aloud what will be signed before anyone approves.');
  await ui.press('pageDown');
  frame = ui.frame();
  t.match(frame, /Issuer\s+grca-g2-cert/, 'then what the script says');
  t.match(frame, /Key\s+GRCA-G2, RSA-4096, on GRCA token \(grca\)/);
  // No CSR was brought to this run, so only the machine can tell the fingerprint is wrong.
  await ui.answer('0123 4567 89ab cdef', 'alice', 'wendy');
  frame = await ui.waitFor(tr('notice.refused'));
  t.match(frame, /Refused: step issue: the CSR fingerprint typed does not match the CSR brought to\s+the ceremony/);
  t.match(frame, 'Hint: stop: the subscriber and the issuer are not looking at the same request');
  t.same(overWide(frame), []);
});

t.test('while the HSM works: what it does, and only the keys that are safe', async (t) => {
  const { ui, fake, tr } = renderApp(t, 'zh-TW');
  await signIn(ui, SMALL_PEOPLE);
  await ui.answer('TB123456', 'alice', 'wendy');
  const release = fake.hold('prepareShareSets');
  await ui.waitFor(tr('facts.newShares'));
  await ui.answer('alice', 'wendy', 'test');
  const frame = await ui.waitFor(tr('busy.splitting'));
  t.match(frame, tr('busy.wait'));
  t.match(frame, tr('hint.busy'));
  t.match(frame, `^E ${tr('hint.exception')}`, 'an exception can be written down while the HSM works');
  t.notMatch(frame, '^P', 'no pause while the HSM works');
  t.notMatch(frame, '^X', 'no abort while the HSM works');
  t.notMatch(frame, '^C', 'no stop while the HSM works');
  await ui.press('ctrlX');
  t.notMatch(ui.frame(), tr('abort.title'), 'Ctrl+X does nothing now');
  fake.stop.requested = 'SIGINT';
  const notice = tr('notice.line', { title: tr('notice.stopping', { signal: 'SIGINT' }), message: tr('notice.stoppingWhenIdle') }).slice(0, 20);
  const stopping = await ui.waitFor(notice);
  t.match(stopping, tr('busy.splitting'), 'a signal waits for the HSM to finish');
  t.match(stopping, notice, 'and says so');
  release();
  await ui.waitFor(tr('finished.interrupted'));
});

t.test('after a restart the HSM login is gone: the quorum enters its shares again', async (t) => {
  const { ui, fake, tr } = renderApp(t, 'en', { file: FIXTURE('issue.yaml'), premade: { 'grca-user-pin': ['carol', 'dave'] } });
  await signIn(ui, SMALL_PEOPLE);
  await ui.waitFor(tr('shares.custodian'));
  await enterShares(ui, fake.shares['grca-user-pin']!, ['carol', 'dave']);
  await ui.answer('alice', 'wendy');
  await ui.waitFor(tr('facts.prepared'));
  // What resume does after a crash: the machine learns the login did not survive.
  fake.session.actor.send({ type: 'process.restarted' });
  let frame = await ui.waitFor(tr('shares.reauthIntro', { credential: 'GRCA token user PIN' }).slice(0, 40));
  t.match(frame, tr('shares.progress', { k: 0, n: 2 }));
  await enterShares(ui, fake.shares['grca-user-pin']!, ['dave', 'carol']);
  frame = await ui.waitFor(tr('shares.reauthApprove', { n: 2 }));
  t.match(frame, /Performer \(Administrator\)/, 'the people of the first unlock approve');
  await ui.answer('alice', 'wendy');
  await ui.waitFor(tr('facts.prepared'));
  t.pass('logged in again, the step is back where it was');
});
