// The masked share input: one • per symbol, a mark per group, a wrong group named at once,
// and the share itself in no frame, ever.
import t from 'tap';
import stringWidth from 'string-width';
import { ShareField } from '../../src/ui/components/share-field.js';
import { newSecret, split } from '../../src/quorum/index.js';
import { renderUi } from './helpers/render.js';

const { shares, manifest } = split(newSecret(), { threshold: 2, of: 3, custodians: ['carol', 'dave', 'erin'], label: 'test-user-pin' });
const share = shares[0]!.text;
const groups = share.split('-');
/** Groups 4 onwards hold the share's secret part; 1 to 3 are the public set id and header. */
const secret = groups.slice(3);
const noShare = (frames: string[]) => frames.every((f) => !secret.some((g) => f.includes(g)) && !f.includes(share));

function withTypo(at: number): string {
  const wrong = [...groups];
  const g = wrong[at]!;
  wrong[at] = g.slice(0, 2) + (g[2] === '7' ? '8' : '7') + g.slice(3);
  return wrong.join('-');
}

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: typing a share shows bullets and marks, flags a wrong group, never the share`, async (t) => {
    const submitted: string[] = [];
    const ui = renderUi(<ShareField label="share 1:" expectedSetId={manifest.setId} onSubmit={(s) => submitted.push(s)} />, { lang });
    t.teardown(ui.unmount);
    // Before group 4 says how long the share is, the counter says which group is being typed and how
    // many are done: "第 2 段，已輸入 1 段" read as if two groups were typed (review of issue 16 at 80x24).
    t.match(ui.frame(), lang === 'en' ? 'typing group 1 (0 done)' : '正在輸入第 1 段（已完成 0 段）', 'empty: the first group, none typed');
    await ui.type(groups.slice(0, 2).join(''));
    t.match(ui.frame(), lang === 'en' ? 'typing group 3 (2 done)' : '正在輸入第 3 段（已完成 2 段）', 'before the length is known: the group being typed');
    await ui.press('ctrlU');
    await ui.type(withTypo(5).split('-').slice(0, 7).join(''));
    const frame = ui.frame();
    t.match(frame, /  1   •••••✓ •••••✓ •••••✓ •••••✓ •••••✓\n\s+6   •••••✗ •••••✓/, 'five groups a row like the card, group 6 marked wrong, the others right');
    t.match(frame, lang === 'en' ? 'group 6 is wrong: check it against your share card' : '第 6 段有誤：請對照分持卡');
    await ui.press('enter');
    t.same(submitted, [], 'an incomplete share is not handed on');
    await ui.press('ctrlU');
    t.notMatch(ui.frame(), '•', 'Ctrl+U empties the field');
    await ui.type(share.toLowerCase());
    t.match(ui.frame(), lang === 'en' ? 'all groups right: press Enter' : '各段均正確：請按 Enter');
    await ui.press('backspace');
    t.notMatch(ui.frame(), lang === 'en' ? 'all groups right' : '各段均正確', 'backspace erases the last symbol');
    await ui.type(share.toLowerCase().slice(-1));
    await ui.press('enter');
    t.same(submitted, [share], 'the complete share is handed on once, as read (upper case)');
    t.notMatch(ui.frame(), '•', 'and the field is emptied at once');
    t.ok(noShare(ui.frames), 'no frame contains the share or any secret group of it');
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: a share of another set is refused at group 1, the first half of its set id, before any ✓`, async (t) => {
    const other = split(newSecret(), { threshold: 2, of: 2, custodians: ['a', 'b'] });
    const otherGroups = other.shares[0]!.text.split('-');
    const start = other.manifest.setId.slice(0, 4);
    const submitted: string[] = [];
    const ui = renderUi(<ShareField label="share:" expectedSetId={manifest.setId} onSubmit={(s) => submitted.push(s)} width={80} />, { lang });
    t.teardown(ui.unmount);
    await ui.type(otherGroups[0]!.slice(0, 4));
    t.notMatch(ui.frame(), /[✓✗]/, 'a group still being typed has no mark');
    await ui.type(otherGroups[0]!.slice(4));
    // Review at 80x24, M2: group 1 was ticked ✓ and only group 2 refused the share.
    t.ok(
      ui.frames.every((f) => !f.includes('✓')),
      'no frame ever ticks a group of the other set',
    );
    t.match(ui.frame(), /  1   •••••✗\s*\n/, 'group 1, which refuses it, is marked ✗');
    t.match(
      // Compared without spaces: a wrap may fall on any space.
      ui.frame().replace(/\s+/g, ''),
      (lang === 'en'
        ? `✗ Refused: this is a share of another set (${start}…), perhaps another PIN's; expected set ${manifest.setId}.`
        : `✗ 遭拒：此分持碼屬於另一分持組（${start}…），或為其他 PIN 碼的分持碼；應為分持組 ${manifest.setId}。`
      ).replace(/\s+/g, ''),
    );
    t.match(ui.frame(), lang === 'en' ? 'retype group 1 or Ctrl+U to clear' : '重新輸入第 1 段', 'the counter says what it takes now');
    // Brief crl16u item 3: the rest of the header was still taken after a refusal.
    await ui.type(otherGroups.slice(1).join(''));
    t.match(ui.frame(), /  1   •••••✗ *\n/, 'nothing after the refusing group is taken');
    t.notMatch(ui.frame(), '✓', 'still no ✓ beside the refusal');
    t.match(
      ui.frame().replace(/\n\s+/g, lang === 'en' ? ' ' : ''),
      lang === 'en' ? 'Not taken: the share is refused at its header.' : '分持碼已於標頭遭拒，不再接受輸入。',
      'a short note says why nothing goes in',
    );
    t.ok(
      ui
        .frame()
        .split('\n')
        .every((l) => stringWidth(l) <= 80),
      'within 80 columns',
    );
    await ui.press('enter');
    t.same(submitted, [], 'typed to the end, Enter still does not hand it on');
    // Group 1 retyped from the right card: the field takes the share again.
    await ui.press('home');
    await ui.type(groups[0]!);
    t.notMatch(ui.frame(), '✗', 'the right group 1 lifts the refusal');
  });

  t.test(`${lang}: a set whose id begins like the expected one is refused at group 2, by its whole id`, async (t) => {
    const other = split(newSecret(), { threshold: 2, of: 2, custodians: ['a', 'b'] });
    const otherGroups = other.shares[0]!.text.split('-');
    // An expected set id sharing its first half with the typed share's (one in about a million in life).
    const last = other.manifest.setId.at(-1) === 'Z' ? 'Y' : 'Z';
    const expected = other.manifest.setId.slice(0, 7) + last;
    const ui = renderUi(<ShareField label="share:" expectedSetId={expected} onSubmit={() => undefined} width={80} />, { lang });
    t.teardown(ui.unmount);
    await ui.type(otherGroups[0]!);
    t.match(ui.frame(), /  1   •••••✓/, 'group 1 matches the expected set id: ticked');
    await ui.type(otherGroups[1]!);
    t.match(ui.frame(), /  1   •••••✗ •••••✗/, 'both set id groups marked ✗ once group 2 differs');
    t.match(
      ui.frame().replace(/\n\s+/g, lang === 'en' ? ' ' : ''),
      lang === 'en' ? `(${other.manifest.setId})` : `（${other.manifest.setId}）`,
      'the refusal names the whole set id',
    );
  });

  t.test(`${lang}: a share takes no group past its last; the field says so`, async (t) => {
    const submitted: string[] = [];
    const ui = renderUi(<ShareField label="share:" expectedSetId={manifest.setId} onSubmit={(s) => submitted.push(s)} width={80} />, { lang });
    t.teardown(ui.unmount);
    // The share typed three times over (a 19-group share took 61 groups and listed them wrong).
    await ui.type(share + share + share);
    const frame = ui.frame();
    t.equal(frame.match(/•••••/g)?.length ?? 0, groups.length - (groups.at(-1)!.length < 5 ? 1 : 0), `only the share's ${groups.length} groups are taken`);
    t.notMatch(frame, '✗', 'nothing extra marked wrong');
    t.match(
      frame.replace(/\n\s+/g, lang === 'en' ? ' ' : ''),
      lang === 'en' ? `Not taken: this share has ${groups.length} groups, all typed.` : `未接受輸入：此分持碼共 ${groups.length} 段，均已輸入。`,
      'says why nothing more goes in',
    );
    t.ok(frame.split('\n').every((l) => stringWidth(l) <= 80) && frame.split('\n').length <= 24, 'within 80x24');
    await ui.press('enter');
    t.same(submitted, [share], 'the share itself is handed on');
    t.ok(noShare(ui.frames), 'no frame contains the share');
  });

  t.test(`${lang}: a share whose groups each check but whose whole does not says what it means and what to do`, async (t) => {
    const submitted: string[] = [];
    const ui = renderUi(<ShareField label="share:" expectedSetId={manifest.setId} onSubmit={(s) => submitted.push(s)} width={80} />, { lang });
    t.teardown(ui.unmount);
    // Group 7 read from another card of the set: it checks in its place, the share as a whole does not.
    const mixed = [...groups];
    mixed[6] = shares[1]!.text.split('-')[6]!;
    t.not(mixed[6], groups[6], 'the other card has another group 7');
    await ui.type(mixed.join('-'));
    const frame = ui.frame();
    t.notMatch(frame, /•••••✗/, 'every group is marked right');
    t.notMatch(frame, 'does not match its checksum', 'not the bare engine words');
    t.match(
      frame.replace(/\n\s+/g, lang === 'en' ? ' ' : ''),
      lang === 'en'
        ? '✗ every group is well formed but the share as a whole is not: a group may come from another share card, or have more than one character wrong; compare every group with your own card, in order'
        : '✗ 每段格式均正確，但整份分持碼不符：可能有某段取自另一張分持卡，或某段有多個字元錯誤；請對照自己的分持卡，依序逐段核對',
    );
    t.ok(
      frame.split('\n').every((l) => stringWidth(l) <= 80),
      'within 80 columns',
    );
    await ui.press('enter');
    t.same(submitted, [], 'not handed on');
    t.ok(noShare(ui.frames), 'no frame contains the share');
  });

  t.test(`${lang}: a share of another credential of the ceremony is refused naming that credential`, async (t) => {
    const kek = split(newSecret(), { threshold: 2, of: 2, custodians: ['a', 'b'], label: 'dr-kek' });
    const ui = renderUi(
      <ShareField
        label="share:"
        expectedSetId={manifest.setId}
        otherSet={(shown) => (kek.manifest.setId.startsWith(shown) ? { setId: kek.manifest.setId, credential: 'dr-kek', superseded: false } : undefined)}
        onSubmit={() => undefined}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    // Group 1 alone: the ceremony knows one set whose id begins so, and names it whole.
    await ui.type(kek.shares[1]!.text.split('-')[0]!);
    t.match(
      ui.frame(),
      lang === 'en'
        ? `✗ Refused: this is a share of dr-kek (set ${kek.manifest.setId}), not of set ${manifest.setId}.`
        : `✗ 遭拒：這是 dr-kek 的分持碼（分持組 ${kek.manifest.setId}），不是分持組 ${manifest.setId}。`,
    );
  });

  t.test(`${lang}: a card of the set a rotation replaced is refused as superseded, to be destroyed`, async (t) => {
    const old = split(newSecret(), { threshold: 2, of: 2, custodians: ['a', 'b'], label: 'user-pin' });
    const ui = renderUi(
      <ShareField
        label="share:"
        expectedSetId={manifest.setId}
        otherSet={(shown) => (old.manifest.setId.startsWith(shown) ? { setId: old.manifest.setId, credential: 'user PIN', superseded: true } : undefined)}
        onSubmit={() => undefined}
        width={80}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.type(old.shares[0]!.text.split('-')[0]!);
    t.match(
      ui.frame().replace(/\s+/g, ''),
      (lang === 'en'
        ? `✗ Refused: this card is of set ${old.manifest.setId} of user PIN, which a rotation replaced: it opens nothing now; destroy it before the witnesses. Use your card of set ${manifest.setId}.`
        : `✗ 遭拒：此卡屬於 user PIN 已輪替的舊分持組 ${old.manifest.setId}，已無法開啟任何資料，請於見證人面前銷毀；請改用分持組 ${manifest.setId} 的分持卡。`
      ).replace(/\s+/g, ''),
    );
  });
}

t.test('characters outside the alphabet mark their group wrong at once', async (t) => {
  const ui = renderUi(<ShareField label="share:" onSubmit={() => undefined} />);
  t.teardown(ui.unmount);
  await ui.type('AB!');
  t.match(ui.frame(), /•••✗/);
  t.match(ui.frame(), 'group 1 is wrong');
});

/** Group `at` (0-based) with one character changed, so its check character no longer matches. */
function typo(group: string): string {
  return group.slice(0, 2) + (group[2] === '7' ? '8' : '7') + group.slice(3);
}

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: every wrong group is named; ←/→ and Home/End move to a group, and typing there retypes it`, async (t) => {
    const submitted: string[] = [];
    const ui = renderUi(<ShareField label="share 1:" expectedSetId={manifest.setId} expectedIndex={1} onSubmit={(s) => submitted.push(s)} />, { lang });
    t.teardown(ui.unmount);
    const bad = groups.map((g, i) => (i === 4 || i === 7 || i === groups.length - 1 ? typo(g) : g));
    await ui.type(bad.join(''));
    t.match(
      ui.frame(),
      lang === 'en' ? `groups 5, 8 and ${groups.length} are wrong` : `第 5、8、${groups.length} 段有誤`,
      'all three wrong groups named, not only the first',
    );
    t.match(ui.frame(), lang === 'en' ? '←/→ Home/End: go to a group' : '←／→、Home／End：移到某一段');
    await ui.press('enter');
    t.same(submitted, [], 'refused');
    const n = groups.length;
    const counter = (at: number, k: number) => (lang === 'en' ? `typing group ${at} of ${n} (${k} done)` : `正在輸入第 ${at} 段（共 ${n} 段，已完成 ${k} 段）`);
    const done = lang === 'en' ? `after group ${n} (all ${n} typed)` : `第 ${n} 段之後（${n} 段均已輸入）`;
    t.match(ui.frame(), done, 'at the end of a complete share: past the last group, not on it');
    // The last group: ← once from the end, then retype it.
    await ui.press('left');
    t.match(ui.frame(), counter(n, n), 'one ←: on the last group');
    for (let i = 0; i < 5; i++) await ui.press('left');
    t.match(ui.frame(), counter(n - 5, n), 'six ← from the end: the group the cursor is on, which the next key retypes');
    await ui.press('end');
    t.match(ui.frame(), done, 'End: past the last group again');
    await ui.press('left');
    await ui.press('left');
    await ui.press('left');
    t.match(ui.frame(), counter(n - 2, n), '← three times: the counter follows the cursor, not the end');
    await ui.press('right');
    await ui.press('right');
    await ui.type(groups.at(-1)!);
    t.match(ui.frame(), lang === 'en' ? 'groups 5 and 8 are wrong' : '第 5、8 段有誤');
    // Group 5: Home, then → four times; typing its five characters goes back to the end.
    await ui.press('home');
    t.match(ui.frame(), counter(1, n), 'Home: group 1');
    for (let i = 0; i < 4; i++) await ui.press('right');
    t.match(ui.frame(), counter(5, n), '→ four times: group 5');
    await ui.type(groups[4]!.slice(0, 2));
    t.match(ui.frame(), counter(5, n - 1), 'group 5 half retyped: one group fewer typed');
    await ui.type(groups[4]!.slice(2).toLowerCase());
    t.match(ui.frame(), lang === 'en' ? 'group 8 is wrong' : '第 8 段有誤');
    t.match(ui.frame(), done, 'retyped, the cursor goes to the first group not typed: here past the last, every group typed');
    await ui.press('home');
    for (let i = 0; i < 7; i++) await ui.press('right');
    t.match(ui.frame(), counter(8, n), 'Home and → seven times: group 8');
    await ui.type(groups[7]!);
    t.match(ui.frame(), lang === 'en' ? 'all groups right: press Enter' : '各段均正確：請按 Enter');
    t.match(ui.frame(), done, 'past the last group again');
    await ui.press('enter');
    t.same(submitted, [share], 'the corrected share is handed on, no backspace needed');
    t.ok(noShare(ui.frames), 'no frame contains the share or any secret group of it');
  });

  t.test(`${lang}: a group fixed with ← sends the cursor on to the first group not typed, not onto the next typed one`, async (t) => {
    const submitted: string[] = [];
    const ui = renderUi(<ShareField label="share 1:" expectedSetId={manifest.setId} expectedIndex={1} onSubmit={(s) => submitted.push(s)} width={80} />, {
      lang,
    });
    t.teardown(ui.unmount);
    const n = groups.length;
    const counter = (at: number, k: number) => (lang === 'en' ? `typing group ${at} of ${n} (${k} done)` : `正在輸入第 ${at} 段（共 ${n} 段，已完成 ${k} 段）`);
    // share18 finding 1: groups 1 and 2, a wrong 3, group 4; ←← and group 3 retyped.
    await ui.type(groups[0]! + groups[1]! + typo(groups[2]!) + groups[3]!);
    t.match(ui.frame(), lang === 'en' ? 'group 3 is wrong' : '第 3 段有誤');
    await ui.press('left');
    await ui.press('left');
    // Group 3 says the share's length, so with it wrong the counter cannot say 'of 19'.
    t.match(ui.frame(), lang === 'en' ? 'typing group 3 (4 done)' : '正在輸入第 3 段（已完成 4 段）', '←←: on group 3');
    await ui.type(groups[2]!);
    t.match(ui.frame(), counter(5, 4), 'group 3 retyped: the counter names group 5, the next to type from the card, not group 4');
    t.notMatch(ui.frame(), '✗', 'nothing wrong');
    // The custodian goes on with group 5 from the card: it goes in as group 5, group 4 untouched.
    await ui.type(groups[4]!);
    t.match(ui.frame(), /  1   •••••✓ •••••✓ •••••✓ •••••✓ •••••✓\n/, 'groups 1 to 5 typed and right');
    t.notMatch(ui.frame(), '✗', 'group 4 is not overwritten and named wrong');
    t.match(ui.frame(), counter(6, 5), 'on to group 6');
    t.ok(
      ui
        .frame()
        .split('\n')
        .every((l) => stringWidth(l) <= 80),
      'within 80 columns',
    );
    await ui.type(groups.slice(5).join(''));
    await ui.press('enter');
    t.same(submitted, [share], 'the share typed on from the card is handed on whole');
    t.ok(noShare(ui.frames), 'no frame contains the share or any secret group of it');
  });

  t.test(`${lang}: another custodian's share is refused as soon as its group 4 is typed`, async (t) => {
    const submitted: string[] = [];
    const holders = ['carol', 'dave', 'erin'];
    const ui = renderUi(
      <ShareField
        label="share 1:"
        expectedSetId={manifest.setId}
        expectedIndex={1}
        expectedHolder="carol"
        holderOf={(i) => ({ name: holders[i - 1]!, signedIn: true })}
        onSubmit={(s) => submitted.push(s)}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    const daves = shares[1]!.text.split('-');
    await ui.type(daves.slice(0, 3).join(''));
    t.notMatch(ui.frame(), '✗', 'groups 1 to 3 are the same for every share of the set');
    await ui.type(daves[3]!);
    t.match(
      ui.frame(),
      lang === 'en'
        ? '✗ Refused: this is share 2 of the set, held by dave; expected share 1, held by carol.'
        : '✗ 遭拒：這是本分持組的第 2 份分持碼，保管人為 dave；應為 carol 保管的第 1 份。',
    );
    t.match(ui.frame(), /  1   •••••✓ •••••✓ •••••✓ •••••✗\n/, 'group 4, the share number that refuses it, is marked ✗, not ✓');
    await ui.type(daves.slice(4).join(''));
    t.match(ui.frame(), /  1   •••••✓ •••••✓ •••••✓ •••••✗ *\n/, "the other custodian's secret groups are not taken");
    t.equal(ui.frame().match(/✓/g)?.length, 3, 'no ✓ after the refusing group 4');
    await ui.press('enter');
    t.same(submitted, [], 'Enter does not hand it on');
    // Back to group 4 and retype it with carol's own: the share is taken again.
    await ui.press('left');
    await ui.type(groups[3]!);
    t.notMatch(ui.frame(), '✗', 'group 4 retyped with the right share number: no refusal');
    await ui.type(groups.slice(4).join(''));
    await ui.press('enter');
    t.same(submitted, [share], 'the rest typed and handed on');
  });

  t.test(`${lang}: refused at its header, the counter says what the field takes now: the refusing group retyped or Ctrl+U`, async (t) => {
    const holders = ['carol', 'dave', 'erin'];
    const label = lang === 'en' ? '張淑芬 Carol, share 1:' : '張淑芬 Carol，第 1 份分持碼：';
    const ui = renderUi(
      <ShareField
        label={label}
        expectedSetId={manifest.setId}
        expectedIndex={1}
        expectedHolder="carol"
        holderOf={(i) => ({ name: holders[i - 1]!, signedIn: true })}
        onSubmit={() => undefined}
        width={80}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    const n = groups.length;
    const counter = (at: number, k: number) => (lang === 'en' ? `typing group ${at} of ${n} (${k} done)` : `正在輸入第 ${at} 段（共 ${n} 段，已完成 ${k} 段）`);
    const retype4 = lang === 'en' ? 'retype group 4 or Ctrl+U to clear' : '請重新輸入第 4 段，或按 Ctrl+U 清除';
    const within80x24 = () =>
      ui.frame().split('\n').length <= 24 &&
      ui
        .frame()
        .split('\n')
        .every((l) => stringWidth(l) <= 80);
    // share18 finding 2: dave's share, refused at group 4; the counter read 'group 5 of 19 · 4 typed'.
    await ui.type(shares[1]!.text.split('-').slice(0, 4).join(''));
    const firstLine = () => ui.frame().split('\n')[0]!;
    t.equal(firstLine(), `› ${label}${lang === 'en' ? ' ' : ''}${retype4}`, 'the counter names the refusing group and Ctrl+U');
    t.notMatch(ui.frame(), counter(5, 4), 'not group 5, which the field does not take');
    t.ok(within80x24(), 'within 80x24');
    await ui.type(shares[1]!.text.split('-')[4]!);
    t.equal(firstLine(), `› ${label}${lang === 'en' ? ' ' : ''}${retype4}`, 'typing on, still so: nothing was taken');
    await ui.press('left');
    t.match(firstLine(), counter(4, 4), '← onto group 4, where typing is taken: the usual counter');
    await ui.press('end');
    t.match(firstLine(), retype4, 'End: back where nothing is taken');
    await ui.press('ctrlU');
    t.match(firstLine(), lang === 'en' ? 'typing group 1 (0 done)' : '正在輸入第 1 段（已完成 0 段）', 'Ctrl+U: cleared, group 1');
    // A share of another set, refused at group 1 (the first half of its set id).
    const other = split(newSecret(), { threshold: 2, of: 2, custodians: ['a', 'b'] });
    await ui.type(other.shares[0]!.text.split('-').slice(0, 3).join(''));
    t.equal(
      firstLine(),
      `› ${label}${lang === 'en' ? ' ' : ''}${lang === 'en' ? 'retype group 1 or Ctrl+U to clear' : '請重新輸入第 1 段，或按 Ctrl+U 清除'}`,
      'another set: group 1 retyped, or Ctrl+U',
    );
    t.ok(within80x24(), 'within 80x24');
    t.ok(noShare(ui.frames), 'no frame contains the share or any secret group of it');
  });

  t.test(`${lang}: a refusal at group 4 and a wrong group beside it are both named`, async (t) => {
    const holders = ['carol', 'dave', 'erin'];
    const ui = renderUi(
      <ShareField
        label="share 1:"
        expectedSetId={manifest.setId}
        expectedIndex={1}
        expectedHolder="carol"
        holderOf={(i) => ({ name: holders[i - 1]!, signedIn: true })}
        onSubmit={() => undefined}
        width={80}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    const daves = shares[1]!.text.split('-');
    // Carol's share with a typo in group 6, then group 4 retyped with dave's.
    await ui.type(groups.map((g, i) => (i === 5 ? typo(g) : g)).join(''));
    await ui.press('home');
    for (let i = 0; i < 3; i++) await ui.press('right');
    await ui.type(daves[3]!);
    // Chinese wraps anywhere, so where a line breaks there may or may not have been a space:
    // the Chinese sentence is compared without spaces, the English one with lines joined.
    const flat = lang === 'en' ? ui.frame().replace(/\n\s*/g, ' ') : ui.frame().replace(/\s+/g, '');
    t.match(
      flat,
      lang === 'en'
        ? 'Refused: this is share 2 of the set, held by dave; expected share 1, held by carol. Also group 6 is wrong: check it against your share card.'
        : '遭拒：這是本分持組的第2份分持碼，保管人為dave；應為carol保管的第1份。此外，第6段有誤：請對照分持卡。',
      'the refusal is still said beside the wrong group',
    );
    t.match(ui.frame(), /  1   •••••✓ •••••✓ •••••✓ •••••✗ •••••✓\n\s+6   •••••✗/, 'both ✗ on screen');
    t.ok(
      ui
        .frame()
        .split('\n')
        .every((l) => stringWidth(l) <= 80),
      'within 80 columns',
    );
  });

  t.test(
    `${lang}: with onRefused, a share refused at its header group is reported once; what is typed after stays masked; the ✗ line wraps with a hanging indent`,
    async (t) => {
      const refused: Array<[unknown, string]> = [];
      const submitted: string[] = [];
      const ui = renderUi(
        <ShareField
          label="share 1:"
          expectedSetId={manifest.setId}
          expectedIndex={1}
          expectedHolder="張淑芬 Carol"
          holderOf={(i) => (i === 3 ? { name: lang === 'en' ? 'erin (PIN share custodian)' : 'erin（PIN 碼分持保管人）', signedIn: false } : undefined)}
          onRefused={(refusal, text) => refused.push([refusal, text])}
          onSubmit={(s) => submitted.push(s)}
          width={80}
        />,
        { lang },
      );
      t.teardown(ui.unmount);
      const erins = shares[2]!.text.split('-');
      for (const group of erins.slice(0, 3)) await ui.type(group);
      t.same(refused, [], 'nothing refused while the header says nothing wrong');
      await ui.type(erins[3]!);
      t.equal(refused.length, 1, 'refused at group 4');
      t.same(refused[0]![0], { kind: 'other-share', index: 3 });
      t.equal(
        refused[0]![1],
        lang === 'en'
          ? 'Refused: this is share 3 of the set, held by erin (PIN share custodian), who has not signed in; expected share 1, held by 張淑芬 Carol.'
          : '遭拒：這是本分持組的第 3 份分持碼，保管人為尚未簽到的 erin（PIN 碼分持保管人）；應為 張淑芬 Carol 保管的第 1 份。',
      );
      t.match(
        ui.frame(),
        lang === 'en' ? 'Ctrl+U: clear it and type your own share · Esc: back to the id' : 'Ctrl+U：清除後改輸入您本人的分持碼；Esc：返回輸入代號',
        'what to do now, instead of how to edit it',
      );
      await ui.type(erins.slice(4).join(''));
      t.match(ui.frame(), /  1   •••••✓ •••••✓ •••••✓ •••••✗ *\n/, 'the rest of it is not taken: only the header groups are typed');
      t.notMatch(ui.frame(), /\n\s+6   /, 'no second row of groups');
      t.match(
        ui.frame(),
        lang === 'en' ? 'Not taken: the share is refused at its header.' : '分持碼已於標頭遭拒，不再接受輸入。',
        'a short note says why nothing goes in',
      );
      await ui.press('enter');
      t.equal(refused.length, 1, 'once per refused share, not once per keystroke or Enter');
      t.same(submitted, [], 'and never handed on');
      await ui.press('ctrlU');
      await ui.type(erins.slice(0, 4).join(''));
      t.equal(refused.length, 2, 'cleared and typed again: a second refused share');
      t.ok(noShare(ui.frames), 'no frame contains a share');
      // Without onRefused the field shows it, wrapped under the ✗ (hang 4), never cut at 80 columns.
      const shown = renderUi(
        <ShareField
          label="share 1:"
          expectedSetId={manifest.setId}
          expectedIndex={1}
          expectedHolder="張淑芬 Carol"
          holderOf={() => ({ name: lang === 'en' ? 'erin (PIN share custodian)' : 'erin（PIN 碼分持保管人）', signedIn: false })}
          onSubmit={() => undefined}
          width={80}
        />,
        { lang },
      );
      t.teardown(shown.unmount);
      await shown.type(erins.slice(0, 4).join(''));
      const lines = shown.frame().split('\n');
      const at = lines.findIndex((l) => l.startsWith('  ✗ '));
      t.ok(at > 0 && lines[at + 1]!.startsWith('    ') && lines[at + 1]!.trim() !== '', 'continued under the text, not at column 0');
      t.ok(
        lines.every((l) => stringWidth(l) <= 80),
        'nothing wider than 80 columns',
      );
    },
  );
}
