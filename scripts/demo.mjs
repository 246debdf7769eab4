#!/usr/bin/env node
// npm run demo: a first ceremony in the terminal UI, on a throwaway SoftHSM token, for a
// newcomer. It makes a token store in a temporary folder (scripts/softhsm-setup.sh), an HSM
// profile with dryRun: true, and runs `keyceremony run` interactively. Nothing outside the
// temporary folder is touched; the folder is printed at the end, with the journal in it.
//
//   npm run demo                      the smallest whole ceremony (4 people, 2 custodians)
//   npm run demo -- --all-steps       the engine's test ceremony (6 people, 3 custodians)
//   npm run demo -- --lang zh-TW      in Traditional Chinese (default: from LANG)
//   npm run demo -- --definition <file.yaml> --token <name>
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/bin.js');
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

const fail = (message, hint) => {
  console.error(`demo: error: ${message}`);
  if (hint) console.error(`demo: hint: ${hint}`);
  process.exit(2);
};

const lang = option('--lang') ?? (/^zh[_-](TW|HK|Hant)/i.test(process.env.LC_ALL || process.env.LANG || '') ? 'zh-TW' : 'en');
const allSteps = argv.includes('--all-steps');
const definition = resolve(option('--definition') ?? join(root, allSteps ? 'test/fixtures/engine/all-steps.yaml' : 'test/ui/fixtures/small.yaml'));
const token = option('--token') ?? 'test';
const module = process.env.KEYCEREMONY_TEST_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

if (!process.stdin.isTTY || !process.stdout.isTTY) fail('the demo is interactive and needs a terminal', 'run it in a terminal window, not through a pipe');
if (!existsSync(bin)) fail('keyceremony is not built yet', 'run npm run build first');
if (!existsSync(definition)) fail(`no ceremony definition at ${definition}`);

const dir = mkdtempSync(join(tmpdir(), 'keyceremony-demo-'));
const setup = spawnSync(join(root, 'scripts/softhsm-setup.sh'), ['--store', join(dir, 'softhsm')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (setup.status !== 0) process.exit(setup.status ?? 2);
const profile = join(dir, 'hsm-demo.yaml');
writeFileSync(profile, `# Throwaway SoftHSM token for npm run demo.\nmodule: ${module}\ndryRun: true\ntokens:\n  ${token}: { label: DEMO-${Date.now().toString(36).toUpperCase()} }\n`);
const workdir = join(dir, 'work');

const cast = allSteps
  ? [['alice', '王小明 Alice', 'administrator'], ['wendy', '林美玲 Wendy', 'witness'], ['walter', '陳志豪 Walter', 'witness, auditor'], ['carol', '張淑芬 Carol', 'custodian'], ['dave', '李建國 Dave', 'custodian'], ['erin', '黃雅婷 Erin', 'custodian']]
  : [['alice', '王小明 Alice', 'administrator'], ['wendy', '林美玲 Wendy', 'witness'], ['carol', '張淑芬 Carol', 'custodian'], ['dave', '李建國 Dave', 'custodian']];
const en = [
  'keyceremony demo: a ceremony under multiple person control (多人控管),',
  'on a throwaway SoftHSM token.',
  '',
  'You play everyone. Sign them in like this (id, name, roles):',
  ...cast.map(([id, name, roles]) => `    ${id.padEnd(7)} ${name.padEnd(14)} ${roles}`),
  '',
  'When a custodian is shown a new share, copy its groups onto paper, as a',
  'custodian would: the screen is then wiped, the share is typed back from the',
  'paper, and again later to unlock the token. A wrong group is marked as you',
  'type it.',
  'Ctrl+E records an exception at any time; Ctrl+C stops (resume later).',
];
const zh = [
  'keyceremony 示範：在拋棄式 SoftHSM 載具上，以多人控管進行一場儀式。',
  '',
  '所有角色都由您扮演。請依下列資料簽到（代號、姓名、角色）：',
  ...cast.map(([id, name, roles]) => `    ${id.padEnd(7)} ${name.padEnd(14)} ${roles}`),
  '',
  '保管人看到新的分持碼時，請如同保管人一樣抄寫於紙上：畫面隨即清除，須依紙本',
  '再次輸入，稍後啟用載具時也要輸入。輸入時，錯誤的組別會立即標示。',
  '隨時可按 Ctrl+E 記錄異常事項；Ctrl+C 先行停止（之後可繼續）。',
];
console.log([...(lang === 'zh-TW' ? zh : en), ''].join('\n'));
const rl = createInterface({ input: process.stdin, output: process.stdout });
await rl.question(lang === 'zh-TW' ? '按 Enter 開始… ' : 'Press Enter to start… ');
rl.close();

// Ink draws only a last frame when it thinks it runs in CI; the demo is a terminal session.
const env = { ...process.env, SOFTHSM2_CONF: join(dir, 'softhsm/softhsm2.conf') };
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
const run = spawnSync(process.execPath, [bin, 'run', definition, '--hsm', profile, '--workdir', workdir, '--lang', lang], { stdio: 'inherit', env });

console.log('');
console.log(`demo: everything is in ${dir} (the token store, the profile, and the workdir)`);
if (run.status === 3) console.log(`demo: to go on: SOFTHSM2_CONF=${env.SOFTHSM2_CONF} node ${bin} resume ${workdir}`);
console.log(`demo: check the journal: node ${bin} journal verify ${workdir}`);
console.log(`demo: delete the folder when done: rm -rf ${dir}`);
process.exit(run.status ?? 1);
