// Issue 16 item 11: every line the command line prints before and after the UI follows
// --lang. Under --lang zh-TW a refusal before the UI (a missing --input, a bad option, an HSM
// that cannot carry out the ceremony) and a failed step after it were English, and at a
// terminal of 80 columns they were cut mid-word. Each line here is checked through main()
// in both languages, and the Chinese ones for Latin-letter words outside the allowlist.
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { KeyceremonyError } from '../../src/errors.js';
import { errorLines, langOfArgs } from '../../src/cli/error-text.js';
import { wrapForTerminal } from '../../src/cli/terminal-wrap.js';
import { exitCodeFor } from '../../src/cli/main.js';
import { preflightRefusal } from '../../src/hsm/preflight.js';
import { checkProcessHygiene } from '../../src/ceremony/process-hygiene.js';
import { displayWidth } from '../../src/util/text-width.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { describeFindings, unexpectedWords } from '../ui/helpers/latin-words.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const KEYGEN = join(ROOT, 'ceremonies/hca-g3-keygen.yaml');
const PROFILE = join(ROOT, 'ceremonies/profiles/softhsm-dry-run.yaml');

/** Latin-letter words on Chinese lines, outside the allowlist and `allowed` (ids, options and paths the lines name). */
function english(text: string, allowed: string[], folders: string[] = []): string {
  // An option is a word without its dashes (--hsm is the word hsm).
  const words = allowed.flatMap((w) => [w, w.replace(/^-+/, '')]);
  const findings = unexpectedWords([{ name: 'stderr', text }], { words, folders });
  return findings.length === 0 ? '' : describeFindings(findings);
}

const CASES: Array<{ what: string; args: string[]; en: RegExp; zh: RegExp; allowed: string[] }> = [
  {
    what: 'a required option',
    args: ['run', KEYGEN],
    en: /^keyceremony: error: run: --hsm is required$/m,
    zh: /^keyceremony: 錯誤：run：須給 --hsm$/m,
    allowed: ['run', '--hsm', 'keyceremony', '--help'],
  },
  {
    what: 'an unknown option',
    args: ['run', KEYGEN, '--bogus'],
    en: /^keyceremony: error: run: unknown option '--bogus'$/m,
    zh: /^keyceremony: 錯誤：run：沒有 --bogus 這個選項$/m,
    allowed: ['run', '--bogus', '--help'],
  },
  {
    what: 'an option without its value',
    args: ['run', KEYGEN, '--hsm'],
    en: /^keyceremony: error: run: option '--hsm <value>' argument missing$/m,
    zh: /^keyceremony: 錯誤：run：--hsm 之後須接一個值$/m,
    allowed: ['run', '--hsm', '--help'],
  },
  {
    what: 'too many arguments',
    args: ['plan', KEYGEN, 'extra'],
    en: /^keyceremony: error: plan: expected <definition\.yaml>, got 2 arguments$/m,
    zh: /^keyceremony: 錯誤：plan：須給 <definition\.yaml>，卻給了 2 個引數$/m,
    allowed: ['plan', 'definition.yaml', '--help'],
  },
  {
    what: 'an unknown command',
    args: ['frobnicate'],
    en: /^keyceremony: error: unknown command "frobnicate"$/m,
    zh: /^keyceremony: 錯誤：沒有「frobnicate」這個指令$/m,
    allowed: ['frobnicate', '--help'],
  },
  {
    what: 'an --input that is no name=path',
    args: ['run', KEYGEN, '--hsm', PROFILE, '--workdir', '/nonexistent/w', '--input', 'nothing'],
    en: /^keyceremony: error: run: --input must be name=path, not "nothing"$/m,
    zh: /^keyceremony: 錯誤：run：--input 須為「名稱=路徑」，不能是「nothing」$/m,
    allowed: ['run', '--input', 'nothing', 'hca-g3-csr=/media/usb/hca-g3.csr'],
  },
  {
    what: 'no terminal and no answers',
    args: ['run', KEYGEN, '--hsm', PROFILE, '--workdir', '/nonexistent/w'],
    en: /^keyceremony: error: run: no --answers file and no terminal/m,
    zh: /^keyceremony: 錯誤：run：沒有 --answers 回答檔，也沒有終端機可詢問儀式現場人員$/m,
    allowed: ['run', '--answers', '--answers'],
  },
];

for (const c of CASES) {
  t.test(`${c.what}: said in the language of --lang`, async (t) => {
    // --lang right after the command: an option left without its value must be the last.
    const withLang = (lang: string) => [c.args[0]!, '--lang', lang, ...c.args.slice(1)];
    const en = await keyceremonyInProcess(withLang('en'));
    t.equal(en.code, 2);
    t.match(en.stderr, c.en, 'en');
    t.match(en.stderr, /^keyceremony: hint: /m);
    const zh = await keyceremonyInProcess(withLang('zh-TW'));
    t.equal(zh.code, 2);
    t.match(zh.stderr, c.zh, 'zh-TW');
    t.match(zh.stderr, /^keyceremony: 提示：/m, 'the hint in Chinese too');
    t.equal(english(zh.stderr, c.allowed, [ROOT]), '', 'no English on the Chinese lines');
  });
}

t.test('a bad --lang is said in the language of the locale', async (t) => {
  const zh = await keyceremonyInProcess(['report', '/nonexistent', '--lang', 'fr'], { env: { ...process.env, LANG: 'zh_TW.UTF-8', LC_ALL: '' } });
  t.equal(zh.code, 2);
  t.match(zh.stderr, /^keyceremony: 錯誤：--lang 只能是 en 或 zh-TW，不能是「fr」$/m);
  const en = await keyceremonyInProcess(['report', '/nonexistent', '--lang', 'fr'], { env: { ...process.env, LANG: 'C', LC_ALL: '' } });
  t.match(en.stderr, /^keyceremony: error: --lang must be en or zh-TW, not "fr"$/m);
  t.equal(langOfArgs(['run', '--lang=zh-TW'], {}), 'zh-TW', '--lang=zh-TW');
  t.equal(langOfArgs(['run'], { LANG: 'zh_TW.UTF-8' }), 'zh-TW');
  t.equal(langOfArgs(['run', '--lang', 'en'], { LANG: 'zh_TW.UTF-8' }), 'en', '--lang before the locale');
});

t.test('a missing --input: its name and title, and how to give it, in both languages', async (t) => {
  const dir = t.testdir({});
  // The answers file without its inputs: run then finds the definition's inputs not given.
  const answers = readFileSync(join(ROOT, 'ceremonies/hca-g3-keygen.answers.yaml'), 'utf8').replace(/^inputs:\n(?: {2}.*\n)+/m, '');
  writeFileSync(join(dir, 'keygen.answers.yaml'), answers);
  mkdirSync(join(dir, 'softhsm'));
  writeFileSync(join(dir, 'softhsm.conf'), `directories.tokendir = ${join(dir, 'softhsm')}\nobjectstore.backend = file\n`);
  const env = { ...process.env, SOFTHSM2_CONF: join(dir, 'softhsm.conf') };
  const run = (lang: string, workdir: string) =>
    keyceremonyInProcess(['run', KEYGEN, '--hsm', PROFILE, '--workdir', join(dir, workdir), '--answers', join(dir, 'keygen.answers.yaml'), '--lang', lang], {
      env,
    });
  const en = await run('en', 'w-en');
  t.equal(en.code, 2, en.stderr);
  t.match(en.stderr, /^keyceremony: error: input "hca-audit-key" \(audit-key\) is not given$/m);
  t.match(en.stderr, /^keyceremony: hint: add inputs\.hca-audit-key: <file> to the answers file, or pass --input hca-audit-key=<file>$/m);
  const zh = await run('zh-TW', 'w-zh');
  t.equal(zh.code, 2, zh.stderr);
  t.match(zh.stderr, /^keyceremony: 錯誤：未提供輸入 hca-audit-key（醫事憑證管理中心載具之稽核公鑰（日誌查核點））$/m);
  t.match(zh.stderr, /^keyceremony: 提示：請於回答檔加入 inputs\.hca-audit-key: <檔案>，或加上 --input hca-audit-key=<檔案>$/m);
  t.equal(
    english(zh.stdout + zh.stderr, ['hca-audit-key', 'inputs.hca-audit-key', '--input', 'hca-audit-key=<檔案>'], [dir]),
    '',
    'no English on the Chinese lines',
  );
});

t.test('the HSM that cannot carry out the ceremony: the missing rows in the language of --lang', async (t) => {
  const refusal = preflightRefusal(
    [
      {
        token: 'hca',
        step: 'keygen',
        status: 'missing',
        text: { en: 'mechanism CKM_EC_KEY_PAIR_GEN: not supported', 'zh-TW': '機制 CKM_EC_KEY_PAIR_GEN：不支援' },
      },
      { token: 'hca', step: '', status: 'ok', text: { en: 'token label HCA-DRYRUN: found', 'zh-TW': '載具標籤 HCA-DRYRUN：已找到' } },
    ],
    'profiles/hsm.yaml',
  )!;
  t.same(errorLines(refusal, 'en'), [
    'keyceremony: error: the HSM cannot carry out this ceremony: hca (step keygen): mechanism CKM_EC_KEY_PAIR_GEN: not supported',
    'keyceremony: hint: run `keyceremony hsm check <definition> --hsm profiles/hsm.yaml` for the whole table; HSM.md says what each capability means',
  ]);
  const zh = errorLines(refusal, 'zh-TW');
  t.same(zh, [
    'keyceremony: 錯誤：HSM 無法執行本儀式：hca（步驟 keygen）：機制 CKM_EC_KEY_PAIR_GEN：不支援',
    'keyceremony: 提示：執行 `keyceremony hsm check <定義檔> --hsm profiles/hsm.yaml` 可看完整檢查表；各項能力的意義見 HSM.md',
  ]);
  t.equal(english(zh.join('\n'), ['hca', 'keygen', 'HSM.md']), '');
});

t.test('a failed step after the UI: by number and title, the gist in Chinese, the engine words as the original', async (t) => {
  const failed = new KeyceremonyError('step keygen failed: logging in: the HSM refused the PIN (CKR_PIN_INCORRECT)', {
    code: 'CKR_PIN_INCORRECT',
    hint: 'the failure is recorded and the state saved; after fixing the cause run `keyceremony resume /srv/w`',
    says: {
      key: 'failed-step',
      params: {
        step: '步驟 5「產製金鑰對」',
        code: 'CKR_PIN_INCORRECT',
        problem: 'logging in: the HSM refused the PIN (CKR_PIN_INCORRECT)',
        hint: '',
        workdir: '/srv/w',
      },
    },
  });
  t.match(errorLines(failed, 'en')[0]!, /^keyceremony: error: step keygen failed: /);
  const zh = errorLines(failed, 'zh-TW');
  // The screens' sentence, the HSM's return value beside it (problems.ts), then the engine's words.
  t.match(
    zh[0]!,
    /^keyceremony: 錯誤：步驟 5「產製金鑰對」失敗：HSM [^（]+（CKR_PIN_INCORRECT）（英文原文：logging in: the HSM refused the PIN \(CKR_PIN_INCORRECT\)）$/,
  );
  t.equal(zh[1], 'keyceremony: 提示：失敗已記錄，狀態已保存；排除原因後請執行 `keyceremony resume /srv/w`');
});

t.test('an error the catalogue does not word: its gist, and the English as the original, labelled so', async (t) => {
  const lines = errorLines(
    new KeyceremonyError('journal /w/journal.jsonl does not exist', { code: 'journal.not-found', hint: 'give the workdir of a ceremony' }),
    'zh-TW',
  );
  t.match(lines[0]!, /^keyceremony: 錯誤：/);
  t.equal(lines[1], 'keyceremony:   原文：journal /w/journal.jsonl does not exist');
  t.equal(lines[2], 'keyceremony: 提示：（英文原文）give the workdir of a ceremony');
});

/** A stream that says it is a terminal of `columns` columns, and keeps what is written. */
function terminal(columns: number) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    }),
    { isTTY: true, columns },
  );
  return { stream, text: () => chunks.join('') };
}

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: at an 80-column terminal an error wraps between words, each line indented under the message`, async (t) => {
    const stderr = terminal(80);
    const io = { stdout: terminal(80).stream, stderr: stderr.stream, stdin: process.stdin, env: {} };
    const error = new KeyceremonyError(
      'input "hca-user-pin-manifest": /media/usb/ceremony-2026/hca-token-init/outputs/hca-user-pin.init.manifest.json has SHA-256 3f2a91bc, but the definition expects 9c0e77aa',
      { code: 'input.fingerprint', hint: 'this is not the file the ceremony script was approved for; stop and find out why' },
    );
    t.equal(exitCodeFor(error, io, ['run', '--lang', lang]), 1);
    const lines = stderr.text().trimEnd().split('\n');
    t.ok(lines.length > 3, `wrapped: ${lines.length} lines`);
    t.same(
      lines.filter((line) => displayWidth(line) > 80),
      [],
      'no line wider than the terminal',
    );
    const words = error.message.split(' ');
    const printed = lines.map((line) => line.trim()).join(' ');
    // A word is never cut; a path longer than a short id breaks only after a / or - (util/text-width.ts).
    for (const word of words.filter((w) => w.length <= 20)) t.ok(printed.includes(word), `"${word}" whole on one line`);
    const path = words.find((w) => w.startsWith('/media/'))!;
    t.ok(
      lines
        .map((line) => line.trim())
        .join('')
        .includes(path),
      'the path, joined again, is whole',
    );

    t.ok(
      lines.every((line) => line.startsWith('keyceremony:') || /^ {8,}\S/.test(line)),
      'continuation lines are indented, never at column 0',
    );
    // A pipe gets each message on one line, for grep.
    const piped = await keyceremonyInProcess(['run', KEYGEN, '--bogus', '--lang', lang]);
    t.equal(piped.stderr.trimEnd().split('\n').length, 2);
  });
}

t.test('wrapForTerminal keeps a short line and the lead of a long one', async (t) => {
  t.same(wrapForTerminal('keyceremony: error: short', 80), ['keyceremony: error: short']);
  const lines = wrapForTerminal(`keyceremony: 錯誤：${'無法寫入報告'.repeat(12)}`, 40);
  t.ok(lines[0]!.startsWith('keyceremony: 錯誤：'));
  t.ok(lines.slice(1).every((line) => line.startsWith(' '.repeat(displayWidth('keyceremony: 錯誤：')))));
  t.ok(lines.every((line) => displayWidth(line) <= 40));
});

t.test('a command or path alone on its line is never broken: it is copied whole', async (t) => {
  const detail = `keyceremony:   keyceremony resume /srv/ceremonies/2026-12-06/hca-g3-keygen-production-run/${'w'.repeat(40)}`;
  t.same(wrapForTerminal(detail, 80), [detail]);
});

t.test('the process checks before the UI: warnings and the production refusal in both languages', async (t) => {
  const facts = {
    coreLimit: { soft: 'unlimited' as const, hard: 'unlimited' as const },
    corePattern: '|/usr/lib/systemd/systemd-coredump %P',
    ptraceScope: 1,
    swap: { areas: 1, usedKiB: 512 },
  };
  const en = checkProcessHygiene(facts, true, 'en');
  const zh = checkProcessHygiene(facts, true, 'zh-TW');
  t.equal(en.length, 3);
  t.equal(zh.length, 3);
  t.match(en[0]!, /^core dumps are on \(ulimit -c is unlimited\)/);
  t.match(zh[0]!, /^核心傾印已開啟（ulimit -c 為 unlimited）：本次演練若當機/);
  t.match(zh[2]!, '置換空間已使用 512 KiB');
  t.equal(english(zh.join('\n'), ['ulimit', 'unlimited', '/usr/lib/systemd/systemd-coredump', 'KiB', 'shell']), '');
  let refusal: unknown;
  try {
    checkProcessHygiene(facts, false, 'zh-TW');
  } catch (error) {
    refusal = error;
  }
  t.ok(refusal instanceof KeyceremonyError, 'a production ceremony is refused');
  t.match(errorLines(refusal as KeyceremonyError, 'en')[0]!, /^keyceremony: error: core dumps are on \(ulimit -c is unlimited\): a crash would write/);
  t.same(errorLines(refusal as KeyceremonyError, 'zh-TW'), [
    'keyceremony: 錯誤：核心傾印已開啟（ulimit -c 為 unlimited）：程序若當機，記憶體中的 PIN 碼及分持碼會寫入磁碟',
    'keyceremony: 提示：請先在此 shell 執行 `ulimit -c 0`（關閉核心傾印：同時設定軟性及硬性上限），再重新啟動 keyceremony',
  ]);
});
