// run and resume: the composition root of a ceremony. It owns the workdir, the journal, the
// HSM, the SecretStore and the snapshot file; it provides the machine's actors and its
// journal action; it saves the snapshot after every stable state; and it stops cleanly on
// SIGINT/SIGTERM (log out, record, save, exit 3).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createActor, type Actor } from 'xstate';
import { ExitCode, InputError, KeyceremonyError } from '../errors.js';
import type { Definition } from '../definition/definition.js';
import { loadDefinition, parseDefinition } from '../definition/loader.js';
import type { Hsm } from '../hsm/hsm.js';
import { Pkcs11Hsm } from '../hsm/pkcs11-hsm.js';
import { loadHsmProfile, type HsmProfile } from '../hsm/profile.js';
import { Journal } from '../journal/journal.js';
import type { JournalHead, JournalRecord } from '../journal/record.js';
import { verifyJournal } from '../journal/verify.js';
import { SecretStore } from '../quorum/index.js';
import { YAML_FILE_LIMIT } from '../util/bounded-read.js';
import { groupedHex, sha256 } from '../util/fingerprint.js';
import { readWorkdirText } from '../util/safe-path.js';
import { renderWorkdirReport } from '../report/workdir-report.js';
import { createActors } from './actors.js';
import { answerPath, loadAnswers, type Answers } from './answers.js';
import { compileCeremony, type CeremonyInput, type CeremonyMachine } from './compile.js';
import { AnswersDriver, type DriverOutcome } from './driver.js';
import { ShareHandouts } from './handouts.js';
import { checkInputsUnchanged, prepareInputs } from './inputs.js';
import { OutputStore, writeOnce } from './outputs.js';
import { positionOf } from './phase.js';
import { journalCatchUp, reconcileStep } from './reconcile.js';
import { TokenSessions } from './token-sessions.js';
import { environmentInfo } from './tool-info.js';
import type { JournalIntent } from './types.js';
import { setupFailure, Workdir } from './workdir.js';

export interface RunOptions {
  definitionFile: string;
  profileFile: string;
  workdir: string;
  answersFile?: string | undefined;
  inputs?: Record<string, string>;
  lang: 'en' | 'zh-TW';
  out: (line: string) => void;
  /** The terminal UI, loaded lazily by the CLI when there is no answers file. */
  interactive?: InteractiveUi | undefined;
  /** How the PKCS#11 module is opened; tests wrap it to inject faults SoftHSM cannot produce. */
  openHsm?: ((modulePath: string) => Hsm) | undefined;
}

export interface ResumeOptions {
  workdir: string;
  answersFile?: string | undefined;
  lang: 'en' | 'zh-TW';
  out: (line: string) => void;
  interactive?: InteractiveUi | undefined;
  openHsm?: ((modulePath: string) => Hsm) | undefined;
}

/** What the terminal UI gets: the running actor and the in-memory services it needs. */
export interface InteractiveSession {
  actor: Actor<CeremonyMachine>;
  definition: Definition;
  secrets: SecretStore;
  handouts: ShareHandouts;
  workdir: string;
  lang: 'en' | 'zh-TW';
  stopRequested: () => string | undefined;
}
export type InteractiveUi = (session: InteractiveSession) => Promise<DriverOutcome | { status: 'interrupted' }>;

/** Every token the definition uses must be in the profile; tokens it initialises must not exist yet. */
function checkTokens(definition: Definition, profile: HsmProfile, hsm: Hsm): Record<string, unknown> {
  const initialised = new Set(definition.steps.flatMap((s) => (s.type === 'init-token' ? [s.token] : [])));
  const summary: Record<string, unknown> = {};
  for (const token of Object.keys(definition.tokens)) {
    const ref = profile.tokens[token];
    if (!ref) throw new InputError(`the HSM profile ${profile.file} has no token "${token}", which ${definition.ceremony} uses`, { hint: `add tokens.${token}: { label: … } to the profile`, code: 'profile.token-missing' });
    const present = hsm.tokens().find((t) => t.initialized && t.label === ref.label && (ref.serial === undefined || t.serial === ref.serial));
    if (initialised.has(token)) {
      if (present) throw new InputError(`token "${token}" (label "${ref.label}") already exists, but ${definition.ceremony} initialises it`, { hint: 'keyceremony never wipes a token; use a new label in the profile', code: 'hsm.token-exists' });
      summary[token] = { label: ref.label, state: 'to be initialised by this ceremony' };
    } else {
      const token_ = hsm.findToken(ref.label, ref.serial);
      summary[token] = { label: token_.label, serial: token_.serial, manufacturer: token_.manufacturer, model: token_.model, firmware: token_.firmware, pinFlags: token_.pin };
    }
  }
  return summary;
}

/** Each X.509 profile is checked and copied into the workdir: the record of what was used. */
async function copyProfiles(definition: Definition, workdir: string): Promise<Record<string, { file: string; sha256: string }>> {
  const copied: Record<string, { file: string; sha256: string }> = {};
  if (Object.keys(definition.profiles).length === 0) return copied;
  // src/x509 is loaded only by ceremonies that sign certificates.
  const [{ loadX509Profile }, { profilePath }] = await Promise.all([import('../x509/index.js'), import('./certificate-actors.js')]);
  mkdirSync(join(workdir, 'profiles'), { recursive: true });
  for (const [name, file] of Object.entries(definition.profiles)) {
    const source = resolve(definition.dir, file);
    loadX509Profile(source);
    const bytes = readFileSync(source);
    writeOnce(profilePath(workdir, name), bytes);
    copied[name] = { file, sha256: sha256(bytes).toString('hex') };
  }
  return copied;
}

interface Running {
  definition: Definition;
  profile: HsmProfile;
  hsm: Hsm;
  workdir: Workdir;
  journal: Journal;
  answers: Answers | undefined;
  input: CeremonyInput;
}

function readAnswers(file: string | undefined, definition: Definition): Answers | undefined {
  return file === undefined ? undefined : loadAnswers(file, definition);
}

export async function runCeremony(options: RunOptions): Promise<number> {
  const definition = loadDefinition(options.definitionFile);
  const profile = loadHsmProfile(options.profileFile);
  const answers = readAnswers(options.answersFile, definition);
  if (!answers && !options.interactive) {
    throw new InputError('run: no --answers file and no terminal to ask the people at the ceremony', { hint: 'give --answers <file> for a scripted dry run, or run it on a terminal', code: 'usage.no-terminal' });
  }
  const provided = { ...Object.fromEntries(Object.entries(answers?.inputs ?? {}).map(([name, path]) => [name, answerPath(answers!, path)])), ...(options.inputs ?? {}) };
  const workdir = Workdir.create(options.workdir);
  let hsm: Hsm | undefined;
  try {
    let journal: Journal;
    let inputs: Awaited<ReturnType<typeof prepareInputs>>;
    try {
      writeOnce(workdir.definitionFile, definition.text);
      copyFileSync(options.profileFile, workdir.profileFile);
      const profiles = await copyProfiles(definition, workdir.dir);
      inputs = await prepareInputs(definition, provided, workdir.dir);
      hsm = (options.openHsm ?? Pkcs11Hsm.open)(profile.modulePath);
      const tokens = checkTokens(definition, profile, hsm);
      journal = Journal.create(workdir.journalFile, {
        ceremony: definition.ceremony,
        title: definition.title,
        definition: { sha256: definition.sha256, file: options.definitionFile },
        ...environmentInfo(),
        hsm: { module: hsm.module, profile: { file: options.profileFile, dryRun: profile.dryRun, description: profile.description }, tokens },
        inputs: inputs.records,
        shareSets: inputs.shareSets,
        profiles,
        answers: answers ? { file: answers.file } : undefined,
      });
    } catch (error) {
      // Before the journal exists nothing is recorded, so nothing is left: the workdir is
      // as the run found it (empty), and can take the ceremony once the cause is fixed.
      workdir.discardSetup();
      throw setupFailure(error, workdir.dir);
    }
    return await conduct({ definition, profile, hsm, workdir, journal, answers, input: { inputs: inputs.records, shareSets: inputs.shareSets } }, options, undefined);
  } finally {
    hsm?.finalize();
    workdir.unlock();
  }
}

export async function resumeCeremony(options: ResumeOptions): Promise<number> {
  const workdir = Workdir.open(options.workdir, { lock: true });
  let hsm: Hsm | undefined;
  try {
    const state = workdir.loadState();
    if (state && state.status !== 'running') {
      options.out(`keyceremony: ${state.ceremony} is already sealed (${state.status}); nothing to resume`);
      return state.status === 'completed' ? ExitCode.completed : ExitCode.failed;
    }
    // A crash between the seal record and the last state.json: the ceremony ended. Bring
    // state.json up to the journal and leave the reports the run would have left.
    const sealed = state ? sealedJournal(workdir.journalFile, state.journalHead) : undefined;
    if (state && sealed) {
      workdir.saveState({ ...state, status: sealed.status, journalHead: sealed.head, savedAt: new Date().toISOString() });
      options.out(`keyceremony: ${state.ceremony} was sealed before the interruption (${sealed.status}, record ${sealed.head.seq}); nothing to resume`);
      writeReports(workdir.dir, options);
      return sealed.status === 'completed' ? ExitCode.completed : ExitCode.failed;
    }
    // Open verifies the whole chain first, cuts off a line a crash left unfinished (reported
    // as tornTail, journaled below) and refuses a journal that is sealed or does not verify.
    const { journal, records, tornTail, restoredLineEnd } = Journal.open(workdir.journalFile, { expectedHead: state?.journalHead });
    const header = records[0]!;
    const definition = parseDefinition(workdir.definitionFile, readWorkdirText(workdir.dir, 'definition.yaml', YAML_FILE_LIMIT, 'definition'), { checkFiles: false });
    const recorded = (header.data.definition as { sha256: string }).sha256;
    if (definition.sha256 !== recorded) {
      throw new KeyceremonyError(`${workdir.definitionFile} has SHA-256 ${definition.sha256}, but the journal records ${recorded}`, { code: 'definition.changed', hint: 'the ceremony script in the workdir was changed; stop and investigate' });
    }
    const profile = loadHsmProfile(workdir.profileFile);
    const answers = readAnswers(options.answersFile, definition);
    if (!answers && !options.interactive) {
      throw new InputError('resume: no --answers file and no terminal to ask the people at the ceremony', { hint: 'give --answers <file>, or resume on a terminal', code: 'usage.no-terminal' });
    }
    const inputs = (header.data.inputs ?? {}) as CeremonyInput['inputs'];
    checkInputsUnchanged(workdir.dir, inputs);
    hsm = (options.openHsm ?? Pkcs11Hsm.open)(profile.modulePath);
    journal.append({
      step: null,
      event: 'ceremony.resumed',
      who: [],
      data: {
        snapshotSeq: state?.journalHead.seq ?? 0,
        journalSeq: records.at(-1)!.seq,
        ...(tornTail ? { tornTail } : {}),
        ...(restoredLineEnd ? { restoredLineEnd } : {}),
        ...(workdir.staleLock ? { staleLock: workdir.staleLock } : {}),
      },
    });
    const shareSets = (header.data.shareSets ?? {}) as CeremonyInput['shareSets'];
    return await conduct({ definition, profile, hsm, workdir, journal, answers, input: { inputs, shareSets } }, options, { snapshot: state?.snapshot, records, snapshotSeq: state?.journalHead.seq ?? 1 });
  } finally {
    hsm?.finalize();
    workdir.unlock();
  }
}

/** The seal of a journal that verifies (against state.json's head) and is sealed, if it is. */
function sealedJournal(file: string, expectedHead: JournalHead): { status: 'completed' | 'aborted'; head: JournalHead } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const result = verifyJournal(bytes, { expectedHead });
  if (!result.ok || !result.sealed) return undefined;
  return { status: result.records.at(-1)!.data.status === 'aborted' ? 'aborted' : 'completed', head: result.head };
}

interface Restored {
  snapshot: unknown;
  records: JournalRecord[];
  snapshotSeq: number;
}

async function conduct(running: Running, options: RunOptions | ResumeOptions, restored: Restored | undefined): Promise<number> {
  const { definition, profile, hsm, workdir, journal, answers } = running;
  const secrets = new SecretStore();
  const handouts = new ShareHandouts(secrets);
  const sessions = new TokenSessions(hsm, profile);
  const outputs = OutputStore.create(workdir.dir);
  const deps = { definition, profile, hsm, sessions, secrets, handouts, outputs, workdir: workdir.dir, clock: () => new Date() };

  let sealWords: string | undefined;
  const machine = compileCeremony(definition).provide({
    actors: createActors(deps),
    actions: {
      journal: (_: unknown, intent: JournalIntent) => {
        if (intent.event === 'ceremony.sealed') sealWords = journal.seal(intent.data, intent.who).words;
        else journal.append(intent);
      },
    },
  });
  const actor = createActor(machine, {
    input: running.input,
    ...(restored?.snapshot ? { snapshot: restored.snapshot as never } : {}),
  });

  let stopSignal: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // The terminal UI says this on its own screen; printing would scribble over it.
    if (stopSignal === undefined && running.answers) options.out(`keyceremony: ${signal} received: stopping when the current operation has finished`);
    stopSignal = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const save = () => {
    const snapshot = actor.getSnapshot();
    workdir.saveState({
      version: 1,
      ceremony: definition.ceremony,
      definitionSha256: definition.sha256,
      status: snapshot.context.status,
      journalHead: journal.head,
      savedAt: new Date().toISOString(),
      snapshot: actor.getPersistedSnapshot(),
    });
  };
  let saveError: unknown;
  // A state that could not be saved stops the run at once, like a signal: nothing more is
  // done that a resume could not start from.
  const stopRequested = () => stopSignal ?? (saveError === undefined ? undefined : 'state-not-saved');
  actor.subscribe({
    next: (snapshot) => {
      if (!snapshot.hasTag('stable') && snapshot.status === 'active') return;
      try {
        save();
      } catch (error) {
        saveError ??= error;
      }
    },
    error: () => undefined,
  });

  try {
    actor.start();
    if (restored) catchUp(actor, running, restored, sessions, outputs, answers);
    let outcome: DriverOutcome | { status: 'interrupted' };
    if (answers) {
      const driver = new AnswersDriver({ definition, answers, secrets, handouts, workdir: workdir.dir, dryRun: profile.dryRun, print: options.out, stopRequested });
      outcome = await driver.drive(actor, { retryFailed: restored !== undefined });
    } else {
      outcome = await options.interactive!({ actor, definition, secrets, handouts, workdir: workdir.dir, lang: options.lang, stopRequested });
    }
    if (saveError) throw saveError;
    return finish(outcome, running, actor, options, stopSignal, sealWords);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    actor.stop();
    const errors = sessions.closeAll();
    secrets.clear();
    journal.close();
    if (errors.length > 0) options.out(`keyceremony: warning: logging out: ${errors.map((e) => e.message).join('; ')}`);
  }
}

/** Adopt what the journal (and the HSM, by the witnesses' decision) shows happened before the restart. */
function catchUp(actor: Actor<CeremonyMachine>, running: Running, restored: Restored, sessions: TokenSessions, outputs: OutputStore, answers: Answers | undefined): void {
  for (const event of journalCatchUp(restored.records, restored.snapshotSeq)) actor.send(event);
  const snapshot = actor.getSnapshot();
  const position = positionOf(running.definition, snapshot);
  if (position.phase !== 'completed' && position.phase !== 'aborted') {
    const findings = reconcileStep({
      definition: running.definition,
      context: snapshot.context,
      step: position.step,
      answer: position.step ? answers?.steps[position.step.id] : undefined,
      sessions,
      hsm: running.hsm,
      outputs,
      stamp: new Date().toISOString().replace(/[:.]/g, '-'),
    });
    for (const finding of findings) {
      running.journal.append({ step: position.step?.id ?? null, event: finding.record.event, who: [], data: finding.record.data });
      if (finding.adopt) actor.send(finding.adopt);
    }
  }
  actor.send({ type: 'process.restarted' });
}

/** The sealed record as report.md and report.html in the workdir; a failure here only warns. */
function writeReports(dir: string, options: RunOptions | ResumeOptions): void {
  for (const format of ['md', 'html'] as const) {
    const file = join(dir, `report.${format}`);
    try {
      writeOnce(file, renderWorkdirReport(dir, format, options.lang, 'run'));
      options.out(`keyceremony: report ${file}`);
    } catch (error) {
      options.out(`keyceremony: warning: the report ${file} could not be written: ${(error as Error).message}; \`keyceremony report ${dir}\` makes it from the journal`);
    }
  }
}

function finish(outcome: DriverOutcome | { status: 'interrupted' }, running: Running, actor: Actor<CeremonyMachine>, options: RunOptions | ResumeOptions, stopSignal: string | undefined, sealWords: string | undefined): number {
  const { journal, definition, workdir } = running;
  if (outcome.status === 'interrupted') {
    const step = positionOf(definition, actor.getSnapshot()).step;
    journal.append({ step: step?.id ?? null, event: 'ceremony.interrupted', who: [], data: { signal: stopSignal ?? 'unknown', note: 'stopped on request; HSM sessions logged out; resume with `keyceremony resume`' } });
    options.out(`keyceremony: interrupted at step ${step?.id ?? '?'}; state saved in ${workdir.dir}; continue with \`keyceremony resume ${workdir.dir}\``);
    return ExitCode.interrupted;
  }
  if (outcome.status === 'failed') {
    const f = outcome.failure;
    throw new KeyceremonyError(`step ${f.step ?? '?'} failed: ${f.message}`, { hint: `${f.hint ? `${f.hint}; ` : ''}the failure is recorded and the state saved; after fixing the cause run \`keyceremony resume ${workdir.dir}\``, code: f.code, exitCode: ExitCode.failed });
  }
  const head = journal.head;
  options.out(`keyceremony: ${definition.ceremony} ${outcome.status}; journal ${workdir.journalFile} (${head.seq} records)`);
  writeReports(workdir.dir, options);
  options.out(`keyceremony: final journal hash ${groupedHex(head.hash)}`);
  if (sealWords) options.out(`keyceremony: in words: ${sealWords}`);
  return outcome.status === 'completed' ? ExitCode.completed : ExitCode.failed;
}
