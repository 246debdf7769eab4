// Issue 9, item 2: SIGINT or SIGTERM during a step. The run lets the HSM finish what it is
// doing, records ceremony.interrupted, has the token sign a journal checkpoint (issue 20: the
// HCA token holds the audit key), logs out and closes the session, saves its state and
// exits 3; `resume` then continues (the quorum logs in again) and completes.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { stepTitle } from '../../src/definition/definition.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { answersWith, HCA_LABEL, newCase, prepareChain, type Case } from '../helpers/chain.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { assertWorkdirConsistent, completions, csrFacts, publicKeyLabels } from '../helpers/checks.js';
import { runWithFaults, signalPending, startWithFaults, waitUntilStopped, type FaultRunResult } from '../helpers/faults.js';

const chain = await prepareChain(t, 'hca-token-init');
const canary = buildCanary(Object.values(chain.workdirs));

interface SavedState {
  status: string;
  journalHead: { seq: number };
  snapshot: { value: Record<string, string> };
}

/** What the stopped run left: exit 3, the record, the saved state, and the HSM logged out before the process ended. */
function checkStopped(
  t: Test,
  c: Case,
  result: FaultRunResult,
  signal: 'SIGINT' | 'SIGTERM',
  at: string,
  during: 'generateKeyPair' | 'sign',
  hsmLog: string,
): void {
  t.equal(result.code, 3, 'exit 3: interrupted and resumable');
  t.match(result.stdout, `keyceremony: ${signal} received: stopping when the current operation has finished`);
  // The step by number and title, as the officers know it, not by its id (issue 16).
  const definition = loadDefinition(c.definition);
  const index = definition.steps.findIndex((s) => s.id === at);
  t.match(
    result.stdout,
    `keyceremony: DRY RUN interrupted at step ${index + 1}, ${stepTitle(definition.steps[index]!, 'en')}; to resume:\nkeyceremony:   keyceremony resume ${c.workdir}\n`,
  );
  t.equal(result.stderr, '', 'nothing on stderr: this is not an error');
  const records = assertWorkdirConsistent(t, c.workdir);
  const checkpoint = records.at(-1)!;
  t.match(
    checkpoint,
    { event: 'journal.checkpoint', data: { token: 'hca', signed: { seq: checkpoint.seq - 1 } } },
    'before its logout, the token signed the journal up to the interruption',
  );
  const last = records.at(-2)!;
  t.match(last, { event: 'ceremony.interrupted', step: at, data: { signal } }, 'ceremony.interrupted is the last record before the checkpoint');
  t.match(records.at(-3), { event: 'step.started', step: at }, 'the step under way when the signal came completed first');
  const state = JSON.parse(readFileSync(join(c.workdir, 'state.json'), 'utf8')) as SavedState;
  t.equal(state.status, 'running');
  t.same(state.snapshot.value, { [at]: 'awaiting' }, `the saved state waits at step ${at}`);
  t.equal(state.journalHead.seq, last.seq - 1, 'saved at the stable state the run stopped in');
  // The HSM, call by call: the operation under way finished, then logout and close, then the module was finalised.
  const calls = readFileSync(hsmLog, 'utf8').trim().split('\n');
  const fault = calls.findIndex((line) => line.startsWith('fault'));
  const after = calls.slice(fault + 1);
  t.ok(fault >= 0 && calls[fault - 1] === `call ${during}`, `the signal came during ${during}`);
  t.same(
    after,
    ['call sign', 'call logout', 'call close', 'call finalize'],
    'then: the checkpoint signed, logged out, session closed, module finalised — nothing else',
  );
}

async function resumeAndCheck(t: Test, c: Case, streams: Record<string, string>, relogin: boolean): Promise<void> {
  const answers = answersWith(c, 'resume.answers.yaml', { keygen: { reconcile: 'adopt' } });
  const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', answers], { env: c.store.env });
  t.equal(resumed.code, 0, `resume completes ${resumed.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
  const events = records.map((r) => r.event);
  t.ok(events.indexOf('ceremony.interrupted') < events.indexOf('ceremony.resumed'), 'interrupted, then resumed');
  // After keygen-confirmed, csr needs the token unlocked: the quorum logs in again; after
  // csr-confirmed only lock is left, which needs no login.
  if (relogin) t.ok(events.includes('hsm.relogin'), 'the quorum logged in again');
  else t.notOk(events.includes('hsm.relogin'), 'no login was needed to go on');
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
  t.ok((await csrFacts(join(c.workdir, 'outputs', 'hca-g3.csr'))).verifies, 'the CSR verifies');
  assertNoSecretsLeaked(t, canary, { roots: [c.workdir], streams: { ...streams, 'resume stdout': resumed.stdout, 'resume stderr': resumed.stderr } });
}

t.test('SIGINT while the HSM generates the key', async (t) => {
  const c = newCase(chain, 'sigint-keygen', 'hca-g3-keygen');
  const hsmLog = join(c.dir, 'hsm.log');
  // The signal is real (the kernel delivers it to the process); it is sent the moment the
  // key generation has been handed to the HSM, so it always arrives mid-operation.
  const result = await runWithFaults(
    c.runArgs,
    { hsm: { method: 'generateKeyPair', moment: 'in-flight', action: { signal: 'SIGINT' } }, hsmLog },
    { env: c.store.env },
  );
  checkStopped(t, c, result, 'SIGINT', 'keygen-confirmed', 'generateKeyPair', hsmLog);
  await resumeAndCheck(t, c, { 'run stdout': result.stdout, 'run stderr': result.stderr }, true);
});

t.test('SIGTERM from outside while the HSM signs the CSR', async (t) => {
  const c = newCase(chain, 'sigterm-csr', 'hca-g3-keygen');
  const hsmLog = join(c.dir, 'hsm.log');
  // Held once, as the HSM starts signing the CSR (the first signature of the ceremony; the HSM
  // log below shows it was `sign`). SIGTERM is sent while the signature is being made, as an
  // operator or a service manager would, and the child goes on only once the kernel holds the
  // signal for it, so the signal cannot arrive before or after the signing.
  const started = startWithFaults(c.runArgs, { hsm: { method: 'sign', moment: 'before', action: { signal: 'SIGSTOP' } }, hsmLog }, { env: c.store.env });
  t.ok(await waitUntilStopped(started), 'held as the HSM starts signing');
  process.kill(started.pid, 'SIGTERM');
  t.ok(await signalPending(started, 'SIGTERM'), 'SIGTERM is pending for the held child');
  process.kill(started.pid, 'SIGCONT');
  const result = await started.done;
  checkStopped(t, c, result, 'SIGTERM', 'csr-confirmed', 'sign', hsmLog);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.ok(
    records.some((r) => r.event === 'step.completed' && r.step === 'csr'),
    'the CSR was finished and recorded before stopping',
  );
  await resumeAndCheck(t, c, { 'run stdout': result.stdout, 'run stderr': result.stderr }, false);
});
