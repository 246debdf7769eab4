// attack17 (issue 17 item 5, review), now refused: the certificate steps (issue-certificate,
// self-sign, issue-link-certificate) once anchored the ledger as READ BACK from outputs/ after
// writing it. Whoever could write the workdir replaced the file in that window with the written
// ledger plus an entry of their own (here a CRL that revokes a serial), and the token's anchor
// then vouched for it. The anchor now moves to the ledger as written from memory: the forged
// file runs past the anchor, and the next ceremony that brings it is refused.
// (helpers/faults.ts afterOutput holds the child in that window; an attacker would use inotify.)
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendEntry, ledgerBytes, parseLedger } from '../../src/ledger/ledger.js';
import { checkAnchor, type LedgerAnchor } from '../../src/ledger/anchor.js';
import { journalRecords } from '../helpers/ceremony.js';
import { newCase, prepareChain } from '../helpers/chain.js';
import { startWithFaults, waitUntilStopped } from '../helpers/faults.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });

t.test('a ledger replaced between writing and anchoring is not anchored, and is refused next time', async (t) => {
  const c = newCase(chain, 'anchor-race', 'grca-issue-hca-g3');
  const name = 'root-ca.issue-hca-g3.ledger';
  const started = startWithFaults(c.runArgs, { afterOutput: { name, action: 'SIGSTOP' } }, { env: c.store.env });
  t.teardown(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) process.kill(started.pid, 'SIGKILL');
  });
  t.ok(await waitUntilStopped(started), 'held right after the new ledger got its name, before the anchor');
  const file = join(c.workdir, 'outputs', name);
  const genuine = readFileSync(file);
  const ledger = parseLedger(genuine, name);
  const g3 = ledger.entries.at(-1)!;
  t.equal(g3.entry, 'certificate');
  const serial = g3.entry === 'certificate' ? g3.serial : '';
  const time = new Date().toISOString();
  const forged = appendEntry(ledger, {
    entry: 'crl',
    crlNumber: '1',
    revoked: [serial],
    revocations: [{ serial, reason: 'cACompromise', date: time }],
    crlSha256: '0'.repeat(64),
    ceremony: 'grca-issue-hca-g3',
    step: 'issue',
    time,
  });
  writeFileSync(file, ledgerBytes(forged));
  process.kill(started.pid, 'SIGCONT');
  const result = await started.done;
  t.equal(result.code, 0, `the ceremony completes: ${result.stderr.slice(-1500)}`);
  const completed = journalRecords(c.workdir).find((r) => r.step === 'issue' && r.event === 'step.completed');
  const data = completed?.data as {
    outputs?: Array<{ name: string; sha256: string }>;
    details?: { ledgerAnchor?: { written?: { seq: number; headSha256: string } } };
  };
  const recorded =
    data.outputs?.find((o) => o.name === name)?.sha256 ??
    JSON.stringify(completed?.data).match(new RegExp(`"name":"${name}"[^}]*"sha256":"([0-9a-f]{64})"`))?.[1];
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  t.comment(`journal records ${name} as ${recorded}; genuine ${sha(genuine)}; on disk ${sha(readFileSync(file))}`);
  const genuineLedger = parseLedger(genuine, name);
  const genuineLast = genuine.toString().trimEnd().split('\n').at(-1)!;
  t.equal(recorded, sha(genuine), 'the journal records the ledger the step wrote, not the forged file');
  t.match(
    data.details?.ledgerAnchor?.written,
    { seq: genuineLedger.lines.length - 1, headSha256: sha(genuineLast) },
    'the anchor written is the end of the ledger the step wrote (from memory), not the forged file’s',
  );
  // What the next ceremony's guard says, with the anchor as journaled (the token holds the same):
  const w = data.details?.ledgerAnchor?.written as unknown as LedgerAnchor;
  const anchor = { ...w, format: 'keyceremony-ledger-anchor/1', spkiSha256: ledger.header.spkiSha256 } as LedgerAnchor;
  const reader = { ceremony: 'next', step: 'crl', journal: '9'.repeat(64), key: 'ROOT-CA', token: 'root' };
  t.throws(
    () => checkAnchor({ anchor, ledger: parseLedger(readFileSync(file), name), opened: false, file: name, reader }),
    { code: 'ledger.anchor-ahead' },
    'the forged file (one entry past the anchor) is refused next time',
  );
  t.equal(checkAnchor({ anchor, ledger: genuineLedger, opened: false, file: name, reader }), 'matches', 'and the genuine (journaled) ledger is accepted');
});
