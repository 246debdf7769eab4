// Going off the script, said plainly at 80x24 in both languages (issue 16 items 1 and 4):
// - an auditor observes and takes no part: the abort and the Ctrl+C stop refuse them by name
//   as either of the two people (an auditor, tsai, was accepted as the second person of an abort);
// - the stop dialog says whose share cards a stop now voids, and which sets, before anyone confirms;
// - from the moment an abort is recorded the header says ABORTED / 已中止 and the closing
//   read-aloud starts with the abort and its reason (it looked like a normal completion).
import t from 'tap';
import { Box } from 'ink';
import { deviationsOf } from '../../src/ceremony/deviations.js';
import { resumptionOf } from '../../src/ceremony/resumption.js';
import type { JournalRecord } from '../../src/journal/record.js';
import { CeremonyApp } from '../../src/ui/app.js';
import { Header } from '../../src/ui/components/header.js';
import { translator } from '../../src/ui/i18n/index.js';
import { personField, twoPeopleFields, twoTakingPartFields } from '../../src/ui/model/people.js';
import { resumedText } from '../../src/ui/model/resumed.js';
import { cardsVoidedByStop, cardsVoidedOnResume } from '../../src/ui/model/voided-cards.js';
import { OverlayScreen } from '../../src/ui/screens/anytime.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { journalRecords } from './helpers/journal-records.js';
import { overWide, renderUi, settle } from './helpers/render.js';
import { ENGINE_FIXTURE, FIXTURE, PEOPLE, screenContext } from './helpers/screen-context.js';

const TSAI = { id: 'tsai', name: '蔡宗翰 Tsai', roles: ['auditor'] };
const FIXED = { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false };
// Lines wrap at spaces, and between Chinese characters: read a frame as one text without them.
const flat = (frame: string) => frame.replace(/\s+/g, '');

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const tr = translator(lang);

  t.test(`${lang}: abort and stop: an auditor is refused by name as either person`, async (t) => {
    const sc = screenContext(ENGINE_FIXTURE, lang, { participants: [...PEOPLE, TSAI] });
    for (const overlay of ['abort', 'stop'] as const) {
      const calls: unknown[] = [];
      const ui = renderUi(
        <Box width={80} height={24}>
          <OverlayScreen
            overlay={overlay}
            onePerson={personField(sc, 'by', sc.t('people.who'))}
            twoPeople={twoPeopleFields(sc)}
            twoTakingPart={twoTakingPartFields(sc)}
            onException={() => undefined}
            onPause={() => undefined}
            onAbort={(by, reason) => calls.push(['abort', by, reason])}
            onJoin={() => undefined}
            join={{ roles: [], conflicts: [], participants: sc.context.participants }}
            onStop={(by) => calls.push(['stop', by])}
            stopNeedsTwo
            onCancel={() => undefined}
            workdir="/srv/ceremony/hca-g3"
            width={80}
          />
        </Box>,
        { lang },
      );
      t.teardown(ui.unmount);
      const refusal = zh
        ? 'tsai（蔡宗翰 Tsai）僅以稽核人員身分簽到，僅觀察、不參與作業：須由具作業角色之參與人員或見證人確認'
        : 'tsai (蔡宗翰 Tsai) signed in as Auditor only, who observes and takes no part: a participant with an operating role or a witness confirms';
      await ui.answer('tsai');
      t.match(flat(ui.frame()), flat(refusal), `${overlay}: the auditor refused as the first person`);
      await ui.press('ctrlU');
      await ui.answer('alice', 'tsai');
      t.match(flat(ui.frame()), flat(refusal), `${overlay}: and as the second`);
      t.same(overWide(ui.frames.join('\n')), [], `${overlay}: nothing wider than 80 columns`);
      await ui.press('ctrlU');
      if (overlay === 'abort') {
        await ui.answer('wendy', 'test the abort path');
        t.same(calls, [['abort', ['alice', 'wendy'], 'test the abort path']], 'an administrator and a witness abort');
      } else {
        await ui.answer('wendy', tr('stop.yesWord'));
        t.same(calls, [['stop', ['alice', 'wendy']]], 'an administrator and a witness stop');
      }
      await settle();
      ui.unmount();
    }
  });

  t.test(`${lang}: the stop dialog names whose share cards a stop voids, and the sets`, async (t) => {
    const sc = screenContext(ENGINE_FIXTURE, lang, {
      distribution: {
        step: 'init',
        sets: [
          { credential: 'test-so-pin', setId: '7G31XAQV', custodians: ['carol', 'dave'], confirmed: ['carol'] },
          { credential: 'test-user-pin', setId: 'Z1R0NPN9', custodians: ['carol', 'dave'], confirmed: ['carol', 'dave'] },
        ],
      },
    });
    const sentence = cardsVoidedByStop(sc);
    t.ok(sentence, 'cards were handed out: a sentence');
    t.equal(cardsVoidedByStop(screenContext(ENGINE_FIXTURE, lang)), undefined, 'no card handed out: nothing to say');
    const ui = renderUi(
      <Box width={80} height={24}>
        <OverlayScreen
          overlay="stop"
          onePerson={personField(sc, 'by', sc.t('people.who'))}
          twoPeople={twoPeopleFields(sc)}
          twoTakingPart={twoTakingPartFields(sc)}
          onException={() => undefined}
          onPause={() => undefined}
          onAbort={() => undefined}
          onJoin={() => undefined}
          join={{ roles: [], conflicts: [], participants: sc.context.participants }}
          onStop={() => undefined}
          stopNeedsTwo
          onCancel={() => undefined}
          workdir="/srv/ceremony/hca-g3"
          cardsVoided={sentence}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.match(
      flat(frame),
      flat(
        zh
          ? '本步驟已發出之分持碼卡片將作廢：張淑芬 Carol、李建國 Dave 須銷毀分持組 7G31XAQV（測試載具之安全管理者 PIN 碼）、Z1R0NPN9（測試載具之使用者 PIN 碼）的卡片；續行時將重新產製。'
          : 'The share cards handed out at this step become void; the custodians destroy them (張淑芬 Carol, 李建國 Dave: share sets 7G31XAQV (Test token SO PIN), Z1R0NPN9 (Test token user PIN)). New sets are made on resume.',
      ),
      'the custodians by name and the sets, before anyone confirms',
    );
    t.match(flat(frame), flat(tr('stop.who')), 'shown with the form');
    t.same(overWide(frame), [], 'nothing wider than 80 columns');
  });

  t.test(`${lang}: the header says ABORTED once an abort is recorded`, async (t) => {
    const ui = renderUi(<Header title="UI test ceremony" stepNumber={3} stepCount={7} clock="10:00" elapsed="0:05" width={80} aborted />, { lang });
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? '已中止（於步驟 3，共 7 步）' : 'ABORTED at step 3 of 7');
    t.notMatch(ui.frame(), tr('header.step', { k: 3, n: 7 }), 'not the ordinary step count');
    t.same(overWide(ui.frame()), [], 'fits 80 columns');
  });

  t.test(`${lang}: aborted at 80x24: header and closing say so from the start, the reason on top`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const seal = fingerprint('the seal record');
    const record = journalRecords((seq) => `2025-05-01T10:0${seq % 10}:00+08:00`);
    const journal: JournalRecord[] = [
      record('ceremony.opened', null, [], {}),
      record('participants.signed-in', 'sign-in', ['alice', 'wendy'], {}),
      record('ceremony.aborted', 'inventory', ['alice', 'wendy'], { reason: 'seal broken' }),
    ];
    const session = { ...fake.session, seal: () => ({ hash: seal.sha256, words: seal.words }), deviations: () => deviationsOf(journal) };
    const ui = renderUi(
      <CeremonyApp session={session} colors={false} onOutcome={() => undefined} onError={() => undefined} clock={FIXED} size={{ columns: 80, rows: 24 }} />,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.waitFor(tr('signIn.intro'));
    for (const [id, name, roles] of [
      ['alice', 'Alice', '1'],
      ['wendy', 'Wendy', '2'],
      ['carol', 'Carol', '3'],
      ['dave', 'Dave', '3'],
    ] as const)
      await ui.answer(id, name, roles);
    await ui.press('enter');
    await ui.waitFor(zh ? '封袋編號' : 'Bag number');
    await ui.press('ctrlX');
    await ui.waitFor(tr('abort.title'));
    await ui.answer('alice', 'wendy', 'seal broken');
    const frame = await ui.waitFor(tr('closing.hash'));
    // The header line (the record log printed above it scrolls, as in a terminal).
    const header = frame.split('\n').find((line) => line.startsWith(tr('header.production')));
    t.match(header, zh ? /已中止（於步驟 2，共 7 步）/ : /ABORTED at step 2 of 7/, 'the header says aborted');
    t.notMatch(frame, zh ? '個步驟均已完成' : /All \d+ steps done/, 'no completion');
    const title = zh ? '儀式已中止：seal broken。' : 'CEREMONY ABORTED: seal broken.';
    t.match(flat(frame), flat(title), 'the closing starts with the abort and its reason');
    t.ok(flat(frame).indexOf(flat(title)) < flat(frame).indexOf(flat(tr('closing.hash'))), 'above the hash');
    t.same(overWide(ui.frames.join('\n')), [], 'nothing wider than 80 columns');
  });
}

// Issue 16 item 1: after ^C (or kill -9) during init with both shares handed out, the resume said
// only that it was interrupted; the voided cards were in the journal, report and letter alone.
for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const tr = translator(lang);
  const journal = (crashed: boolean): JournalRecord[] => {
    const record = journalRecords((seq) => `2025-05-01T10:0${seq % 10}:00+08:00`);
    return [
      record('ceremony.opened', null, [], {}),
      record('participants.signed-in', 'sign-in', ['alice', 'wendy', 'carol', 'dave'], {}),
      record('shares.prepared', 'init', [], {
        sets: [
          { credential: 'test-so-pin', setId: '7G31XAQV', custodians: ['carol', 'dave'] },
          { credential: 'test-user-pin', setId: 'Z1R0NPN9', custodians: ['carol', 'dave'] },
        ],
      }),
      record('share.handed-over', 'init', ['carol'], { credential: 'test-so-pin' }),
      ...(crashed
        ? []
        : [
            record('ceremony.interrupted', 'init', ['alice', 'wendy'], { signal: 'none: stopped at the terminal', stoppedBy: 'alice', confirmedBy: ['wendy'] }),
          ]),
      record('ceremony.resumed', null, [], {}),
      record('shares.discarded', 'init', [], {
        sets: ['7G31XAQV', 'Z1R0NPN9'],
        reason: 'the process stopped before the token was set; custodians destroy these shares',
      }),
    ];
  };

  for (const crashed of [false, true]) {
    const how = crashed ? 'a crash (kill -9)' : 'a stop at the terminal';
    t.test(`${lang}: resumed after ${how} during init: the notice names who destroys which cards, at 80x24`, async (t) => {
      const deviations = deviationsOf(journal(crashed));
      t.ok(
        deviations.some((d) => d.kind === 'shares-voided'),
        'the journal has the voided hand-out',
      );
      const sc = screenContext(FIXTURE('small.yaml'), lang, { participants: PEOPLE });
      const sentence = cardsVoidedOnResume(sc, deviations);
      t.equal(
        sentence,
        tr('resumed.cardsVoided', {
          who: '張淑芬 Carol',
          sets: zh
            ? '7G31XAQV（測試載具之安全管理者 PIN 碼）、Z1R0NPN9（測試載具之使用者 PIN 碼）'
            : '7G31XAQV (Test token SO PIN), Z1R0NPN9 (Test token user PIN)',
        }),
        'the custodian handed a card, the sets with their credentials',
      );
      t.match(flat(resumedText({ ...sc, deviations: () => deviations }, resumptionOf(journal(crashed).slice(0, -2))!)), flat(sentence!), 'in the notice');
      t.equal(cardsVoidedOnResume(sc, deviationsOf(journal(crashed).slice(0, -1))), undefined, 'nothing voided: nothing said');

      const fake = fakeCeremony(t, { lang });
      const resumed = resumptionOf(journal(crashed).slice(0, -2))!;
      const ui = renderUi(
        <CeremonyApp
          session={{ ...fake.session, resumed, deviations: () => deviations }}
          colors={false}
          onOutcome={() => undefined}
          onError={() => undefined}
          clock={FIXED}
          size={{ columns: 80, rows: 24 }}
        />,
        { lang },
      );
      t.teardown(ui.unmount);
      const frame = await ui.waitFor(tr('signIn.intro'));
      t.match(flat(frame), flat(tr(crashed ? 'resumed.titleCrashed' : 'resumed.title')));
      t.match(flat(frame), '7G31XAQV', 'the first set on the first screen');
      t.match(flat(frame), 'Z1R0NPN9', 'and the second');
      t.same(overWide(ui.frames.join('\n')), [], 'nothing wider than 80 columns');
    });
  }
}
