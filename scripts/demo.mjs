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
const tokenLabel = `DEMO-${Date.now().toString(36).toUpperCase()}`;
writeFileSync(profile, `# Throwaway SoftHSM token for npm run demo.\nmodule: ${module}\ndryRun: true\ntokens:\n  ${token}: { label: ${tokenLabel} }\n`);
const workdir = join(dir, 'work');

// The intro's text lives in src/cli/demo-intro.ts, where the zh-TW screens test reads it too.
const { demoCast, demoClosing, demoIntro, demoStartPrompt } = await import(join(root, 'dist/cli/demo-intro.js'));
const { loadDefinition } = await import(join(root, 'dist/definition/loader.js'));
console.log([...demoIntro(loadDefinition(definition), demoCast(allSteps), lang, tokenLabel), ''].join('\n'));
const rl = createInterface({ input: process.stdin, output: process.stdout });
await rl.question(demoStartPrompt(lang));
rl.close();

// Ink draws only a last frame when it thinks it runs in CI; the demo is a terminal session.
const env = { ...process.env, SOFTHSM2_CONF: join(dir, 'softhsm/softhsm2.conf') };
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
const run = spawnSync(process.execPath, [bin, 'run', definition, '--hsm', profile, '--workdir', workdir, '--lang', lang], { stdio: 'inherit', env });

console.log('');
for (const line of demoClosing(lang, { dir, bin, workdir, conf: env.SOFTHSM2_CONF, interrupted: run.status === 3 })) console.log(line);
process.exit(run.status ?? 1);
