// Issue 9, item 1: the crash matrix, run by test/reliability/crash-resume-keygen.test.ts and
// crash-resume-issue.test.ts (one file per ceremony, so that the two run side by side).
//
// For every step of the Healthcare CA G3 key generation (hca-g3-keygen) and of the root's
// issuing ceremony (grca-issue-hca-g3), the `run` process is killed with SIGKILL
//   (a) right after the step's journal record is on disk (the child kills itself inside the
//       fsync that makes the record durable: the state a power cut leaves at that instant,
//       with state.json not yet saved), and
//   (b) while the step's HSM work is under way: the HSM call started and not finished
//       (in-flight) or finished and not yet recorded (after); for C_Login and C_Logout, which
//       block, just before and just after the call,
// plus two more windows: after the seal record (before the last state.json), and after an
// output file got its name (before its step's record). Then `keyceremony resume` (with
// `reconcile: adopt` for the key generation, which the witnesses give after being shown an
// unrecorded key) must complete, and each time (resume and journal verify run in the test's
// process, through main(), after the crashed process is gone: helpers/in-process.ts):
// - exactly one key per label is on the token (pkcs11-tool, public and private objects);
// - the outputs are those of the uninterrupted reference run except for what depends on the
//   key, time or serial: the CSR's subject equals the reference's and its key is the key on
//   the token; the certificate's subject, issuer and key equal the reference's, and it
//   verifies under the root (openssl);
// - `keyceremony journal verify` passes, every step completed once, and the journal records
//   the interruption (ceremony.resumed, ceremony.restarted);
// - no share, secret or PIN is in anything the runs wrote or printed (the canary).
import type { Test } from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import type { Step } from '../../src/definition/definition.js';
import { keyceremonyInProcess } from './in-process.js';
import { CEREMONIES } from './ceremony.js';
import { answersWith, HCA_LABEL, newCase, prepareChain, ROOT_LABEL, type Case } from './chain.js';
import { assertNoSecretsLeaked, buildCanary } from './canary.js';
import {
  assertWorkdirConsistent,
  certificateFacts,
  chainVerifies,
  completions,
  csrFacts,
  privateKeyLabels,
  publicKeyLabels,
  tokenPublicKeyPem,
} from './checks.js';
import { runWithFaults, type FaultPlan } from './faults.js';
import type { FaultMoment, HsmMethod } from './faulty-hsm.js';

export type Ceremony = 'hca-g3-keygen' | 'grca-issue-hca-g3';

interface CrashPoint {
  name: string;
  step: string;
  plan: FaultPlan;
  /** The run leaves a key the journal does not know: resume must stop until the witnesses adopt it. */
  unrecordedKey?: boolean;
  /** Killed while the key was being made: resume searches the token, finds nothing and records that (hsm.key-absent). */
  keyAbsent?: boolean;
  /** The run leaves an output the journal does not know: resume moves it aside. */
  unrecordedOutput?: string;
  sealed?: boolean;
  /** Killed after one participant's sign-off record: resume adopts it and asks only the others. */
  signOffAdopted?: boolean;
}

/** The HSM call that is a step's work, and the moments worth killing it at. */
function hsmWork(step: Step): { method: HsmMethod; moments: FaultMoment[] } | undefined {
  switch (step.type) {
    case 'unlock':
      return { method: 'login', moments: ['before', 'after'] };
    case 'generate-key':
      return { method: 'generateKeyPair', moments: ['in-flight', 'after'] };
    case 'create-csr':
    case 'issue-certificate':
    case 'self-sign':
    case 'issue-crl':
      return { method: 'sign', moments: ['in-flight', 'after'] };
    case 'lock':
      return { method: 'logout', moments: ['after'] };
    default:
      return undefined;
  }
}

export function crashPoints(ceremony: Ceremony): CrashPoint[] {
  const definition = loadDefinition(join(CEREMONIES, `${ceremony}.yaml`));
  const points: CrashPoint[] = [];
  for (const step of definition.steps) {
    const event = step.type === 'sign-in' ? 'participants.signed-in' : 'step.completed';
    // A sign-off step records each participant's sign-off before the step completes.
    if (step.type === 'sign-off') {
      points.push({
        name: `after the first sign-off record of ${step.id}`,
        step: step.id,
        plan: { afterRecord: { event: 'participant.signed-off', step: step.id, action: 'SIGKILL' } },
        signOffAdopted: true,
      });
    }
    points.push({ name: `after the record of ${step.id}`, step: step.id, plan: { afterRecord: { event, step: step.id, action: 'SIGKILL' } } });
    const work = hsmWork(step);
    for (const moment of work?.moments ?? []) {
      points.push({
        name: `${step.id}: ${work!.method} ${moment}`,
        step: step.id,
        plan: { hsm: { method: work!.method, moment, action: { signal: 'SIGKILL' } } },
        unrecordedKey: step.type === 'generate-key' && moment === 'after',
        keyAbsent: step.type === 'generate-key' && moment === 'in-flight',
      });
    }
    if ('output' in step && typeof step.output === 'string') {
      points.push({
        name: `${step.id}: ${step.output} written, not yet recorded`,
        step: step.id,
        plan: { afterOutput: { name: step.output, action: 'SIGKILL' } },
        unrecordedOutput: step.output,
      });
    }
  }
  points.push({
    name: 'after the seal record',
    step: 'sign-off',
    plan: { afterRecord: { event: 'ceremony.sealed', step: null, action: 'SIGKILL' } },
    sealed: true,
  });
  return points;
}

/**
 * Runs the whole matrix for `ceremony`: the chain up to the ceremony's reference run is made
 * once, and each crash point gets its own copy of the token store and a new workdir.
 */
export async function crashMatrix(t: Test, ceremony: Ceremony): Promise<void> {
  // EC P-384 keys, so that the key generation (and the issuing ceremony's throwaway lint key)
  // each case redoes takes milliseconds; the crash windows and what resume must do do not
  // depend on the algorithm (helpers/chain.ts).
  const chain = await prepareChain(t, ceremony, { keys: 'ec-p384' });
  const canary = buildCanary(Object.values(chain.workdirs));
  const referenceDir = chain.workdirs[ceremony]!;
  const root = join(chain.workdirs['dryrun-root-init']!, 'outputs', 'root-dryrun.crt');
  const referenceOutputs = readdirSync(join(referenceDir, 'outputs')).sort();
  const referenceCsr = await csrFacts(join(chain.workdirs['hca-g3-keygen']!, 'outputs', 'hca-g3.csr'));
  const referenceCertificate = ceremony === 'grca-issue-hca-g3' ? await certificateFacts(join(referenceDir, 'outputs', 'hca-g3.crt')) : undefined;

  t.test('the uninterrupted reference run', async (t) => {
    t.equal(referenceCsr.subject, 'CN=醫事憑證管理中心 - G3,O=行政院,C=TW');
    t.ok(referenceCsr.verifies, 'the reference CSR verifies');
    if (referenceCertificate) {
      t.equal(referenceCertificate.subject, referenceCsr.subject);
      t.equal(referenceCertificate.publicKey, referenceCsr.publicKey, 'the reference certificate certifies the CSR key');
      t.ok(await chainVerifies(root, join(referenceDir, 'outputs', 'hca-g3.crt')), 'the reference certificate verifies under the root');
    }
    const streams = Object.fromEntries(
      Object.entries(chain.results).flatMap(([id, r]) => [
        [`${id} stdout`, r.stdout],
        [`${id} stderr`, r.stderr],
      ]),
    );
    assertNoSecretsLeaked(t, canary, { roots: Object.values(chain.workdirs), streams }, 'the reference runs');
  });

  const checkKeys = async (t: Test, c: Case): Promise<void> => {
    const hcaPin = canary.pinOf('hca-user-pin');
    const rootPin = canary.pinOf('root-user-pin');
    if (!hcaPin || !rootPin) throw new Error('canary: no user PINs');
    t.same(
      (await publicKeyLabels(c.store.env, HCA_LABEL)).filter((l) => l === 'HCA-G3'),
      ['HCA-G3'],
      'exactly one HCA-G3 public key on the HCA token',
    );
    t.same(
      (await privateKeyLabels(c.store.env, HCA_LABEL, hcaPin)).filter((l) => l === 'HCA-G3'),
      ['HCA-G3'],
      'exactly one HCA-G3 private key on the HCA token',
    );
    t.same(
      (await publicKeyLabels(c.store.env, ROOT_LABEL)).filter((l) => l === 'ROOT-CA'),
      ['ROOT-CA'],
      'exactly one ROOT-CA public key on the root token',
    );
    t.same(
      (await privateKeyLabels(c.store.env, ROOT_LABEL, rootPin)).filter((l) => l === 'ROOT-CA'),
      ['ROOT-CA'],
      'exactly one ROOT-CA private key on the root token',
    );
  };

  const checkOutputs = async (t: Test, c: Case): Promise<void> => {
    t.same(
      readdirSync(join(c.workdir, 'outputs'))
        .filter((n) => n !== '.unrecorded')
        .sort(),
      referenceOutputs,
      'the same outputs as the uninterrupted run',
    );
    if (ceremony === 'hca-g3-keygen') {
      const csr = await csrFacts(join(c.workdir, 'outputs', 'hca-g3.csr'));
      t.equal(csr.subject, referenceCsr.subject, 'CSR subject as in the uninterrupted run');
      t.ok(csr.verifies, 'the CSR signature verifies (proof of possession)');
      t.equal(csr.publicKey, await tokenPublicKeyPem(c.store.env, HCA_LABEL, 'HCA-G3'), 'the CSR carries the key on the token');
    } else {
      const file = join(c.workdir, 'outputs', 'hca-g3.crt');
      const certificate = await certificateFacts(file);
      t.equal(certificate.subject, referenceCertificate!.subject, 'certificate subject as in the uninterrupted run');
      t.equal(certificate.issuer, referenceCertificate!.issuer, 'certificate issuer as in the uninterrupted run');
      t.equal(certificate.publicKey, referenceCertificate!.publicKey, 'certificate key as in the uninterrupted run');
      t.ok(await chainVerifies(root, file), 'the certificate verifies under the root (openssl verify -x509_strict)');
    }
  };

  const definition = loadDefinition(join(CEREMONIES, `${ceremony}.yaml`));
  for (const point of crashPoints(ceremony)) {
    t.test(point.name, async (t) => {
      const c = newCase(chain, `${ceremony}-${point.name.replace(/[^a-z0-9]+/gi, '-')}`, ceremony);
      const snapshots = join(c.dir, 'snapshots');
      const crashed = await runWithFaults(c.runArgs, { ...point.plan, snapshots }, { env: c.store.env });
      t.equal(crashed.signal, 'SIGKILL', 'the run was killed at the planned point');
      // Right after the crash: the journal verifies and accounts for every recorded output.
      assertWorkdirConsistent(t, c.workdir, { allowUnrecorded: true });

      const streams: Record<string, string> = { 'run stdout': crashed.stdout, 'run stderr': crashed.stderr };
      let answers = c.answers;
      if (point.unrecordedKey) {
        const refused = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
        t.equal(refused.code, 2, 'resume stops at a key the journal does not know');
        t.match(
          refused.stderr,
          /keyceremony: error: step keygen: token "hca" holds key "HCA-G3" \(SPKI SHA-256 [0-9a-f]{64}\) that the journal does not record/,
        );
        t.match(refused.stderr, /keyceremony: hint: .*steps\.keygen\.reconcile: adopt/);
        Object.assign(streams, { 'refused resume stdout': refused.stdout, 'refused resume stderr': refused.stderr });
      }
      if (ceremony === 'hca-g3-keygen') answers = answersWith(c, 'resume.answers.yaml', { keygen: { reconcile: 'adopt' } });
      const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', answers], { env: c.store.env });
      Object.assign(streams, { 'resume stdout': resumed.stdout, 'resume stderr': resumed.stderr });
      t.equal(resumed.code, 0, `resume completes${resumed.code === 0 ? '' : `: ${resumed.stderr}`}`);

      const records = assertWorkdirConsistent(t, c.workdir);
      const verify = await keyceremonyInProcess(['journal', 'verify', c.workdir]);
      t.equal(verify.code, 0, `journal verify passes ${verify.stderr}`);
      t.equal(records.at(-1)!.event, 'ceremony.sealed', 'the journal ends with the seal');
      if (point.sealed) {
        t.match(resumed.stdout, `${ceremony} was sealed before the interruption`, 'resume says the ceremony had ended');
        t.equal(records.filter((r) => r.event === 'ceremony.sealed').length, 1, 'sealed once');
        t.ok(existsSync(join(c.workdir, 'report.md')) && existsSync(join(c.workdir, 'report.html')), 'the reports the run would have left are there');
        t.match(
          JSON.parse(readFileSync(join(c.workdir, 'state.json'), 'utf8')),
          { status: 'completed', journalHead: { seq: records.at(-1)!.seq } },
          'state.json caught up with the seal',
        );
      } else {
        t.ok(
          records.some((r) => r.event === 'ceremony.resumed'),
          'ceremony.resumed recorded',
        );
        // Killed after the last step's record, nothing is left to do after the restart: the
        // step is adopted from the journal and the ceremony sealed.
        if (point.signOffAdopted) {
          t.ok(
            records.some(
              (r) => r.event === 'step.reconciled' && r.step === 'sign-off' && typeof (r.data as { participant?: unknown }).participant === 'string',
            ),
            'the sign-off before the crash adopted from its record',
          );
          const signedOff = records.filter((r) => r.event === 'participant.signed-off').map((r) => r.who[0]);
          t.same(signedOff, [...new Set(signedOff)], 'nobody signed off twice');
        } else if (point.step === 'sign-off')
          t.ok(
            records.some((r) => r.event === 'step.reconciled' && r.step === 'sign-off'),
            'sign-off adopted from its record',
          );
        else
          t.ok(
            records.some((r) => r.event === 'ceremony.restarted'),
            'ceremony.restarted recorded',
          );
        const completed = completions(records);
        for (const step of definition.steps.filter((s) => s.type !== 'sign-in')) t.equal(completed[step.id], 1, `step ${step.id} completed once`);
      }
      if (point.unrecordedKey) {
        const found = records.find((r) => r.event === 'hsm.unrecorded-key');
        t.match(found?.data, { label: 'HCA-G3', decision: 'adopt' }, 'the adopted key is recorded with the witnesses’ decision');
      }
      if (point.keyAbsent) {
        const absent = records.filter((r) => r.event === 'hsm.key-absent');
        t.same(
          absent.map((r) => [r.step, r.data]),
          [[point.step, { token: 'hca', label: 'HCA-G3' }]],
          'the restart searched the token for the key, found none, and the journal says so',
        );
        t.ok(absent[0]!.seq < records.find((r) => r.event === 'step.completed' && r.step === point.step)!.seq, 'before the step made the key again');
      }
      if (point.unrecordedOutput) {
        const aside = records.filter((r) => r.event === 'output.unrecorded').map((r) => r.data as { name: string; movedTo: string });
        t.ok(
          aside.some((a) => a.name === point.unrecordedOutput),
          'the unrecorded output was moved aside and recorded',
        );
        t.ok(
          aside.some((a) => a.name.startsWith(`.${point.unrecordedOutput}.`)),
          'so was the temporary file of the interrupted write',
        );
        t.ok(
          aside.every((a) => existsSync(a.movedTo)),
          'what was moved aside is kept',
        );
      }
      await checkKeys(t, c);
      await checkOutputs(t, c);
      assertNoSecretsLeaked(t, canary, { roots: [c.workdir, snapshots], streams }, 'the crashed run and the resume');
    });
  }
}
