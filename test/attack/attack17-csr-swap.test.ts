// attack17 (review, noticed while racing files between approval and signing): issue-certificate
// shows the CSR's SHA-256 as the journal recorded it at the ceremony's start, and the witnesses
// approve that, but the work phase reads inputs/<csr> again (fileBytes in
// steps/shared/x509-run.ts) without comparing its bytes with that SHA-256. A request for
// another key of the same algorithm and subject, put in the workdir after approval, is signed.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCase, prepareChain } from '../helpers/chain.js';
import { startWithFaults, waitUntilStopped } from '../helpers/faults.js';
import { keyceremony } from '../helpers/cli.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });

t.test('a CSR swapped after approval is signed (the approved SHA-256 is not checked at signing)', async (t) => {
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
  t.comment(result.stderr.slice(-2000));
  t.equal(result.code, 0, 'the ceremony completes');
  const issued = join(c.workdir, 'outputs', 'hca-g3.crt');
  const issuedPub = execFileSync('openssl', ['x509', '-in', issued, '-noout', '-pubkey']).toString();
  const attackerPub = execFileSync('openssl', ['pkey', '-in', key, '-pubout']).toString();
  t.not(issuedPub, approvedPub, 'ATTACK: the certificate does not carry the approved key');
  t.equal(issuedPub, attackerPub, 'ATTACK: openssl: the certificate carries the attacker key');
  t.equal(
    execFileSync('openssl', ['verify', '-CAfile', join(c.dir, 'dryrun-root-init', 'outputs', 'root-dryrun.crt'), issued])
      .toString()
      .trim(),
    `${issued}: OK`,
    'ATTACK: openssl verifies it under the root',
  );
  const verified = await keyceremony(['journal', 'verify', c.workdir], { env: c.store.env });
  t.equal(verified.code, 0, `journal verify passes; the journal names only the approved CSR SHA-256: ${verified.stderr}`);
  void readFileSync;
});
