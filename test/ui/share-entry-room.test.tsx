// Share entry as the ceremony room sees it (issue 16, the hca-g3-keygen review): five
// custodians at 80x24, two of them not signed in. Every custodian stays listed with their
// state; a share typed by the wrong custodian is refused at its header group, said in one
// clear sentence, and journaled once with who typed it and why (never the share); the
// deviations step and the closing read-aloud then list it; the journal's chain holds.
import t, { type Test } from 'tap';
import { renderApp } from './helpers/app.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Box } from 'ink';
import stringWidth from 'string-width';
import { deviationsOf } from '../../src/ceremony/deviations.js';
import { eventDataProblem } from '../../src/journal/events.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { translator } from '../../src/ui/i18n/index.js';
import { approvalFields } from '../../src/ui/model/approval.js';
import { closingBlocks } from '../../src/ui/model/closing.js';
import { deviationNames, stepBlocks } from '../../src/ui/model/facts.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import { ShareEntryScreen } from '../../src/ui/screens/share-entry.js';
import { newSecret, split } from '../../src/quorum/index.js';
import { FAKE_SERIAL, fakeCeremony, journalRecords, type FakeCeremony } from './helpers/ceremony.js';
import { overWide, renderUi, type Rendered } from './helpers/render.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const HCA = new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url).pathname;
const PEOPLE = [
  ['wang', '王大明 Wang Ta-ming', '1'],
  ['lin', '林秀英 Lin Hsiu-ying', '2'],
  ['hc1', '張淑芬 Chang Shu-fen', '3'],
  ['hc3', '黃美玲 Huang Mei-ling', '3'],
  ['hc4', '吳俊傑 Wu Chun-chieh', '3'],
] as const;

/** The custodian rows of the list: mark and id. */
const listed = (frame: string) => [...frame.matchAll(/^ ([✓▶✗·]) (hc\d)\b/gm)].map((m) => `${m[1]} ${m[2]}`);
const flat = (text: string) => text.replace(/\s+/g, '');

/** The app on the HCA keygen, signed in and past the inventory: at unlock's share entry. */
async function toUnlock(t: Test, fake: FakeCeremony, lang: 'en' | 'zh-TW'): Promise<Rendered> {
  const ui = renderApp(fake.session, lang);
  t.teardown(ui.unmount);
  await ui.waitFor(translator(lang)('signIn.intro'));
  for (const [id, name, roles] of PEOPLE) await ui.answer(id, name, roles);
  await ui.press('enter');
  await ui.waitFor(lang === 'zh-TW' ? '核准文號' : 'Approval reference');
  await ui.answer('X-1', 'room', FAKE_SERIAL, 'TB100002', 'wang', 'lin');
  return ui;
}

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const tr = translator(lang);

  t.test(`${lang}: five custodians at 80x24, a wrong custodian's share refused at its header group and journaled once`, async (t) => {
    const fake = fakeCeremony(t, { file: HCA, lang, journal: true, premade: { 'hca-user-pin': ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'] } });
    const shares = fake.shares['hca-user-pin']!;
    const ui = await toUnlock(t, fake, lang);

    /** The live area (from the header down), which must fit 24 rows. */
    const live = (frame: string) => frame.slice(frame.indexOf(zh ? '正式 · ' : 'PRODUCTION · '));
    let frame = live(await ui.waitFor(tr('shares.custodian')));
    t.same(listed(frame), ['· hc1', '· hc2', '· hc3', '· hc4', '· hc5'], 'all five custodians, in order');
    t.match(
      frame,
      zh ? /hc2\s+PIN 碼分持保管人（未簽到）\s+第 2 份\n/ : /hc2\s+PIN share custodian, not signed in\s+share 2\n/,
      'one not signed in, named by role, uncut',
    );
    t.match(frame, zh ? /hc1\s+張淑芬 Chang Shu-fen\s+第 1 份  待輸入/ : /hc1\s+張淑芬 Chang Shu-fen\s+share 1  waiting/);
    t.match(
      flat(frame),
      flat(tr('shares.intro', { credential: zh ? '醫事憑證管理中心載具之使用者 PIN 碼' : 'Healthcare CA token user PIN' })),
      'the intro whole',
    );
    t.notMatch(frame, /Esc/, 'no Esc hint at the custodian id: Esc does nothing there');

    await ui.answer('hc1');
    await ui.type(shares.hc1!);
    await ui.press('enter');
    await ui.waitFor(tr('shares.progress', { k: 1, n: 3 }));

    // Huang types hc5's share group by group: groups 1 to 3 are the set's, group 4 is share 5.
    await ui.answer('hc3');
    await ui.waitFor(tr('shares.othersLookAway', { name: '黃美玲 Huang Mei-ling' }));
    t.match(ui.frame(), zh ? 'Esc 返回輸入代號' : 'Esc back to the id', 'the Esc hint while a share is typed, where Esc acts');
    const wrong = shares.hc5!.split('-');
    for (const group of wrong.slice(0, 3)) await ui.type(group);
    t.notMatch(ui.frame(), '✗', 'nothing wrong yet');
    await ui.type(wrong[3]!);
    frame = live(ui.frame());
    const sentence = zh
      ? '✗ 遭拒：這是本分持組的第 5 份分持碼，保管人為尚未簽到的 hc5（PIN 碼分持保管人）；應為 黃美玲 Huang Mei-ling 保管的第 3 份。'
      : '✗ Refused: this is share 5 of the set, held by hc5 (PIN share custodian), who has not signed in; expected share 3, held by 黃美玲 Huang Mei-ling.';
    t.match(flat(frame), flat(sentence), 'one clear sentence');
    const lines = frame.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  ✗ '));
    t.ok(at > 0 && lines[at + 1]!.startsWith('    ') && lines[at + 1]!.trim() !== '', 'wrapped under its text (hanging indent), not at column 0');
    t.same(listed(frame), ['✓ hc1', '· hc2', '✗ hc3', '· hc4', '· hc5'], 'hc1 entered, hc3 refused, every custodian still listed');
    t.match(frame, zh ? '遭拒，可再輸入' : 'refused: may try again');
    // The rest typed on: still masked in the share field, and no second record.
    await ui.type(wrong.slice(4).join(''));
    await ui.press('enter');
    frame = live(ui.frame());
    t.ok(frame.split('\n').length <= 24, `the live area fits 24 rows (${frame.split('\n').length})`);
    t.same(overWide(ui.frames.join('\n')), [], 'nothing wider than 80 columns');

    let refused = journalRecords(join(fake.workdir, 'journal.jsonl')).filter((r) => r.event === 'share.refused');
    t.equal(refused.length, 1, 'journaled once, at the moment it was refused, not per keystroke or Enter');
    t.same(refused[0]!.who, ['hc3'], 'with the custodian who typed it');
    t.equal(refused[0]!.step, 'unlock');
    t.match(
      (refused[0]!.data as { message: string }).message,
      /share 5 of set \w+, which hc5 holds, not share 3: refused at its header group/,
      'and the reason',
    );
    t.equal((refused[0]!.data as { code?: string }).code, 'share.custodian', 'with its code, for screens and reports in another language');

    // Esc back to the id empties the field, and the refusal of what was in it goes too (the
    // review saw it stay under the id); the list still says hc3 was refused, the journal keeps it.
    await ui.press('escape');
    frame = live(await ui.waitFor(tr('shares.custodian')));
    t.notMatch(flat(frame), flat(zh ? '遭拒：' : 'Refused:'), "the cleared share's refusal is not left under the id");
    t.notMatch(frame, /^ {2}✗ /m, 'no ✗ line under the id');
    t.same(listed(frame), ['✓ hc1', '· hc2', '✗ hc3', '· hc4', '· hc5'], 'the list still marks hc3 refused');
    t.match(frame, zh ? '遭拒，可再輸入' : 'refused: may try again');
    t.notMatch(frame, /Esc/, 'no Esc hint at the id again');
    await ui.answer('hc3');
    await ui.type(shares.hc3!);
    await ui.press('enter');
    frame = live(await ui.waitFor(tr('shares.progress', { k: 2, n: 3 })));
    t.same(listed(frame), ['✓ hc1', '· hc2', '✓ hc3', '· hc4', '· hc5'], 'refused, then entered: ✓');

    refused = journalRecords(join(fake.workdir, 'journal.jsonl')).filter((r) => r.event === 'share.refused');
    t.equal(refused.length, 1);
    const text = readFileSync(join(fake.workdir, 'journal.jsonl'), 'utf8');
    t.notOk(
      Object.values(shares).some((share) =>
        share
          .split('-')
          .slice(3)
          .some((group) => text.includes(group)),
      ),
      'no share, nor any secret group of one, in the journal',
    );
    const verified = verifyJournal(text);
    t.ok(verified.ok, 'the journal chain verifies');
    const records = journalRecords(join(fake.workdir, 'journal.jsonl'));
    t.same(
      records.slice(1).flatMap((r) => eventDataProblem(r) ?? []),
      [],
      'every record after the header matches its event schema, as journal verify checks',
    );

    // The deviations step and the closing read-aloud list it, from the journal.
    const deviations = deviationsOf(records);
    t.same(
      deviations.map((d) => [d.kind, d.who]),
      [['share-refused', ['hc3']]],
    );
    const sc = { ...screenContext(HCA, lang, { participants: fake.session.actor.getSnapshot().context.participants }), deviations: () => deviations };
    const step = stepOf(sc, 'deviations');
    const names = deviationNames(sc);
    for (const [where, blocks] of [
      ['the deviations step', stepBlocks(sc, step)],
      ['the closing screen', closingBlocks(sc.t, sc.lang, { hash: 'ab'.repeat(32), words: 'aardvark absurd' }, deviations, names, 80)],
    ] as const) {
      const shown = renderUi(
        <Box width={80}>
          <ApprovalScreen blocks={blocks} fields={approvalFields(sc, step)} onSubmit={() => undefined} rows={40} width={80} />
        </Box>,
        { lang },
      );
      t.teardown(shown.unmount);
      const f = shown.frame();
      t.match(f, tr('deviation.count', { n: 1 }), `${where}: one deviation`);
      t.match(flat(f), flat(tr('deviation.share-refused')), `${where}: the refused share`);
      t.match(flat(f), flat('黃美玲 Huang Mei-ling'), `${where}: who typed it`);
      if (lang === 'en') {
        // In English the code's gist first, the record's own words after it.
        t.match(flat(f), flat('which hc5 holds, not share 3'), `${where}: why`);
        t.match(flat(f), flat(tr('code.share.custodian')), `${where}: why, in ${lang}`);
      } else {
        // In zh-TW the whole sentence from the facts the record keeps (share numbers, holder), no English after it.
        t.match(f, '輸入的是第 5 份分持碼，保管人為 hc5；應輸入自己保管的第 3 份', `${where}: why, in ${lang}, with the share numbers`);
        t.notMatch(f, /which|holds|refused/, `${where}: no English original`);
      }
      t.ok(f.split('\n').every((l) => stringWidth(l) <= 80));
    }
  });

  t.test(`${lang}: an old card of a set a rotation replaced is refused at group 1 as superseded, to be destroyed, and journaled`, async (t) => {
    // The user PIN's set was rotated in an earlier ceremony: its manifest names the set it replaced.
    const fake = fakeCeremony(t, { file: HCA, lang, journal: true, rotated: true, premade: { 'hca-user-pin': ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'] } });
    const setId = fake.session.actor.getSnapshot().context.shareSets['hca-user-pin']!.setId;
    const old = fake.oldShares['hca-user-pin']!;
    const oldSet = (JSON.parse(readFileSync(join(fake.workdir, 'inputs', 'hca-user-pin.manifest.json'), 'utf8')) as { replaces: string }).replaces;
    const ui = await toUnlock(t, fake, lang);
    await ui.waitFor(tr('shares.custodian'));
    await ui.answer('hc1');
    await ui.type(old.hc1!.split('-')[0]!);
    const sentence = tr('shares.supersededSet', {
      got: oldSet,
      credential: zh ? '醫事憑證管理中心載具之使用者 PIN 碼' : 'Healthcare CA token user PIN',
      want: setId,
    });
    t.match(flat(ui.frame()), flat(sentence), 'refused at group 1, naming the old set whole and saying to destroy the card');
    t.match(ui.frame(), /  1   •••••✗/, 'group 1 marked ✗, never ✓');
    const refused = journalRecords(join(fake.workdir, 'journal.jsonl')).filter((r) => r.event === 'share.refused');
    t.equal(refused.length, 1, 'journaled once');
    const data = refused[0]!.data as { code?: string; message: string; details?: Record<string, unknown> };
    t.equal(data.code, 'share.superseded-set', 'a code of its own, for screens and reports in another language');
    t.same(data.details, { setId: oldSet, expectedSet: setId, otherCredential: 'hca-user-pin' });
    t.match(data.message, `is of share set ${oldSet} (hca-user-pin, which a rotation replaced), not ${setId}`);
    // The old card's secret groups never went in: typing on is not taken.
    await ui.type(old.hc1!.split('-').slice(1).join(''));
    await ui.press('enter');
    t.notMatch(flat(ui.frame()), flat(tr('shares.progress', { k: 1, n: 3 })), 'nothing entered');
    const text = readFileSync(join(fake.workdir, 'journal.jsonl'), 'utf8');
    t.notOk(
      old
        .hc1!.split('-')
        .slice(3)
        .some((group) => text.includes(group)),
      'no secret group of the old card in the journal',
    );
    t.ok(verifyJournal(text).ok, 'the journal chain verifies');
    // And the right card goes in after Ctrl+U.
    await ui.press('ctrlU');
    await ui.type(fake.shares['hca-user-pin']!.hc1!);
    await ui.press('enter');
    await ui.waitFor(tr('shares.progress', { k: 1, n: 3 }));
  });
}

// Where one custodian a row does not fit (a short terminal body, many custodians), they go
// side by side: still every one, with their mark, nothing cut.
for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: seven custodians in a short body: side by side, every one listed`, async (t) => {
    const { shares, manifest } = split(newSecret(), {
      threshold: 3,
      of: 7,
      custodians: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'],
      label: 'hca-user-pin',
    });
    const custodians = manifest.shares.map((s) => ({ id: s.custodian, name: `Name ${s.custodian}`, index: s.index, entered: s.index === 1 }));
    const ui = renderUi(
      <Box width={80}>
        <ShareEntryScreen intro="…" setId={manifest.setId} threshold={3} custodians={custodians} onOffer={() => undefined} rows={14} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.answer('c2');
    await ui.type(shares[1]!.text.split('-').slice(0, 12).join(''));
    const frame = ui.frame();
    const marks = [...frame.matchAll(/([✓▶✗·]) (c\d) Name c\d/g)].map((m) => `${m[1]} ${m[2]}`);
    t.same(marks, ['✓ c1', '▶ c2', '· c3', '· c4', '· c5', '· c6', '· c7'], 'all seven, side by side');
    t.ok(frame.split('\n').length <= 14, `within the rows given (${frame.split('\n').length})`);
    t.same(overWide(frame), []);
  });
}

// Stopping (Ctrl+C) during share entry, and the share entry screen after the resume (review
// of issue 16, items 11 and 10): the stop screen says which shares entered so far are
// discarded, by id, and the list keeps its layout, one custodian a row, under the resume notice.
for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const tr = translator(lang);

  const toShareEntry = async (ui: ReturnType<typeof renderApp>) => {
    await ui.waitFor(tr('signIn.intro'));
    for (const [id, name, roles] of PEOPLE) await ui.answer(id, name, roles);
    await ui.press('enter');
    await ui.waitFor(zh ? '核准文號' : 'Approval reference');
    await ui.answer('X-1', 'room', FAKE_SERIAL, 'TB100002', 'wang', 'lin');
    return ui.waitFor(tr('shares.custodian'));
  };

  t.test(`${lang}: Ctrl+C during share entry says the shares entered so far are discarded, by id`, async (t) => {
    const fake = fakeCeremony(t, { file: HCA, lang, premade: { 'hca-user-pin': ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'] } });
    const shares = fake.shares['hca-user-pin']!;
    const ui = renderApp(fake.session, lang);
    t.teardown(ui.unmount);
    await toShareEntry(ui);
    await ui.press('ctrlC');
    let frame = await ui.waitFor(tr('stop.title'));
    t.notMatch(flat(frame), flat(zh ? '將作廢' : 'discarded'), 'no share entered yet: nothing said of shares');
    await ui.press('escape');
    for (const id of ['hc1', 'hc3']) {
      await ui.answer(id);
      await ui.type(shares[id]!);
      await ui.press('enter');
    }
    await ui.waitFor(tr('shares.progress', { k: 2, n: 3 }));
    await ui.press('ctrlC');
    frame = await ui.waitFor(tr('stop.title'));
    t.match(
      flat(frame),
      flat(zh ? '已輸入的 2 份分持碼（hc1、hc3）將作廢，須重新輸入。' : 'The 2 shares entered (hc1, hc3) are discarded and will be typed again.'),
      'the two shares entered, by id, are discarded',
    );
    t.same(overWide(frame), [], 'within 80 columns');
  });

  t.test(`${lang}: under a resume notice (fewer rows) the custodians stay one a row, aligned, as before the stop`, async (t) => {
    const { manifest } = split(newSecret(), { threshold: 3, of: 5, custodians: ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'], label: 'hca-user-pin' });
    const custodians = manifest.shares.map((s) => ({
      id: s.custodian,
      name: PEOPLE.find((p) => p[0] === s.custodian)?.[1] ?? 'PIN share custodian, not signed in',
      index: s.index,
      entered: false,
    }));
    const instructions = zh ? '三位保管人依序輸入其分持資料，螢幕不顯示內容。' : 'Three custodians, one at a time, enter their share. The screen masks it.';
    const intro = tr('shares.intro', { credential: zh ? '醫事憑證管理中心載具之使用者 PIN 碼' : 'Healthcare CA token user PIN' });
    // 13 body rows before the stop; the resume notice takes two or three of them.
    for (const rows of [13, 11, 10]) {
      const ui = renderUi(
        <Box width={80}>
          <ShareEntryScreen
            instructions={instructions}
            intro={intro}
            setId={manifest.setId}
            threshold={3}
            custodians={custodians}
            onOffer={() => undefined}
            rows={rows}
            width={80}
          />
        </Box>,
        { lang },
      );
      t.teardown(ui.unmount);
      const frame = ui.frame();
      t.same(listed(frame), ['· hc1', '· hc2', '· hc3', '· hc4', '· hc5'], `${rows} rows: one custodian a row, in order`);
      const columns = frame
        .split('\n')
        .filter((l) => /^ [✓▶✗·] hc\d/.test(l))
        .map((l) => stringWidth(l.slice(0, l.search(zh ? /第 \d 份/ : /share \d/))));
      t.equal(new Set(columns).size, 1, `${rows} rows: the share numbers in one column (${columns.join(', ')})`);
      t.ok(frame.split('\n').length <= rows, `${rows} rows: fits (${frame.split('\n').length})`);
      if (rows >= 11) t.match(flat(frame), flat(intro), `${rows} rows: the intro is still there`);
    }
  });
}
