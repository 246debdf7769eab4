// Issue 17 item 5, the ledger anchor (docs/ledger-format.md "The anchor on the token"): on the
// Healthcare CA chain (EC P-384, helpers/chain.ts), dryrun-root-init's self-sign opened the
// root key's ledger and anchored it on ROOT-DRYRUN. grca-issue-hca-g3 brings that ledger: it
// is accepted and the anchor moves to the new ledger's end (read back with pkcs11-tool, the
// independent checker). Then the attacks, each on the token as that ceremony left it, each
// refused at the issue step before the root key signs: the same ceremony again with the older
// ledger (a serial check and a CRL number run from an earlier state), the newest ledger
// rewritten and rehashed (it verifies alone), and a second ledger opened for the root key.
// A token without an anchor (a key older than anchors) accepts the ledger and anchors it.
// Crashes right before and right after the anchor is written: resume completes.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { appendEntry, ledgerBytes, parseLedger, type Ledger } from '../../src/ledger/ledger.js';
import { buildCanary } from '../helpers/canary.js';
import { journalRecords } from '../helpers/ceremony.js';
import { newCase, prepareChain, ROOT_LABEL, type Case } from '../helpers/chain.js';
import { completions } from '../helpers/checks.js';
import { keyceremony } from '../helpers/cli.js';
import { runWithFaults } from '../helpers/faults.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { run, SOFTHSM_MODULE } from '../helpers/softhsm.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });
const rootPin = buildCanary(Object.values(chain.workdirs)).pinOf('root-user-pin');
if (!rootPin) throw new Error('no root user PIN in the dry-run shares');
const rootCertificate = join(chain.workdirs['dryrun-root-init']!, 'outputs', 'root-dryrun.crt');
const initLedger = join(chain.workdirs['dryrun-root-init']!, 'outputs', 'root-ca.init.ledger');
const spki = execFileSync('sh', ['-c', `openssl x509 -in '${rootCertificate}' -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`])
  .toString()
  .split(' ')[0]!;
const label = `ledger:${spki}`;
const lastLineSha256 = (file: string) => {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return execFileSync('sha256sum', { input: lines.at(-1)! })
    .toString()
    .split(' ')[0]!;
};

/** pkcs11-tool logged in to the root token; the PIN goes in its environment, never on its command line. */
const rootTool = (c: Case, args: string[]) =>
  run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', ROOT_LABEL, '--pin', 'env:KC_CHECK_PIN', ...args], {
    env: { ...c.store.env, KC_CHECK_PIN: rootPin.toString('utf8') },
  });

/** The anchor as pkcs11-tool lists and reads it: the listing's entry and the object's value. */
async function anchorOnToken(t: Test, c: Case): Promise<{ listing: string; value: Record<string, unknown> | undefined }> {
  const listed = await rootTool(c, ['--list-objects', '--type', 'data']);
  t.equal(listed.code, 0, `pkcs11-tool --list-objects: ${listed.stderr}`);
  const entries = listed.stdout.split(/^Data object/m).filter((e) => e.includes(label));
  if (entries.length === 0) return { listing: '', value: undefined };
  t.equal(entries.length, 1, 'one anchor object of the root key');
  const read = await rootTool(c, ['--read-object', '--type', 'data', '--label', label]);
  t.equal(read.code, 0, `pkcs11-tool --read-object: ${read.stderr}`);
  return { listing: entries[0]!, value: JSON.parse(read.stdout) as Record<string, unknown> };
}

/** A run of the issuing ceremony on the case's token store, in its own workdir, with the root ledger given. */
async function issue(c: Case, name: string, ledger: string, definition = c.definition) {
  const answers = join(c.dir, `${name}.answers.yaml`);
  const doc = parseDocument(readFileSync(c.answers, 'utf8'));
  doc.setIn(['inputs', 'root-ledger'], ledger);
  writeFileSync(answers, doc.toString());
  const workdir = join(c.dir, name);
  const result = await keyceremony(['run', definition, '--hsm', c.store.profile, '--workdir', workdir, '--answers', answers], { env: c.store.env });
  return { ...result, workdir, answers };
}

const issueStep = (workdir: string) => journalRecords(workdir).filter((r) => r.step === 'issue');
const anchorDetailsOf = (workdir: string) =>
  (issueStep(workdir).find((r) => r.event === 'step.completed')?.data as { details?: { ledgerAnchor?: Record<string, unknown> } }).details?.ledgerAnchor;

/** The refusal: the step failed before the root key signed; no certificate, no ledger. */
function refusedBeforeSigning(t: Test, r: { code: number | null; stderr: string; workdir: string }, expect: RegExp) {
  t.not(r.code, 0, 'the ceremony does not complete');
  t.match(r.stderr.replace(/\s+/g, ' '), expect);
  t.match(r.stderr, /hint: bring the ledger the last ceremony of this key wrote/);
  t.ok(
    issueStep(r.workdir).some((x) => x.event === 'step.failed'),
    'the issue step failed, recorded',
  );
  // Brief crl16u: the anchor is checked at prepare, so nobody approved a step that could not sign.
  t.notOk(
    issueStep(r.workdir).some((x) => x.event === 'step.approved'),
    'refused before approval: no one approved the issue step',
  );
  t.notOk(existsSync(join(r.workdir, 'outputs', 'hca-g3.crt')), 'no certificate written');
  t.notOk(existsSync(join(r.workdir, 'outputs', 'root-ca.issue-hca-g3.ledger')), 'no ledger written');
}

t.test('the ledger the root key wrote last is accepted and its anchor advanced; the attacks are refused', async (t) => {
  const c = newCase(chain, 'anchor', 'grca-issue-hca-g3');
  const before = await anchorOnToken(t, c);
  t.match(before.listing, /application:\s+'keyceremony'/, 'pkcs11-tool: the anchor is keyceremony’s');
  t.match(before.listing, /private/, 'pkcs11-tool: private (seen only logged in)');
  t.match(before.listing, /modifiable/, 'pkcs11-tool: modifiable');
  t.match(before.value, {
    format: 'keyceremony-ledger-anchor/1',
    spkiSha256: spki,
    seq: 1,
    headSha256: lastLineSha256(initLedger),
    lastCrlNumber: null,
    previous: null,
  });
  t.equal((before.value?.writtenBy as { ceremony?: string }).ceremony, 'dryrun-root-init', 'written by the ceremony that opened the ledger');
  const anonymous = await run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', ROOT_LABEL, '--list-objects', '--type', 'data'], {
    env: c.store.env,
  });
  t.notMatch(anonymous.stdout, label, 'not listed without logging in');

  const right = await issue(c, 'right', initLedger);
  t.equal(right.code, 0, right.stderr);
  const written = join(right.workdir, 'outputs', 'root-ca.issue-hca-g3.ledger');
  const after = await anchorOnToken(t, c);
  t.match(
    after.value,
    { seq: 2, headSha256: lastLineSha256(written), lastCrlNumber: null, previous: { seq: 1, headSha256: lastLineSha256(initLedger) } },
    'pkcs11-tool: the anchor moved to the end of the ledger written (sha256sum of its last line)',
  );
  t.match(anchorDetailsOf(right.workdir), {
    kept: true,
    label,
    verdict: 'matches',
    read: { seq: 1, headSha256: lastLineSha256(initLedger) },
    written: { seq: 2, headSha256: lastLineSha256(written) },
  });
  t.equal((await keyceremonyInProcess(['journal', 'verify', right.workdir], { env: c.store.env })).code, 0, 'journal verify passes');

  t.test('the same ceremony again with the older ledger (a replay from before the last entry)', async (t) => {
    const r = await issue(c, 'older', initLedger);
    refusedBeforeSigning(
      t,
      r,
      new RegExp(`ledger root-ledger of key ROOT-CA \\(SPKI SHA-256 ${spki}\\) on token root ends at seq 1 .*anchor of its ledger is at seq 2 .*older copy`),
    );
  });

  t.test('the newest ledger rewritten and rehashed: it verifies alone, and is refused', async (t) => {
    const good = parseLedger(readFileSync(written), 'good');
    // The forger drops the HCA G3 entry and appends another one in its place, rehashed.
    const [last] = good.entries.slice(-1);
    const base: Ledger = { header: good.header, entries: good.entries.slice(0, -1), lines: good.lines.slice(0, -1) };
    const forged = appendEntry(base, { ...(last as Parameters<typeof appendEntry>[1]), subject: 'CN=Someone else' } as Parameters<typeof appendEntry>[1]);
    const file = join(c.dir, 'forged.ledger');
    writeFileSync(file, ledgerBytes(forged));
    t.doesNotThrow(() => parseLedger(readFileSync(file), 'forged'), 'the forged ledger verifies on its own');
    const r = await issue(c, 'rehashed', file);
    refusedBeforeSigning(
      t,
      r,
      /ends at seq 2 .*anchor of its ledger is at seq 2 .*entry 3 is not the anchored one: the ledger was rewritten \(and rehashed\) or forked/,
    );
  });

  t.test('a second ledger opened for the root key', async (t) => {
    const doc = parseDocument(readFileSync(c.definition, 'utf8'));
    const steps = doc.get('steps') as { items: Array<{ get(k: string): unknown }> };
    const index = steps.items.findIndex((s) => s.get('id') === 'issue');
    doc.setIn(['steps', index, 'ledger'], doc.createNode({ to: 'root-ca.second.ledger' }, { flow: true }));
    const definition = join(c.definition, '..', 'grca-issue-hca-g3.second-ledger.yaml');
    writeFileSync(definition, doc.toString());
    const r = await issue(c, 'second', initLedger, definition);
    refusedBeforeSigning(t, r, /step issue opens a new ledger root-ca\.second\.ledger for key ROOT-CA .*already has a ledger: .*at seq 2/);
  });

  t.test('the root CRL with the older ledger: refused before approval, as the certificate is', async (t) => {
    // grca-crl as shipped, its root key declared EC P-384 like the chain's (a copy beside the case).
    const doc = parseDocument(readFileSync(join(import.meta.dirname, '..', '..', 'ceremonies', 'grca-crl.yaml'), 'utf8'));
    doc.setIn(['keys', 'ROOT-CA', 'algorithm'], 'EC-P-384');
    const definition = join(c.dir, 'grca-crl.yaml');
    writeFileSync(definition, doc.toString());
    const answers = parseDocument(readFileSync(join(import.meta.dirname, '..', '..', 'ceremonies', 'grca-crl.answers.yaml'), 'utf8'));
    answers.setIn(['inputs', 'root-ledger'], initLedger);
    const answersFile = join(c.dir, 'grca-crl.answers.yaml');
    writeFileSync(answersFile, answers.toString());
    const workdir = join(c.dir, 'crl-older');
    const r = await keyceremony(['run', definition, '--hsm', c.store.profile, '--workdir', workdir, '--answers', answersFile], { env: c.store.env });
    t.not(r.code, 0, 'the ceremony does not complete');
    t.match(r.stderr.replace(/\s+/g, ' '), /ledger root-ledger of key ROOT-CA .* ends at seq 1 .*anchor of its ledger is at seq 2 .*older copy/);
    const crl = journalRecords(workdir).filter((x) => x.step === 'crl');
    t.ok(
      crl.some((x) => x.event === 'step.failed'),
      'the crl step failed, recorded',
    );
    t.notOk(
      crl.some((x) => x.event === 'step.approved' || x.event === 'step.prepared'),
      'refused at prepare: nothing shown for approval, no one approved',
    );
    t.notOk(existsSync(join(workdir, 'outputs', 'root.crl')), 'no CRL written');
  });

  t.test('after the refusals the anchor is where the accepted ledger left it', async (t) => {
    t.match((await anchorOnToken(t, c)).value, { seq: 2, headSha256: lastLineSha256(written) });
  });
});

t.test('a key without an anchor (it signed before anchors): its ledger is accepted and anchored, and the journal says so', async (t) => {
  const c = newCase(chain, 'first-use', 'grca-issue-hca-g3');
  const removed = await rootTool(c, ['--delete-object', '--type', 'data', '--label', label]);
  t.equal(removed.code, 0, `pkcs11-tool --delete-object: ${removed.stderr}`);
  t.equal((await anchorOnToken(t, c)).value, undefined, 'no anchor on the token');
  const r = await issue(c, 'first', initLedger);
  t.equal(r.code, 0, r.stderr);
  t.match(anchorDetailsOf(r.workdir), { verdict: 'first-use', read: null, written: { seq: 2 } });
  t.match((await anchorOnToken(t, c)).value, { seq: 2 }, 'pkcs11-tool: anchored now');
});

for (const moment of ['before', 'after'] as const) {
  t.test(`a crash ${moment === 'before' ? 'after the ledger is written, before' : 'right after'} the anchor is written: resume completes`, async (t) => {
    const c = newCase(chain, `crash-${moment}`, 'grca-issue-hca-g3');
    const crashed = await runWithFaults(c.runArgs, { hsm: { method: 'writeData', moment, action: { signal: 'SIGKILL' } } }, { env: c.store.env });
    t.equal(crashed.signal, 'SIGKILL', 'killed at the anchor');
    t.ok(existsSync(join(c.workdir, 'outputs', 'root-ca.issue-hca-g3.ledger')), 'the ledger output was written');
    // A copy of the token as the crash left it, for another ceremony to try the resume allowance.
    const other = newCase(chain, `crash-${moment}-other`, 'grca-issue-hca-g3');
    rmSync(join(other.store.dir, 'tokens'), { recursive: true, force: true });
    cpSync(join(c.store.dir, 'tokens'), join(other.store.dir, 'tokens'), { recursive: true });
    t.match(
      (await anchorOnToken(t, c)).value,
      { seq: moment === 'before' ? 1 : 2 },
      `pkcs11-tool: the anchor is ${moment === 'before' ? 'still at the ledger brought in' : 'at the ledger written'}`,
    );
    const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
    t.equal(resumed.code, 0, `resume completes ${resumed.stderr}`);
    const records = journalRecords(c.workdir);
    t.same(
      Object.values(completions(records)).filter((n) => n !== 1),
      [],
      'every step completed once',
    );
    const written = join(c.workdir, 'outputs', 'root-ca.issue-hca-g3.ledger');
    t.match(anchorDetailsOf(c.workdir), { verdict: moment === 'before' ? 'matches' : 'resumed', written: { seq: 2, headSha256: lastLineSha256(written) } });
    t.match(
      (await anchorOnToken(t, c)).value,
      { seq: 2, headSha256: lastLineSha256(written) },
      'pkcs11-tool: the anchor is at the ledger the resumed step wrote',
    );
    t.equal((await keyceremonyInProcess(['journal', 'verify', c.workdir])).code, 0, 'journal verify passes');

    if (moment === 'after') {
      t.test('another ceremony cannot use the resume allowance: the ledger brought in is refused there', async (t) => {
        const r = await issue(other, 'other', initLedger);
        refusedBeforeSigning(t, r, /ends at seq 1 .*anchor of its ledger is at seq 2 .*written by ceremony grca-issue-hca-g3, step issue.*older copy/);
      });
    }
  });
}
