// attack17b FINDING (re-review of the file checks): the X.509 profile copy in the workdir
// (profiles/<name>.yaml) is recorded in the journal's first record with its SHA-256, and resume
// compares it, but a running ceremony's work phase read it again without that comparison.
// Whoever can write the workdir could change it between the witnesses' approval and the
// signature: the certificate then carried extensions nobody approved (here a CRL distribution
// point of the attacker's and no path length limit).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCase, prepareChain } from '../helpers/chain.js';
import { startWithFaults, waitUntilStopped } from '../helpers/faults.js';
import { keyceremony } from '../helpers/cli.js';
import { journalRecords } from '../helpers/ceremony.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });

t.test('FINDING: a profile changed after approval is what the certificate is signed with', async (t) => {
  const c = newCase(chain, 'profile-swap', 'grca-issue-hca-g3');
  const started = startWithFaults(c.runArgs, { afterRecord: { event: 'step.approved', step: 'issue', action: 'SIGSTOP' } }, { env: c.store.env });
  t.teardown(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) process.kill(started.pid, 'SIGKILL');
  });
  t.ok(await waitUntilStopped(started), 'held right after the witnesses approved the issue step');
  const profile = join(c.workdir, 'profiles', 'subordinate-ca.yaml');
  const approved = readFileSync(profile, 'utf8');
  const forged = approved.replace('http://grca.nat.gov.tw/repository/CRL3/CA.crl', 'http://attacker.example/CA.crl').replace(/\n\s*pathLength: 0\n/, '\n');
  t.not(forged, approved, 'the attacker changed the profile copy');
  writeFileSync(profile, forged);
  process.kill(started.pid, 'SIGCONT');
  const result = await started.done;
  const certificate = join(c.workdir, 'outputs', 'hca-g3.crt');
  t.equal(result.code, 0, `the ceremony went on: ${result.stderr}`);
  t.ok(existsSync(certificate), 'a certificate was written');
  const text = execFileSync('openssl', ['x509', '-in', certificate, '-noout', '-text']).toString();
  t.match(text, /attacker\.example/, "openssl: the certificate carries the attacker's CRL distribution point");
  t.notMatch(text, /pathlen:0/, 'openssl: and no path length limit');
  t.ok(
    journalRecords(c.workdir).some((r) => r.step === 'issue' && r.event === 'step.completed'),
    'the journal records the issue step as completed',
  );
  const verified = await keyceremony(['journal', 'verify', c.workdir], { env: c.store.env });
  t.equal(verified.code, 0, 'and the journal verifies');
});
