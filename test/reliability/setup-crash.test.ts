// Issue 14, finding 13: set-up is all or nothing. `run` is killed (SIGKILL) at each moment of
// its set-up — its lock taken, the SETUP-UNFINISHED marker written, the definition, the HSM
// profile and an input copied in, the journal header on disk — and then the officer is never
// stuck: before the journal exists nothing was recorded, `resume` says so and the next
// `run` into the same workdir clears what was left and completes; from the journal on,
// `resume` completes. Each time the workdir ends consistent and no secret is anywhere.
import t from 'tap';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { answersWith, newCase, prepareChain } from '../helpers/chain.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { assertWorkdirConsistent, completions } from '../helpers/checks.js';
import { runWithFaults, startWithFaults, waitUntilStopped, type FaultPlan } from '../helpers/faults.js';

// EC P-384 keys: RSA-4096 is not what these cases are about (see helpers/chain.ts). The runs
// that are killed are real processes; what comes after them (resume, the next run) runs in
// this process (helpers/in-process.ts), except the second runs of the last two cases.
const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
const canary = buildCanary(Object.values(chain.workdirs));

const POINTS: Array<{ name: string; plan: FaultPlan; journal: boolean }> = [
  { name: 'the lock taken', plan: { afterLock: { action: 'SIGKILL' } }, journal: false },
  { name: 'the set-up marker written', plan: { afterOutput: { name: 'SETUP-UNFINISHED', action: 'SIGKILL' } }, journal: false },
  { name: 'the definition copied', plan: { afterOutput: { name: 'definition.yaml', action: 'SIGKILL' } }, journal: false },
  { name: 'the HSM profile copied', plan: { afterOutput: { name: 'hsm-profile.yaml', action: 'SIGKILL' } }, journal: false },
  { name: 'an input copied', plan: { afterOutput: { name: 'hca-user-pin-manifest', action: 'SIGKILL' } }, journal: false },
  { name: 'the journal header on disk', plan: { afterRecord: { event: 'ceremony.opened', step: null, action: 'SIGKILL' } }, journal: true },
];

for (const point of POINTS) {
  t.test(`killed during set-up: ${point.name}`, async (t) => {
    const c = newCase(chain, `setup-${point.name.replace(/\W+/g, '-')}`, 'hca-g3-keygen');
    const crashed = await runWithFaults(c.runArgs, point.plan, { env: c.store.env });
    t.equal(crashed.signal, 'SIGKILL', 'killed at the planned moment');
    t.equal(existsSync(join(c.workdir, 'journal.jsonl')), point.journal, point.journal ? 'the journal exists' : 'no journal yet');
    const streams: Record<string, string> = { 'run stdout': crashed.stdout, 'run stderr': crashed.stderr };
    let final;
    if (point.journal) {
      final = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
      t.equal(final.code, 0, `resume completes ${final.stderr}`);
    } else {
      const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
      t.equal(resumed.code, 2, 'resume has nothing to continue');
      const marker = readdirSync(c.workdir).includes('SETUP-UNFINISHED');
      t.match(
        resumed.stderr,
        marker
          ? `keyceremony: error: the set-up of workdir ${c.workdir} did not finish: the run stopped before its journal existed, so nothing was recorded`
          : `keyceremony: error: ${c.workdir} is not a ceremony workdir`,
      );
      final = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
      t.equal(final.code, 0, `run into the same workdir completes ${final.stderr}`);
      if (marker) t.match(final.stdout, `keyceremony: ${c.workdir}: removed what a set-up that did not finish had left`, 'and says what it cleared');
      Object.assign(streams, { 'resume stderr': resumed.stderr });
    }
    Object.assign(streams, { 'final stdout': final.stdout, 'final stderr': final.stderr });
    t.notOk(existsSync(join(c.workdir, 'SETUP-UNFINISHED')), 'no set-up marker is left');
    const records = assertWorkdirConsistent(t, c.workdir);
    t.equal(records.filter((r) => r.event === 'ceremony.opened').length, 1);
    t.same(
      Object.entries(completions(records)).filter(([, n]) => n !== 1),
      [],
      'every step completed once',
    );
    assertNoSecretsLeaked(t, canary, { roots: [c.workdir], streams });
  });
}

t.test('a journal file without its first record (a crash while it was created) is still an unfinished set-up', async (t) => {
  const c = newCase(chain, 'setup-empty-journal', 'hca-g3-keygen');
  const crashed = await runWithFaults(c.runArgs, { afterOutput: { name: 'hca-user-pin-manifest', action: 'SIGKILL' } }, { env: c.store.env });
  t.equal(crashed.signal, 'SIGKILL');
  // What a SIGKILL between creating the journal (O_EXCL) and writing its header leaves.
  writeFileSync(join(c.workdir, 'journal.jsonl'), '');
  const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(resumed.code, 2);
  t.match(resumed.stderr, `keyceremony: error: the set-up of workdir ${c.workdir} did not finish`);
  const again = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
  t.equal(again.code, 0, `run into the same workdir completes ${again.stderr}`);
  t.match(again.stdout, /removed what a set-up that did not finish had left \([^)]*journal\.jsonl/, 'the empty journal is among what was cleared');
  assertWorkdirConsistent(t, c.workdir);
});

t.test('an unfinished set-up is not cleared when something else was put into the workdir', async (t) => {
  const c = newCase(chain, 'setup-stranger', 'hca-g3-keygen');
  const crashed = await runWithFaults(c.runArgs, { afterOutput: { name: 'definition.yaml', action: 'SIGKILL' } }, { env: c.store.env });
  t.equal(crashed.signal, 'SIGKILL');
  writeFileSync(join(c.workdir, 'notes.txt'), "the officer's own notes");
  const again = await keyceremony(c.runArgs, { env: c.store.env });
  t.equal(again.code, 2);
  t.match(again.stderr, `keyceremony: error: workdir ${c.workdir} is not empty`);
  t.ok(existsSync(join(c.workdir, 'notes.txt')) && existsSync(join(c.workdir, 'definition.yaml')), 'nothing was removed');
});

t.test('a set-up still running is not cleared by a second run', async (t) => {
  const c = newCase(chain, 'setup-in-progress', 'hca-g3-keygen');
  const started = startWithFaults(c.runArgs, { afterOutput: { name: 'definition.yaml', action: 'SIGSTOP' } }, { env: c.store.env });
  t.ok(await waitUntilStopped(started), 'the first run is held during its set-up');
  try {
    const second = await keyceremony(['run', c.definition, '--hsm', c.store.profile, '--workdir', c.workdir, '--answers', answersWith(c, 'second.yaml', {})], {
      env: c.store.env,
    });
    t.equal(second.code, 2);
    t.match(second.stderr, `keyceremony: error: workdir ${c.workdir} is in use by keyceremony process ${started.pid}`);
    t.ok(existsSync(join(c.workdir, 'definition.yaml')), "the first run's set-up is untouched");
  } finally {
    process.kill(started.pid, 'SIGCONT');
  }
  const first = await started.done;
  t.equal(first.code, 0, `the first run completes ${first.stderr}`);
  assertWorkdirConsistent(t, c.workdir);
});
