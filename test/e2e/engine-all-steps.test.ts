// The engine end to end on SoftHSM: every step type of issue 5 in one scripted ceremony,
// then the outputs checked with pkcs11-tool and the journal verified.
import t from 'tap';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';

const definition = join(FIXTURES, 'engine/all-steps.yaml');
const answers = join(FIXTURES, 'engine/all-steps.answers.yaml');

t.test('a scripted run of every engine step type completes and records everything', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const workdir = newWorkdir(fx);
  const result = await runCeremony(fx, { definition, profile, workdir, answers });
  t.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  t.match(lines[0], /^DRY RUN \[1\/12\] sign-in \(sign-in\) done$/, 'a dry run says so on every line');
  t.match(result.stdout, /\[9\/12\] keygen \(generate-key\) done: by alice, wendy; key TEST-CA EC P-384 spki sha256 [0-9a-f]{16}…/);
  t.match(result.stdout, /keyceremony: DRY RUN "Engine test ceremony" completed; journal of \d+ records:\nkeyceremony: {3}\S*journal\.jsonl\n/);

  const records = journalRecords(workdir);
  t.equal(records[0]!.event, 'ceremony.opened');
  t.equal(records.at(-1)!.event, 'ceremony.sealed');
  const header = records[0]!.data as {
    definition: { sha256: string };
    tool: { version: string; sha256: string };
    node: string;
    hsm: { tokens: Record<string, unknown> };
  };
  t.match(header.definition.sha256, /^[0-9a-f]{64}$/);
  t.match(header.tool.sha256, /^[0-9a-f]{64}$/);
  t.equal(header.node, process.version);
  const completed = records.filter((r) => r.event === 'step.completed').map((r) => r.step);
  t.same(completed, ['inventory', 'room', 'init', 'unlock-so', 'new-user-pin', 'lock-so', 'unlock', 'keygen', 'lock', 'deviations', 'sign-off']);
  t.ok(records.some((r) => r.event === 'participants.signed-in'));
  // Issue 16 item 6: every quorum of each new 2-of-3 set (3 of them) was combined and checked
  // before the first share was handed out, and the journal says how many.
  const prepared = records
    .filter((r) => r.event === 'shares.prepared')
    .flatMap((r) => (r.data as { sets: Array<{ credential: string; quorumsChecked: number }> }).sets.map((s) => [r.step, s.credential, s.quorumsChecked]));
  t.same(prepared, [
    ['init', 'test-so-pin', 3],
    ['init', 'test-user-pin', 3],
    ['new-user-pin', 'test-user-pin', 3],
  ]);
  t.ok(
    records.findIndex((r) => r.event === 'shares.prepared') < records.findIndex((r) => r.event === 'share.handed-over'),
    'checked before any share is handed out',
  );
  // And the report shows it under each new set's threshold, in both languages.
  const reportMd = readFileSync(join(workdir, 'report.md'), 'utf8');
  t.equal(
    reportMd.match(/\| 2 of 3<br>all 3 quorums combined and checked before any share was shown \|/g)?.length,
    3 * 2,
    'each new set, in its step and in the summary',
  );
  const zhReport = await keyceremonyInProcess(['report', workdir, '--lang', 'zh-TW']);
  t.equal(zhReport.stdout.match(/\| 3 份中需 2 份<br>發放前已逐一組合並驗證全部 3 種門檻組合 \|/g)?.length, 3 * 2, 'zh-TW');
  // The new user PIN set replaces the one init made: C_InitPIN changed the PIN its cards open (review at 80x24, M6).
  const setOf = (step: string) =>
    (records.find((r) => r.event === 'step.completed' && r.step === step)!.data as { shareSets: Array<{ credential: string; setId: string }> }).shareSets.find(
      (set) => set.credential === 'test-user-pin',
    )!.setId;
  const resplit = records.find((r) => r.event === 'step.completed' && r.step === 'new-user-pin')!.data as { details?: { replaces?: string } };
  t.equal(resplit.details?.replaces, setOf('init'), 'the new split names the set it replaced');
  t.not(setOf('new-user-pin'), setOf('init'));
  t.ok(records.some((r) => r.event === 'exception.recorded' && (r.data as { text: string }).text.startsWith('fire alarm')));
  const keygen = records.find((r) => r.event === 'step.completed' && r.step === 'keygen')!;
  t.same(keygen.who, ['alice', 'wendy'], 'performer and witness recorded');
  const key = (keygen.data as { keys: Array<{ spkiSha256: string; words: string }> }).keys[0]!;
  t.equal(key.words.split(' ').length, 32, 'fingerprint as PGP words');

  // Outputs: three manifests, written once; shares only in the dry-run share files, 0600.
  for (const name of ['test-so-pin.init.manifest.json', 'test-user-pin.init.manifest.json', 'test-user-pin.new-user-pin.manifest.json'])
    t.ok(existsSync(join(workdir, 'outputs', name)), name);
  for (const custodian of ['carol', 'dave', 'erin'])
    t.equal(statSync(join(workdir, 'dry-run-shares', custodian)).mode & 0o777, 0o600, `${custodian}'s dry-run share file is 0600`);
  const state = JSON.parse(readFileSync(join(workdir, 'state.json'), 'utf8')) as { status: string; journalHead: { seq: number } };
  t.equal(state.status, 'completed');
  t.equal(state.journalHead.seq, records.length);

  t.match(result.stdout, `keyceremony: report ${join(workdir, 'report.md')}`);
  t.match(readFileSync(join(workdir, 'report.html'), 'utf8'), '引擎測試儀式', 'the HTML report is in the workdir');
  const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
  t.equal(verify.code, 0, verify.stderr);

  // The secret canary (issue 9): the SO PIN, both user PIN sets and every share, in every
  // encoding, are nowhere in the workdir (but its dry-run-shares/) nor in what was printed.
  assertNoSecretsLeaked(t, buildCanary([workdir]), { roots: [workdir], streams: { stdout: result.stdout, stderr: result.stderr, verify: verify.stdout } });
});

t.test('run refuses a workdir that is not empty, and a second run on it', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const workdir = newWorkdir(fx);
  const first = await runCeremony(fx, { definition, profile, workdir, answers });
  t.equal(first.code, 0, first.stderr);
  const again = await runCeremony(fx, { definition, profile, workdir, answers });
  t.equal(again.code, 2);
  t.match(again.stderr, `keyceremony: error: workdir ${workdir} is not empty`);
});

// Issue 16 item 3: a scripted run's line per step follows --lang (it was English under
// --lang zh-TW): the step's title in Chinese, the people, keys, files and tokens in Chinese words.
t.test('a scripted run under --lang zh-TW prints its per-step lines in Chinese', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const workdir = newWorkdir(fx);
  const result = await runCeremony(fx, { definition, profile, workdir, answers, extra: ['--lang', 'zh-TW'] });
  t.equal(result.code, 0, result.stderr);
  const steps = result.stdout.split('\n').filter((line) => /^（演練）\[\d+\/12\]/.test(line));
  t.equal(steps.length, 12, 'a line per step, each saying it is a rehearsal');
  const keygen = steps.find((line) => line.includes('（keygen）'))!;
  t.match(keygen, /^（演練）\[9\/12\] .+（keygen）已完成：執行與見證：alice、wendy；金鑰 TEST-CA（EC P-384），公鑰 SHA-256 [0-9a-f]{16}…$/);
  t.notMatch(steps.join('\n'), /\bdone\b|\bby\b|unlocked|locked |destroyed|spki|DRY RUN/, 'no English word of the English lines');
  t.match(result.stdout, /keyceremony: （演練）「.+」已完成；日誌共 \d+ 筆紀錄：/, 'the closing line too');
});
