// Issue 9, item 4: storage faults. The workdir on a read-only and on a full file system (a
// real tmpfs, remounted read-only or filled up while the run is held still at a known
// journal record), an output file already present, the journal removed mid-run, and two
// runs on one workdir. Each time: a clear error, nothing half-written, nothing recorded that
// did not happen — and, once the cause is fixed, `resume` completes the ceremony.
import t, { type Test } from 'tap';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { answersWith, HCA_LABEL, newCase, prepareChain, type Case } from '../helpers/chain.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { assertWorkdirConsistent, completions, csrFacts, lastStepRecord, publicKeyLabels, tokenPublicKeyPem } from '../helpers/checks.js';
import { runWithFaults, startWithFaults, waitUntilStopped, type FaultPlan, type FaultRunResult } from '../helpers/faults.js';
import { cannotMount, scratchFs, type ScratchFs } from '../helpers/scratch-fs.js';
import { sha256 } from '../../src/util/fingerprint.js';

// EC P-384 keys: RSA-4096 is not what these cases are about (see helpers/chain.ts).
const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
const canary = buildCanary(Object.values(chain.workdirs));
const noMount = cannotMount();
if (noMount) t.comment(`the read-only and full-disk cases are skipped: ${noMount}`);

/** Runs the case until the child stops itself at `plan`, lets `change` alter the world, then lets it go on. */
async function holdAndChange(c: Case, plan: FaultPlan, change: () => void | Promise<void>, args = c.runArgs): Promise<FaultRunResult> {
  const started = startWithFaults(args, plan, { env: c.store.env });
  if (!(await waitUntilStopped(started))) {
    const result = await started.done;
    throw new Error(`the run did not stop at the planned point (exit ${result.code}): ${result.stderr}`);
  }
  try {
    await change();
  } finally {
    process.kill(started.pid, 'SIGCONT');
  }
  return started.done;
}

const stopAfter = (event: string, step: string): FaultPlan => ({ afterRecord: { event, step, action: 'SIGSTOP' } });

/** The case's workdir on `dir` instead of its own folder. */
function onDisk(c: Case, dir: string): Case {
  const workdir = join(dir, 'hca-g3-keygen');
  return { ...c, workdir, runArgs: c.runArgs.map((a) => (a === c.workdir ? workdir : a)) };
}

/** After the fault is fixed: resume completes, with one key, a good CSR and a verifying journal. */
async function resumeCompletes(t: Test, c: Case, streams: Record<string, string>): Promise<void> {
  const answers = answersWith(c, 'resume.answers.yaml', { keygen: { reconcile: 'adopt' } });
  const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', answers], { env: c.store.env });
  t.equal(resumed.code, 0, `resume completes ${resumed.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.equal(records.at(-1)!.event, 'ceremony.sealed');
  t.same(
    Object.values(completions(records)).filter((n) => n !== 1),
    [],
    'every step completed once',
  );
  t.equal((await keyceremonyInProcess(['journal', 'verify', c.workdir])).code, 0, 'journal verify passes');
  t.same(
    (await publicKeyLabels(c.store.env, HCA_LABEL)).filter((l) => l === 'HCA-G3'),
    ['HCA-G3'],
    'exactly one HCA-G3 key',
  );
  const csr = await csrFacts(join(c.workdir, 'outputs', 'hca-g3.csr'));
  t.ok(csr.verifies, 'the CSR verifies');
  t.equal(csr.publicKey, await tokenPublicKeyPem(c.store.env, HCA_LABEL, 'HCA-G3'), 'the CSR has the key on the token');
  assertNoSecretsLeaked(t, canary, { roots: [c.workdir], streams: { ...streams, 'resume stdout': resumed.stdout, 'resume stderr': resumed.stderr } });
}

t.test('a workdir on a read-only file system is refused before anything is written', { skip: noMount }, async (t) => {
  const c = newCase(chain, 'read-only-start', 'hca-g3-keygen');
  const fs = scratchFs(t, join(c.dir, 'ro'), 64, { readOnly: true });
  const k = onDisk(c, fs.dir);
  const result = await keyceremony(k.runArgs, { env: k.store.env });
  t.equal(result.code, 2, 'exit 2: nothing was done');
  t.match(result.stderr, `keyceremony: error: cannot write ${k.workdir}: the file system is read-only (EROFS)`);
  t.match(result.stderr, 'keyceremony: hint: the workdir must be on a writable disk with free space; nothing was recorded');
  t.notOk(existsSync(k.workdir), 'no workdir was made');
});

t.test('the outputs folder turns read-only during the run', { skip: noMount }, async (t) => {
  const c = newCase(chain, 'read-only-midway', 'hca-g3-keygen');
  const outputs = join(c.workdir, 'outputs');
  let fs: ScratchFs | undefined;
  const result = await holdAndChange(c, stopAfter('step.completed', 'keygen'), () => {
    fs = scratchFs(t, outputs, 64, { readOnly: true });
  });
  t.equal(result.code, 1, 'the step fails');
  t.match(result.stderr, `keyceremony: error: step csr failed: cannot write ${join(outputs, 'hca-g3.csr')}: the file system is read-only (EROFS)`);
  t.match(result.stderr, /keyceremony: hint: .*the failure is recorded and the state saved; after fixing the cause run `keyceremony resume/);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.match(lastStepRecord(t, records), { event: 'step.failed', step: 'csr', data: { code: 'storage.EROFS' } }, 'the failure is the last step record');
  t.notOk(
    records.some((r) => r.event === 'step.completed' && r.step === 'csr'),
    'no CSR is recorded',
  );
  fs!.unmount();
  t.same(readdirSync(outputs), [], 'nothing was written under the read-only mount');
  await resumeCompletes(t, c, { 'run stdout': result.stdout, 'run stderr': result.stderr });
});

t.test('the disk fills up while the CSR is written', { skip: noMount }, async (t) => {
  const c = newCase(chain, 'full-midway', 'hca-g3-keygen');
  const fs = scratchFs(t, join(c.dir, 'full'), 4096);
  const k = onDisk(c, fs.dir);
  let filler = '';
  const result = await holdAndChange(k, stopAfter('step.approved', 'csr'), () => {
    filler = fs.fill();
  });
  t.equal(result.code, 1, 'the run fails');
  t.match(result.stderr, /keyceremony: error: .*\(ENOSPC\)/, 'the error says the disk is full');
  t.comment(result.stderr.trim());
  t.match(result.stderr, /keyceremony: hint: /);
  t.notOk(readdirSync(join(k.workdir, 'outputs')).length, 'no CSR and no part of one in outputs/');
  const records = assertWorkdirConsistent(t, k.workdir);
  t.notOk(
    records.some((r) => r.event === 'step.completed' && r.step === 'csr'),
    'the CSR step is not recorded as done',
  );
  rmSync(filler);
  await resumeCompletes(t, k, { 'run stdout': result.stdout, 'run stderr': result.stderr });
});

t.test('state.json cannot be saved: the run stops at once, not at the end', async (t) => {
  const c = newCase(chain, 'state-unwritable', 'hca-g3-keygen');
  // A folder where the state file's temporary copy goes: the next save fails (EISDIR), as
  // it would on a disk that has room for a journal line but not for a new file.
  const result = await holdAndChange(c, stopAfter('step.completed', 'keygen'), () => mkdirSync(join(c.workdir, 'state.json.tmp')));
  t.equal(result.code, 1, 'the run fails');
  t.match(result.stderr, `keyceremony: error: cannot write ${join(c.workdir, 'state.json')}: a folder of that name is in the way (EISDIR)`);
  t.match(result.stderr, 'keyceremony: hint: the run stopped here: the journal holds every record so far');
  t.match(result.stderr, /keyceremony: hint: .*keyceremony resume/);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.notOk(
    records.some((r) => r.step === 'csr' && r.event !== 'step.started'),
    'nothing of the next step was done after the state could not be saved',
  );
  rmSync(join(c.workdir, 'state.json.tmp'), { recursive: true });
  await resumeCompletes(t, c, { 'run stdout': result.stdout, 'run stderr': result.stderr });
});

t.test('a workdir on a full file system: refused, nothing left behind', { skip: noMount }, async (t) => {
  const c = newCase(chain, 'full-start', 'hca-g3-keygen');
  const fs = scratchFs(t, join(c.dir, 'full'), 1024);
  const k = onDisk(c, fs.dir);
  const filler = fs.fill();
  const result = await keyceremony(k.runArgs, { env: k.store.env });
  t.equal(result.code, 2, 'exit 2: nothing was done');
  t.match(result.stderr, /keyceremony: error: cannot write .*: the disk is full \(ENOSPC\)/);
  t.match(result.stderr, 'keyceremony: hint: the workdir must be on a writable disk with free space; nothing was recorded');
  t.same(existsSync(k.workdir) ? readdirSync(k.workdir) : [], [], 'the workdir is empty or absent');
  rmSync(filler);
  const again = await keyceremony(k.runArgs, { env: k.store.env });
  t.equal(again.code, 0, `with space again, the same workdir takes the ceremony ${again.stderr}`);
});

t.test('an output file that is already there is never overwritten', async (t) => {
  const c = newCase(chain, 'output-present', 'hca-g3-keygen');
  const foreign = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nnot ours\n-----END CERTIFICATE REQUEST-----\n');
  const result = await holdAndChange(c, stopAfter('step.completed', 'keygen'), () => writeFileSync(join(c.workdir, 'outputs', 'hca-g3.csr'), foreign));
  t.equal(result.code, 1, 'the step fails');
  t.match(
    result.stderr,
    `keyceremony: error: step csr failed: output ${join(c.workdir, 'outputs', 'hca-g3.csr')} already exists; keyceremony never overwrites an output`,
  );
  t.match(result.stderr, /keyceremony: hint: .*keyceremony resume/);
  t.same(readFileSync(join(c.workdir, 'outputs', 'hca-g3.csr')), foreign, 'the file that was there is unchanged');
  const records = assertWorkdirConsistent(t, c.workdir, { allowUnrecorded: true });
  t.match(lastStepRecord(t, records), { event: 'step.failed', step: 'csr', data: { code: 'output.exists' } }, 'the failure is recorded');
  await resumeCompletes(t, c, { 'run stdout': result.stdout, 'run stderr': result.stderr });
  const aside = journalRecord(c, 'output.unrecorded');
  t.match(aside?.data, { name: 'hca-g3.csr', sha256: sha256(foreign).toString('hex') }, 'resume moved the foreign file aside and recorded its hash');
  t.same(readFileSync(String((aside?.data as { movedTo?: string } | undefined)?.movedTo)), foreign, 'the foreign file is kept, aside');
});

function journalRecord(c: Case, event: string): { data: Record<string, unknown> } | undefined {
  return readFileSync(join(c.workdir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; data: Record<string, unknown> })
    .find((r) => r.event === event);
}

t.test('the journal removed during the run: nothing more is recorded or done', async (t) => {
  const c = newCase(chain, 'journal-removed', 'hca-g3-keygen');
  const backup = join(c.dir, 'journal.backup.jsonl');
  const result = await holdAndChange(c, stopAfter('step.completed', 'keygen'), () => {
    copyFileSync(join(c.workdir, 'journal.jsonl'), backup);
    rmSync(join(c.workdir, 'journal.jsonl'));
  });
  t.equal(result.code, 1, 'the run fails');
  t.match(result.stderr, `keyceremony: error: journal ${join(c.workdir, 'journal.jsonl')} was removed while the ceremony was running`);
  t.match(result.stderr, /keyceremony: hint: nothing more is recorded; keep the workdir as it is/);
  t.notOk(existsSync(join(c.workdir, 'journal.jsonl')), 'no new journal was started');
  t.notOk(existsSync(join(c.workdir, 'outputs', 'hca-g3.csr')), 'the next step did not run');
  const refused = await keyceremony(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(refused.code, 2, 'resume refuses a workdir without a journal');
  t.match(refused.stderr, `keyceremony: error: ${c.workdir} is not a ceremony workdir: it has no journal.jsonl`);
  // The auditor restores the journal from the backup copy; the ceremony goes on from there.
  copyFileSync(backup, join(c.workdir, 'journal.jsonl'));
  await resumeCompletes(t, c, { 'run stdout': result.stdout, 'run stderr': result.stderr, 'refused stderr': refused.stderr });
});

t.test('two runs on one workdir: the second is refused and changes nothing', async (t) => {
  const c = newCase(chain, 'two-runs', 'hca-g3-keygen');
  const started = startWithFaults(c.runArgs, stopAfter('step.completed', 'inventory'), { env: c.store.env });
  t.ok(await waitUntilStopped(started), 'the first run is held after the inventory');
  const before = readFileSync(join(c.workdir, 'journal.jsonl'));
  const run = await keyceremony(c.runArgs, { env: c.store.env });
  t.equal(run.code, 2);
  t.match(run.stderr, `keyceremony: error: workdir ${c.workdir} is not empty`);
  const resume = await keyceremony(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(resume.code, 2);
  t.match(resume.stderr, `keyceremony: error: workdir ${c.workdir} is in use by keyceremony process ${started.pid}`);
  t.match(resume.stderr, 'keyceremony: hint: one run per workdir at a time');
  t.same(readFileSync(join(c.workdir, 'journal.jsonl')), before, 'the journal is untouched');
  process.kill(started.pid, 'SIGCONT');
  const first = await started.done;
  t.equal(first.code, 0, `the first run completes ${first.stderr}`);
  t.same(
    Object.values(completions(assertWorkdirConsistent(t, c.workdir))).filter((n) => n !== 1),
    [],
    'every step completed once',
  );
});

t.test('two resumes at the same moment: the lock is whole as soon as it exists', async (t) => {
  const c = newCase(chain, 'two-resumes', 'hca-g3-keygen');
  const crashed = await runWithFaults(c.runArgs, { afterRecord: { event: 'step.completed', step: 'inventory', action: 'SIGKILL' } }, { env: c.store.env });
  t.equal(crashed.signal, 'SIGKILL');
  const first = startWithFaults(['resume', c.workdir, '--answers', c.answers], { afterLock: { action: 'SIGSTOP' } }, { env: c.store.env });
  t.ok(await waitUntilStopped(first), 'the first resume is held the moment its lock exists');
  const second = await keyceremony(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(second.code, 2, 'the second resume is refused');
  t.match(second.stderr, `keyceremony: error: workdir ${c.workdir} is in use by keyceremony process ${first.pid}`);
  process.kill(first.pid, 'SIGCONT');
  const result = await first.done;
  t.equal(result.code, 0, `the first resume completes ${result.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.equal(records.filter((r) => r.event === 'ceremony.resumed').length, 1, 'one resume happened');
});

t.test('two resumes find the same stale lock: one takes it over, the other is refused', async (t) => {
  const c = newCase(chain, 'stale-lock-race', 'hca-g3-keygen');
  const crashed = await runWithFaults(c.runArgs, { afterRecord: { event: 'step.completed', step: 'inventory', action: 'SIGKILL' } }, { env: c.store.env });
  t.equal(crashed.signal, 'SIGKILL');
  t.ok(existsSync(join(c.workdir, '.lock')), 'the crash left its lock behind');
  // The first resume has the crashed run's lock open and is about to judge it stale...
  const slow = startWithFaults(['resume', c.workdir, '--answers', c.answers], { afterLockRead: { action: 'SIGSTOP' } }, { env: c.store.env });
  t.ok(await waitUntilStopped(slow), 'the first resume is held while it reads the stale lock');
  // ...when a second resume takes the same stale lock over.
  const fast = startWithFaults(['resume', c.workdir, '--answers', c.answers], { afterLock: { action: 'SIGSTOP' } }, { env: c.store.env });
  t.ok(await waitUntilStopped(fast), 'the second resume holds the lock');
  t.match(readFileSync(join(c.workdir, '.lock'), 'utf8'), `"pid":${fast.pid}`, "the lock file is the second resume's");
  process.kill(slow.pid, 'SIGCONT');
  const refused = await slow.done;
  t.equal(refused.code, 2, 'the first resume is refused rather than removing the new lock');
  t.match(refused.stderr, `keyceremony: error: workdir ${c.workdir} is in use by keyceremony process ${fast.pid}`);
  t.match(readFileSync(join(c.workdir, '.lock'), 'utf8'), `"pid":${fast.pid}`, "the lock is still the second resume's");
  process.kill(fast.pid, 'SIGCONT');
  const result = await fast.done;
  t.equal(result.code, 0, `the second resume completes ${result.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.equal(records.filter((r) => r.event === 'ceremony.resumed').length, 1, 'one resume happened');
  t.same(
    readdirSync(c.workdir).filter((name) => name.startsWith('.lock')),
    [],
    'the lock and its takeover marker are gone when the run ends',
  );
});
