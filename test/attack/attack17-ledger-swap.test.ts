// attack17 (issue 17 item 5, review), now refused: the ledger a CRL step continues is read again
// from the workdir when the step signs. Nothing compared those bytes with the SHA-256 the journal
// recorded, so on a token that keeps no anchor (profile dataObjects: false, or a key older than
// anchors: first use), whoever could write the workdir swapped the ledger between approval and
// signing and the key signed a CRL number it had already used. fileBytes now checks every
// recorded file against its journal record (file.changed), with or without an anchor.
import t, { type Test } from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { crlNumber, heldAfterCrl2Approval } from '../helpers/ledger-ceremony.js';
import { SOFTHSM_MODULE, softhsm } from '../helpers/softhsm.js';
import { journalRecords } from '../helpers/ceremony.js';
import { keyceremony } from '../helpers/cli.js';

async function swapAfterApproval(t: Test, dataObjects: boolean) {
  const fx = softhsm(t);
  const profile = join(fx.dir, 'hsm.yaml');
  writeFileSync(
    profile,
    [
      `module: ${SOFTHSM_MODULE}`,
      'dryRun: true',
      ...(dataObjects ? [] : ['capabilities: { dataObjects: false }']),
      'tokens:',
      '  test: { label: "ENGINE-TEST" }',
      '',
    ].join('\n'),
  );
  const { started, workdir } = await heldAfterCrl2Approval(t, fx, profile);
  // The attacker (workdir access, no PIN, no share) puts back the ledger as it was before CRL 1:
  // its header line alone. It verifies on its own.
  const l1 = join(workdir, 'outputs', 'test-ca.ledger.1');
  const original = readFileSync(l1, 'utf8');
  writeFileSync(l1, original.split('\n')[0] + '\n');
  process.kill(started.pid, 'SIGCONT');
  const result = await started.done;
  return { result, workdir, original };
}

for (const dataObjects of [false, true]) {
  const token = dataObjects ? 'with an anchor on the token' : 'dataObjects: false (no anchor)';
  t.test(`${token}: the ledger swapped after approval is refused before signing; CRL number 1 is never signed twice`, async (t) => {
    const { result, workdir } = await swapAfterApproval(t, dataObjects);
    t.not(result.code, 0, 'refused');
    t.match(
      result.stderr.replace(/\s+/g, ' '),
      /outputs\/test-ca\.ledger\.1 changed after the journal recorded it: SHA-256 [0-9a-f]{64}, recorded [0-9a-f]{64} when step crl-1 wrote it/,
      'names the file, both SHA-256 and the step that recorded it',
    );
    const out = (n: string) => join(workdir, 'outputs', n);
    t.equal(crlNumber(out('crl-1.crl')), 'crlNumber=0x01', 'openssl: CRL 1 as before');
    t.notOk(existsSync(out('crl-2.crl')), 'no second CRL was written');
    const records = journalRecords(workdir);
    t.notOk(
      records.some((r) => r.step === 'crl-2' && r.event === 'step.completed'),
      'the journal records no completed crl-2',
    );
    const verified = await keyceremony(['journal', 'verify', workdir], { env: {} });
    t.equal(verified.code, 0, `the journal still verifies: ${verified.stderr}`);
  });
}
