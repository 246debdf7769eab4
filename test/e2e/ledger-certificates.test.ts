// Issue 17 item 5: the certificate steps keep the issuing key's CA ledger. On the Healthcare
// CA chain (EC P-384 keys, helpers/chain.ts): dryrun-root-init's self-sign opens the root
// key's ledger with the root certificate's serial, grca-issue-hca-g3 brings it and records
// the HCA G3 certificate's serial (each checked with openssl). The serial is chosen before
// approval and shown there; a serial the root key already signed is refused then, naming the
// serial and the ledger, before the witnesses approve and before the HSM signs anything (a
// broken random generator, the one fault SoftHSM cannot give: helpers/faults.ts `serials`).
// A ledger of another key is refused before anyone signs in (exit 2).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ledgerBytes, openLedger, parseLedger } from '../../src/ledger/ledger.js';
import { journalRecords } from '../helpers/ceremony.js';
import { newCase, prepareChain } from '../helpers/chain.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { runWithFaults } from '../helpers/faults.js';
import { openssl } from '../helpers/openssl.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });
const rootOut = (name: string) => join(chain.workdirs['dryrun-root-init']!, 'outputs', name);
const issueOut = (name: string) => join(chain.workdirs['grca-issue-hca-g3']!, 'outputs', name);

const serialOf = async (file: string) =>
  (await openssl(() => ['x509', '-in', file, '-noout', '-serial'])).stdout
    .trim()
    .replace(/^serial=/, '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
const spkiSha256Of = (file: string) =>
  execFileSync('sh', ['-c', `openssl x509 -in '${file}' -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`])
    .toString()
    .split(' ')[0];

t.test('the root key opens its ledger with its own serial, and the issuing ceremony records the HCA G3 serial', async (t) => {
  const rootSerial = await serialOf(rootOut('root-dryrun.crt'));
  const g3Serial = await serialOf(issueOut('hca-g3.crt'));
  const opened = parseLedger(readFileSync(rootOut('root-ca.init.ledger')), 'root-ca.init.ledger');
  t.equal(opened.header.spkiSha256, spkiSha256Of(rootOut('root-dryrun.crt')), 'the ledger belongs to the root key (SPKI SHA-256 by openssl)');
  t.same(
    opened.entries.map((e) => e.entry === 'certificate' && e.serial),
    [rootSerial],
    'opened with the root certificate serial (openssl x509 -serial)',
  );
  const continued = parseLedger(readFileSync(issueOut('root-ca.issue-hca-g3.ledger')), 'root-ca.issue-hca-g3.ledger');
  t.same(
    continued.entries.map((e) => e.entry === 'certificate' && e.serial),
    [rootSerial, g3Serial],
    'the HCA G3 serial appended (openssl x509 -serial)',
  );
  t.ok(
    readFileSync(issueOut('root-ca.issue-hca-g3.ledger'))
      .subarray(0, readFileSync(rootOut('root-ca.init.ledger')).length)
      .equals(readFileSync(rootOut('root-ca.init.ledger'))),
    'the earlier entries kept byte for byte',
  );
  const prepared = journalRecords(chain.workdirs['grca-issue-hca-g3']!).find((r) => r.event === 'step.prepared' && r.step === 'issue');
  t.equal((prepared?.data as { serial?: string }).serial, g3Serial, 'the serial was shown before approval, and the certificate carries it');
  for (const id of ['dryrun-root-init', 'grca-issue-hca-g3'] as const) {
    const verified = await keyceremonyInProcess(['journal', 'verify', chain.workdirs[id]!], { env: chain.store.env });
    t.equal(verified.code, 0, `${id}: ${verified.stderr}`);
  }
});

t.test('a serial the root key already signed is refused before approval, naming the serial and the ledger', async (t) => {
  const c = newCase(chain, 'serial-repeated', 'grca-issue-hca-g3');
  const rootSerial = await serialOf(rootOut('root-dryrun.crt'));
  // The generator gives the root certificate's own serial again.
  const result = await runWithFaults(c.runArgs, { serials: [rootSerial] }, { env: c.store.env });
  t.not(result.code, 0, 'the ceremony does not complete');
  t.match(result.stderr, /hint: nothing was signed with it: retry the step/);
  t.match(
    result.stderr.replace(/\s+/g, ' '),
    new RegExp(`ledger root-ledger, entry 2: serial ${rootSerial} was already issued \\(to .*DRY RUN Stand-in Government Root CA`),
    result.stderr,
  );
  const records = journalRecords(c.workdir);
  const issue = records.filter((r) => r.step === 'issue').map((r) => r.event);
  t.ok(issue.includes('step.failed'), 'the issue step failed, recorded');
  t.notOk(issue.includes('step.prepared') || issue.includes('step.approved'), 'before anything was shown for approval, or approved');
  t.notOk(existsSync(join(c.workdir, 'outputs', 'hca-g3.crt')), 'no certificate written');
  t.notOk(existsSync(join(c.workdir, 'outputs', 'root-ca.issue-hca-g3.ledger')), 'no ledger written');
  const verified = await keyceremonyInProcess(['journal', 'verify', c.workdir], { env: c.store.env });
  t.equal(verified.code, 0, verified.stderr);
});

t.test('a ledger of another key is refused before sign-in (exit 2)', async (t) => {
  const c = newCase(chain, 'other-key', 'grca-issue-hca-g3');
  const other = join(c.dir, 'other.ledger');
  writeFileSync(
    other,
    ledgerBytes(
      openLedger({
        spkiSha256: 'ab'.repeat(32),
        issuer: 'CN=Some other CA',
        opened: { ceremony: 'elsewhere', step: 'self-sign', time: '2026-01-01T00:00:00.000Z' },
      }),
    ),
  );
  const doc = parseDocument(readFileSync(c.answers, 'utf8'));
  doc.setIn(['inputs', 'root-ledger'], other);
  writeFileSync(c.answers, doc.toString());
  const result = await keyceremony(c.runArgs, { env: c.store.env });
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr.replace(/\s+/g, ' '), /ledger root-ledger, entry 1: belongs to the key with SPKI SHA-256 abab.*not to the signing key/);
  t.notOk(existsSync(join(c.workdir, 'journal.jsonl')) && journalRecords(c.workdir).some((r) => r.event === 'participants.signed-in'), 'nobody signed in');
});
