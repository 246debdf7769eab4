// HSM-signed journal checkpoints (issue 20): init-token makes the token's audit key and
// writes its public key; init-token and lock have the token sign the journal head before
// logging out. openssl alone checks a checkpoint against the exported public key; a journal
// rewritten and rehashed as a whole, which its hash chain no longer catches, is refused by
// the checkpoint (journal verify and report, exit 1, naming the record).
import t from 'tap';
import { cpSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { FIXTURES, journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { openssl } from '../helpers/openssl.js';
import { rehashJournal } from '../helpers/rehash.js';
import { softhsm } from '../helpers/softhsm.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { describeFindings, unexpectedWords } from '../ui/helpers/latin-words.js';
import stringWidth from 'string-width';

const fx = softhsm(t);
const profile = fx.profile({ test: 'CHECKPOINT-TEST' });
const workdir = newWorkdir(fx);
const run = await keyceremonyInProcess([
  'run',
  join(FIXTURES, 'confirm-result', 'keygen.yaml'),
  '--hsm',
  profile,
  '--workdir',
  workdir,
  '--answers',
  join(FIXTURES, 'confirm-result', 'keygen.answers.yaml'),
]);
if (run.code !== 0) console.error(run.stdout, run.stderr);
const records = journalRecords(workdir);
const checkpoints = records.filter((r) => r.event === 'journal.checkpoint');
const publicKey = join(workdir, 'outputs', 'test-audit-key.pem');

t.test('init-token makes a sign-only, never-extractable audit key; init and lock each sign a checkpoint', async (t) => {
  t.equal(run.code, 0, run.stderr);
  const init = records.find((r) => r.event === 'step.completed' && r.step === 'init')!;
  const auditKey = (init.data.details as { auditKey: Record<string, unknown> }).auditKey;
  t.match(auditKey, { label: 'keyceremony-audit', algorithm: 'EC P-384', sensitive: true, extractable: false, output: 'test-audit-key.pem' });
  const outputs = init.data.outputs as Array<{ name: string; kind: string }>;
  t.same(
    outputs.at(-1),
    { ...outputs.at(-1), name: 'test-audit-key.pem', kind: 'audit-key' },
    'the public key is an output of the ceremony, after the manifests',
  );
  t.match(readFileSync(publicKey, 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
  t.same(
    checkpoints.map((r) => r.step),
    ['init', 'lock'],
  );
  for (const checkpoint of checkpoints) {
    t.equal((checkpoint.data.signed as { seq: number }).seq, checkpoint.seq - 1, 'the head before the record is signed');
    t.equal(checkpoint.data.auditKey && (checkpoint.data.auditKey as { spkiSha256: string }).spkiSha256, auditKey.spkiSha256);
  }
  const lock = records.findIndex((r) => r.event === 'step.completed' && r.step === 'lock');
  t.equal(records[lock - 1]!.event, 'journal.checkpoint', 'lock signs before it logs out');
  // The shares of the dry run are the canary: none reaches the journal, the outputs or what was printed.
  assertNoSecretsLeaked(t, buildCanary([workdir]), { roots: [workdir], streams: { stdout: run.stdout, stderr: run.stderr } });
});

t.test('openssl verifies a checkpoint against the exported audit public key', async (t) => {
  const checkpoint = checkpoints.at(-1)!;
  const signed = checkpoint.data.signed as { seq: number; hash: string };
  // The signed text as docs/journal-checkpoints.md spells it, written here independently.
  const message = `keyceremony journal checkpoint 1\nseq ${signed.seq}\nhash ${records[signed.seq - 1]!.hash}\n`;
  const files = { 'audit.pem': readFileSync(publicKey), 'message.txt': message, 'signature.der': Buffer.from(checkpoint.data.signature as string, 'base64') };
  const verified = await openssl(
    (dir) => ['dgst', '-sha384', '-verify', join(dir, 'audit.pem'), '-signature', join(dir, 'signature.der'), join(dir, 'message.txt')],
    files,
  );
  t.equal(verified.code, 0, verified.stderr);
  t.match(verified.stdout, /Verified OK/);
  const other = await openssl(
    (dir) => ['dgst', '-sha384', '-verify', join(dir, 'audit.pem'), '-signature', join(dir, 'signature.der'), join(dir, 'message.txt')],
    { ...files, 'message.txt': message.replace(/seq \d+/, `seq ${signed.seq + 1}`) },
  );
  t.not(other.code, 0, 'another head does not verify');
});

t.test('journal verify and report check the checkpoints and say what they do not cover', async (t) => {
  const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /checkpoints 2, 2 verified/);
  t.match(verify.stdout, /covered   records 1 to \d+ by the checkpoint signed in the HSM; records \d+ to \d+ only by the final hash/);
  const given = await keyceremonyInProcess(['journal', 'verify', workdir, '--audit-key', publicKey]);
  t.equal(given.code, 0, given.stderr);
  t.match(given.stdout, /--audit-key /);
  for (const [lang, pattern] of [
    ['en', /Checkpoints signed in the HSM[\s\S]*only by the final hash on the paper log/],
    ['zh-TW', /硬體安全模組簽署之查核點[\s\S]*僅由紙本紀錄上之最終雜湊值保護/],
  ] as const) {
    const report = await keyceremonyInProcess(['report', workdir, '--lang', lang]);
    t.equal(report.code, 0, report.stderr);
    t.match(report.stdout, pattern, lang);
  }
});

t.test('journal verify --lang zh-TW: every line in Chinese, none wider than 80 columns, with the same facts', async (t) => {
  // An officer review found the lines of a journal that verifies in English under --lang zh-TW, up to 182 columns wide.
  const count = records.length;
  const covered = (checkpoints.at(-1)!.data.signed as { seq: number }).seq;
  for (const given of [[], ['--audit-key', publicKey]]) {
    const verify = await keyceremonyInProcess(['journal', 'verify', workdir, '--lang', 'zh-TW', ...given]);
    t.equal(verify.code, 0, verify.stderr);
    t.equal(verify.stderr, '');
    const lines = verify.stdout.trimEnd().split('\n');
    // A file's path is kept whole on a line of its own, however long the folder (CI's TMPDIR is longer than this machine's).
    const paths = [join(workdir, 'journal.jsonl'), publicKey];
    t.same(
      lines.filter((line) => stringWidth(line) > 80 && !paths.some((path) => line.trim() === path || line.endsWith(` ${path}`))),
      [],
      'no line is wider than 80 columns, but a path',
    );
    for (const path of [join(workdir, 'journal.jsonl'), publicKey]) t.ok(verify.stdout.includes(path), `${path} whole, never cut across lines`);
    // Latin letters only in paths, hex, PGP words, SHA-256 and the names of the files and options.
    const findings = unexpectedWords([{ name: 'journal verify', text: verify.stdout }], {
      words: ['state.json', '--audit-key', 'audit-key', 'SPKI'],
      folders: [workdir],
    });
    t.equal(findings.length === 0 ? '' : describeFindings(findings), '', 'no English words');
    t.match(verify.stdout, `日誌檔    ${join(workdir, 'journal.jsonl')}\n`);
    t.match(verify.stdout, `紀錄      共 ${count} 筆，自 `);
    t.match(verify.stdout, `狀態      於第 ${count} 筆紀錄封存（state.json 所載狀態：已完成）\n`);
    t.match(verify.stdout, `日誌末筆  與 state.json 相符（第 ${count} 筆）\n`);
    t.match(verify.stdout, `驗證      共 ${count} 筆紀錄，無任何竄改、缺漏、重複或順序錯置\n`);
    t.match(verify.stdout, '查核點    共 2 個，2 個已驗證\n');
    t.match(verify.stdout, `稽核公鑰  SPKI SHA-256\n`);
    t.match(
      verify.stdout,
      given.length === 0 ? '（取自工作目錄：請與載具初始化儀式之紀錄核對）' : `          ${publicKey}\n          （以 --audit-key 提供）\n`,
    );
    t.match(
      verify.stdout,
      `保護範圍  第 1 至 ${covered} 筆紀錄由硬體安全模組簽署之查核點保護；\n          第 ${covered + 1} 至 ${count} 筆僅由最終雜湊值保護\n`,
    );
    // The hash and its words are those of the English lines, whatever the wrap.
    const english = await keyceremonyInProcess(['journal', 'verify', workdir, ...given]);
    const hash = /^hash {6}(.+)$/m.exec(english.stdout)![1]!;
    const words = english.stdout.match(/^(?:words| {5}) {5}(.+)$/gm)!.map((line) => line.slice(10));
    const squeeze = (text: string) => text.replace(/\s+/g, ' ');
    t.match(squeeze(verify.stdout), squeeze(hash), 'the same final hash');
    t.match(squeeze(verify.stdout), `PGP 字詞 ${words.join(' ')}`, 'the same PGP words, in order');
  }
});

t.test('a journal rewritten and rehashed as a whole is refused by the checkpoint', async (t) => {
  const forged = join(fx.dir, 'forged');
  cpSync(workdir, forged, { recursive: true });
  // The forger changes who witnessed the key generation and recomputes every hash.
  rehashJournal(
    forged,
    (record) => {
      if (record.event === 'step.completed' && record.step === 'keygen') record.data.witnesses = ['alice'];
    },
    { keepCheckpoints: true },
  );
  const verify = await keyceremonyInProcess(['journal', 'verify', forged]);
  t.equal(verify.code, 1);
  t.match(verify.stderr, /keyceremony: error: journal verify: .*journal\.jsonl: record \d+ \(journal\.checkpoint\) says it signed record \d+ with hash/);
  const report = await keyceremonyInProcess(['report', forged]);
  t.equal(report.code, 1);
  t.match(report.stderr, /record \d+ \(journal\.checkpoint\)/);
  const history = await keyceremonyInProcess(['bundle', forged]);
  t.equal(history.code, 1, 'nor is it bundled');

  // Also rewriting the signed hash leaves a signature the token never made.
  const resigned = join(fx.dir, 'resigned');
  cpSync(workdir, resigned, { recursive: true });
  const lockCheckpoint = checkpoints.at(-1)!.seq;
  rehashJournal(
    resigned,
    (record) => {
      if (record.seq === lockCheckpoint) record.data = { ...record.data, signature: Buffer.from('3006020101020101', 'hex').toString('base64') };
    },
    { keepCheckpoints: true },
  );
  const bad = await keyceremonyInProcess(['journal', 'verify', resigned]);
  t.equal(bad.code, 1);
  t.match(bad.stderr, new RegExp(`record ${lockCheckpoint} \\(journal\\.checkpoint\\): its signature of record \\d+ does not verify under the audit key`));
});

t.test('with --audit-key, a checkpoint signed by any other key is refused; a file that is not a key is bad usage', async (t) => {
  const other = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const otherFile = join(fx.dir, 'other.pem');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(otherFile, other);
  const verify = await keyceremonyInProcess(['journal', 'verify', workdir, '--audit-key', otherFile]);
  t.equal(verify.code, 1);
  t.match(verify.stderr, /record \d+ \(journal\.checkpoint\) was signed by the audit key with SPKI SHA-256 [0-9a-f]{64}, which was not given with --audit-key/);
  const notKey = await keyceremonyInProcess(['journal', 'verify', workdir, '--audit-key', join(workdir, 'definition.yaml')]);
  t.equal(notKey.code, 2);
  t.match(notKey.stderr, /--audit-key .*definition\.yaml is not a public key/);
});
