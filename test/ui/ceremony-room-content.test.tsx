// Issue 16, the hca-g3-keygen review at 80x24 (brief ui16b): what the screens say and in
// which order. The confirm-result screen does not show the fingerprint the witness types
// back; fingerprints are two lines of eight groups; the deviations step and the sign-off
// count every kind of deviation, and with any on record nobody's "followed the script" is
// preselected; after a resume the first screen says how the last run ended, the record's
// values keep their order and the re-login approval names the HSM; share entry names the
// HSM and the step's instructions come first; sign-in shows the definition's own words; a
// form one person answers says so; a key generated for backup says it is extractable.
// Every screen in en and zh-TW at 80 columns.
import t from 'tap';
import { renderApp } from './helpers/app.js';
import { Box } from 'ink';
import { deviationsOf } from '../../src/ceremony/deviations.js';
import { resumptionOf } from '../../src/ceremony/resumption.js';
import type { CeremonyContext, CeremonyEvent, TokenIdentity } from '../../src/ceremony/types.js';
import { journalRecords } from './helpers/journal-records.js';
import { confirmResultSpec } from '../../src/steps/confirm-result/spec.js';
import { translator, type Lang } from '../../src/ui/i18n/index.js';
import { approvalEvent, approvalFields } from '../../src/ui/model/approval.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { personField } from '../../src/ui/model/people.js';
import { stepItem } from '../../src/ui/model/record.js';
import type { ScreenContext } from '../../src/ui/model/screen-context.js';
import type { View } from '../../src/ui/model/view.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import type { ShareDesk } from '../../src/ui/share-desk.js';
import { StepScreen } from '../../src/ui/step-screen.js';
import { fingerprint, groupedHex } from '../../src/util/fingerprint.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { overWide, renderUi } from './helpers/render.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const KEYGEN = new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url).pathname;
const key = fingerprint('HCA-G3 public key');
const HSM: TokenIdentity = { label: 'HCA-G3-HSM', serial: '9F3C0A1B2C3D4E5F', manufacturer: 'Thales', model: 'Luna K7', firmware: '7.8.4', initialized: true };

const record = journalRecords();

/** Two crashes' worth: one resume with no stop before it, and a refused share. */
const JOURNAL = [
  record('ceremony.opened', null),
  record('step.started', 'keygen'),
  record('ceremony.resumed', null),
  record('share.refused', 'unlock', ['carol'], { message: 'group 8 is wrong' }),
];

const keygenResult = {
  keys: [
    { label: 'HCA-G3', token: 'hca', id: '01', algorithm: { type: 'RSA', bits: 4096 }, spkiSha256: key.sha256, words: key.words, uri: '', step: 'keygen' },
  ],
  performer: 'alice',
  witnesses: ['wendy'],
};

function sc(lang: Lang, patch: Partial<CeremonyContext> = {}, extra: Partial<ScreenContext> = {}): ScreenContext {
  return { ...screenContext(KEYGEN, lang, patch), tokenIdentity: (token: string) => (token === 'hca' ? HSM : undefined), ...extra };
}

function renderStep(s: ScreenContext, view: View, desk: Partial<ShareDesk> = {}, rows = 22) {
  const sent: CeremonyEvent[] = [];
  const ui = renderUi(
    <Box width={80}>
      <StepScreen
        view={view}
        sc={s}
        desk={desk as ShareDesk}
        act={(event) => {
          sent.push(event);
          return undefined;
        }}
        onReadoutDone={() => undefined}
        onChoose={() => undefined}
        onShareHidden={() => undefined}
        rows={rows}
        width={80}
      />
    </Box>,
    { lang: s.lang },
  );
  return { ui, sent };
}

/** A share desk that knows the manifest of hca-user-pin (five custodians, three needed). */
const desk: Partial<ShareDesk> = {
  manifest: () =>
    ({
      setId: 'S-1234',
      threshold: 3,
      shares: ['carol', 'dave', 'hc3', 'hc4', 'hc5'].map((custodian, i) => ({ custodian, index: i + 1 })),
    }) as never,
};

/** Whether the frame says `text`, wherever its lines wrapped (CJK wraps between characters, with no space). */
const says = (frame: string, text: string) => frame.replace(/\s+/g, '').includes(text.replace(/\s+/g, ''));

t.test('confirm-result: the machine asks the whole fingerprint (the first 16 digits are on screen in the record log)', async (t) => {
  const s = sc('en', { results: { keygen: keygenResult } } as never);
  const step = stepOf(s, 'keygen-confirmed') as Parameters<typeof confirmResultSpec.checkSubmission>[0];
  const check = (typed: string) => confirmResultSpec.checkSubmission(step, { values: { 'result-sha256': typed } } as never, s.context)?.code;
  t.equal(check(key.sha256), undefined, 'all 64 digits');
  t.equal(check(groupedHex(key.sha256)), undefined, 'in groups, upper case');
  t.equal(check(key.sha256.slice(0, 16)), 'confirm.fingerprint', 'the first 16 digits alone are refused');
  t.equal(check(key.sha256.slice(0, 63) + (key.sha256.endsWith('0') ? '1' : '0')), 'confirm.fingerprint', 'one digit off is refused');
});

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  const zh = lang === 'zh-TW';

  t.test(`${lang}: confirm-result shows what is confirmed, never its fingerprint, and takes it whole from the paper log`, async (t) => {
    const s = sc(lang, { results: { keygen: keygenResult } } as never);
    const step = stepOf(s, 'keygen-confirmed');
    const { ui, sent } = renderStep(s, { kind: 'approval', step });
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.ok(says(frame, zh ? '確認結果：步驟 4「產製金鑰對」產製之金鑰 HCA-G3。' : 'Confirm the result: the key HCA-G3 made by step 4, Generate the key pair.'));
    t.ok(says(frame, zh ? '此畫面不顯示指紋' : 'It is not shown here'));
    for (const group of groupedHex(key.sha256).split(' ')) t.notOk(frame.includes(group), `group ${group} is not on the screen`);
    t.same(overWide(frame), []);
    await ui.answer(key.sha256.slice(0, 16));
    t.match(ui.frame(), tr('confirmResult.length', { n: 16 }), 'the first 16 digits are not enough');
    const wrong = key.sha256.slice(0, 8) + (key.sha256.slice(8, 12) === '0000' ? '1111' : '0000') + key.sha256.slice(12);
    await ui.press('ctrlU');
    await ui.answer(wrong);
    t.ok(says(ui.frame(), tr('confirmResult.groupDiffers', { group: 3 })), 'the one group that differs is named, in the singular');
    if (!zh) t.ok(says(ui.frame(), 'in group 3;'), 'not "in these groups: 3"');
    await ui.press('ctrlU');
    await ui.answer(groupedHex(key.sha256), 'wendy');
    t.match(sent, [{ type: 'step.submit', step: 'keygen-confirmed', performer: 'wendy', values: { 'result-sha256': key.sha256 } }]);
  });

  t.test(`${lang}: a key's fingerprint on a step screen is two lines of eight groups`, async (t) => {
    const s = sc(lang, { results: { keygen: keygenResult }, keys: { 'HCA-G3': keygenResult.keys[0] } } as never);
    const { ui } = renderStep(s, { kind: 'approval', step: stepOf(s, 'csr') }, {}, 30);
    t.teardown(ui.unmount);
    const groups = groupedHex(key.sha256).split(' ');
    const lines = ui.frame().split('\n');
    const first = lines.findIndex((l) => l.includes(groups.slice(0, 8).join(' ')));
    t.ok(first >= 0, 'groups 1-8 on one line');
    t.ok(lines[first]!.trimEnd().endsWith(groups[7]!), 'and nothing more on it');
    t.ok(lines[first + 1]!.trimEnd().endsWith(groups.slice(8).join(' ')), 'groups 9-16 on the next');
    t.same(overWide(ui.frame()), []);
  });

  t.test(`${lang}: the deviations step: typed none is recorded as none besides those on record`, async (t) => {
    const s = sc(lang, {}, { deviations: () => deviationsOf(JOURNAL) });
    const step = stepOf(s, 'deviations');
    const sent: CeremonyEvent[] = [];
    const ui = renderUi(
      <Box width={80}>
        <ApprovalScreen
          blocks={stepBlocks(s, step)}
          fields={approvalFields(s, step)}
          onSubmit={(v) => sent.push(approvalEvent(step, v))}
          rows={22}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    t.match(ui.frame(), tr('deviation.count', { n: 2 }));
    t.match(ui.frame(), tr('exception.textBeyond'));
    t.notMatch(ui.frame(), tr('exception.textHelp'), 'not the help for a clean ceremony');
    await ui.answer(zh ? '無' : 'none');
    const noneBeyond = tr('exception.noneBeyond', { n: 2, seqs: ['#3', '#4'].join(tr('list.separator')) });
    t.ok(says(ui.frame(), tr('exception.recordedAs', { text: noneBeyond })), 'what will be recorded is shown before it is sent');
    await ui.answer('wendy');
    t.match(sent, [{ type: 'step.submit', step: 'deviations', performer: 'wendy', values: { text: noneBeyond } }]);
    t.same(overWide(ui.frame()), []);
  });

  t.test(`${lang}: the deviations step with nothing on record asks as before`, async (t) => {
    const s = sc(lang, {}, { deviations: () => [] });
    const step = stepOf(s, 'deviations');
    const field = approvalFields(s, step).find((f) => f.name === 'v:text')!;
    t.equal(field.label, tr('exception.text'));
    t.equal(field.submitted, undefined, 'none stays none');
  });

  t.test(`${lang}: the sign-off counts every kind from the journal, and with any on record nothing is preselected`, async (t) => {
    const s = sc(lang, { exceptions: [] }, { deviations: () => deviationsOf(JOURNAL) });
    const { ui, sent } = renderStep(s, { kind: 'sign-offs', step: stepOf(s, 'sign-off') });
    t.teardown(ui.unmount);
    const kinds = [
      tr('deviation.kindCount', { what: tr('deviation.kind.crashed'), n: 1 }),
      tr('deviation.kindCount', { what: tr('deviation.kind.share-refused'), n: 1 }),
    ];
    t.ok(says(ui.frame(), tr('signOff.intro', { n: 2, kinds: kinds.join(tr('list.separator')) })), 'crashes and refused shares count, not only exceptions');
    await ui.answer('alice');
    t.ok(says(ui.frame(), tr('signOff.followedHelp', { n: 2 })));
    await ui.press('enter');
    t.match(ui.frame(), tr('form.required'), 'Enter alone does not say yes');
    t.same(sent, []);
    await ui.answer(zh ? '否' : 'no', 'the share of carol was refused once');
    t.match(sent, [{ type: 'signoff.submit', participant: 'alice', followedScript: false }]);
    t.same(overWide(ui.frame()), []);
  });

  t.test(`${lang}: the sign-off of a ceremony that went by the script keeps yes preselected`, async (t) => {
    const s = sc(lang, { exceptions: [] }, { deviations: () => [] });
    const { ui, sent } = renderStep(s, { kind: 'sign-offs', step: stepOf(s, 'sign-off') });
    t.teardown(ui.unmount);
    t.ok(says(ui.frame(), tr('signOff.introNone')));
    await ui.answer('alice', '', '');
    t.match(sent, [{ type: 'signoff.submit', participant: 'alice', followedScript: true }]);
  });

  t.test(`${lang}: after a resume the first screen says how the last run ended; it goes with that screen`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const resumed = { step: 'keygen', time: '2025-05-01T10:02:03+08:00', how: 'crashed' as const, who: [], detail: '#41' };
    const ui = renderApp({ ...fake.session, resumed }, lang, { clock: { now: () => new Date('2025-05-01T02:15:00Z'), timeZone: 'Asia/Taipei', tick: false } });
    t.teardown(ui.unmount);
    const frame = await ui.waitFor(tr('signIn.intro'));
    const step = zh ? '步驟 5「產製金鑰對」' : 'step 5, Generate the key pair';
    // A crash is announced as a crash, not as an interruption (zh-TW: 異常終止, not 中斷).
    t.notOk(says(frame, tr('resumed.title')), 'not titled as an interruption');
    t.match(frame, zh ? '異常終止後續行' : 'Resumed after a crash');
    t.ok(
      says(
        frame,
        tr('notice.line', { title: tr('resumed.titleCrashed'), message: tr('resumed.crashed', { step, time: '2025-05-01 10:02:03', record: '#41' }) }),
      ),
    );
    t.same(overWide(frame), []);
    for (const [id, name, roles] of [
      ['alice', 'Alice', '1'],
      ['wendy', 'Wendy', '2'],
      ['carol', 'Carol', '3'],
      ['dave', 'Dave', '3'],
    ])
      await ui.answer(id!, name!, roles!);
    await ui.press('enter');
    const next = await ui.waitFor(
      tr('record.format', { format: zh ? '兩個大寫英文字母加六位數字' : 'two capital letters and six digits', example: 'AB123456' }),
    );
    t.notMatch(next, tr('resumed.titleCrashed'), 'gone on the next screen');
  });

  t.test(`${lang}: how the last run ended, in words: stopped by whom, a signal, a crash`, async (t) => {
    const s = sc(lang);
    const { resumedText } = await import('../../src/ui/model/resumed.js');
    const stopped = resumptionOf([
      record('step.started', 'keygen'),
      record(
        'ceremony.interrupted',
        'keygen',
        ['wendy', 'alice'],
        { signal: 'none: stopped at the terminal', stoppedBy: 'wendy', confirmedBy: ['alice'] },
        '2025-05-01T10:05:06+08:00',
      ),
      record('journal.checkpoint', null),
    ])!;
    t.match(stopped, { step: 'keygen', how: 'stopped', who: ['wendy', 'alice'] });
    const step = zh ? '步驟 4「產製金鑰對」' : 'step 4, Generate the key pair';
    t.equal(resumedText(s, stopped), tr('resumed.stoppedConfirmed', { step, time: '2025-05-01 10:05:06', by: '林美玲 Wendy', confirmed: '王小明 Alice' }));
    const signal = resumptionOf([record('step.started', 'csr'), record('ceremony.interrupted', 'csr', [], { signal: 'SIGINT' })])!;
    t.match(signal, { step: 'csr', how: 'signal' });
    t.match(resumedText(s, signal), tr('resumed.sigint'));
    const crashed = resumptionOf([
      record('step.started', 'keygen', [], {}, '2025-05-01T10:07:00+08:00'),
      record('resume.refused', null, [], { message: 'x' }),
    ])!;
    t.match(crashed, { step: 'keygen', how: 'crashed', time: '2025-05-01T10:07:00+08:00' });
    t.match(resumedText(s, crashed), zh ? '異常終止' : 'a crash');
    const afterResume = resumptionOf([record('step.started', 'unlock'), record('ceremony.resumed', null)])!;
    t.equal(afterResume.step, 'unlock', 'a crash right after a resume: the step the last record named');
    const onReadout = resumptionOf([record('step.completed', 'keygen'), record('step.started', 'lock')], 'keygen')!;
    t.equal(onReadout.step, 'keygen', 'a crash on the read-aloud screen: the step that made the key, not the next one');
  });

  t.test(`${lang}: a record step's values keep the definition's order after a resume (the journal sorts keys)`, async (t) => {
    // As a rebuilt context has them: in the canonical JSON's sorted order.
    const values = { 'approval-reference': 'A-1', 'bag-number': 'TB100002', 'hsm-serial': 'SN-1', place: 'Room 1' };
    const s = sc(lang, { results: { inventory: { values, performer: 'alice', witnesses: ['wendy'] } } });
    const item = stepItem(s, 1)!;
    const line = item.kind === 'step' ? item.details.join(' ') : '';
    const at = (text: string) => line.indexOf(text);
    t.ok(at('A-1') < at('Room 1') && at('Room 1') < at('SN-1') && at('SN-1') < at('TB100002'), `typed order: ${line}`);
  });

  t.test(`${lang}: the re-login approval after a resume names the HSM`, async (t) => {
    const s = sc(lang, {
      relogin: { hca: { credential: 'hca-user-pin', step: 'unlock' } },
      shares: { step: 'csr', credential: 'hca-user-pin', accepted: ['carol', 'dave', 'hc3'].map((custodian) => ({ custodian })) },
    } as never);
    const { ui } = renderStep(s, { kind: 'shares', step: stepOf(s, 'csr'), credential: 'hca-user-pin', purpose: 'reauthenticate' }, desk);
    t.teardown(ui.unmount);
    t.ok(says(ui.frame(), tr('shares.reauthApprove', { n: 3 })));
    t.ok(says(ui.frame(), tr('hsm.identity', { label: 'HCA-G3-HSM', serial: '9F3C0A1B2C3D4E5F', model: 'Thales Luna K7', firmware: '7.8.4' })));
    t.same(overWide(ui.frame()), []);
  });

  for (const purpose of ['unlock', 'reauthenticate'] as const) {
    t.test(`${lang}: share entry (${purpose}) names the HSM, and the step's instructions come before the shares`, async (t) => {
      const stepId = purpose === 'unlock' ? 'unlock' : 'csr';
      const s = sc(lang, { shares: { step: stepId, credential: 'hca-user-pin', accepted: [] } } as never);
      const step = stepOf(s, stepId);
      // 15 rows: what an 80x24 terminal leaves the step's screen.
      const { ui } = renderStep(s, { kind: 'shares', step, credential: 'hca-user-pin', purpose }, desk, 15);
      t.teardown(ui.unmount);
      const squeeze = (x: string) => x.replace(/\s+/g, '');
      const text = squeeze(ui.frame());
      const identity = squeeze(tr('hsm.identity', { label: 'HCA-G3-HSM', serial: '9F3C0A1B2C3D4E5F', model: 'Thales Luna K7', firmware: '7.8.4' }));
      const instructions = squeeze(step.instructions![lang]);
      const field = text.indexOf(squeeze(tr('shares.custodian')));
      t.ok(text.includes(identity), 'the HSM');
      t.ok(text.indexOf(instructions) >= 0 && text.indexOf(instructions) < field, 'instructions before the share field');
      t.ok(text.indexOf(identity) < field, 'the HSM before the share field');
      // The id is asked before the share field is there: the custodians the quorum needs still fit above it.
      t.ok(
        ['carol', 'dave', ...(purpose === 'unlock' ? ['hc3'] : [])].every((id) => ui.frame().includes(` · ${id} `)),
        'the custodians stay in view',
      );
      t.same(overWide(ui.frame()), []);
    });
  }

  t.test(`${lang}: sign-in shows the definition's own words and points to no list the definition lacks`, async (t) => {
    const s = sc(lang, { participants: [] });
    const { ui } = renderStep(s, { kind: 'participants', step: stepOf(s, 'sign-in') });
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.ok(says(frame, zh ? '每位參與人員說明姓名及角色。' : 'Each participant states their name and role.'));
    t.notOk(says(frame, zh ? '儀式文件所列' : 'ceremony papers'));
    t.ok(says(frame, zh ? '所需角色見上列' : 'the roles needed are listed above'));
    t.same(overWide(ui.frame()), []);
  });

  t.test(`${lang}: a form one person answers says type your own id, not each person`, async (t) => {
    const s = sc(lang);
    t.equal(
      personField(s, 'by', tr('people.who'), { alone: true }).help,
      tr('people.typeYourIdOf', { ids: 'alice, wendy, walter, carol, …'.replace(/, /g, tr('list.separator')) }),
    );
    const deviations = approvalFields(s, stepOf(s, 'deviations')).find((f) => f.name === 'performer')!;
    t.match(deviations.help, tr('people.typeYourIdOf', { ids: ['wendy', 'walter'].join(tr('list.separator')) }), 'the deviations step: one witness records');
    const keygen = approvalFields(s, stepOf(s, 'keygen')).find((f) => f.name === 'performer')!;
    t.match(keygen.help, tr('people.typeOwnIdOf', { ids: 'alice' }), 'a performer and a witness: each their own');
  });

  t.test(`${lang}: the key generation screen says a backup: true key is extractable for backup`, async (t) => {
    const s = sc(lang);
    const { ui } = renderStep(s, { kind: 'approval', step: stepOf(s, 'keygen') }, {}, 30);
    t.teardown(ui.unmount);
    t.ok(says(ui.frame(), tr('facts.backupExtractable')));
    t.same(overWide(ui.frame()), []);
    const plain = sc(lang);
    const step = { ...stepOf(plain, 'keygen'), backup: false } as never;
    t.notOk(
      stepBlocks(plain, step).some((b) => b.kind === 'facts' && b.facts.some((f) => f.label === tr('facts.backup'))),
      'not for a key that never leaves its HSM',
    );
  });
}
