// attack17 (review, noticed while racing files between approval and signing), now refused:
// issue-certificate shows the CSR's SHA-256 as the journal recorded it at the ceremony's start,
// and the witnesses approve that, but the work phase read inputs/<csr> again without comparing
// its bytes with that SHA-256: a request for another key of the same algorithm and subject, put
// in the workdir after approval, was signed. fileBytes (steps/shared/x509-run.ts) now refuses it.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCase, prepareChain } from '../helpers/chain.js';
import { startWithFaults, waitUntilStopped } from '../helpers/faults.js';
import { keyceremony } from '../helpers/cli.js';
import { journalRecords } from '../helpers/ceremony.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });

t.test('a CSR swapped after approval is refused at signing: nothing is issued, the journal verifies', async (t) => {
  const c = newCase(chain, 'csr-swap', 'grca-issue-hca-g3');
  const started = startWithFaults(c.runArgs, { afterRecord: { event: 'step.approved', step: 'issue', action: 'SIGSTOP' } }, { env: c.store.env });
  t.teardown(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) process.kill(started.pid, 'SIGKILL');
  });
  t.ok(await waitUntilStopped(started), 'held right after the witnesses approved the issue step');
  const csr = join(c.workdir, 'inputs', 'hca-g3-csr');
  const approvedPub = execFileSync('openssl', ['req', '-in', csr, '-noout', '-pubkey']).toString();
  // The subject the definition states (ceremonies/grca-issue-hca-g3.yaml), as the approved CSR carries it.
  const subject = '/C=TW/O=行政院/CN=醫事憑證管理中心 - G3';
  const key = join(c.dir, 'attacker.key');
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', key]);
  const forged = execFileSync('openssl', ['req', '-new', '-key', key, '-utf8', '-subj', subject]);
  writeFileSync(csr, forged);
  process.kill(started.pid, 'SIGCONT');
  const result = await started.done;
  t.not(result.code, 0, 'refused');
  t.match(
    result.stderr.replace(/\s+/g, ' '),
    /inputs\/hca-g3-csr changed after the journal recorded it: SHA-256 [0-9a-f]{64}, recorded [0-9a-f]{64}/,
    'names the file and both SHA-256',
  );
  t.notOk(existsSync(join(c.workdir, 'outputs', 'hca-g3.crt')), 'no certificate was written');
  t.notOk(
    journalRecords(c.workdir).some((r) => r.step === 'issue' && r.event === 'step.completed'),
    'the journal records no completed issue step',
  );
  const attackerPub = execFileSync('openssl', ['pkey', '-in', key, '-pubout']).toString();
  t.not(attackerPub, approvedPub, 'openssl: the swapped request carries another key than the approved one');
  const verified = await keyceremony(['journal', 'verify', c.workdir], { env: c.store.env });
  t.equal(verified.code, 0, `the journal still verifies: ${verified.stderr}`);
});
