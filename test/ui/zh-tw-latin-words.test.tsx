// Issue 16 item 11: zh-TW complete. Every Latin-letter word on every zh-TW screen of the
// demo (its intro, the small ceremony on a throwaway SoftHSM token, the lines after exit),
// of the lines the command line prints before the UI and after a failed step,
// and of a real ceremony (hca-g3-keygen on a copy of the chain's HCA token) is listed, and
// any word outside the allowlist fails the test with the screen it was on. The allowlist is
// built from what the definition and the people give (names, ids, labels, output names),
// fingerprints (hex, PGP words), the shares shown at handout, and a short list of PKCS#11,
// X.509 and crypto terms (helpers/latin-words.ts).
import t, { type Test } from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCeremony } from '../../src/ceremony/runner.js';
import { runnerDeps } from '../../src/cli/runner-deps.js';
import { demoCast, demoClosing, demoIntro, demoStartPrompt } from '../../src/cli/demo-intro.js';
import type { Definition } from '../../src/definition/definition.js';
import { loadDefinition } from '../../src/definition/loader.js';
import { CeremonyApp, type UiOutcome } from '../../src/ui/app.js';
import { journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { newCase, prepareChain } from '../helpers/chain.js';
import { softhsm, SOFTHSM_MODULE } from '../helpers/softhsm.js';
import { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';
import { describeFindings, unexpectedWords } from './helpers/latin-words.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { checkProcessHygiene } from '../../src/ceremony/process-hygiene.js';
import { exitLine } from '../../src/ceremony/exit-lines.js';
import { errorLines } from '../../src/cli/error-text.js';
import { KeyceremonyError } from '../../src/errors.js';
import { renderUi, tick, type Rendered } from './helpers/render.js';
import stringWidth from 'string-width';
import { deviationsOf } from '../../src/ceremony/deviations.js';
import { CKR_EXPLANATIONS } from '../../src/hsm/hsm-error.js';
import { JOURNAL_NOTES, SIGNAL_AT_TERMINAL } from '../../src/util/journal-notes.js';
import { CATALOGUES } from '../../src/ui/i18n/index.js';
import { approvalFields } from '../../src/ui/model/approval.js';
import { closingBlocks } from '../../src/ui/model/closing.js';
import { deviationNames, stepBlocks } from '../../src/ui/model/facts.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { plainText, type Block } from '../../src/report/document.js';
import { buildReport } from '../../src/report/report.js';
import { header, PARTICIPANTS, records, signedIn } from '../report/helpers/records.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const SMALL = new URL('./fixtures/small.yaml', import.meta.url).pathname;
const REPORT_FIXTURE = new URL('../report/fixtures/report.yaml', import.meta.url).pathname;
const PROCESS_FACTS = { coreLimit: { soft: 0, hard: 0 }, corePattern: 'core', ptraceScope: 1, swap: { areas: 0, usedKiB: 0 } };

interface Seen {
  /** Every frame the UI drew, named by the step it was on. */
  screens: Array<{ name: string; text: string }>;
  /** The lines `run` printed after the UI closed. */
  out: string[];
  code: number;
  /** Share groups shown on the handout screens (the custodians copy them). */
  shareWords: string[];
}

/** The step a frame shows (the step list marks it ▶), to name the screen in a failure. */
function screenName(frame: string, index: number): string {
  const step = /▶ (\d+) (\S+)/.exec(frame);
  // The screen's own first line: the first one under the chrome's rule.
  const lines = frame.split('\n');
  const rule = lines.findIndex((line) => /^─{20,}/.test(line));
  const title = lines.slice(rule + 1).find((line) => line.trim() !== '') ?? '';
  return `frame ${index}${step ? ` at step ${step[1]} ${step[2]}` : ''} "${title.trim().slice(0, 36)}"`;
}

/** The share inside the handout box, as a custodian copies it to paper. */
function shareOnScreen(frame: string): string[] {
  return frame
    .split('\n')
    .map((line) => /^│\s+\d+\s+((?:[0-9A-Z]{1,5} ?)+?)\s*│$/.exec(line)?.[1])
    .filter((g): g is string => g !== undefined)
    .flatMap((g) => g.split(' ').filter(Boolean));
}

/**
 * `keyceremony run` in this process, in zh-TW, on the terminal UI drawn by
 * ink-testing-library (every frame kept); `drive` types what the people at the terminal type.
 */
async function runInZhTw(
  t: Test,
  options: { definitionFile: string; profileFile: string; workdir: string; inputs?: Record<string, string> },
  drive: (ui: Rendered, shares: string[][]) => Promise<void>,
): Promise<Seen> {
  const out: string[] = [];
  const shares: string[][] = [];
  let frames: string[] = [];
  const code = await runCeremony(
    {
      ...options,
      lang: 'zh-TW',
      out: (line) => out.push(line),
      interactive: (session) =>
        new Promise<UiOutcome>((resolve, reject) => {
          const ui = renderUi(<CeremonyApp session={session} colors={false} onOutcome={resolve} onError={reject} size={{ columns: 80, rows: 24 }} />, {
            lang: 'zh-TW',
          });
          frames = ui.frames;
          t.teardown(ui.unmount);
          drive(ui, shares).catch(reject);
        }).then(async (outcome) => {
          await tick(50);
          return outcome;
        }),
    },
    runnerDeps(),
  );
  return { screens: frames.map((text, i) => ({ name: screenName(text, i), text })), out, code, shareWords: shares.flat() };
}

/** Reads the share off the handout screen, Enter (wiped), and types it back from "paper". */
async function takeHandout(ui: Rendered, shares: string[][], custodian: string, name: string) {
  await ui.answer(custodian);
  const frame = await ui.waitFor(new RegExp(`機敏性資訊：僅限 ?${name}`));
  const share = shareOnScreen(frame);
  shares.push(share);
  await ui.press('enter');
  await ui.waitFor('請依分持卡再次輸入分持碼');
  await ui.type(share.join('-').toLowerCase());
  await ui.press('enter');
  return share;
}

/** Everything a definition names that a screen may show as it is: ids, labels, file names, names of people. */
function definitionWords(definition: Definition): string[] {
  const words = [definition.ceremony];
  words.push(...definition.steps.map((s) => s.id));
  words.push(...Object.keys(definition.credentials), ...Object.keys(definition.tokens), ...Object.keys(definition.inputs ?? {}));
  for (const step of definition.steps) {
    const s = step as { output?: string; key?: string | { label: string } };
    if (s.output) words.push(s.output);
    if (typeof s.key === 'string') words.push(s.key);
    else if (s.key) words.push(s.key.label);
  }
  return words;
}

/** What PKCS#11 says of the tokens (manufacturer, model), as the init-token screen shows it. */
function tokenWords(open: () => { tokens(): Array<{ manufacturer: string; model: string }>; finalize(): void }): string[] {
  const hsm = open();
  try {
    return hsm.tokens().flatMap((info) => `${info.manufacturer} ${info.model}`.split(/\s+/));
  } finally {
    hsm.finalize();
  }
}

/** The share set ids in the run's manifests (a handout names its set, and the halves groups 1 and 2 begin with). */
function setIds(workdir: string): string[] {
  return readdirSync(join(workdir, 'outputs'))
    .filter((name) => name.endsWith('.manifest.json'))
    .map((name) => (JSON.parse(readFileSync(join(workdir, 'outputs', name), 'utf8')) as { setId: string }).setId)
    .flatMap((setId) => [setId, setId.slice(0, 4), setId.slice(4)]);
}

const peopleWords = (people: Array<[string, string]>) => people.flatMap(([id, name]) => [id, ...name.split(/\s+/)]);

function checkNoEnglish(t: Test, seen: Seen, allowed: { words: string[]; folders: string[] }) {
  const screens = [...seen.screens, ...seen.out.map((text, i) => ({ name: `line ${i + 1} after exit`, text }))];
  const findings = unexpectedWords(screens, { words: [...allowed.words, ...seen.shareWords], folders: allowed.folders });
  t.same(findings.length, 0, `Latin-letter words outside the allowlist on the zh-TW screens:\n${describeFindings(findings)}`);
}

t.test('the zh-TW demo: intro, the small ceremony on SoftHSM, the lines after exit', async (t) => {
  const fx = softhsm(t);
  const label = 'ZH-DEMO';
  const profile = fx.profile({ test: label });
  const workdir = newWorkdir(fx);
  const definition = loadDefinition(SMALL);
  const cast = demoCast(false);
  const intro = [...demoIntro(definition, cast, 'zh-TW', label), demoStartPrompt('zh-TW')];
  const closing = demoClosing('zh-TW', { dir: fx.dir, bin: '/opt/keyceremony/dist/cli/bin.js', workdir, conf: fx.conf, interrupted: true });

  const seen = await runInZhTw(t, { definitionFile: SMALL, profileFile: profile, workdir }, async (ui, shares) => {
    await ui.waitFor('每位參與人員輸入代號、姓名及角色');
    // The roles as the intro names them, in Chinese.
    for (const [id, name, roles] of cast) await ui.answer(id, name, roles.map((r) => definition.roles[r]!.title!['zh-TW']).join('、'));
    await ui.press('enter');
    await ui.waitFor('封袋編號');
    await ui.answer('bag 1');
    await ui.waitFor('長度不符');
    await ui.press('ctrlU');
    await ui.answer('tb123456', 'alice', 'wendy');
    await ui.waitFor('與標籤', 5000).catch(() => undefined);
    await ui.answer('alice', 'wendy', label);
    const byHolder: Record<string, string[]> = {};
    for (let handed = 0; handed < 4; handed++) {
      const frame = await ui.waitFor(/(\S+ \S+)，請輸入您的代號/, 10_000);
      const carol = frame.includes('張淑芬 Carol，請輸入您的代號');
      const credential = frame.includes('測試載具之安全管理者 PIN 碼的新分持碼') ? 'test-so-pin' : 'test-user-pin'; // by title, as on the card
      byHolder[`${carol ? 'carol' : 'dave'}:${credential}`] = await takeHandout(ui, shares, carol ? 'carol' : 'dave', carol ? '張淑芬 Carol' : '李建國 Dave');
    }
    await ui.waitFor('見證人抄寫完成後，請按 Enter', 10_000);
    await ui.press('enter');
    for (const custodian of ['carol', 'dave']) {
      await ui.waitFor('保管人代號');
      await ui.answer(custodian);
      await ui.type(byHolder[`${custodian}:test-user-pin`]!.join('-'));
      await ui.press('enter');
    }
    await ui.waitFor('已輸入 2 份分持碼', 10_000);
    await ui.answer('alice', 'wendy');
    await ui.waitFor('見證人朗讀金鑰指紋', 10_000);
    await ui.press('ctrlE');
    await ui.waitFor('記錄異常事項');
    await ui.answer('wendy', '測試用異常事項');
    await ui.waitFor('異常事項 1');
    await ui.answer('alice', 'wendy');
    await ui.waitFor('請朗讀並抄寫於紙本紀錄', 10_000);
    await ui.press('enter');
    await ui.waitFor('請按 Enter 登出載具', 10_000);
    await ui.press('enter');
    await ui.waitFor('每位參與人員簽署確認', 10_000);
    for (const id of ['alice', 'wendy', 'carol', 'dave']) await ui.answer(id, '是', '');
    await ui.waitFor('日誌最終雜湊值', 10_000);
    await ui.answer('wendy');
  });
  t.equal(seen.code, 0, 'the ceremony completed');
  t.ok(seen.screens.length > 50, `every frame is checked (${seen.screens.length})`);
  t.equal(journalRecords(workdir).at(-1)!.event, 'ceremony.sealed');
  seen.screens.unshift({ name: 'the demo intro', text: intro.join('\n') });
  seen.out.push(...closing);
  checkNoEnglish(t, seen, {
    // What the people typed ('bag 1' refused, 'tb123456' taken as TB123456) is on screen as typed.
    words: [
      ...definitionWords(definition),
      ...peopleWords(cast.map(([id, name]) => [id, name])),
      label,
      'demo',
      'bag',
      'tb123456',
      'TB123456',
      ...readdirSync(join(workdir, 'outputs')),
      ...setIds(workdir),
      ...tokenWords(() => fx.open()),
    ],
    folders: [fx.dir, '/opt/keyceremony'],
  });
});

t.test("a real ceremony in zh-TW: hca-g3-keygen (EC P-384 copy) on a copy of the chain's HCA token", async (t) => {
  const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
  const c = newCase(chain, 'zh-tw-words', 'hca-g3-keygen');
  const before = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = c.store.conf;
  t.teardown(() => {
    if (before === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = before;
  });
  const definition = loadDefinition(c.definition);
  const tokenInit = chain.workdirs['hca-token-init']!;
  const people: Array<[string, string, string]> = [
    ['wang', '王大明 Wang Ta-ming', 'administrator'],
    ['lin', '林秀英 Lin Hsiu-ying', 'witness'],
    ['hc1', '張淑芬 Chang Shu-fen', 'custodian'],
    ['hc3', '黃美玲 Huang Mei-ling', 'custodian'],
    ['hc4', '吳俊傑 Wu Chun-chieh', 'custodian'],
  ];
  // A dry-run share file has a line per credential: name, set id, share.
  const shareOf = (custodian: string) =>
    readFileSync(join(tokenInit, 'dry-run-shares', custodian), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('hca-user-pin '))!
      .split(' ')[2]!;
  // The HSM serial is compared with the token's own (room16f item 4): the serial hca-token-init recorded, read from the token.
  const serial = readFileSync(join(tokenInit, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; step: string | null; data: { values?: Record<string, string> } })
    .find((r) => r.event === 'step.completed' && r.step === 'storage')!.data.values!['hsm-serial']!;
  const typed = ['DRY-RUN-2026-003', '演練機房', serial, 'TB100002', 'TB100003'];
  const seen = await runInZhTw(
    t,
    {
      definitionFile: c.definition,
      profileFile: c.store.profile,
      workdir: c.workdir,
      inputs: {
        'hca-audit-key': join(tokenInit, 'outputs', 'hca-audit-key.pem'),
        'hca-user-pin-manifest': join(tokenInit, 'outputs', 'hca-user-pin.init.manifest.json'),
      },
    },
    async (ui) => {
      await ui.waitFor('每位參與人員輸入代號、姓名及角色', 10_000);
      for (const [id, name, role] of people) await ui.answer(id, name, definition.roles[role]!.title!['zh-TW']);
      await ui.press('enter');
      await ui.waitFor('核准文號', 10_000);
      await ui.answer(...typed.slice(0, 4), 'wang', 'lin');
      for (const custodian of ['hc1', 'hc3', 'hc4']) {
        await ui.waitFor('保管人代號', 10_000);
        await ui.answer(custodian);
        await ui.type(shareOf(custodian));
        await ui.press('enter');
      }
      await ui.waitFor('已輸入 3 份分持碼', 10_000);
      await ui.answer('wang', 'lin');
      for (const [step, made] of [
        ['keygen', 'keys'],
        ['csr', 'outputs'],
      ] as const) {
        await ui.waitFor(step === 'keygen' ? '管理員啟動金鑰產製' : '朗讀憑證申請檔指紋', 10_000);
        await ui.answer('wang', 'lin');
        await ui.waitFor('請朗讀並抄寫於紙本紀錄', 20_000);
        await ui.press('enter');
        const done = journalRecords(c.workdir).find((r) => r.event === 'step.completed' && r.step === step)!;
        const result = (done.data as Record<string, Array<{ spkiSha256?: string; sha256?: string }>>)[made]![0]!;
        await ui.waitFor('見證人回輸', 10_000);
        await ui.answer((result.spkiSha256 ?? result.sha256)!, 'lin');
      }
      await ui.waitFor('請按 Enter 登出載具', 10_000);
      await ui.press('enter');
      await ui.waitFor('新封袋編號', 10_000);
      await ui.answer(typed[4]!, 'wang', 'lin');
      await ui.waitFor('記錄', 10_000);
      await ui.answer('無', 'lin');
      await ui.waitFor('每位參與人員簽署確認', 10_000);
      for (const [id] of people) await ui.answer(id, '', '');
      await ui.waitFor('日誌最終雜湊值', 10_000);
      await ui.answer('lin');
    },
  );
  t.equal(seen.code, 0, 'the ceremony completed');
  t.equal(journalRecords(c.workdir).at(-1)!.event, 'ceremony.sealed');
  const all = seen.screens.map((s) => s.text).join('\n');
  t.notMatch(all, '見證人（見證人）', 'no doubled title');
  const commaLines = [...new Set(all.split('\n').filter((line) => /[\u4E00-\u9FFF）], [\u4E00-\u9FFF（]/.test(line)))];
  t.same(commaLines, [], 'Chinese lists take 、 and ，, not ", "');
  // The custodians the share set names (those not here too), and the CSR's subject as the definition gives it.
  const manifest = JSON.parse(readFileSync(join(tokenInit, 'outputs', 'hca-user-pin.init.manifest.json'), 'utf8')) as { shares: Array<{ custodian: string }> };
  const csr = definition.steps.find((s) => s.type === 'create-csr') as { subject: Record<string, string> };
  const subjectWords = Object.entries(csr.subject).flatMap(([k, v]) => [`${k}=${v}`, ...v.split(/\s+/)]);
  checkNoEnglish(t, seen, {
    words: [
      ...definitionWords(definition),
      ...peopleWords(people.map(([id, name]) => [id, name])),
      'HCA-DRYRUN',
      // Typed values whole: a record line at 80 columns no longer splits SOFTHSM-DRYRUN (it moves to the next line).
      ...typed,
      ...manifest.shares.map((s) => s.custodian),
      ...subjectWords,
      ...readdirSync(join(c.workdir, 'outputs')),
      ...setIds(join(tokenInit)),
      ...tokenWords(() => Pkcs11Hsm.open(SOFTHSM_MODULE)),
    ],
    folders: [chain.dir, tmpdir()],
  });
});

// The lines before the UI (refusals on stderr, the process checks on stdout) and a failed
// step's lines after it: under --lang zh-TW they are Chinese too (src/cli/error-text.ts).
t.test('the lines before and after the UI in zh-TW: refusals, process warnings and a failed step', async (t) => {
  const root = new URL('../../', import.meta.url).pathname;
  const keygen = join(root, 'ceremonies/hca-g3-keygen.yaml');
  const profile = join(root, 'ceremonies/profiles/softhsm-dry-run.yaml');
  const lines: Array<{ name: string; text: string }> = [];
  for (const args of [
    ['run', keygen],
    ['run', keygen, '--bogus'],
    ['frobnicate'],
    ['run', keygen, '--hsm', profile, '--workdir', '/nonexistent/w'],
    ['run', keygen, '--hsm', profile, '--workdir', '/nonexistent/w', '--input', 'nothing'],
  ]) {
    const result = await keyceremonyInProcess([args[0]!, '--lang', 'zh-TW', ...args.slice(1)]);
    t.equal(result.code, 2, result.stderr);
    result.stderr
      .trimEnd()
      .split('\n')
      .forEach((text, i) => lines.push({ name: `keyceremony ${args[0]} ${args.slice(2).join(' ')}, line ${i + 1}`, text }));
  }
  const facts = { coreLimit: { soft: 'unlimited' as const, hard: 'unlimited' as const }, corePattern: 'core', ptraceScope: 1, swap: { areas: 1, usedKiB: 64 } };
  checkProcessHygiene(facts, true, 'zh-TW').forEach((warning, i) =>
    lines.push({ name: `process warning ${i + 1}`, text: exitLine('zh-TW', 'warning', { warning }) }),
  );
  const failed = new KeyceremonyError('step keygen failed: logging in: the HSM refused the PIN (CKR_PIN_INCORRECT)', {
    code: 'CKR_PIN_INCORRECT',
    says: { key: 'failed-step', params: { step: '步驟 5「產製金鑰對」', code: 'CKR_PIN_INCORRECT', problem: '', hint: '', workdir: '/srv/w' } },
  });
  errorLines(failed, 'zh-TW').forEach((text, i) => lines.push({ name: `failed step, line ${i + 1}`, text }));
  t.ok(lines.length >= 14, `${lines.length} lines`);
  // What the lines name as typed: the command, options, ids, paths and the example.
  const named = [
    'run',
    'frobnicate',
    'bogus',
    'hsm',
    'answers',
    'input',
    'nothing',
    'help',
    'ulimit',
    'unlimited',
    'KiB',
    'shell',
    'resume',
    'hca-g3-csr=/media/usb/hca-g3.csr',
  ];
  const findings = unexpectedWords(lines, { words: named, folders: [root, '/nonexistent', '/srv'] });
  t.same(findings.length, 0, `Latin-letter words outside the allowlist on the zh-TW lines:\n${describeFindings(findings)}`);
  // Not blind: the English catch of the same refusal is all English.
  const en = await keyceremonyInProcess(['run', '--lang', 'en', keygen]);
  t.ok(unexpectedWords([{ name: 'en', text: en.stderr }], { words: named, folders: [root] }).length > 3, 'the English lines are found');
});

t.test('the word list finds English on a zh-TW screen and keeps what the allowlist names', async (t) => {
  const screens = [
    { name: 'the report', text: '已停止：stopped on request…；訊號：unknown；sharesLost：1' },
    { name: 'a record line', text: '✓ 2/7 inventory  approval-reference：DRY-RUN-2026-003；SHA-256 3F2A 91BC …' },
    {
      name: 'a prompt',
      text: '確認請輸入 yes；\u001B[2J 金鑰 HCA-G3（EC P-384）；aardvark adroitness；CKR_PIN_INCORRECT；^E 異常事項；`keyceremony resume /tmp/x`',
    },
  ];
  const findings = unexpectedWords(screens, { words: ['inventory', 'HCA-G3', 'DRY-RUN-2026-003'], folders: [] });
  t.same(
    findings.map((f) => `${f.word} @ ${f.screen}`),
    [
      'stopped @ the report',
      'on @ the report',
      'request @ the report',
      'unknown @ the report',
      'sharesLost @ the report',
      'approval-reference @ a record line',
      'yes @ a prompt',
    ],
    'each English word, with its screen; ids, hex, PGP words, PKCS#11 constants, key names and commands in backticks pass',
  );
  t.match(describeFindings(findings), /^ {2}stopped {4}on the report$/m);
});

// Issue 16: the deviations of a ceremony (refused shares, a refused record value, a failed
// login, a signal, a crash, a stop at the terminal) on the zh-TW deviations step, the closing
// read-aloud at 80x24, and the zh-TW report's deviations: whole Chinese sentences with the
// share numbers, people and fields, no English original. The records are as the engine
// writes them (code, English message, the facts it names as `details`), chained and checked
// against their schemas as journal verify checks them.
t.test('zh-TW deviations on the screens and in the report: whole sentences, no English original', async (t) => {
  const definition = loadDefinition(REPORT_FIXTURE);
  const resumed = { snapshotSeq: 2, journalSeq: 3, process: PROCESS_FACTS, tool: { name: 'keyceremony', version: '0.1.0', sha256: 'ab'.repeat(32) } };
  const journal = records(header(definition.sha256), [
    signedIn,
    {
      step: 'location',
      event: 'event.refused',
      who: ['alice', 'wendy'],
      data: {
        event: 'step.submit',
        code: 'values.pattern',
        message: 'step location: field "bag-number" does not match [A-Z]{2}[0-9]{6}: it must be two capital letters and six digits, e.g. AB123456',
        details: { field: 'bag-number', example: 'AB123456' },
      },
    },
    {
      step: 'unlock',
      event: 'share.refused',
      who: ['carol'],
      data: {
        code: 'share.custodian',
        message: 'the share typed for carol is share 4 of set 7Q2M9K4D, which dave holds, not share 3: refused at its header group, before its secret part',
        details: { index: 4, setId: '7Q2M9K4D', holder: 'dave', expectedIndex: 3 },
      },
    },
    {
      step: 'unlock',
      event: 'share.refused',
      who: ['dave'],
      data: { code: 'share.checksum', message: 'the share entered by dave has mistakes in groups 3 and 7', details: { groups: '3,7' } },
    },
    {
      step: 'unlock',
      event: 'step.failed',
      who: ['alice', 'wendy'],
      data: { code: 'CKR_PIN_INCORRECT', message: 'logging in: the HSM refused the PIN (CKR_PIN_INCORRECT)', hint: CKR_EXPLANATIONS.CKR_PIN_INCORRECT!.hint },
    },
    { step: 'unlock', event: 'ceremony.interrupted', who: [], data: { signal: 'SIGTERM', note: JOURNAL_NOTES.interrupted } },
    { step: null, event: 'ceremony.resumed', who: [], data: resumed },
    // A resume with no stop before it: the process before it crashed.
    { step: null, event: 'ceremony.resumed', who: [], data: resumed },
    {
      step: 'unlock',
      event: 'ceremony.interrupted',
      who: ['alice', 'wendy'],
      data: { signal: SIGNAL_AT_TERMINAL, stoppedBy: 'alice', confirmedBy: ['wendy'], note: JOURNAL_NOTES.interrupted },
    },
  ]);
  const deviations = deviationsOf(journal);
  t.same(
    deviations.map((d) => d.kind),
    ['share-refused', 'share-refused', 'failed', 'interrupted', 'crashed', 'interrupted'],
  );
  const screens: Array<{ name: string; text: string }> = [];
  for (const lang of ['zh-TW', 'en'] as const) {
    const sc = { ...screenContext(REPORT_FIXTURE, lang, { participants: PARTICIPANTS }), deviations: () => deviations };
    const step = stepOf(sc, 'deviations');
    for (const [where, blocks] of [
      ['the deviations step', stepBlocks(sc, step)],
      ['the closing screen', closingBlocks(sc.t, lang, { hash: 'ab'.repeat(32), words: 'aardvark absurd' }, deviations, deviationNames(sc), 80)],
    ] as const) {
      const shown = renderUi(<ApprovalScreen blocks={blocks} fields={approvalFields(sc, step)} onSubmit={() => undefined} rows={60} width={80} />, { lang });
      t.teardown(shown.unmount);
      const frame = shown.frame();
      t.ok(
        frame.split('\n').every((line) => stringWidth(line) <= 80),
        `${lang}, ${where}: fits 80 columns`,
      );
      const flat = frame.replace(/\s+/g, '');
      if (lang === 'en') {
        // English keeps the engine's own words after the gist.
        t.match(flat, 'whichdaveholds,notshare3', `en, ${where}: the engine's words`);
        continue;
      }
      screens.push({ name: `zh-TW ${where}`, text: frame });
      t.match(flat, '輸入的是第4份分持碼，保管人為李建國Dave；應輸入自己保管的第3份', `${where}: the share numbers and the holder`);
      t.match(flat, '分持碼第3、7段有輸入錯誤', `${where}: the groups`);
      t.match(flat, 'HSM拒絕此PIN', `${where}: the failed login`);
      t.match(flat, '訊號SIGTERM', `${where}: the signal`);
      t.match(flat, '異常終止', `${where}: the crash`);
      t.equal(flat.split('中斷').length - 1, 2, `${where}: the signal and the stop at the terminal`);
      t.notMatch(frame, /refused|which|holds|mistakes|logging/, `${where}: no English original`);
    }
  }
  // The report's deviations, in zh-TW: the message and hint as sentences, the facts not listed again.
  const doc = buildReport(
    definition,
    readCeremonyRecord(
      journal,
      definition.steps.map((s) => s.id),
    ),
    'zh-TW',
    {
      tool: 'keyceremony 0.1.0',
      journal: { file: '/w/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /w' },
    },
  );
  const section = doc.sections.find((s) => s.anchor === 'section-deviations')!;
  // Both tables of the section: the deviations counted, then the other records listed and not
  // counted (a refused record value is one of those).
  const tables = section.blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
  t.equal(tables.length, 2, 'the deviations, then the other records');
  const details = tables.flatMap((table) => table.rows.map((row) => plainText(row.at(-1)!)));
  const report = details.join('\n');
  t.match(report, '欄位「bag-number」格式不符，例如 AB123456', 'the refused record value, with its field');
  t.match(report, '輸入的是第 4 份分持碼，保管人為 李建國 Dave（dave）；應輸入自己保管的第 3 份', 'the refused share, with its numbers');
  t.match(report, CATALOGUES['zh-TW']['fix.CKR_PIN_INCORRECT'], 'the hint in Chinese');
  t.notMatch(report, /details|holder|expectedIndex/, 'the facts are in the sentence, not listed again');
  screens.push({ name: 'the zh-TW report, deviations', text: report });
  // The journal's codes and the resume's process facts (a command, a core pattern, KiB) as the report names them.
  const codes = ['values.pattern', 'share.custodian', 'share.checksum', 'step.submit', 'CKR_PIN_INCORRECT', 'SIGTERM', 'resume', 'core', 'KiB'];
  const findings = unexpectedWords(screens, {
    words: [
      ...definitionWords(definition),
      ...peopleWords(PARTICIPANTS.map((p) => [p.id, p.name])),
      'AB123456',
      '7Q2M9K4D',
      'script',
      '/script',
      'alert',
      'bag-number',
      ...codes,
    ],
    folders: [],
  });
  t.same(findings.length, 0, `Latin-letter words outside the allowlist:\n${describeFindings(findings)}`);
});
