// attack17 (issue 17 item 5, review), a KNOWN LIMIT (docs/ledger-format.md, "What the anchor
// does not stop"): the anchor's 'resumed' allowance rests on the workdir's journal. Whoever kept a
// copy of the journal and state.json from before a ledger step finished puts them back after the
// ceremony completed; `resume` moves the "unrecorded" CRL and ledger aside and runs the step
// again; the anchor, written by this very ceremony and step from that ledger, says 'resumed', and
// the key signs the same CRL number a second time. This is what a genuine crash after the anchor
// does too, and it takes the people resume asks for (in production, two sign-ins; answers files
// only rehearse) continuing a ceremony they saw complete, whose final journal hash they read
// aloud and wrote down. The test pins the limit and that the journal says 'resumed'.
import t from 'tap';
import { copyFileSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseDocument } from 'yaml';
import { FIXTURES, CEREMONIES, newWorkdir, journalRecords } from '../helpers/ceremony.js';
import { SOFTHSM_MODULE, softhsm } from '../helpers/softhsm.js';
import { startWithFaults, waitUntilStopped } from '../helpers/faults.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const people = { by: 'administrator', witness: 'witness' };

function ceremony(dir: string): { definition: string; answers: string } {
  const doc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.yaml'), 'utf8'));
  mkdirSync(join(dir, 'profiles/x509'), { recursive: true });
  copyFileSync(join(CEREMONIES, 'profiles/x509/root-ca.yaml'), join(dir, 'profiles/x509/root-ca.yaml'));
  doc.set('profiles', doc.createNode({ 'root-ca': 'profiles/x509/root-ca.yaml' }));
  const steps = doc.get('steps') as { items: unknown[] };
  const at = steps.items.findIndex((item) => (item as { get(k: string): unknown }).get('id') === 'keygen') + 1;
  const crl = (id: string, ledger: Record<string, string>) => ({
    id,
    type: 'issue-crl',
    key: 'TEST-CA',
    issuer: 'root.crt',
    output: `${id}.crl`,
    nextUpdateDays: 30,
    ledger,
    ...people,
  });
  const added = [
    {
      id: 'self-sign',
      type: 'self-sign',
      key: 'TEST-CA',
      subject: { C: 'TW', O: 'DRY RUN', CN: 'DRY RUN attack17 Root' },
      profile: 'root-ca',
      output: 'root.crt',
      ...people,
    },
    crl('crl-1', { to: 'test-ca.ledger.1' }),
    crl('crl-2', { from: 'test-ca.ledger.1', to: 'test-ca.ledger.2' }),
  ];
  steps.items.splice(at, 0, ...added.map((s) => doc.createNode(s)));
  const definition = join(dir, 'ledger.yaml');
  writeFileSync(definition, doc.toString());
  const answersDoc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.answers.yaml'), 'utf8'));
  for (const s of added) answersDoc.setIn(['steps', s.id], answersDoc.createNode({ by: 'alice', witness: 'wendy' }));
  const answers = join(dir, 'ledger.answers.yaml');
  writeFileSync(answers, answersDoc.toString());
  return { definition, answers };
}
const crlNumber = (file: string) => execFileSync('openssl', ['crl', '-in', file, '-noout', '-crlnumber']).toString().trim();

t.test(
  'known limit: a completed ceremony, its journal put back to before crl-2 completed, resumes and signs CRL number 2 again; the journal says resumed',
  async (t) => {
    const fx = softhsm(t);
    const profile = fx.profile({ test: 'ENGINE-TEST' });
    const workdir = newWorkdir(fx);
    const files = ceremony(fx.dir);
    const started = startWithFaults(
      ['run', files.definition, '--hsm', profile, '--workdir', workdir, '--answers', files.answers],
      { afterRecord: { event: 'step.approved', step: 'crl-2', action: 'SIGSTOP' } },
      { env: fx.env },
    );
    t.teardown(() => {
      if (started.child.exitCode === null && started.child.signalCode === null) process.kill(started.pid, 'SIGKILL');
    });
    t.ok(await waitUntilStopped(started));
    const journal = readFileSync(join(workdir, 'journal.jsonl'));
    const state = readFileSync(join(workdir, 'state.json'));
    process.kill(started.pid, 'SIGCONT');
    const done = await started.done;
    t.equal(done.code, 0, done.stderr);
    const first = readFileSync(join(workdir, 'outputs', 'crl-2.crl'));
    t.equal(crlNumber(join(workdir, 'outputs', 'crl-2.crl')), 'crlNumber=0x02');
    // The attacker puts the copies back (the token still holds the anchor crl-2 wrote).
    writeFileSync(join(workdir, 'journal.jsonl'), journal);
    writeFileSync(join(workdir, 'state.json'), state);
    const resumed = await keyceremonyInProcess(['resume', workdir, '--answers', files.answers], { env: fx.env });
    t.comment(resumed.stderr.slice(-2500));
    t.equal(resumed.code, 0, 'resume completes (the limit)');
    const again = readFileSync(join(workdir, 'outputs', 'crl-2.crl'));
    t.not(again.toString(), first.toString(), 'a second, different CRL');
    t.equal(crlNumber(join(workdir, 'outputs', 'crl-2.crl')), 'crlNumber=0x02', 'openssl: CRL number 2 signed again (the limit)');
    const rec = journalRecords(workdir)
      .filter((r) => r.step === 'crl-2' && r.event === 'step.completed')
      .at(-1);
    t.match(JSON.stringify(rec?.data), /"verdict":"resumed"/, "the anchor verdict was 'resumed'");
    void SOFTHSM_MODULE;
  },
);
