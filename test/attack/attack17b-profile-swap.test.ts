// attack17b (re-review of the file checks), now refused: the X.509 profile copy in the workdir
// (profiles/<name>.yaml) is recorded in the journal's first record with its SHA-256, and resume
// compares it, but a running ceremony's prepare and work phases read it again without that
// comparison. Whoever could write the workdir changed it between the witnesses' approval and
// the signature, and the certificate carried extensions nobody approved (a CRL distribution
// point of the attacker's, no path length limit); `keyceremony journal verify` still passed.
// certificateTools.profile (steps/shared/x509-run.ts) now refuses a copy whose SHA-256 is not
// the header's (file.changed), at prepare and at signing.
import t, { type Test } from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCase, prepareChain, type Case } from '../helpers/chain.js';
import { startWithFaults, waitUntilStopped } from '../helpers/faults.js';
import { keyceremony } from '../helpers/cli.js';
import { journalRecords } from '../helpers/ceremony.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });

/** The attacker's edit of the profile copy: their CRL distribution point, no path length limit. */
function forgeProfile(t: Test, c: Case): void {
  const profile = join(c.workdir, 'profiles', 'subordinate-ca.yaml');
  const approved = readFileSync(profile, 'utf8');
  const forged = approved.replace('http://grca.nat.gov.tw/repository/CRL3/CA.crl', 'http://attacker.example/CA.crl').replace(/\n\s*pathLength: 0\n/, '\n');
  t.not(forged, approved, 'the attacker changed the profile copy');
  writeFileSync(profile, forged);
}

for (const [when, event] of [
  ['after the witnesses approved the issue step', { event: 'step.approved', step: 'issue' }],
  ['before the issue step is prepared (after unlock)', { event: 'step.completed', step: 'unlock' }],
] as const) {
  t.test(`a profile copy changed ${when} is refused: nothing is issued, the journal verifies`, async (t) => {
    const c = newCase(chain, `profile-swap-${event.step}`, 'grca-issue-hca-g3');
    const started = startWithFaults(c.runArgs, { afterRecord: { ...event, action: 'SIGSTOP' } }, { env: c.store.env });
    t.teardown(() => {
      if (started.child.exitCode === null && started.child.signalCode === null) process.kill(started.pid, 'SIGKILL');
    });
    t.ok(await waitUntilStopped(started), `held ${when}`);
    forgeProfile(t, c);
    process.kill(started.pid, 'SIGCONT');
    const result = await started.done;
    t.not(result.code, 0, 'refused');
    t.match(
      result.stderr.replace(/\s+/g, ' '),
      /profiles\/subordinate-ca\.yaml changed after the journal recorded it: SHA-256 [0-9a-f]{64}, recorded [0-9a-f]{64} when the ceremony started/,
      'names the file and both SHA-256',
    );
    t.notOk(existsSync(join(c.workdir, 'outputs', 'hca-g3.crt')), 'no certificate was written');
    t.notOk(existsSync(join(c.workdir, 'outputs', 'root-ca.issue-hca-g3.ledger')), 'no ledger was written');
    t.notOk(
      journalRecords(c.workdir).some((r) => r.step === 'issue' && r.event === 'step.completed'),
      'the journal records no completed issue step',
    );
    const verified = await keyceremony(['journal', 'verify', c.workdir], { env: c.store.env });
    t.equal(verified.code, 0, `the journal still verifies: ${verified.stderr}`);
  });
}
