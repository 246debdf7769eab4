// The terminal UI end to end, in a real terminal: a whole small ceremony on SoftHSM inside
// tmux (80x24, Traditional Chinese), typed with send-keys and read with capture-pane. New
// shares are read off the handout screen, as a custodian would copy them, then typed back
// and used to unlock. It checks the screens, that no share is left on screen or in the
// scrollback, and the finished journal.
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, keyceremony } from '../helpers/cli.js';
import { journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';
import { EXIT_MARK, TmuxTerminal } from '../ui/helpers/tmux.js';

const definition = new URL('../ui/fixtures/small.yaml', import.meta.url).pathname;

/** The share on the handout screen: the groups inside the box, in order. */
function shareOnScreen(screen: string): string {
  const groups = screen
    .split('\n')
    .map((line) => /^│\s+\d+\s+((?:[0-9A-Z]{1,5} ?)+?)\s*│$/.exec(line)?.[1])
    .filter((g): g is string => g !== undefined)
    .flatMap((g) => g.split(' ').filter(Boolean));
  if (groups.length < 10) throw new Error(`no share on the handout screen:\n${screen}`);
  return groups.join('-');
}

/** The groups of a share that say something about it (groups 1 to 3 hold the public set id and header). */
const secretGroups = (share: string) => share.split('-').slice(3);

/** KC_UI_SCREENSHOTS=<dir> keeps a text screenshot of the screens named in the test. */
function screenshot(name: string, screen: string): void {
  const dir = process.env.KC_UI_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.txt`), screen);
}

t.test('a whole ceremony in the terminal UI, in zh-TW at 80x24', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'UI-TMUX' });
  const workdir = newWorkdir(fx);
  // The ceremony room's zone, as the header must name it (once: "UTC+08:00 Asia/Taipei").
  let term = TmuxTerminal.start(t, [process.execPath, BIN, 'run', definition, '--hsm', profile, '--workdir', workdir, '--lang', 'zh-TW'], {
    env: { ...fx.env, TZ: 'Asia/Taipei' },
  });
  const shares: Record<string, string> = {};
  let offScreen = 0;
  /** Waits for `pattern`; the header must still be on screen (the live area fits 80x24). */
  const see = async (pattern: RegExp | string, timeoutMs?: number) => {
    const shown = await term.waitFor(pattern, timeoutMs);
    if (!shown.includes('介面測試儀式')) offScreen++;
    return shown;
  };
  const noShareAnywhere = (when: string) => {
    const everything = term.screen({ history: true });
    for (const [who, share] of Object.entries(shares)) {
      for (const group of secretGroups(share))
        if (everything.includes(group)) t.fail(`${when}: group ${group} of ${who}'s share is on the terminal`, { diagnostic: true, screen: everything });
    }
  };

  // Sign-in: a conflict of roles is shown at once.
  let screen = await see('每位參與人員輸入代號、姓名及角色');
  t.match(screen, /演練 · 介面測試儀式\s+步驟 1（共 7 步）/, 'header: a dry run, the title and step k of N');
  t.match(screen, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+08:00 Asia\/Taipei  /, 'header: wall clock with offset and zone, once');
  // Any small figure: on a loaded machine the first screen can come more than 10 s after the opening.
  t.match(screen, /已進行 00:0\d:\d\d/, 'header: elapsed time');
  for (const [id, name, roles] of [
    ['alice', '王小明 Alice', '1'],
    ['wendy', '林美玲 Wendy', '2'],
    ['dave', '李建國 Dave', '3'],
  ] as const) {
    term.enter(id);
    term.enter(name);
    term.enter(roles);
    await see(new RegExp(`${id}\\s+${name}`));
  }
  term.enter('carol');
  term.enter('張淑芬 Carol');
  term.enter('2,3');
  screen = await see('角色互斥');
  screenshot('01-sign-in-conflict', screen);
  t.match(
    screen.replace(/\s+/g, ''),
    /carol（張淑芬Carol）不得同時擔任(保管人及見證人|見證人及保管人)：角色互斥/,
    'the conflict is named at once, with the person by id and name',
  );
  term.press('C-u');
  term.enter('custodian');
  screen = await see('所需人員均已到齊');
  t.match(screen, /carol\s+張淑芬 Carol\s+保管人/);
  term.enter();

  // A record: the field's format in words (never the pattern) is checked as it is typed.
  screen = await see('封袋編號');
  t.match(screen, '格式：兩個大寫英文字母加六位數字，例如 AB123456', 'the format in words, with an example');
  t.match(screen, /✓ 1\/7 sign-in/, 'the finished step stays above as a record');
  term.enter('bag 1');
  screenshot('02-record-pattern', await see('長度不符：應為 8 個字元（兩個大寫英文字母加六位數字），例如 AB123456'));
  term.press('C-u');
  term.enter('tb123456');
  await see('→ TB123456（已轉為大寫記錄）');
  term.enter('alice');
  term.enter('wendy');

  // init-token: what will happen, then approval.
  // The credentials by title, not id, and full-width brackets in zh-TW text (issue 16).
  screen = await see('測試載具之使用者 PIN 碼：2 份中需 2 份');
  screenshot('03-init-token', screen);
  t.match(screen, '測試載具之安全管理者 PIN 碼：2 份中需 2 份');
  t.notMatch(screen, /test-(so|user)-pin/, 'no credential id on the init screen');
  t.match(screen, /載具\s+測試載具（test）/);
  t.match(screen, '演練 · ', 'a dry-run profile: the header says so');
  // The blank token as PKCS#11 reports it: no label and no serial yet (SoftHSM gives both at
  // C_InitToken), so no serial is asked to be compared, and the label to type is not printed.
  t.match(screen, /標籤「—」，序號未回報，SoftHSM project SoftHSM v2，韌體 /, 'the blank token as PKCS#11 reports it');
  t.match(screen.replace(/\s+/g, ''), '此空白載具未回報序號', 'no serial to compare is asked for');
  t.notMatch(screen, 'UI-TMUX', 'the label to type is not on the screen');
  // Who the witness is first, then the label (room16f item 3).
  term.enter('alice');
  term.enter('alice');
  await see('alice 不是見證人');
  term.press('C-u');
  term.enter('wendy');
  term.enter('test');
  // The label is not printed after a wrong attempt either (review16s item 4).
  t.notMatch(await see('與腳本之標籤不符'), 'UI-TMUX', 'not even after a wrong attempt');
  term.press('C-u');
  term.enter('UI-TMUX');

  // Handouts: custodian by custodian, each share shown once, wiped, typed back.
  for (let handed = 0; handed < 4; handed++) {
    screen = await see(/(\S+)，請輸入您的代號/);
    const custodian = /張淑芬 Carol，請輸入您的代號/.test(screen) ? 'carol' : 'dave';
    // The handout names the credential as the share card does: the token's title and the PIN.
    const credential = /測試載具之(安全管理者|使用者) PIN 碼的新分持碼/.exec(screen)![1] === '安全管理者' ? 'test-so-pin' : 'test-user-pin';
    // Issue 16 item 5: the counter counts per credential (two sets of 2 shares, each custodian's
    // two shares in turn), and the screen says what the card says.
    t.match(screen, `已交付 ${Math.floor(handed / 2)} 份，共 2 份`);
    t.match(screen, /第 [12] 份，共 2 份（任 2 份可開啟），保管人 /);
    term.enter(custodian === 'carol' ? 'dave' : 'carol');
    screenshot('04-handout-look-away', await see('僅限本人輸入'));
    term.press('C-u');
    term.enter(custodian);
    screen = await see('機敏性資訊：僅限');
    const share = shareOnScreen(screen);
    shares[`${custodian}:${credential}`] = share;
    term.enter();
    screen = await see('請依分持卡再次輸入分持碼');
    screenshot('05-handout-type-back', screen);
    noShareAnywhere(`after the handout of ${custodian}'s ${credential} share`);
    t.notMatch(term.screen({ history: true }), '機敏性資訊', 'the handout screen is gone from the scrollback too');
    term.enter(share.toLowerCase().replace(/-/g, ' '));
  }

  // The audit key the token was initialised with (its checkpoints sign the journal) is read
  // aloud, its fingerprint written on the paper record.
  screen = await see('見證人抄寫完成後，請按 Enter');
  t.match(screen, /檔案 test-audit-key\.pem\s+SHA-256/, 'the audit key is read aloud for the paper record');
  term.enter();

  // Unlock: a wrong group is flagged while typing; the share is never on screen.
  screen = await see('保管人代號');
  t.match(screen, /已輸入 0 份，需 2 份/);
  term.enter('carol');
  await see('張淑芬 Carol，第');
  // Issue 16 item 4 and the review's M2: Carol's share of the other credential (the SO PIN) is
  // refused as soon as group 1, the first half of its set id, is typed, naming that credential.
  const soGroups = shares['carol:test-so-pin']!.split('-');
  term.type(soGroups[0]!);
  screen = await see(/遭拒：這是測試載具之安全管理者 PIN 碼的分持碼（分持組 [0-9A-Z]{8}）/); // the rest of the line wraps at 80 columns
  t.notMatch(screen, /•✓/, 'no group of the other set ticked');
  term.type(soGroups[1]!);
  t.match(screen, /✗ carol\s+張淑芬 Carol\s+第 \d 份  遭拒，可再輸入/, 'the list marks Carol refused');
  screenshot('06-unlock-wrong-credential', screen);
  term.press('C-u');
  // Dave's share typed by Carol, group by group: groups 1 to 3 are the same for every share
  // of the set, so nothing is wrong yet; group 4 (the share number) gets it refused.
  const daveGroups = shares['dave:test-user-pin']!.split('-');
  for (const group of daveGroups.slice(0, 3)) term.type(group);
  screen = await see(/正在輸入第 4 段（共 \d+ 段，已完成 3 段）/);
  t.notMatch(screen, /•✗|^ {2}✗ /m, "groups 1 to 3 of Dave's share are right for this set");
  term.type(daveGroups[3]!);
  screen = await see(/遭拒：這是本分持組的第 \d 份分持碼，保管人為 李建國 Dave/);
  screenshot('06-unlock-wrong-custodian', screen);
  t.match(
    screen,
    /張淑芬 Carol，第 \d 份分持碼：請重新輸入第 4 段，或按 Ctrl\+U 清除/,
    'refused at group 4, before any group of the secret part: the counter says what the field takes now (share18 finding 2)',
  );
  t.notMatch(screen, /第 5 段（共/, 'not group 5, which the field does not take');
  t.match(screen, /1   •••••✓ •••••✓ •••••✓ •••••✗/, 'group 4, the share number that refuses it, is marked ✗, not ✓');
  t.equal(
    journalRecords(workdir).filter((r) => r.event === 'share.refused').length,
    2,
    "both refusals journaled the moment they were refused (the other credential, then Dave's share)",
  );
  term.press('C-u');
  const carol = shares['carol:test-user-pin']!.split('-');
  const typo = [...carol];
  typo[4] = typo[4]!.slice(0, 4) + (typo[4]!.endsWith('0') ? '1' : '0');
  typo[6] = typo[6]!.slice(0, 4) + (typo[6]!.endsWith('0') ? '1' : '0');
  term.type(typo.slice(0, 7).join(''));
  screen = await see('第 5、7 段有誤');
  screenshot('06-unlock-wrong-group', screen);
  t.match(screen, /1   •••••✓ •••••✓ •••••✓ •••••✓ •••••✗\n\s+6   •••••✓ •••••✗/, 'five groups a row, every wrong group marked and named, masked');
  noShareAnywhere('while a share is typed');
  // Fix them in place: ← three times to group 5, retype it (the cursor goes back to the end,
  // group 8, the next to type from the card), ← once to group 7, retype it, and type on.
  term.press('Left', 'Left', 'Left');
  term.type(carol[4]!);
  screen = await see('第 7 段有誤');
  t.match(screen, /正在輸入第 8 段（共 \d+ 段，已完成 7 段）/, 'group 5 retyped: on to group 8, the first not typed (share18 finding 1)');
  term.press('Left');
  term.type(carol[6]!);
  await see(/1   •••••✓ •••••✓ •••••✓ •••••✓ •••••✓\n\s+6   •••••✓ •••••✓ *\n/);
  term.enter(carol.slice(7).join('-'));
  await see('已輸入 1 份，需 2 份');
  term.enter('dave');
  await see('李建國 Dave，第');
  term.enter(shares['dave:test-user-pin']);
  await see('已輸入 2 份分持碼');
  noShareAnywhere('after the unlock');
  term.enter('alice');
  term.enter('wendy');

  // Key generation, with an exception recorded on the way (Ctrl+E, at any time).
  screen = await see('見證人朗讀金鑰指紋');
  screenshot('07-generate-key', screen);
  t.match(screen, /演算法\s+EC P-256/);
  term.press('C-e');
  screenshot('08-exception', await see('記錄異常事項'));
  term.enter('wendy');
  term.enter('測試用異常事項');
  await see('異常事項 1（林美玲 Wendy）：測試用異常事項');
  term.enter('alice');
  term.enter('wendy');
  screen = await see('請朗讀並抄寫於紙本紀錄');
  screenshot('09-readout', screen);
  t.match(screen, /金鑰 UI-TEST（EC P-256），位於測試載具/);
  t.match(screen, /([0-9A-F]{4} ){7}[0-9A-F]{4}/, 'the fingerprint in hex groups');
  const keyPrint = /([0-9A-F]{4} ){7}[0-9A-F]{4}/.exec(screen)![0];
  const seconds = (text: string) => {
    const [, h, m, sec] = /已進行 (\d\d):(\d\d):(\d\d)/.exec(text)!;
    return Number(h) * 3600 + Number(m) * 60 + Number(sec);
  };
  // Long enough into the ceremony that a clock restarted by the resume would show less.
  screen = await see(/已進行 (00:00:(0[5-9]|[1-5]\d)|00:0[1-9]|0[1-9]:)/);
  const elapsedBefore = seconds(screen);

  // kill -9 on the read-aloud screen, then resume: the same screen comes back first, with
  // the same fingerprint, at the step that made the key; then the ceremony goes on (lock).
  term.kill('SIGKILL');
  t.match(await term.waitFor(`${EXIT_MARK} `), `${EXIT_MARK} 137`);
  term = TmuxTerminal.start(t, [process.execPath, BIN, 'resume', workdir, '--lang', 'zh-TW'], { env: { ...fx.env, TZ: 'Asia/Taipei' } });
  screen = await see('請朗讀並抄寫於紙本紀錄');
  screenshot('09b-readout-after-crash', screen);
  t.match(screen, keyPrint, 'the same fingerprint, read aloud again');
  t.match(screen, /步驟 5（共 7 步）/, 'the header names keygen, the step that made the key');
  // The first screen after the resume says the last run ended with no orderly stop, and where (issue 16 item 3).
  t.match(screen.replace(/\s+/g, ''), /異常終止後續行：程式於步驟5「產製金鑰對」未經正常停止即結束（異常終止）/, 'the crash is said on the first screen');
  t.ok(
    elapsedBefore >= 5 && seconds(screen) >= elapsedBefore,
    `elapsed time counts from the opening, not from the resume (${elapsedBefore} s before the crash, ${seconds(screen)} s after)`,
  );
  term.enter();

  // Lock, then sign-off by everyone.
  await see('請按 Enter 登出載具');
  // The key's record line keeps its fingerprint after the resume (close16j item 19: a full-height
  // read-aloud frame made ink erase the line above it).
  t.match(
    term.screen({ history: true }),
    new RegExp(`✓ 5/7 keygen .*\\n\\s+金鑰 UI-TEST EC P-256 SHA-256 ${keyPrint.split(' ').slice(0, 4).join(' ')} …`),
    "keygen's record line with its fingerprint, after the resume",
  );
  term.enter();
  // Every kind off the script counts (the crash too); with any on record, yes is not preselected.
  // Every kind counted: the crash, the two shares refused at their header groups, the exception.
  screenshot('10-sign-off', await see(/日誌所載未依腳本執行的事項：4 項（異常終止 1 項、分持碼遭\s*拒\s*2 項、異常事項\s*1 項）/));
  for (const id of ['alice', 'wendy', 'dave', 'carol']) {
    term.enter(id);
    term.enter('是');
    term.enter();
    if (id !== 'carol') await see(new RegExp(`✓ ${id}`));
  }

  // The closing read-aloud, before the UI exits: the seal's hash in whole groups, its words,
  // what went off the script; a witness acknowledges.
  screen = await see('日誌最終雜湊值');
  screenshot('11-closing', screen);
  t.match(screen, /^ {4}([0-9A-F]{4} ){7}[0-9A-F]{4}\s*$/m, 'eight whole groups on a line, none split');
  t.match(screen, '未依腳本執行的事項，共 4 項', 'the two refused shares, the exception and the crash');
  // The list is longer than the screen: PgDn shows the rest. Both refusals are on it, by record number.
  const refusedLines = (text: string) => [...text.matchAll(/#(\d+) [\d:]+ 步驟 4「多人控管啟用載具」：分持碼遭拒（張淑芬 Carol）/g)].map((m) => m[1]);
  const firstPage = refusedLines(screen);
  term.press('NPage');
  const secondPage = refusedLines(await see(/第 (?!1-)\d+-\d+ 行，共 \d+ 行/));
  t.equal(new Set([...firstPage, ...secondPage]).size, 2, 'both refused shares listed for the read-aloud');

  // kill -9 on the closing screen, after the seal and before a witness acknowledged (issue 16
  // items 2 and 3): resume shows the same closing screen again, with this crash listed, and a
  // witness acknowledges there; nothing is added to the sealed journal.
  const sealedJournal = readFileSync(join(workdir, 'journal.jsonl'));
  const seal = journalRecords(workdir).at(-1)!;
  t.equal(seal.event, 'ceremony.sealed', 'the journal was sealed before the closing screen');
  term.kill('SIGKILL');
  t.match(await term.waitFor(`${EXIT_MARK} `), `${EXIT_MARK} 137`);
  term = TmuxTerminal.start(t, [process.execPath, BIN, 'resume', workdir, '--lang', 'zh-TW'], { env: { ...fx.env, TZ: 'Asia/Taipei' } });
  screen = await see('日誌最終雜湊值');
  screenshot('11b-closing-after-crash', screen);
  const sealGroups = seal.hash.toUpperCase().match(/.{4}/g)!;
  t.match(screen, `    ${sealGroups.slice(0, 8).join(' ')}\n`, 'the same hash, whole groups, eight a line');
  t.match(screen, `    ${sealGroups.slice(8).join(' ')}\n`);
  // The list runs below the fold: PgDn to its end, where this crash and the acknowledgement's note are.
  let closingText = screen;
  for (let page = 0; page < 5; page++) {
    const [, from, to, lines] = /第 (\d+)-(\d+) 行，共 (\d+) 行/.exec(screen)!;
    if (to === lines) break;
    term.press('NPage');
    screen = await see(new RegExp(`第 (?!${from}-)\\d+-\\d+ 行，共 ${lines} 行`));
    closingText += screen;
  }
  const squeezed = closingText.replace(/\s+/g, '');
  t.match(squeezed, '未依腳本執行的事項，共5項', 'the two refused shares, the exception, the crash at keygen and this one');
  t.match(squeezed, `#${seal.seq}`, 'this crash, after the seal record');
  t.match(squeezed, '封存紀錄之後，於結束畫面：異常終止：程式未經正常停止即結束；未記入日誌', 'listed as in no record');
  t.match(squeezed, '此確認僅見於本畫面及紙本紀錄', 'the acknowledgement is on the screen and the paper log only');
  term.enter('carol');
  await see('須由本儀式的見證人確認');
  term.press('C-u');
  term.enter('wendy');

  screen = await term.waitFor(`${EXIT_MARK} `);
  screenshot('12-end', screen);
  t.match(screen, `${EXIT_MARK} 0`, 'keyceremony exits 0');
  t.equal(offScreen, 0, 'the header was on every screen: nothing was taller than 24 rows');
  t.match(screen, '儀式已完成，日誌已封存');
  t.same(readFileSync(join(workdir, 'journal.jsonl')), sealedJournal, 'nothing written to the journal after the seal');
  t.match(screen, /keyceremony: 「ui-small」已封存（已完成），無須續行\n/, 'the lines after exit follow --lang');
  t.match(screen, /keyceremony: 報告 \S+report\.md\n/, 'the report the killed run did not write');
  t.match(
    screen,
    /keyceremony: 日誌最終雜湊值（SHA-256）：\nkeyceremony: {3}([0-9A-F]{4} ){7}[0-9A-F]{4}\nkeyceremony: {3}([0-9A-F]{4} ){7}[0-9A-F]{4}\n/,
    'after exit too, whole groups, eight a line',
  );
  noShareAnywhere('at the end');

  const records = journalRecords(workdir);
  t.same(
    records.filter((r) => r.event === 'step.completed').map((r) => r.step),
    ['inventory', 'init', 'unlock', 'keygen', 'lock', 'sign-off'],
  );
  t.equal(records.filter((r) => r.event === 'share.handed-over').length, 4, 'four shares handed over');
  t.equal(records.filter((r) => r.event === 'share.accepted').length, 2, 'two shares entered to unlock');
  const refusals = records.filter((r) => r.event === 'share.refused');
  t.same(
    refusals.map((r) => [r.step, r.who]),
    [
      ['unlock', ['carol']],
      ['unlock', ['carol']],
    ],
    'two refused shares, each once, with the custodian who typed it',
  );
  t.match(
    (refusals[0]!.data as { message: string }).message,
    /is of share set [0-9A-Z]{8} \(test-so-pin\), not [0-9A-Z]{8} \(test-user-pin\): refused at its header group/,
  );
  t.match((refusals[1]!.data as { message: string }).message, /which dave holds, not share \d: refused at its header group/, 'and why');
  t.ok(records.some((r) => r.event === 'exception.recorded' && (r.data as { text: string }).text === '測試用異常事項'));
  t.equal(records.at(-1)!.event, 'ceremony.sealed');
  const journal = readFileSync(join(workdir, 'journal.jsonl'), 'utf8') + readFileSync(join(workdir, 'state.json'), 'utf8');
  t.notOk(
    Object.values(shares).some((share) => secretGroups(share).some((group) => journal.includes(group))),
    'no share in the journal or the state',
  );
  const verify = await keyceremony(['journal', 'verify', workdir]);
  t.equal(verify.code, 0, verify.stderr);
});

t.test('stop with Ctrl+C (confirmed), then resume in the UI where it stopped', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'UI-RESUME' });
  const workdir = newWorkdir(fx);
  const first = TmuxTerminal.start(t, [process.execPath, BIN, 'run', definition, '--hsm', profile, '--workdir', workdir, '--lang', 'en'], { env: fx.env });
  await first.waitFor('Each participant types their id, name and roles.');
  for (const [id, name, roles] of [
    ['alice', 'Alice', '1'],
    ['wendy', 'Wendy', '2'],
    ['carol', 'Carol', '3'],
    ['dave', 'Dave', '3'],
  ]) {
    first.enter(id);
    first.enter(name);
    first.enter(roles);
    await first.waitFor(new RegExp(`${id}\\s+${name}`));
  }
  first.enter();
  await first.waitFor('Bag number');
  first.press('C-c');
  await first.waitFor('Stop for now?');
  // Who stops, and a second person who confirms: both go into the journal.
  first.enter('wendy');
  first.enter('alice');
  first.enter('yes');
  let screen = await first.waitFor(`${EXIT_MARK} `);
  t.match(screen, `${EXIT_MARK} 3`, 'exit 3: interrupted, resumable');
  t.match(screen, /keyceremony: DRY RUN interrupted at step 2, /, 'the step by number and title, not its id');
  t.match(screen, /; to resume:\nkeyceremony: {3}keyceremony resume \//, 'the resume command on a line of its own');

  const second = TmuxTerminal.start(t, [process.execPath, BIN, 'resume', workdir], { env: fx.env });
  screen = await second.waitFor('Bag number');
  t.match(screen, /Step 2 of 7/, 'resumed at the step where it stopped');
  t.match(screen, /✓ 1\/7 sign-in/, 'with the record of what was done before');
  second.press('C-c');
  await second.waitFor('Stop for now?');
  second.enter('alice');
  second.enter('carol');
  second.enter('yes');
  t.match(await second.waitFor(`${EXIT_MARK} `), `${EXIT_MARK} 3`);
  const events = journalRecords(workdir).map((r) => r.event);
  t.ok(events.includes('ceremony.resumed'));
  t.equal(events.filter((e) => e === 'ceremony.interrupted').length, 2);
  t.same(
    journalRecords(workdir)
      .filter((r) => r.event === 'ceremony.interrupted')
      .map((r) => [r.step, r.who, (r.data as { stoppedBy?: string }).stoppedBy]),
    [
      ['inventory', ['wendy', 'alice'], 'wendy'],
      ['inventory', ['alice', 'carol'], 'alice'],
    ],
    'who stopped, and who confirmed, are recorded at the step being done',
  );
});

t.test('below 80x24 a "terminal too small" screen, until it grows (Ctrl+C says how to stop); a resize redraws cleanly', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'UI-RESIZE' });
  const workdir = newWorkdir(fx);
  const term = TmuxTerminal.start(t, [process.execPath, BIN, 'run', definition, '--hsm', profile, '--workdir', workdir, '--lang', 'en'], { env: fx.env });
  await term.waitFor('Each participant types their id, name and roles.');
  term.enter('alice');
  term.enter('Alice');
  term.enter('1');
  await term.waitFor(/alice\s+Alice/);
  term.type('wen');

  term.resize(72, 22);
  let screen = await term.waitFor('Terminal too small');
  t.match(screen.replace(/\s+/g, ' '), 'This terminal is 72x22; the ceremony needs at least 80x24');
  t.notMatch(screen, 'Step 1 of 7', 'no cut-down ceremony screen');
  // Ctrl+C there is not a silent key: it says how to stop, and the stop screen opens once it is big enough.
  term.press('C-c');
  screen = await term.waitFor('Ctrl+C pressed');
  t.match(screen.replace(/\s+/g, ' '), 'to stop, enlarge the terminal to at least 80x24');

  term.resize(100, 30);
  screen = await term.waitFor('Stop for now?');
  t.notMatch(screen, 'Terminal too small');
  term.press('Escape');
  screen = await term.waitFor('Each participant types their id, name and roles.');
  t.notMatch(screen, 'Terminal too small');
  t.equal(screen.split('Step 1 of 7').length - 1, 1, 'the header once on screen: no ghost lines');
  t.match(screen, /› Id\s+wen/, 'what was typed before is still there');
  const history = term.screen({ history: true });
  t.equal(history.split('Step 1 of 7').length - 1, 1, 'and once in the scrollback: nothing duplicated');

  term.press('C-u');
  term.press('C-c');
  await term.waitFor('Stop for now?');
  term.enter('yes');
  t.match(await term.waitFor(`${EXIT_MARK} `), `${EXIT_MARK} 3`);
});
