// Issue 14, finding 6: links planted in a workdir between a crash and the resume. Before,
// a link at dry-run-shares/<custodian> received the new shares outside the workdir, and a
// journal.jsonl that was a link was appended through. Now each is refused (exit 2, naming
// the link) before anything is written through it, on real SoftHSM tokens; once the link
// is gone the same workdir resumes and completes, so the refusal cost nothing.
import t, { type Test } from 'tap';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { CEREMONIES, journalRecords } from '../helpers/ceremony.js';
import { newCase, prepareChain, type Case } from '../helpers/chain.js';
import { runWithFaults } from '../helpers/faults.js';

// EC P-384 keys: RSA-4096 is not what these cases are about (see helpers/chain.ts). resume,
// journal verify and report run in this process (helpers/in-process.ts); the crashed runs are
// real processes.
const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });

/** The case's run, killed (SIGKILL) the moment the record of `step`'s completion is on disk. */
async function crashedAfter(t: Test, c: Case, step: string, runArgs = c.runArgs): Promise<void> {
  const crashed = await runWithFaults(runArgs, { afterRecord: { event: 'step.completed', step, action: 'SIGKILL' } }, { env: c.store.env });
  t.equal(crashed.signal, 'SIGKILL', `the run was killed after step ${step}`);
}

const resume = (c: Case, answers = c.answers) => keyceremonyInProcess(['resume', c.workdir, '--answers', answers], { env: c.store.env });

t.test('journal.jsonl (or state.json.tmp) as a link: resume, journal verify and report refuse it, and nothing is written through it', async (t) => {
  const c = newCase(chain, 'journal-link', 'hca-g3-keygen');
  await crashedAfter(t, c, 'inventory');
  const elsewhere = join(c.dir, 'elsewhere');
  mkdirSync(elsewhere);
  const journal = join(c.workdir, 'journal.jsonl');
  renameSync(journal, join(elsewhere, 'journal.jsonl'));
  symlinkSync(join(elsewhere, 'journal.jsonl'), journal);
  const before = readFileSync(join(elsewhere, 'journal.jsonl'));

  const resumed = await resume(c);
  t.equal(resumed.code, 2, resumed.stderr);
  t.match(
    resumed.stderr,
    `keyceremony: error: ${journal} is a symbolic link; keyceremony does not read or write through links in a workdir\nkeyceremony: hint: someone changed the workdir`,
  );
  for (const args of [
    ['journal', 'verify', c.workdir],
    ['report', c.workdir],
  ] as const) {
    const refused = await keyceremonyInProcess([...args], { env: c.store.env });
    t.equal(refused.code, 2, `${args[0]}: ${refused.stderr}`);
    t.match(refused.stderr, `${journal} is a symbolic link`, args[0]);
  }
  t.same(readFileSync(join(elsewhere, 'journal.jsonl')), before, 'the linked-to journal is unchanged');

  rmSync(journal);
  renameSync(join(elsewhere, 'journal.jsonl'), journal);
  // state.json is saved through a temporary file: a link planted in its name is not written through either.
  const stateTemp = join(c.workdir, 'state.json.tmp');
  symlinkSync(join(elsewhere, 'state-copy'), stateTemp);
  const stateLink = await resume(c);
  t.equal(stateLink.code, 1, stateLink.stderr);
  t.match(
    stateLink.stderr,
    `cannot write ${join(c.workdir, 'state.json')}: a symbolic link is in its place, and keyceremony does not write through links (ELOOP)`,
  );
  t.notOk(existsSync(join(elsewhere, 'state-copy')), 'no state was written where the link points');
  t.ok(journalRecords(c.workdir).length > 0, 'the journal still verifies');

  rmSync(stateTemp, { force: true }); // saveState already removed what was in its temporary name
  const completed = await resume(c);
  t.equal(completed.code, 0, `with the journal back, the ceremony resumes and completes: ${completed.stderr}`);
});

t.test('outputs/<name> or outputs/ as a link: resume refuses before writing the CSR anywhere', async (t) => {
  const c = newCase(chain, 'output-link', 'hca-g3-keygen');
  await crashedAfter(t, c, 'keygen');
  const elsewhere = join(c.dir, 'elsewhere');
  mkdirSync(elsewhere);
  const csr = join(c.workdir, 'outputs', 'hca-g3.csr');

  symlinkSync(join(elsewhere, 'hca-g3.csr'), csr);
  const fileLink = await resume(c);
  t.equal(fileLink.code, 2, fileLink.stderr);
  t.match(fileLink.stderr, `keyceremony: error: ${csr} is a symbolic link`);
  rmSync(csr);

  const outputs = join(c.workdir, 'outputs');
  renameSync(outputs, join(c.dir, 'outputs-kept'));
  symlinkSync(elsewhere, outputs);
  const folderLink = await resume(c);
  t.equal(folderLink.code, 2, folderLink.stderr);
  t.match(folderLink.stderr, `keyceremony: error: ${outputs} is a symbolic link`);
  t.same(readdirSync(elsewhere), [], 'nothing was written where the links point');
  t.ok(journalRecords(c.workdir).length > 0, 'the journal still verifies');

  rmSync(outputs);
  renameSync(join(c.dir, 'outputs-kept'), outputs);
  const completed = await resume(c);
  t.equal(completed.code, 0, `without the links the ceremony resumes and completes: ${completed.stderr}`);
  t.ok(existsSync(csr) && !existsSync(join(elsewhere, 'hca-g3.csr')));
});

t.test('dry-run-shares/<custodian> or dry-run-shares/ as a link: no share is written through it', async (t) => {
  // The custodian change hands five new shares out; its case starts from the same tokens.
  const c = newCase(chain, 'share-link', 'hca-g3-keygen');
  const answers = join(c.dir, 'hca-custodian-change.answers.yaml');
  copyFileSync(join(CEREMONIES, 'hca-custodian-change.answers.yaml'), answers);
  const runArgs = ['run', join(CEREMONIES, 'hca-custodian-change.yaml'), '--hsm', c.store.profile, '--workdir', c.workdir, '--answers', answers];
  await crashedAfter(t, c, 'approval', runArgs);
  const elsewhere = join(c.dir, 'elsewhere');
  mkdirSync(elsewhere);
  const shares = join(c.workdir, 'dry-run-shares');

  mkdirSync(shares, { mode: 0o700 });
  symlinkSync(join(elsewhere, 'collected'), join(shares, 'hn1'));
  const fileLink = await resume(c, answers);
  t.equal(fileLink.code, 2, fileLink.stderr);
  t.match(fileLink.stderr, `keyceremony: error: ${join(shares, 'hn1')} is a symbolic link`);
  rmSync(shares, { recursive: true });

  symlinkSync(elsewhere, shares);
  const folderLink = await resume(c, answers);
  t.equal(folderLink.code, 2, folderLink.stderr);
  t.match(folderLink.stderr, `keyceremony: error: ${shares} is a symbolic link`);
  t.same(readdirSync(elsewhere), [], 'no share reached the folder the links point to');
  t.ok(journalRecords(c.workdir).length > 0, 'the journal still verifies');

  rmSync(shares);
  const completed = await resume(c, answers);
  t.equal(completed.code, 0, `without the links the custodian change resumes and completes: ${completed.stderr}`);
  t.match(readFileSync(join(shares, 'hn1'), 'utf8'), /^hca-user-pin [0-9A-Z]+ /, 'the new share went to the workdir');
});
