// Issue 16 item 11, end to end: the one top-level catch of the spawned command line, under
// --lang zh-TW, says a file error and an HSM error with the sentence the screens and the report
// say (src/ui/i18n/problems-zh.ts), naming the file, the line and the module in Chinese, with
// no English sentence after it; under --lang en it prints the engine's English as before.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorLines } from '../../src/cli/error-text.js';
import { KeyceremonyError } from '../../src/errors.js';
import { keyceremony } from '../helpers/cli.js';
import { describeFindings, unexpectedWords } from '../ui/helpers/latin-words.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Latin-letter words on the Chinese lines, outside the allowlist, the words given and the test's folder. */
function english(text: string, words: string[], folders: string[]): string {
  const lines = text.split('\n').map((line) => line.replace(/^keyceremony: /, ''));
  return describeFindings(unexpectedWords([{ name: 'stderr', text: lines.join('\n') }], { words, folders }));
}

t.test('a file error: the file and the line in Chinese, the hint in Chinese, no English original', async (t) => {
  const dir = t.testdir({});
  const definition = join(dir, 'broken.yaml');
  // The keygen script with a key left without its colon on line 3: the YAML parser stops soon after.
  const text = readFileSync(join(ROOT, 'ceremonies/hca-g3-keygen.yaml'), 'utf8').split('\n');
  writeFileSync(definition, [...text.slice(0, 2), 'title [broken', ...text.slice(2)].join('\n'));

  const en = await keyceremony(['plan', definition, '--lang', 'en']);
  t.equal(en.code, 2, en.stderr);
  t.match(en.stderr, new RegExp(`^keyceremony: error: ${definition}:\\d+:\\d+: not valid YAML`, 'm'), 'English as the engine words it');
  // The line where the parser stops, as the English names it.
  const line = new RegExp(`${definition}:(\\d+):`).exec(en.stderr)![1];
  t.match(en.stderr, /^keyceremony: hint: fix the definition file; YAML is indentation sensitive/m);

  const zh = await keyceremony(['plan', definition, '--lang', 'zh-TW']);
  t.equal(zh.code, 2, zh.stderr);
  t.equal(
    zh.stderr,
    [`keyceremony: 錯誤：${definition} 第 ${line} 行不是有效的 YAML`, 'keyceremony: 提示：請修正此檔案：YAML 以縮排表示層次，且鍵名不可重複', ''].join('\n'),
  );
  t.notMatch(zh.stderr, /原文|not valid/, 'no English sentence after it');
  t.equal(english(zh.stderr, [], [dir]), '', 'no English word on the Chinese lines');
});

t.test('an HSM error: the module named in Chinese, the hint in Chinese, no English original', async (t) => {
  const dir = t.testdir({});
  const profile = join(dir, 'hsm.yaml');
  const module = join(dir, 'libvendor-pkcs11.so');
  writeFileSync(profile, `module: ${module}\ndryRun: true\ntokens:\n  hca: { label: HCA-DRYRUN }\n`);

  const en = await keyceremony(['hsm', 'info', '--hsm', profile, '--lang', 'en']);
  t.equal(en.code, 2, en.stderr);
  t.match(en.stderr, `keyceremony: error: PKCS#11 module ${module} does not exist`);

  const zh = await keyceremony(['hsm', 'info', '--hsm', profile, '--lang', 'zh-TW']);
  t.equal(zh.code, 2, zh.stderr);
  t.match(zh.stderr, new RegExp(`^keyceremony: 錯誤：PKCS#11 模組 ${module.replace(/[.]/g, '\\.')} 不存在或不是一般檔案$`, 'm'));
  t.match(zh.stderr, /^keyceremony: 提示：請檢查 HSM 設定檔中的 module 欄位（PKCS#11 模組的路徑）$/m);
  // The module's path is the checkout's (CI clones into /check/…), so only the words around it are searched.
  t.notMatch(zh.stderr.split(module).join('<module>'), /原文|does not exist|check/, 'no English sentence after it');
  t.equal(english(zh.stderr, ['module'], [dir]), '', 'no English word on the Chinese lines');
});

t.test('a failed step after the UI: the step by number and title, the sentence from the facts it keeps, no English original', async (t) => {
  const failed = (details: Record<string, string | number> | undefined) =>
    new KeyceremonyError('step import failed: ledger /w/ledger.jsonl, entry 4: does not carry the SHA-256 of entry 3: an entry before it was changed', {
      code: 'ledger.chain',
      details,
      hint: 'the failure is recorded and the state saved; after fixing the cause run `keyceremony resume /srv/w`',
      says: {
        key: 'failed-step',
        params: { step: '步驟 3「匯入帳冊」', code: 'ledger.chain', problem: 'ledger /w/ledger.jsonl, entry 4: does not carry …', hint: '', workdir: '/srv/w' },
      },
    });
  t.same(errorLines(failed({ file: '/w/ledger.jsonl', line: 4 }), 'zh-TW'), [
    'keyceremony: 錯誤：步驟 3「匯入帳冊」失敗：帳冊 /w/ledger.jsonl 第 4 行的雜湊鏈不符：其前的紀錄遭到變更',
    'keyceremony: 提示：失敗已記錄，狀態已保存；排除原因後請執行 `keyceremony resume /srv/w`',
  ]);
  // A journal written before the facts were kept: the plainest sentence, and the English as the original.
  t.match(errorLines(failed(undefined), 'zh-TW')[0]!, /^keyceremony: 錯誤：步驟 3「匯入帳冊」失敗：帳冊的雜湊鏈不符：有紀錄遭到變更（英文原文：ledger /);
  t.match(errorLines(failed({ file: '/w/ledger.jsonl', line: 4 }), 'en')[0]!, /^keyceremony: error: step import failed: ledger /);
});
