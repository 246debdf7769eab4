// `keyceremony history` (issue 20) over the shared dry-run chain: it passes on the chain as
// run, and each tampering an auditor must see is flagged (exit 1, named on stderr and in
// section 2): a journal changed in place, a file swapped in a workdir, a swapped input, an
// output consumed twice, a CA ledger carried on twice (a fork), a key used after its
// destruction, a share set used after its rotation. The forged journals are rewritten with their hash chains computed again
// (rehash.ts), so each verifies alone: only the history across ceremonies catches them.
import t from 'tap';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyceremony } from '../helpers/cli.js';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { run } from '../helpers/softhsm.js';
import { rehashJournal, replaceInData, timeAfter } from '../helpers/rehash.js';
import type { JournalRecord } from '../../src/journal/record.js';

const scratch = t.testdir({});
const { out } = await dryRunOutput(join(scratch, 'chain'));
// Every workdir of the chain, whatever ceremonies it holds.
const ceremonies = readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'softhsm').length;
const history = (folder: string, ...args: string[]) => keyceremonyInProcess(['history', folder, ...args]);

/** A copy of the chain's workdirs (no token store: history never touches the HSM). */
function chainCopy(name: string): string {
  const dir = join(scratch, name);
  cpSync(out, dir, { recursive: true, filter: (source) => !source.includes(`${out}/softhsm`) });
  return dir;
}

const journal = (workdir: string): JournalRecord[] =>
  readFileSync(join(workdir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalRecord);

const completed = (workdir: string, type: string) => journal(workdir).find((r) => r.event === 'step.completed' && r.data.type === type)!;

t.test('the dry-run chain: every journal verifies, every input is an earlier output, nothing flagged', async (t) => {
  t.match(readFileSync(join(out, 'history.md'), 'utf8'), /Nothing is flagged/, 'npm run dry-run left the history beside the workdirs');
  const result = await history(out);
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stderr, '');
  const md = result.stdout;
  t.match(md, new RegExp(`\\b${ceremonies} ceremonies, each journal verified`));
  t.match(md, /Nothing is flagged/);
  t.notMatch(md, /no ceremony here/, 'every input has its origin');
  // Inputs linked by SHA-256 to the outputs that produced them.
  const csr = completed(join(out, 'hca-g3-keygen'), 'create-csr').data.outputs as Array<{ sha256: string }>;
  t.match(md, new RegExp(`\\| \`grca-issue-hca-g3\` \\| \`hca-g3-csr\` \\| csr \\| \`${csr[0]!.sha256}\` \\| \`hca-g3.csr\`<br>hca-g3-keygen, step csr`));
  // Keys: generated, certified, destroyed, with who and where.
  const g3 = (completed(join(out, 'hca-g3-keygen'), 'generate-key').data.keys as Array<{ spkiSha256: string }>)[0]!.spkiSha256;
  t.match(md, /### 4\.\d+\. HCA-G3 on HCA-DRYRUN/);
  t.match(md, new RegExp(`SPKI SHA-256\\*\\*: \`${g3}\``));
  t.match(
    md,
    /\| placed on the token \| `generate-key` \| [^|]+ \| hca-g3-keygen, step keygen \(record \d+\) \| 王大明 Wang Ta-ming<br>witnessed by 林秀英 Lin Hsiu-ying \|/,
  );
  t.match(md, /\| certified \| `issue-certificate` \| [^|]+ \| grca-issue-hca-g3, step issue/);
  t.match(md, /\*\*State\*\*: destroyed: hca-g2-destroy, step destroy/);
  t.match(md, /witnessed by 林秀英 Lin Hsiu-ying, 陳建宏 Chen Chien-hung/, 'both witnesses of the destruction');
  // Share sets: created, rotated, custodians.
  const rotate = completed(join(out, 'hca-custodian-change'), 'rotate-credential');
  const newSet = (rotate.data.shareSets as Array<{ setId: string }>)[0]!.setId;
  const oldSet = (rotate.data.details as { replaces: string }).replaces;
  t.match(
    md,
    new RegExp(
      `\\| \`${oldSet}\` \\| hca-user-pin \\| 3 / 5 \\| [^|]+ \\| hca-token-init, step init[^|]+ \\| \`${newSet}\`<br>hca-custodian-change, step rotate`,
    ),
  );
  t.match(md, /鄭家豪 Cheng Chia-hao/, 'the new custodians');
  // Tokens: serial, firmware, the ceremonies that used them.
  t.match(md, /\| `HCA-DRYRUN` \| `[0-9a-f]{16}` \| SoftHSM v2 \| 2\.6 \| `hca-token-init`<br>`dryrun-hca-g2-standin`<br>`hca-g3-keygen`/);
});

t.test('html and zh-TW use the report renderer', async (t) => {
  const html = await history(out, '--format', 'html', '--lang', 'zh-TW');
  t.equal(html.code, 0, html.stderr);
  t.match(html.stdout, /^<!DOCTYPE html>/);
  t.match(html.stdout, /<html lang="zh-Hant-TW">|<html lang="zh-TW">/);
  t.match(html.stdout, /跨儀式金鑰與保管歷程/);
  t.match(html.stdout, /default-src 'none'/, 'the same self-contained page as the report');
  // Issue 16 item 11: the kind of each file brought in by the report's word, not its key.
  const md = await history(out, '--lang', 'zh-TW');
  t.equal(md.code, 0, md.stderr);
  t.match(md.stdout, /\| 分持組清冊 \|/, 'a share set manifest in Chinese, as the screens and the report call it');
  t.notMatch(md.stdout, /\| (share-manifest|certificate|ledger|key-backup) \|/, 'no kind by its key');
  const en = await history(out);
  t.match(en.stdout, /\| share-manifest \|/, 'English keeps the key');
});

t.test('a journal changed in place is flagged; the other ceremonies are still shown', async (t) => {
  const dir = chainCopy('changed');
  const file = join(dir, 'grca-crl', 'journal.jsonl');
  writeFileSync(file, readFileSync(file, 'utf8').replace('"revoked":0', '"revoked":1'));
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(result.stderr, /keyceremony: error: history: grca-crl: the journal does not verify: .*line \d+/);
  t.match(result.stdout, new RegExp(`\\b${ceremonies - 1} ceremonies, each journal verified`));
});

t.test('a workdir file that differs from its journal is flagged', async (t) => {
  const dir = chainCopy('file');
  appendFileSync(join(dir, 'hca-g3-keygen', 'outputs', 'hca-g3.csr'), '\n');
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(result.stderr, /history: hca-g3-keygen: outputs\/hca-g3\.csr has SHA-256 [0-9a-f]{64}, but the journal records/);
});

t.test('a swapped input: the issuing ceremony took a CSR that no ceremony made', async (t) => {
  const dir = chainCopy('swapped');
  const workdir = join(dir, 'grca-issue-hca-g3');
  const genuine = readFileSync(join(workdir, 'inputs', 'hca-g3-csr'));
  // Another CSR in place of the genuine one, and a journal rewritten to name it (rehashed).
  const other = join(dir, 'hca-g3-keygen', 'outputs', 'hca-g3.csr');
  const swapped = Buffer.concat([genuine, Buffer.from('\n')]);
  writeFileSync(join(workdir, 'inputs', 'hca-g3-csr'), swapped);
  const { createHash } = await import('node:crypto');
  const from = createHash('sha256').update(readFileSync(other)).digest('hex');
  const to = createHash('sha256').update(swapped).digest('hex');
  rehashJournal(workdir, (record) => replaceInData(record, from, to));
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the forged journal verifies alone');
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    new RegExp(
      `history: input hca-g3-csr of grca-issue-hca-g3 \\(record 1\\) \\(SHA-256 ${to}\\) is no output of these ceremonies; swapped\\? earlier output of the same kind that nothing took in: hca-g3\\.csr \\(hca-g3-keygen, step csr`,
    ),
  );
  t.match(result.stdout, /\*\*no ceremony here\*\*/);
});

t.test('a forged journal that keeps its checkpoints is refused by them: the HSM signed other records', async (t) => {
  const dir = chainCopy('checkpointed');
  const workdir = join(dir, 'grca-issue-hca-g3');
  t.ok(
    journal(workdir).some((r) => r.event === 'journal.checkpoint'),
    'the issuing ceremony has checkpoints',
  );
  // One millisecond moved on the second record: every hash after it changes.
  rehashJournal(
    workdir,
    (record) => {
      if (record.seq === 2) record.time = timeAfter(record.time, 1);
    },
    { keepCheckpoints: true },
  );
  const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
  t.equal(verify.code, 1, 'journal verify refuses it alone');
  t.match(
    verify.stderr,
    /record \d+ \(journal\.checkpoint\) says it signed record \d+ with hash [0-9a-f]{64}, but the record before it is \d+ with hash [0-9a-f]{64}/,
  );
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(result.stderr, /history: grca-issue-hca-g3: the journal does not verify: .*journal\.checkpoint/);
});

t.test('an output meant to be consumed once, consumed twice: the CSR issued again', async (t) => {
  const dir = chainCopy('twice');
  cpSync(join(dir, 'grca-issue-hca-g3'), join(dir, 'grca-issue-hca-g3-again'), { recursive: true });
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    /history: output hca-g3\.csr of hca-g3-keygen, step csr \(record \d+\) is meant to be taken in once, but was taken in by grca-issue-hca-g3 \(record 1\), grca-issue-hca-g3-again \(record 1\)/,
  );
  t.match(result.stderr, /grca-issue-hca-g3 and grca-issue-hca-g3-again hold the same journal/);
});

t.test('a CA ledger carried on twice is a fork: the root ledger brought to a second CRL ceremony', async (t) => {
  // The attack, for real on the chain's tokens: one ledger state brought to two CRL
  // ceremonies. On the same token the ledger anchor (issue 17) refuses the second before it
  // signs. A token restored from an older copy of its store has the older anchor, though, and
  // signs: two CRLs with one number, two branches of the key's history that only the history
  // across ceremonies sees.
  const fork = await dryRunOutput(join(scratch, 'fork'));
  const definition = fileURLToPath(new URL('../../ceremonies/grca-crl.yaml', import.meta.url));
  // The root ledger as the chain left it: dryrun-root-link carried it on last.
  const answers = readFileSync(join(fork.out, 'grca-crl.answers.yaml'), 'utf8').replace(
    'grca-issue-hca-g3/outputs/root-ca.issue-hca-g3.ledger',
    'dryrun-root-link/outputs/root-ca.link.ledger',
  );
  // The root HSM's bags: the chain's grca-crl sealed it in RT100003; the aborted run opens that
  // bag and seals none; the run after it seals RT100004, which the fork's run then opens.
  const bags = (text: string, bagIn: string, bagOut: string) =>
    text.replace('hsm-bag-in: RT100002', `hsm-bag-in: ${bagIn}`).replace('hsm-bag-out: RT100003', `hsm-bag-out: ${bagOut}`);
  const runCrl = (name: string, text: string) => {
    writeFileSync(join(fork.out, `${name}.answers.yaml`), text);
    return keyceremony(
      ['run', definition, '--hsm', join(fork.out, 'hsm-dry-run.yaml'), '--workdir', join(fork.out, name), '--answers', join(fork.out, `${name}.answers.yaml`)],
      { env: fork.env },
    );
  };

  // First, no fork: a run that takes the same ledger in but is aborted before its CRL step
  // signs nothing with it, and may be run again.
  const stopped = await runCrl(
    'grca-crl-stopped',
    `${bags(answers, 'RT100003', 'RT100004')}abort: { before: crl, by: [kao, yang], reason: the CRL is postponed }\n`,
  );
  t.equal(stopped.code, 1, 'aborted (recorded)');
  const clean = await history(fork.out);
  t.equal(clean.code, 0, `a ceremony that took the ledger in but signed nothing with it made no branch: ${clean.stderr}`);

  // The token store as it is now, as a backup of it would be.
  const tokens = join(fork.out, 'softhsm', 'tokens');
  cpSync(tokens, join(fork.out, 'tokens-backup'), { recursive: true });
  const first = await runCrl('grca-crl-again', bags(answers, 'RT100003', 'RT100004'));
  t.equal(first.code, 0, first.stderr);

  // The same ledger again on the same token: the anchor now ends one CRL further on.
  const refused = await runCrl('grca-crl-refused', bags(answers, 'RT100004', 'RT100005'));
  t.equal(refused.code, 1, 'refused at the step, before the key signs');
  t.match(
    refused.stderr,
    /ledger root-ledger of key .* ends at seq 4 .* but the token's anchor of its ledger is at seq 5 .*: it is an older copy of this key's ledger/,
  );
  t.notOk(existsSync(join(fork.out, 'grca-crl-refused', 'outputs', 'root.crl')), 'no CRL written');
  rmSync(join(fork.out, 'grca-crl-refused'), { recursive: true });

  // The token restored from the older copy: its anchor is back where the ledger ends.
  rmSync(tokens, { recursive: true });
  cpSync(join(fork.out, 'tokens-backup'), tokens, { recursive: true });
  rmSync(join(fork.out, 'tokens-backup'), { recursive: true });
  const second = await runCrl('grca-crl-fork', bags(answers, 'RT100004', 'RT100005'));
  t.equal(second.code, 0, second.stderr);
  const crlNumber = async (crl: string) => (await run('openssl', ['crl', '-in', crl, '-noout', '-crlnumber'])).stdout.trim();
  t.equal(await crlNumber(join(fork.out, 'grca-crl-again', 'outputs', 'root.crl')), 'crlNumber=0x02');
  t.equal(await crlNumber(join(fork.out, 'grca-crl-fork', 'outputs', 'root.crl')), 'crlNumber=0x02', 'the second CRL has the same number (openssl)');
  t.not(
    readFileSync(join(fork.out, 'grca-crl-fork', 'outputs', 'root.crl'), 'utf8'),
    readFileSync(join(fork.out, 'grca-crl-again', 'outputs', 'root.crl'), 'utf8'),
    'and is another CRL',
  );

  const result = await history(fork.out);
  t.equal(result.code, 1, 'flagged: exit 1');
  const ledgerSha = (journal(join(fork.out, 'grca-crl-fork'))[0]!.data.inputs as Record<string, { sha256: string }>)['root-ledger']!.sha256;
  t.match(
    result.stderr,
    new RegExp(
      `history: CA ledger root-ca\\.link\\.ledger \\(dryrun-root-link, step link-old-new \\(record \\d+\\); SHA-256 ${ledgerSha}\\) was carried on by more than one ceremony, grca-crl-again, step crl \\(record \\d+\\) and grca-crl-fork, step crl \\(record \\d+\\): a fork, so the key has two branches of serial and CRL-number history`,
    ),
    'the finding names the ledger, where it came from, and both ceremonies',
  );
  t.match(
    result.stderr,
    new RegExp(`keyceremony: hint: 1 findings across ${ceremonies + 3} ceremonies`),
    'and nothing else is flagged (not the aborted run either)',
  );
  const zh = await history(fork.out, '--lang', 'zh-TW');
  t.equal(zh.code, 1);
  t.match(
    zh.stdout,
    /憑證管理帳冊 root-ca\.link\.ledger（dryrun-root-link，步驟 link-old-new（紀錄 \d+）；SHA-256 [0-9a-f]{64}）被不只一場儀式接續，分別於 grca-crl-again，步驟 crl（紀錄 \d+） 及 grca-crl-fork，步驟 crl（紀錄 \d+）：帳冊分岔/,
  );
});

t.test('a key used after its destruction', async (t) => {
  // Forged: the destruction ceremony rewritten to destroy HCA-G3 instead of HCA-G2, and moved
  // in time to before the root issued HCA-G3's certificate.
  const dir = chainCopy('destroyed');
  const keygen = journal(join(dir, 'hca-g3-keygen'));
  const g2 = completed(join(dir, 'dryrun-hca-g2-standin'), 'generate-key').data.keys as Array<{ spkiSha256: string }>;
  const g3 = keygen.find((r) => r.event === 'step.completed' && r.data.type === 'generate-key')!.data.keys as Array<{ spkiSha256: string }>;
  const sealedAt = keygen.at(-1)!.time;
  rehashJournal(join(dir, 'hca-g2-destroy'), (record) => {
    replaceInData(record, g2[0]!.spkiSha256, g3[0]!.spkiSha256);
    replaceInData(record, 'HCA-G2', 'HCA-G3');
    record.time = timeAfter(sealedAt, record.seq);
  });
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    /history: key HCA-G3 was destroyed in hca-g2-destroy, step destroy \(record \d+\), then certified \(issue-certificate\) in grca-issue-hca-g3, step issue/,
  );
});

t.test('a share set used after its rotation', async (t) => {
  // Forged: the G2 destruction unlocked with the old (rotated) user PIN shares.
  const dir = chainCopy('rotated');
  const rotate = completed(join(dir, 'hca-custodian-change'), 'rotate-credential');
  const newSet = (rotate.data.shareSets as Array<{ setId: string }>)[0]!.setId;
  const oldSet = (rotate.data.details as { replaces: string }).replaces;
  rehashJournal(join(dir, 'hca-g2-destroy'), (record) => replaceInData(record, newSet, oldSet));
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    new RegExp(`history: share set ${oldSet} was replaced in hca-custodian-change, step rotate \\(record \\d+\\), then used in hca-g2-destroy, step unlock`),
  );
});

t.test("custody seals: the HCA HSM's seal out of each ceremony is the next one's seal in", async (t) => {
  const result = await history(out);
  t.equal(result.code, 0, result.stderr);
  for (const [bag, from, to] of [
    ['TB100002', 'hca-token-init', 'hca-g3-keygen'],
    ['TB100003', 'hca-g3-keygen', 'hca-g3-accept'],
    ['TB100004', 'hca-g3-accept', 'hca-g3-ocsp-crl'],
    ['TB100005', 'hca-g3-ocsp-crl', 'hca-kek-init'],
    ['TB100006', 'hca-kek-init', 'hca-g3-backup'],
    ['TB100007', 'hca-g3-backup', 'hca-custodian-change'],
    ['TB100008', 'hca-custodian-change', 'hca-g2-final-crl'],
    ['TB100009', 'hca-g2-final-crl', 'hca-g2-destroy'],
  ] as const) {
    t.match(
      result.stdout,
      new RegExp(
        `\\| \`hca-hsm\` \\| \`${bag}\`<br>${from}, step storage \\(record \\d+\\) \\| \`${bag}\`<br>${to}, step \\w+ \\(record \\d+\\) \\| matches \\|`,
      ),
      `${bag}: ${from} to ${to}`,
    );
  }
  t.match(result.stdout, /\| `hca-hsm` \| `TB100010`<br>hca-g2-destroy, step storage \(record \d+\) \| — \| still sealed \|/);
  // The root's HSM (brief crl16u: every ceremony that uses a token records its bags).
  t.match(
    result.stdout,
    /\| `root-hsm` \| `RT100002`<br>grca-issue-hca-g3, step storage \(record \d+\) \| `RT100002`<br>grca-crl, step inventory \(record \d+\) \| matches \|/,
  );
  // The DR site's HSM (issue 18) is a custody chain of its own.
  t.match(result.stdout, /\| `hca-dr-hsm` \| `DR100002`<br>hca-g3-restore-dr, step storage \(record \d+\) \| — \| still sealed \|/);
});

t.test('a mismatched bag number is flagged', async (t) => {
  // The HSM came out of a bag other than the one the previous ceremony sealed it in (as an
  // honest record of a swapped bag would say; rewritten and rehashed here, so it verifies).
  const dir = chainCopy('bag');
  rehashJournal(join(dir, 'hca-g2-destroy'), (record) => replaceInData(record, '"hsm-bag-in":"TB100009"', '"hsm-bag-in":"TB100099"'));
  t.equal((await keyceremonyInProcess(['journal', 'verify', join(dir, 'hca-g2-destroy')])).code, 0, 'the journal verifies alone');
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    /history: hca-hsm: sealed in TB100009 at hca-g2-final-crl, step storage \(record \d+\), but TB100099 was opened at hca-g2-destroy, step approval \(record \d+\)/,
  );
  t.match(result.stdout, /\| `TB100099`<br>hca-g2-destroy, step approval \(record \d+\) \| \*\*MISMATCH\*\* \|/);
});

t.test('a seal out followed by another seal out, with no seal in, is a gap', async (t) => {
  const dir = chainCopy('gap');
  rehashJournal(join(dir, 'hca-custodian-change'), (record) => {
    const values = record.data.values as Record<string, unknown> | undefined;
    if (values) delete values['hsm-bag-in'];
  });
  const result = await history(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    /history: hca-hsm: sealed in TB100007 \(hca-g3-backup, step storage \(record \d+\)\), then sealed again in TB100008 \(hca-custodian-change, step storage \(record \d+\)\) with no seal opened in between/,
  );
});

t.test('validate: a seal needs its object, and an object its seal', async (t) => {
  const source = readFileSync(join(out, 'hca-g3-keygen', 'definition.yaml'), 'utf8');
  const noObject = join(scratch, 'no-object.yaml');
  writeFileSync(noObject, source.replace('seal: in, object: hca-hsm', 'seal: in'));
  const a = await keyceremonyInProcess(['validate', noObject]);
  t.equal(a.code, 2);
  t.match(a.stderr, /fields\[3\]\.object.*is required with seal/);
  const noSeal = join(scratch, 'no-seal.yaml');
  writeFileSync(noSeal, source.replace('seal: in, object: hca-hsm', 'object: hca-hsm'));
  const b = await keyceremonyInProcess(['validate', noSeal]);
  t.equal(b.code, 2);
  t.match(b.stderr, /fields\[3\]\.seal.*is required with object/);
  const wrong = join(scratch, 'wrong-seal.yaml');
  writeFileSync(wrong, source.replace('seal: in, object: hca-hsm', 'seal: sideways, object: hca-hsm'));
  const c = await keyceremonyInProcess(['validate', wrong]);
  t.equal(c.code, 2);
  t.match(c.stderr, /seal.*must be in \(a seal opened/);
});

t.test('bad usage: exit 2, naming the folder', async (t) => {
  const before = readdirSync(out).sort();
  const missing = await history(join(scratch, 'nowhere'));
  t.equal(missing.code, 2);
  t.match(missing.stderr, /keyceremony: error: history: .*nowhere does not exist/);
  const empty = join(scratch, 'empty');
  mkdirSync(empty);
  const none = await history(empty);
  t.equal(none.code, 2);
  t.match(none.stderr, /history: no workdir in .*empty: no folder in it holds a journal\.jsonl/);
  const workdirItself = await history(join(out, 'grca-crl'));
  t.equal(workdirItself.code, 2, 'a workdir is not a folder of workdirs');
  const format = await history(out, '--format', 'pdf');
  t.equal(format.code, 2);
  t.match(format.stderr, /history: --format must be md or html/);
  t.same(readdirSync(out).sort(), before, 'nothing written into the folder');
});
