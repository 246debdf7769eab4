// Issue 9, item 3: HSM faults SoftHSM cannot produce, injected at keyceremony's HSM seam
// (faulty-hsm.ts wraps the real SoftHSM session): the device removed, the token gone and the
// session handle lost, in the middle of key generation and of signing; the PIN locked at
// login; and the token warning that the next wrong PIN is the last. Each time: a clear
// message with a hint, the failure recorded, the state saved — and `resume` completes once
// the HSM is back (a failed step is retried, approved by its performer and witness).
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { answersWith, HCA_LABEL, newCase, prepareChain, type Case } from '../helpers/chain.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { assertWorkdirConsistent, completions, csrFacts, lastStepRecord, publicKeyLabels, tokenPublicKeyPem } from '../helpers/checks.js';
import { runWithFaults, type FaultPlan, type FaultRunResult } from '../helpers/faults.js';
import type { HsmFault } from '../helpers/faulty-hsm.js';

// EC P-384 keys: RSA-4096 is not what these cases are about (see helpers/chain.ts).
const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
const canary = buildCanary(Object.values(chain.workdirs));
const KEYGEN = 'generating EC P-384 key "HCA-G3" on token "HCA-DRYRUN"';
const SIGNING = 'signing with key "HCA-G3" on token "HCA-DRYRUN"';

interface FaultCase {
  name: string;
  step: 'unlock' | 'keygen' | 'csr';
  fault: HsmFault;
  code: string;
  message: string;
  hint: string;
  /** The HSM made the key before the fault was reported: resume finds it and the witnesses adopt it. */
  keyLeft?: boolean;
  /** Every later call fails too (the device is gone), logging out included. */
  logoutFails?: boolean;
}

const removed = (method: 'generateKeyPair' | 'sign'): HsmFault => ({ method, moment: 'after', action: { ckr: 'CKR_DEVICE_REMOVED', sticky: true } });
const CASES: FaultCase[] = [
  {
    name: 'CKR_DEVICE_REMOVED as the key generation finishes',
    step: 'keygen',
    fault: removed('generateKeyPair'),
    code: 'CKR_DEVICE_REMOVED',
    message: `${KEYGEN}: the HSM device was removed during the operation (CKR_DEVICE_REMOVED)`,
    hint: 'reconnect the HSM; the step can be retried or the ceremony resumed with `keyceremony resume`',
    keyLeft: true,
    logoutFails: true,
  },
  {
    name: 'CKR_TOKEN_NOT_PRESENT in the middle of key generation',
    step: 'keygen',
    fault: { method: 'generateKeyPair', moment: 'before', action: { ckr: 'CKR_TOKEN_NOT_PRESENT', sticky: true } },
    code: 'CKR_TOKEN_NOT_PRESENT',
    message: `${KEYGEN}: the token is not present (CKR_TOKEN_NOT_PRESENT)`,
    hint: 'check that the HSM is connected and the token is inserted, then retry the step',
    logoutFails: true,
  },
  {
    name: 'CKR_SESSION_HANDLE_INVALID in the middle of key generation',
    step: 'keygen',
    fault: { method: 'generateKeyPair', moment: 'before', action: { ckr: 'CKR_SESSION_HANDLE_INVALID' } },
    code: 'CKR_SESSION_HANDLE_INVALID',
    message: `${KEYGEN}: the HSM session is no longer valid (CKR_SESSION_HANDLE_INVALID)`,
    hint: 'the session was closed or the HSM restarted; resume the ceremony so the quorum can log in again',
  },
  {
    name: 'CKR_DEVICE_REMOVED as the CSR signature comes back',
    step: 'csr',
    fault: removed('sign'),
    code: 'CKR_DEVICE_REMOVED',
    message: `${SIGNING}: the HSM device was removed during the operation (CKR_DEVICE_REMOVED)`,
    hint: 'reconnect the HSM; the step can be retried or the ceremony resumed with `keyceremony resume`',
    logoutFails: true,
  },
  {
    name: 'CKR_TOKEN_NOT_PRESENT in the middle of signing',
    step: 'csr',
    fault: { method: 'sign', moment: 'before', action: { ckr: 'CKR_TOKEN_NOT_PRESENT', sticky: true } },
    code: 'CKR_TOKEN_NOT_PRESENT',
    message: `${SIGNING}: the token is not present (CKR_TOKEN_NOT_PRESENT)`,
    hint: 'check that the HSM is connected and the token is inserted, then retry the step',
    logoutFails: true,
  },
  {
    name: 'CKR_SESSION_HANDLE_INVALID in the middle of signing',
    step: 'csr',
    fault: { method: 'sign', moment: 'before', action: { ckr: 'CKR_SESSION_HANDLE_INVALID' } },
    code: 'CKR_SESSION_HANDLE_INVALID',
    message: `${SIGNING}: the HSM session is no longer valid (CKR_SESSION_HANDLE_INVALID)`,
    hint: 'the session was closed or the HSM restarted; resume the ceremony so the quorum can log in again',
  },
  {
    name: 'CKR_PIN_LOCKED from C_Login',
    step: 'unlock',
    fault: { method: 'login', moment: 'before', action: { ckr: 'CKR_PIN_LOCKED' } },
    code: 'CKR_PIN_LOCKED',
    message: 'logging in to token "HCA-DRYRUN" as user: the PIN on the token is locked (CKR_PIN_LOCKED)',
    hint: 'no login is possible with this PIN; the security officer must unblock it under the HSM vendor procedure, recorded as an exception',
  },
];

/** The failed run: exit 1, the message and hint, the failure recorded last, the state saved there. */
function checkFailed(t: Test, c: Case, result: FaultRunResult, step: string, code: string, message: string, hint: string, expectCheckpoint = false): void {
  t.equal(result.code, 1, 'exit 1: the step failed, recorded');
  t.match(result.stderr, `keyceremony: error: step ${step} failed: ${message}\n`);
  t.match(result.stderr, `keyceremony: hint: ${hint}`);
  t.match(result.stderr, `the failure is recorded and the state saved; after fixing the cause run \`keyceremony resume ${c.workdir}\``);
  const records = assertWorkdirConsistent(t, c.workdir, { allowUnrecorded: true });
  const last = lastStepRecord(t, records);
  t.match(last, { event: 'step.failed', step, data: { code, message } }, 'the failure is the last step record, with its CKR');
  t.same(last.who, ['wang', 'lin'], 'it names the performer and witness of the step');
  // A token that still answers signs a checkpoint over the failure before logging out
  // (src/ceremony/checkpoints.ts); one that is gone, or never logged in, signs none.
  t.equal(
    records.at(-1)!.event === 'journal.checkpoint',
    expectCheckpoint,
    expectCheckpoint ? 'the token signed a checkpoint over the failure before logging out' : 'no checkpoint: the token could not sign one',
  );
  const state = JSON.parse(readFileSync(join(c.workdir, 'state.json'), 'utf8')) as {
    journalHead: { seq: number };
    snapshot: { value: Record<string, string> };
  };
  t.equal(state.journalHead.seq, last.seq, 'state.json was saved after the failure record');
  t.same(state.snapshot.value, { [step]: 'failed' }, `the saved state is: step ${step} failed`);
}

async function resumeCompletes(t: Test, c: Case, answers: string, streams: Record<string, string>): Promise<void> {
  const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', answers], { env: c.store.env });
  t.equal(resumed.code, 0, `resume completes once the HSM is back ${resumed.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
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
  t.equal(csr.publicKey, await tokenPublicKeyPem(c.store.env, HCA_LABEL, 'HCA-G3'), 'with the key on the token');
  assertNoSecretsLeaked(t, canary, { roots: [c.workdir], streams: { ...streams, 'resume stdout': resumed.stdout, 'resume stderr': resumed.stderr } });
}

for (const fault of CASES) {
  t.test(fault.name, async (t) => {
    const c = newCase(chain, fault.name.replace(/[^a-z0-9]+/gi, '-'), 'hca-g3-keygen');
    const hsmLog = join(c.dir, 'hsm.log');
    const result = await runWithFaults(c.runArgs, { hsm: fault.fault, hsmLog }, { env: c.store.env });
    const loggedIn = fault.step !== 'unlock';
    checkFailed(t, c, result, fault.step, fault.code, fault.message, fault.hint, loggedIn && !fault.logoutFails);
    const calls = readFileSync(hsmLog, 'utf8').trim().split('\n');
    const afterFault = calls.slice(calls.findIndex((line) => line.startsWith('fault')) + 1);
    if (fault.logoutFails) {
      t.match(
        result.stdout,
        new RegExp(`keyceremony: warning: logging out: .*\\(${fault.code}\\)`),
        'logging out failed too (the device is gone), and the run says so',
      );
    } else {
      t.same(
        afterFault,
        [...(loggedIn ? ['call sign', 'call logout'] : []), 'call close', 'call finalize'],
        loggedIn ? 'the checkpoint signed, logged out, the session closed' : 'never logged in; the session closed',
      );
    }
    const answers = answersWith(c, 'resume.answers.yaml', { keygen: { reconcile: 'adopt' } });
    await resumeCompletes(t, c, answers, { 'run stdout': result.stdout, 'run stderr': result.stderr });
    const records = assertWorkdirConsistent(t, c.workdir);
    if (fault.keyLeft) {
      t.match(
        records.find((r) => r.event === 'hsm.unrecorded-key')?.data,
        { label: 'HCA-G3', decision: 'adopt' },
        'the key the HSM made is adopted, not made again',
      );
    } else {
      t.match(
        records.find((r) => r.event === 'step.retried'),
        { step: fault.step, who: ['wang', 'lin'], data: { allowFinalTry: false } },
        'the failed step was retried, approved by two people',
      );
    }
  });
}

t.test('the token says the PIN is locked: no login is tried', async (t) => {
  const c = newCase(chain, 'pin-locked-flag', 'hca-g3-keygen');
  const result = await runWithFaults(c.runArgs, { tokenFlags: { label: HCA_LABEL, userPinLocked: true } }, { env: c.store.env });
  checkFailed(
    t,
    c,
    result,
    'unlock',
    'CKR_PIN_LOCKED',
    'the user PIN of token "HCA-DRYRUN" is locked',
    'no login is possible; the PIN must be unblocked under the HSM vendor procedure, recorded as an exception',
  );
  // Once the security officer has unblocked the PIN, the ceremony goes on.
  await resumeCompletes(t, c, c.answers, { 'run stdout': result.stdout, 'run stderr': result.stderr });
});

t.test('the token warns that the next wrong PIN locks it: the tool refuses until the witnesses approve', async (t) => {
  const c = newCase(chain, 'final-try', 'hca-g3-keygen');
  const finalTry: FaultPlan = { tokenFlags: { label: HCA_LABEL, userPinFinalTry: true } };
  const message = 'the next wrong user PIN locks token "HCA-DRYRUN" for good';
  const hint = 'check every share against the manifest first; the witnesses must approve this last try explicitly';
  const first = await runWithFaults(c.runArgs, finalTry, { env: c.store.env });
  checkFailed(t, c, first, 'unlock', 'hsm.pin-final-try', message, hint);

  const again = await runWithFaults(['resume', c.workdir, '--answers', c.answers], finalTry, { env: c.store.env });
  t.equal(again.code, 1, 'resumed without the approval: refused again');
  t.match(again.stderr, `keyceremony: error: step unlock failed: ${message}`);
  const retried = assertWorkdirConsistent(t, c.workdir).filter((r) => r.event === 'step.retried');
  t.match(retried, [{ step: 'unlock', who: ['wang', 'lin'], data: { allowFinalTry: false } }], 'the retry without approval is recorded as such');

  const approved = answersWith(c, 'final-try.answers.yaml', { unlock: { retryBy: ['wang', 'lin'], allowFinalTry: true } });
  const resumed = await runWithFaults(['resume', c.workdir, '--answers', approved], finalTry, { env: c.store.env });
  t.equal(resumed.code, 0, `with the witnesses' approval the last try is made and the ceremony completes ${resumed.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.match(
    records.filter((r) => r.event === 'step.retried').at(-1),
    { step: 'unlock', who: ['wang', 'lin'], data: { allowFinalTry: true } },
    'the approval of the last try is recorded, with who gave it',
  );
  t.same(
    Object.values(completions(records)).filter((n) => n !== 1),
    [],
    'every step completed once',
  );
  t.same(
    (await publicKeyLabels(c.store.env, HCA_LABEL)).filter((l) => l === 'HCA-G3'),
    ['HCA-G3'],
    'exactly one HCA-G3 key',
  );
  const streams = Object.fromEntries(
    [first, again, resumed].flatMap((r, i) => [
      [`run ${i} stdout`, r.stdout],
      [`run ${i} stderr`, r.stderr],
    ]),
  );
  assertNoSecretsLeaked(t, canary, { roots: [c.workdir], streams });
});
