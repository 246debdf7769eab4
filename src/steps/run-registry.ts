// The registry of step types' effects (DESIGN principle 9). Only src/ceremony imports this
// file (test/architecture checks it): definition/, ui/ and report/ read the pure specs in
// index.ts. The compiler names each actor (`actorName`); the composition root provides them.
import { acceptCertificateRun } from './accept-certificate/run.js';
import { confirmRun } from './confirm/run.js';
import { confirmResultRun } from './confirm-result/run.js';
import { createCsrRun } from './create-csr/run.js';
import { createKekRun } from './create-kek/run.js';
import { loadKekRun } from './load-kek/run.js';
import { backupKeyRun } from './backup-key/run.js';
import { restoreKeyRun } from './restore-key/run.js';
import { destroyKeyRun } from './destroy-key/run.js';
import { exceptionRun } from './exception/run.js';
import { generateKeyRun } from './generate-key/run.js';
import { STEP_SPECS, STEP_TYPES, type Step, type StepOf, type StepType } from './index.js';
import { initTokenRun } from './init-token/run.js';
import { issueCertificateRun } from './issue-certificate/run.js';
import { issueLinkCertificateRun } from './issue-link-certificate/run.js';
import { issueCrlRun } from './issue-crl/run.js';
import { lockRun } from './lock/run.js';
import { recordRun } from './record/run.js';
import { rotateCredentialRun } from './rotate-credential/run.js';
import type { RunDeps, StepEffects, StepRun } from './run-types.js';
import { selfSignRun } from './self-sign/run.js';
import { quorumLogin } from './shared/login-run.js';
import { shareSetEffects } from './shared/share-sets-run.js';
import { signInRun } from './sign-in/run.js';
import { signOffRun } from './sign-off/run.js';
import { splitCredentialRun } from './split-credential/run.js';
import { unlockRun } from './unlock/run.js';
import type { CeremonyDeps } from './run-types.js';
import { actorName } from './actors.js';

export const STEP_RUNS: { readonly [T in StepType]: StepRun<StepOf<T>> } = {
  'sign-in': signInRun,
  record: recordRun,
  confirm: confirmRun,
  exception: exceptionRun,
  'sign-off': signOffRun,
  'init-token': initTokenRun,
  'split-credential': splitCredentialRun,
  'rotate-credential': rotateCredentialRun,
  unlock: unlockRun,
  'create-kek': createKekRun,
  'load-kek': loadKekRun,
  'backup-key': backupKeyRun,
  'restore-key': restoreKeyRun,
  lock: lockRun,
  'generate-key': generateKeyRun,
  'create-csr': createCsrRun,
  'self-sign': selfSignRun,
  'issue-certificate': issueCertificateRun,
  'issue-link-certificate': issueLinkCertificateRun,
  'accept-certificate': acceptCertificateRun,
  'issue-crl': issueCrlRun,
  'destroy-key': destroyKeyRun,
  'confirm-result': confirmResultRun,
};

/** The run of a step's type, for code that handles any step. */
export function runOf(step: Step): StepRun<Step> {
  return STEP_RUNS[step.type] as StepRun<Step>;
}

/**
 * Every effect of a ceremony, by the name the machine invokes it under: each step type's
 * prepare and work, the login again after a restart, and the making of new share sets.
 */
export function stepEffects(deps: CeremonyDeps): StepEffects {
  const runDeps: RunDeps = { ...deps, shareSets: shareSetEffects(deps) };
  const effects: Partial<StepEffects> = { relogin: quorumLogin(runDeps), prepareShareSets: runDeps.shareSets.prepare };
  for (const type of STEP_TYPES) {
    const run = STEP_RUNS[type] as StepRun<StepOf<StepType>>;
    const spec = STEP_SPECS[type];
    if (Boolean(spec.prepares) !== Boolean(run.prepare) || Boolean(spec.works) !== Boolean(run.work)) {
      throw new Error(`step type ${type}: its spec and its run disagree on prepare or work`);
    }
    if (run.prepare) effects[actorName('prepare', type)] = run.prepare(runDeps);
    if (run.work) effects[actorName('work', type)] = run.work(runDeps);
  }
  return effects as StepEffects;
}
