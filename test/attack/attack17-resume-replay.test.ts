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
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalRecords } from '../helpers/ceremony.js';
import { crlNumber, heldAfterCrl2Approval } from '../helpers/ledger-ceremony.js';
import { SOFTHSM_MODULE, softhsm } from '../helpers/softhsm.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

t.test(
  'known limit: a completed ceremony, its journal put back to before crl-2 completed, resumes and signs CRL number 2 again; the journal says resumed',
  async (t) => {
    const fx = softhsm(t);
    const profile = fx.profile({ test: 'ENGINE-TEST' });
    const { started, workdir, files } = await heldAfterCrl2Approval(t, fx, profile);
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
