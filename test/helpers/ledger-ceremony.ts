// The engine ceremony (fixtures/engine/all-steps.yaml) with ledger steps spliced in after its
// key generation: the shape every ledger test (e2e, attack) runs on SoftHSM.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseDocument } from 'yaml';
import type { Test } from 'tap';
import { FIXTURES, CEREMONIES, newWorkdir } from './ceremony.js';
import { startWithFaults, waitUntilStopped } from './faults.js';
import type { SoftHsmFixture } from './softhsm.js';

const people = { by: 'administrator', witness: 'witness' };

/** Writes the definition and its answers into `dir`: the engine ceremony, then `more` after keygen. */
export function engineCeremonyWith(
  dir: string,
  more: Array<Record<string, unknown>>,
  inputs: Record<string, unknown> = {},
): { definition: string; answers: string } {
  const doc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.yaml'), 'utf8'));
  mkdirSync(join(dir, 'profiles/x509'), { recursive: true });
  copyFileSync(join(CEREMONIES, 'profiles/x509/root-ca.yaml'), join(dir, 'profiles/x509/root-ca.yaml'));
  doc.set('profiles', doc.createNode({ 'root-ca': 'profiles/x509/root-ca.yaml' }));
  if (Object.keys(inputs).length) doc.set('inputs', doc.createNode(inputs));
  const steps = doc.get('steps') as { items: unknown[] };
  const at = steps.items.findIndex((item) => (item as { get(k: string): unknown }).get('id') === 'keygen') + 1;
  steps.items.splice(at, 0, ...more.map((s) => doc.createNode(s)));
  const definition = join(dir, 'ledger.yaml');
  writeFileSync(definition, doc.toString());
  const answersDoc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.answers.yaml'), 'utf8'));
  for (const s of more) answersDoc.setIn(['steps', s.id], answersDoc.createNode({ by: 'alice', witness: 'wendy' }));
  const answers = join(dir, 'ledger.answers.yaml');
  writeFileSync(answers, answersDoc.toString());
  return { definition, answers };
}

/** A self-sign step of the engine's TEST-CA key with the root-ca profile. */
export const selfSignStep = (id: string, output: string, cn: string, ledger?: Record<string, string>) => ({
  id,
  type: 'self-sign',
  key: 'TEST-CA',
  subject: { C: 'TW', O: 'DRY RUN', CN: cn },
  profile: 'root-ca',
  output,
  ...(ledger ? { ledger } : {}),
  ...people,
});

/** An issue-crl step of TEST-CA under root.crt, 30 days, writing `<id>.crl`. */
export const crlStep = (id: string, ledger: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'issue-crl',
  key: 'TEST-CA',
  issuer: 'root.crt',
  output: `${id}.crl`,
  nextUpdateDays: 30,
  ledger,
  ...people,
  ...extra,
});

/** openssl's reading of a CRL's number, e.g. `crlNumber=0x02`. */
export const crlNumber = (file: string) => execFileSync('openssl', ['crl', '-in', file, '-noout', '-crlnumber']).toString().trim();

/** The engine ceremony with a self-signed root and two CRLs: crl-1 opens the key's ledger, crl-2 continues it. */
export const twoCrlCeremony = (dir: string) =>
  engineCeremonyWith(dir, [
    selfSignStep('self-sign', 'root.crt', 'DRY RUN attack17 Root'),
    crlStep('crl-1', { to: 'test-ca.ledger.1' }),
    crlStep('crl-2', { from: 'test-ca.ledger.1', to: 'test-ca.ledger.2' }),
  ]);

/**
 * twoCrlCeremony run on `profile` and held (SIGSTOP) right after the witnesses approved crl-2,
 * killed at the test's end if still there: the window an attacker with the workdir works in.
 */
export async function heldAfterCrl2Approval(t: Test, fx: SoftHsmFixture, profile: string) {
  const workdir = newWorkdir(fx);
  const files = twoCrlCeremony(fx.dir);
  const started = startWithFaults(
    ['run', files.definition, '--hsm', profile, '--workdir', workdir, '--answers', files.answers],
    { afterRecord: { event: 'step.approved', step: 'crl-2', action: 'SIGSTOP' } },
    { env: fx.env },
  );
  t.teardown(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) process.kill(started.pid, 'SIGKILL');
  });
  t.ok(await waitUntilStopped(started), 'held right after the witnesses approved crl-2');
  return { started, workdir, files };
}
