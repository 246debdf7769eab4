// run and resume: the conduct of a ceremony. It owns the workdir and the snapshot file; it
// provides the machine's actors and its journal action; it saves the snapshot after every
// stable state; and it stops cleanly on SIGINT/SIGTERM (log out, record, save, exit 3). What
// it works with (the HSM, the SecretStore, the journal, the clock, the signals, the report)
// it receives from the composition root, src/cli/runner-deps.ts, and builds none of it.
//
// Who may act and how is decided before anything touches the HSM. `run` refuses scripted
// answers on a production profile, core dumps in a production process, and a module other
// than the one the profile pins; `resume` trusts only the verified journal: it checks every
// file of the workdir, the module and the tokens against it, rebuilds the ceremony from it
// (state.json is only compared), and records any refusal in the journal.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createActor, type Actor } from 'xstate';
import { checkApproval, type ApprovalArgs } from './approval.js';
import { ExitCode, InputError, KeyceremonyError } from '../errors.js';
import { softwareTokenName } from '../hsm/software-token.js';
import { specOf } from '../steps/index.js';
import type { Definition } from '../definition/definition.js';
import type { Lang } from '../util/lang.js';
import { loadDefinition, parseDefinition } from '../definition/loader.js';
import type { Hsm } from '../hsm/hsm.js';
import { checkModuleSha256, openModuleFile, type ModuleFile } from '../hsm/module-file.js';
import { preflight, preflightRefusal } from '../hsm/preflight.js';
import { loadHsmProfile, parseHsmProfile, type HsmProfile } from '../hsm/profile.js';
import type { Journal, OpenJournalOptions, OpenedJournal } from '../journal/journal.js';
import type { JournalHead, JournalRecord } from '../journal/record.js';
import { verifyJournal } from '../journal/verify.js';
import type { SecretStore } from '../quorum/index.js';
import { groupedHex, pgpWords, sha256 } from '../util/fingerprint.js';
import { readYamlText } from '../util/strict-yaml.js';
import { createActors } from './actors.js';
import { answerPath, loadAnswers, type Answers } from './answers.js';
import { compileCeremony, sealIntent, type CeremonyInput, type CeremonyMachine } from './compile.js';
import { AnswersDriver, type DriverOutcome } from './driver.js';
import { ShareHandouts } from './handouts.js';
import { checkX509 } from '../definition/x509-preflight.js';
import { readWorkdirFile } from '../util/safe-path.js';
import { inputFileName, prepareInputs } from './inputs.js';
import { checkLedgerInputs } from './ledger-checks.js';
import { readHeader, type JournalHeader } from './journal-header.js';
import { OutputStore, writeOnce } from './outputs.js';
import { positionOf } from './phase.js';
import { checkProcessHygiene, readProcessFacts } from './process-hygiene.js';
import { rebuildFromJournal, type Rebuilt } from './rebuild.js';
import { adoptionNotes, reconcileStep } from './reconcile.js';
import { checkShareSetsBound } from './share-binding.js';
import { TokenSessions } from './token-sessions.js';
import { checkpointer } from './checkpoints.js';
import { environmentInfo } from './tool-info.js';
import { JOURNAL_READ_LIMIT } from '../journal/journal.js';
import { INPUT_FILE_LIMIT, readBounded } from '../util/bounded-read.js';
import { checkInstalledRelease, type ReleaseCheck } from '../release/installed-release.js';
import { checkToolPin } from '../release/tool-pin.js';
import type { FileRecord, JournalIntent, TokenIdentity } from './types.js';
import { deviationsOf, type Deviation } from './deviations.js';
import { resumptionOf, type Resumption } from './resumption.js';
import { dryRunWord, exitDetail, exitLine, exitStep, exitWhy, exitWord, resumeCommand } from './exit-lines.js';
import { readoutToRepeat, stepOnScreenAtEnd } from './resume-readout.js';
import { showSealedClosing, type SealedEarlier } from './sealed-closing.js';
import { checkPlannedOutputs, checkRecordedFiles, checkRecordedTokens, checkSavedState, readRecordedCopy } from './workdir-checks.js';
import { setupFailure, Workdir, x509ProfilePath } from './workdir.js';
import { JOURNAL_NOTES, SIGNAL_AT_TERMINAL, SIGNAL_UNKNOWN } from '../util/journal-notes.js';
import { JOURNAL_EVENTS } from '../journal/events.js';
import { errorMessage } from '../util/storage.js';
import { fieldAt } from '../util/field-at.js';

/** Loads the PKCS#11 module from the file that was hashed, as the profile says (tests wrap it to inject faults). */
export type OpenHsm = (modulePath: string, file: ModuleFile, profile: HsmProfile) => Hsm;

/** Creates the journal at `run` and opens it at `resume`; record times come from the runner's clock. */
export interface JournalFactory {
  create(file: string, header: Record<string, unknown>): Journal;
  open(file: string, options: Pick<OpenJournalOptions, 'expectedHead'>): OpenedJournal;
}

/** What `run` and `resume` work with, built by the composition root (src/cli/runner-deps.ts). */
export interface RunnerDeps {
  /** The time: journal records, actors, state.json, moved-aside names, the X.509 checks. */
  clock: () => Date;
  /** How the PKCS#11 module is opened; tests wrap it to inject faults SoftHSM cannot produce. */
  openHsm: OpenHsm;
  /** Where this process keeps the shares and PINs typed or combined; cleared when it ends. */
  newSecretStore: () => SecretStore;
  journals: JournalFactory;
  /** Calls `onStop` on SIGINT/SIGTERM until the returned function is called. */
  listenForStop: (onStop: (signal: NodeJS.Signals) => void) => () => void;
  /** The sealed record of the workdir as report.md or report.html (the report module, which the runner does not import). */
  renderReport: (workdir: string, format: 'md' | 'html', lang: Lang) => string;
  /** New certificate serials (CeremonyDeps.serialSource); the CSPRNG unless given. */
  serialSource?: ((bytes: number) => Buffer) | undefined;
}

export interface RunOptions {
  definitionFile: string;
  profileFile: string;
  workdir: string;
  answersFile?: string | undefined;
  inputs?: Record<string, string>;
  lang: Lang;
  out: (line: string) => void;
  /** The script's approval as on the signed paper (`--approved-by`, `--approval`, `--approved-sha256`). */
  approval?: ApprovalArgs | undefined;
  /** `--allow-software-token`: a production ceremony (not a dry run) on SoftHSM or NSS softoken is refused without it. */
  allowSoftwareToken?: boolean | undefined;
  /** The terminal UI, loaded lazily by the CLI when there is no answers file. */
  interactive?: InteractiveUi | undefined;
}

export interface ResumeOptions {
  workdir: string;
  answersFile?: string | undefined;
  lang: Lang;
  out: (line: string) => void;
  interactive?: InteractiveUi | undefined;
}

/** What the terminal UI gets: the running actor and the in-memory services it needs. */
export interface InteractiveSession {
  actor: Actor<CeremonyMachine>;
  definition: Definition;
  secrets: SecretStore;
  handouts: ShareHandouts;
  workdir: string;
  lang: Lang;
  /** The journal header's dry-run flag: a rehearsal on rehearsal tokens. */
  dryRun: boolean;
  /** The HSM is a software token (SoftHSM, NSS softoken): what it says it is, e.g. `SoftHSM project SoftHSM v2`. */
  softwareToken?: string | undefined;
  stopRequested: () => string | undefined;
  /** A token of the definition as PKCS#11 reports it now (for the init-token step not yet run: the blank token it will initialise). */
  tokenIdentity: (token: string) => TokenIdentity | undefined;
  /** Everything the journal holds so far that did not go by the script (src/ceremony/deviations.ts). */
  deviations: () => Deviation[];
  /** When the ceremony opened: the header's elapsed time counts from it, across resumes. */
  openedAt: Date;
  /** On resume: show the read-aloud of this step again (the last process ended on it). */
  readoutFrom: number | undefined;
  /** On resume: how the last run ended (stopped, by whom, or a crash), for the first screen to say. */
  resumed?: Resumption | undefined;
  /**
   * The seal, once the journal is sealed: its hash and the hash in PGP words, for the closing
   * read-aloud; `sealedEarlier` when an earlier run wrote it and a resume shows it again.
   */
  seal: () => { hash: string; words: string; sealedEarlier?: SealedEarlier } | undefined;
}
/** Stopped at the terminal (Ctrl+C): who stopped it and who confirmed, when people had signed in to name. */
export type InteractiveStop = {
  status: 'interrupted';
  stoppedBy?: string[];
  /** The step on screen when it stopped, when it is not the machine's (a finished step's read-aloud). */
  step?: string;
};
export type InteractiveUi = (session: InteractiveSession) => Promise<DriverOutcome | InteractiveStop>;

/**
 * What the screens show about a token: found as the ceremony finds it (label, and serial
 * when the profile gives one); a token still to be initialised is the blank one that
 * carries its label (a module that labels blank tokens itself, NSS softoken), else the first
 * blank one, the one C_InitToken will take. Undefined when it cannot be read.
 */
function tokenIdentityOf(hsm: Hsm, profile: HsmProfile, token: string): TokenIdentity | undefined {
  const ref = profile.tokens[token];
  if (!ref) return undefined;
  try {
    const all = hsm.tokens();
    const info =
      all.find((t) => t.initialized && t.label === ref.label && (ref.serial === undefined || t.serial === ref.serial)) ??
      all.find((t) => !t.initialized && t.label === ref.label) ??
      all.find((t) => !t.initialized);
    if (!info) return undefined;
    return {
      // A blank token shows the label PKCS#11 reports (none, or a module's own); the one it will get is typed by the witness.
      label: info.label,
      ...(info.initialized ? {} : { willBeLabelled: ref.label }),
      serial: info.serial,
      manufacturer: info.manufacturer,
      model: info.model,
      firmware: info.firmware,
      initialized: info.initialized,
    };
  } catch {
    return undefined;
  }
}

/**
 * What the HSM says it is when it is a software token (SoftHSM, NSS softoken): a token's
 * manufacturer and model, else the module's; undefined for an HSM.
 */
function softwareTokenOf(hsm: Hsm, definition: Definition, profile: HsmProfile): string | undefined {
  const tokens = Object.keys(definition.tokens)
    .map((token) => tokenIdentityOf(hsm, profile, token))
    .filter((identity) => identity !== undefined);
  if (softwareTokenName(hsm.module, ...tokens) === undefined) return undefined;
  const token = tokens.find((identity) => softwareTokenName(identity) !== undefined);
  return token ? `${token.manufacturer} ${token.model}`.trim() : `${hsm.module.manufacturer}, ${hsm.module.description}`;
}

/**
 * Keys made in a production ceremony on a software token were never in an HSM: they are
 * files on this computer. Refused before anything is recorded, unless the command line says
 * it is meant (a test CA); then every screen's header and the report say it (issue 16).
 */
function softwareTokenRefused(device: string, profileFile: string): InputError {
  return new InputError(
    `the HSM profile ${profileFile} is not a dry run, but its module is a software token (${device}), not an HSM: the keys of this ceremony would be files on this computer`,
    {
      hint: 'rehearse with an HSM profile that has dryRun: true; to hold a production ceremony on a software token all the same (a test CA), run again with --allow-software-token, and every screen and the report will say so',
      code: 'hsm.software-token',
      says: { key: 'hsm.softwareToken', params: { profile: profileFile, device } },
    },
  );
}

/** The deviations in the journal as written so far (it is verified as it is read). */
function journalDeviations(file: string, definition: Definition): Deviation[] {
  const result = verifyJournal(readBounded(file, { what: 'journal', maxBytes: JOURNAL_READ_LIMIT }));
  return deviationsOf(result.records, definition);
}

/** Every token the definition uses must be in the profile; tokens it initialises must not exist yet. */
function checkTokens(definition: Definition, profile: HsmProfile, hsm: Hsm): Record<string, unknown> {
  const initialised = new Set(definition.steps.flatMap((s) => specOf(s).initialises?.(s) ?? []));
  const summary: Record<string, unknown> = {};
  for (const token of Object.keys(definition.tokens)) {
    const ref = profile.tokens[token];
    if (!ref)
      throw new InputError(`the HSM profile ${profile.file} has no token "${token}", which ${definition.ceremony} uses`, {
        hint: `add tokens.${token}: { label: … } to the profile`,
        code: 'profile.token-missing',
      });
    const present = hsm.tokens().find((t) => t.initialized && t.label === ref.label && (ref.serial === undefined || t.serial === ref.serial));
    if (initialised.has(token)) {
      if (present)
        throw new InputError(`token "${token}" (label "${ref.label}") already exists, but ${definition.ceremony} initialises it`, {
          hint: 'keyceremony never wipes a token; use a new label in the profile',
          code: 'hsm.token-exists',
        });
      summary[token] = { label: ref.label, state: 'to be initialised by this ceremony' };
    } else {
      const token_ = hsm.findToken(ref.label, ref.serial);
      summary[token] = {
        label: token_.label,
        serial: token_.serial,
        manufacturer: token_.manufacturer,
        model: token_.model,
        firmware: token_.firmware,
        pinFlags: token_.pin,
      };
    }
  }
  return summary;
}

/** Each X.509 profile is checked and copied into the workdir: the record of what was used. */
async function copyProfiles(definition: Definition, workdir: string): Promise<Record<string, { file: string; sha256: string }>> {
  const copied: Record<string, { file: string; sha256: string }> = {};
  if (Object.keys(definition.profiles).length === 0) return copied;
  // src/x509 is loaded only by ceremonies that sign certificates.
  const { parseX509Profile } = await import('../x509/index.js');
  mkdirSync(join(workdir, 'profiles'), { recursive: true });
  for (const [name, file] of Object.entries(definition.profiles)) {
    // Read once: the bytes checked are the bytes copied.
    const source = resolve(definition.dir, file);
    const text = readYamlText(source, 'X.509 profile');
    parseX509Profile(source, text);
    writeOnce(x509ProfilePath(workdir, name), text);
    copied[name] = { file, sha256: sha256(text).toString('hex') };
  }
  return copied;
}

/** The inputs as copied into the workdir (the bytes that were checked and fingerprinted). */
function broughtFiles(workdir: string, records: Record<string, FileRecord>): Record<string, Buffer> {
  return Object.fromEntries(Object.keys(records).map((name) => [name, readWorkdirFile(workdir, `inputs/${inputFileName(name)}`, INPUT_FILE_LIMIT)]));
}

interface Running {
  definition: Definition;
  profile: HsmProfile;
  /** From the profile at `run`, from the journal header at `resume`. */
  dryRun: boolean;
  hsm: Hsm;
  workdir: Workdir;
  journal: Journal;
  answers: Answers | undefined;
  input: CeremonyInput;
  /** When the ceremony opened (the journal's first record): elapsed time counts from it, across resumes. */
  openedAt: Date;
  /** The hash of the journal's first record: this ceremony, among all runs of its definition (ledger anchors). */
  journalOpened: string;
  /** The X.509 profile copies' SHA-256 as the journal header records them (CeremonyDeps.recordedProfiles). */
  recordedProfiles: Record<string, { sha256: string }>;
  /** On resume: the step whose read-aloud screen was not finished when the last process ended. */
  readoutFrom?: number | undefined;
  /** On resume: how the last run ended. */
  resumed?: Resumption | undefined;
  /** A production run on a software token: what the token is (the header and the exit lines say so). */
  softwareToken?: string | undefined;
}

function readAnswers(file: string | undefined, definition: Definition): Answers | undefined {
  return file === undefined ? undefined : loadAnswers(file, definition);
}

/** DESIGN principle 8: an answers file (and the share files it names) only rehearses. */
function scriptedAnswersRefused(answers: Answers, what: string): InputError {
  return new InputError(`${answers.file}: scripted answers only rehearse, and ${what} is not a dry run (dryRun: false)`, {
    hint: 'a production ceremony has its people at the terminal: run it without --answers; to rehearse, use an HSM profile with dryRun: true on rehearsal tokens',
    code: 'answers.not-dry-run',
  });
}

function noTerminal(command: string): InputError {
  return new InputError(`${command}: no --answers file and no terminal to ask the people at the ceremony`, {
    hint: command === 'run' ? 'give --answers <file> for a scripted dry run, or run it on a terminal' : 'give --answers <file>, or resume on a terminal',
    code: 'usage.no-terminal',
    says: { key: command === 'run' ? 'usage.noTerminalRun' : 'usage.noTerminalResume', params: { command } },
  });
}

/** Checks the process before a ceremony starts: refused in production, warned in a dry run. */
function processFactsFor(dryRun: boolean, options: Pick<RunOptions, 'out' | 'lang'>): ReturnType<typeof readProcessFacts> {
  const facts = readProcessFacts();
  for (const warning of checkProcessHygiene(facts, dryRun, options.lang)) options.out(exitLine(options.lang, 'warning', { warning }));
  return facts;
}

export async function runCeremony(options: RunOptions, deps: RunnerDeps): Promise<number> {
  const definition = loadDefinition(options.definitionFile);
  // The X.509 profiles against the keys and names, before anything is written or the HSM is opened.
  await checkX509(definition, { now: deps.clock() });
  const release = checkInstalledRelease();
  checkToolPin(definition, release);
  const approval = checkApproval(definition, options.approval ?? {});
  const profile = loadHsmProfile(options.profileFile);
  const answers = readAnswers(options.answersFile, definition);
  // Refused before the workdir exists: nothing is written for a run that must not happen.
  if (answers && !profile.dryRun) throw scriptedAnswersRefused(answers, `the HSM profile ${profile.file}`);
  if (!answers && !options.interactive) throw noTerminal('run');
  const processFacts = processFactsFor(profile.dryRun, options);
  const provided = {
    ...Object.fromEntries(Object.entries(answers?.inputs ?? {}).map(([name, path]) => [name, answerPath(answers!, path)])),
    ...(options.inputs ?? {}),
  };
  const module = openModuleFile(profile.modulePath);
  try {
    if (profile.moduleSha256) checkModuleSha256(module, profile.moduleSha256, `moduleSha256 in ${profile.file}`);
    const workdir = Workdir.create(options.workdir);
    if (workdir.clearedSetup)
      options.out(
        `keyceremony: ${workdir.dir}: removed what a set-up that did not finish had left (${workdir.clearedSetup.join(', ') || 'its marker'}); none of it was recorded`,
      );
    let hsm: Hsm | undefined;
    try {
      let journal: Journal;
      let inputs: Awaited<ReturnType<typeof prepareInputs>>;
      let profiles: Awaited<ReturnType<typeof copyProfiles>>;
      try {
        writeOnce(workdir.definitionFile, definition.text);
        // The copy is the text that was read and checked, and hashed for the journal.
        writeOnce(workdir.profileFile, profile.text);
        profiles = await copyProfiles(definition, workdir.dir);
        inputs = await prepareInputs(definition, provided, workdir.dir);
        await checkLedgerInputs(definition, workdir.dir, inputs.records);
        // Again with the files brought: the issuer certificate's end, the key each CSR carries.
        await checkX509(definition, { now: deps.clock(), inputs: broughtFiles(workdir.dir, inputs.records) });
        hsm = deps.openHsm(profile.modulePath, module, profile);
        const tokens = checkTokens(definition, profile, hsm);
        const software = profile.dryRun ? undefined : softwareTokenOf(hsm, definition, profile);
        if (software !== undefined && options.allowSoftwareToken !== true) throw softwareTokenRefused(software, options.profileFile);
        // What the ceremony needs from the HSM, checked before anyone signs in (hsm check).
        const refused = preflightRefusal(preflight(definition, profile, hsm), options.profileFile);
        if (refused) throw refused;
        // An unbound share set is refused before any share is typed and before any C_Login.
        checkShareSetsBound(definition, hsm, profile.tokens, inputs.shareSets);
        journal = deps.journals.create(workdir.journalFile, {
          ceremony: definition.ceremony,
          title: definition.title,
          definition: { sha256: definition.sha256, file: options.definitionFile },
          ...environmentInfo(release),
          hsm: {
            module: { ...hsm.module, path: module.path, realPath: module.realPath, sha256: module.sha256, bytes: module.bytes },
            profile: {
              file: options.profileFile,
              sha256: profile.sha256,
              dryRun: profile.dryRun,
              description: profile.description,
              moduleSha256: profile.moduleSha256,
            },
            tokens,
          },
          inputs: inputs.records,
          shareSets: inputs.shareSets,
          profiles,
          process: processFacts,
          answers: answers ? { file: answers.file } : undefined,
          approval,
        });
      } catch (error) {
        // Before the journal exists nothing is recorded, so nothing is left: the workdir is
        // as the run found it (empty), and can take the ceremony once the cause is fixed.
        workdir.discardSetup();
        throw setupFailure(error, workdir.dir);
      }
      try {
        workdir.finishSetup();
      } catch {
        // The marker stays next to a journal; resume removes it.
      }
      return await conduct(
        {
          definition,
          profile,
          dryRun: profile.dryRun,
          hsm,
          workdir,
          journal,
          answers,
          input: { inputs: inputs.records, shareSets: inputs.shareSets },
          openedAt: deps.clock(),
          // Nothing else is written before conduct: the head is record 1.
          journalOpened: journal.head.hash,
          recordedProfiles: profiles,
        },
        options,
        deps,
        undefined,
      );
    } finally {
      hsm?.finalize();
      workdir.unlock();
    }
  } finally {
    module.close();
  }
}

/** What resume checked and rebuilt before it continues. */
interface Verified {
  definition: Definition;
  profile: HsmProfile;
  header: JournalHeader;
  answers: Answers | undefined;
  rebuilt: Rebuilt;
}

/**
 * Everything resume checks that needs no HSM: the workdir's copies against the journal
 * header, the answers against its dry-run flag, and state.json against the ceremony
 * rebuilt from the journal.
 */
function verifyWorkdir(workdir: Workdir, records: JournalRecord[], state: ReturnType<Workdir['loadState']>, options: ResumeOptions): Verified {
  const header = readHeader(records[0]!, workdir.journalFile);
  const definition = parseDefinition(
    workdir.definitionFile,
    readRecordedCopy(workdir.dir, workdir.definitionFile, header.definition.sha256, 'definition.changed'),
    { checkFiles: false },
  );
  const profile = parseHsmProfile(workdir.profileFile, readRecordedCopy(workdir.dir, workdir.profileFile, header.hsm.profile.sha256, 'profile.changed'));
  // The dry-run flag is the journal's, never the copy's.
  const dryRun = header.hsm.profile.dryRun;
  const answers = readAnswers(options.answersFile, definition);
  if (answers && !dryRun) throw scriptedAnswersRefused(answers, `the ceremony in ${workdir.dir} (its journal header)`);
  if (!answers && !options.interactive) throw noTerminal('resume');
  const input = { inputs: header.inputs, shareSets: header.shareSets };
  const rebuilt = rebuildFromJournal(definition, input, records, workdir.journalFile);
  if (state) checkSavedState(workdir.stateFile, state, definition, input, records);
  checkRecordedFiles(workdir.dir, header, rebuilt.context.outputs);
  checkPlannedOutputs(workdir.dir, definition, rebuilt.context.outputs);
  return { definition, profile, header, answers, rebuilt };
}

export async function resumeCeremony(options: ResumeOptions, deps: RunnerDeps): Promise<number> {
  const workdir = Workdir.open(options.workdir, { lock: true });
  let hsm: Hsm | undefined;
  let module: ModuleFile | undefined;
  try {
    const state = workdir.loadState();
    // A crash after the seal (on the closing read-aloud, or before state.json caught up): the
    // ceremony ended. Bring state.json up to the journal, show the closing again, and leave the
    // reports the run would have left.
    const sealed = state ? sealedJournal(workdir.journalFile, state.journalHead) : undefined;
    if (state && sealed) return await resumeSealed(workdir, state, sealed, options, deps);
    // Open verifies the whole chain first, cuts off a line a crash left unfinished (reported
    // as tornTail, journaled below) and refuses a journal that is sealed or does not verify.
    const { journal, records, tornTail, restoredLineEnd } = deps.journals.open(workdir.journalFile, { expectedHead: state?.journalHead });
    let verified: Verified;
    let processFacts: ReturnType<typeof readProcessFacts>;
    let release: ReleaseCheck;
    try {
      verified = verifyWorkdir(workdir, records, state, options);
      release = checkInstalledRelease();
      checkToolPin(verified.definition, release);
      processFacts = processFactsFor(verified.header.hsm.profile.dryRun, options);
      // The module the journal names, with the SHA-256 it recorded, or nothing is loaded.
      const recordedModule = verified.header.hsm.module;
      module = openModuleFile(recordedModule.path);
      checkModuleSha256(module, recordedModule.sha256, `the journal header of ${workdir.journalFile}`);
      hsm = deps.openHsm(recordedModule.path, module, verified.profile);
      checkRecordedTokens(hsm, verified.header, verified.rebuilt.context);
      if (verified.rebuilt.context.status === 'running')
        checkShareSetsBound(verified.definition, hsm, verified.profile.tokens, verified.rebuilt.context.shareSets);
    } catch (error) {
      // The journal verified, so the refusal goes into it: the next reader sees the attempt.
      if (error instanceof KeyceremonyError) {
        try {
          journal.append({
            step: null,
            event: JOURNAL_EVENTS.resumeRefused,
            who: [],
            data: { code: error.code, message: error.message },
          } satisfies JournalIntent);
        } catch {
          // The refusal itself is what the officer must see.
        }
      }
      journal.close();
      throw error;
    }
    const { definition, profile, header, answers, rebuilt } = verified;
    journal.append({
      step: null,
      event: JOURNAL_EVENTS.resumed,
      who: [],
      data: {
        snapshotSeq: state?.journalHead.seq ?? 0,
        journalSeq: records.at(-1)!.seq,
        ...(tornTail ? { tornTail } : {}),
        ...(restoredLineEnd ? { restoredLineEnd } : {}),
        ...(workdir.staleLock ? { staleLock: workdir.staleLock } : {}),
        process: processFacts,
        tool: environmentInfo(release).tool,
      },
    } satisfies JournalIntent);
    for (const note of adoptionNotes(records, state?.journalHead.seq ?? 1)) journal.append(note);
    const readoutFrom = readoutToRepeat(definition, records);
    const onScreen = stepOnScreenAtEnd(definition, records);
    const running: Running = {
      definition,
      profile,
      dryRun: header.hsm.profile.dryRun,
      hsm,
      workdir,
      journal,
      answers,
      input: { inputs: header.inputs, shareSets: header.shareSets },
      openedAt: new Date(records[0]!.time),
      journalOpened: records[0]!.hash,
      recordedProfiles: header.profiles,
      readoutFrom,
      resumed: resumptionOf(records, onScreen),
    };
    return await conduct(running, options, deps, rebuilt);
  } finally {
    hsm?.finalize();
    module?.close();
    workdir.unlock();
  }
}

interface SealedJournal {
  status: 'completed' | 'aborted';
  head: JournalHead;
  dryRun: boolean;
  words: string;
  records: JournalRecord[];
}

/**
 * Resume of a sealed journal: nothing to continue, nothing to append. At a terminal the
 * closing read-aloud is shown again for a witness to acknowledge (sealed-closing.ts); then,
 * as with --answers, the lines: the reports that are missing, the hash and its words again.
 */
async function resumeSealed(
  workdir: Workdir,
  state: NonNullable<ReturnType<Workdir['loadState']>>,
  sealed: SealedJournal,
  options: ResumeOptions,
  deps: RunnerDeps,
): Promise<number> {
  const caughtUp = state.status === sealed.status && state.journalHead.seq === sealed.head.seq;
  if (!caughtUp) workdir.saveState({ ...state, status: sealed.status, journalHead: sealed.head, savedAt: deps.clock().toISOString() });
  // The run that sealed it writes its reports once a witness has acknowledged the closing: with
  // none there, or state.json behind the seal, it ended on the closing screen (or before it).
  const noReport = !existsSync(join(workdir.dir, 'report.md')) && !existsSync(join(workdir.dir, 'report.html'));
  let outcome: DriverOutcome | InteractiveStop | undefined;
  if (options.interactive && !options.answersFile) {
    let stopSignal: string | undefined;
    const stopListening = deps.listenForStop((signal) => (stopSignal ??= signal));
    const secrets = deps.newSecretStore();
    try {
      outcome = await showSealedClosing({
        workdir,
        records: sealed.records,
        words: sealed.words,
        crashed: !caughtUp || noReport,
        lang: options.lang,
        ui: options.interactive,
        secrets,
        stopRequested: () => stopSignal,
      });
    } finally {
      stopListening();
      secrets.clear();
    }
  }
  if (caughtUp) options.out(exitLine(options.lang, 'alreadySealed', { ceremony: state.ceremony, status: exitWord(options.lang, sealed.status) }));
  else
    options.out(
      exitLine(options.lang, 'sealedBefore', {
        dryRun: dryRunWord(options.lang, sealed.dryRun),
        ceremony: state.ceremony,
        status: exitWord(options.lang, sealed.status),
        seq: sealed.head.seq,
      }),
    );
  writeReports(workdir.dir, options, deps, { missingOnly: true });
  printSeal(options.lang, sealed.head.hash, sealed.words, options.out);
  options.out(exitLine(options.lang, 'sealedAcknowledge'));
  // A signal on the closing screen: nobody acknowledged it; resume shows it again.
  if (outcome?.status === 'interrupted') return ExitCode.interrupted;
  return sealed.status === 'completed' ? ExitCode.completed : ExitCode.failed;
}

/** The seal of a journal that verifies (against state.json's head) and is sealed, if it is. */
function sealedJournal(file: string, expectedHead: JournalHead): SealedJournal | undefined {
  let bytes: Buffer;
  try {
    // Bounded, regular files only, no link: a pipe planted here is refused, not waited on
    // (Journal.open then says why).
    bytes = readBounded(file, { what: 'journal', maxBytes: JOURNAL_READ_LIMIT, noFollow: true });
  } catch {
    return undefined;
  }
  const result = verifyJournal(bytes, { expectedHead });
  if (!result.ok || !result.sealed) return undefined;
  const dryRun = fieldAt(result.records[0]!.data, 'hsm', 'profile', 'dryRun') === true;
  return {
    status: result.records.at(-1)!.data.status === 'aborted' ? 'aborted' : 'completed',
    head: result.head,
    dryRun,
    words: pgpWords(Buffer.from(result.head.hash, 'hex')),
    records: result.records,
  };
}

async function conduct(running: Running, options: RunOptions | ResumeOptions, deps: RunnerDeps, rebuilt: Rebuilt | undefined): Promise<number> {
  const { definition, profile, hsm, workdir, journal, answers, dryRun } = running;
  const secrets = deps.newSecretStore();
  const handouts = new ShareHandouts(secrets);
  const sessions = new TokenSessions(hsm, profile, checkpointer(journal));
  const outputs = OutputStore.create(workdir.dir);
  const ceremonyDeps = {
    definition,
    profile,
    hsm,
    sessions,
    secrets,
    handouts,
    outputs,
    workdir: workdir.dir,
    clock: deps.clock,
    serialSource: deps.serialSource,
    journalOpened: running.journalOpened,
    recordedProfiles: running.recordedProfiles,
  };

  let sealWords: string | undefined;
  const machine = compileCeremony(definition).provide({
    actors: createActors(ceremonyDeps),
    actions: {
      journal: (_: unknown, intent: JournalIntent) => {
        if (intent.event === JOURNAL_EVENTS.sealed) sealWords = journal.seal(intent.data, intent.who).words;
        else journal.append(intent);
      },
    },
  });
  // On resume the machine starts where the journal says, with the context it gives, in a
  // state that runs nothing by itself: no actor is restarted by restoring.
  const actor = createActor(machine, {
    input: running.input,
    ...(rebuilt ? { snapshot: machine.resolveState({ value: rebuilt.value, context: rebuilt.context }) } : {}),
  });

  let stopSignal: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // The terminal UI says this on its own screen; printing would scribble over it.
    if (stopSignal === undefined && running.answers) options.out(exitLine(options.lang, 'signalReceived', { signal }));
    stopSignal = signal;
  };
  const stopListening = deps.listenForStop(onSignal);

  const save = () => {
    const snapshot = actor.getSnapshot();
    workdir.saveState({
      version: 1,
      ceremony: definition.ceremony,
      definitionSha256: definition.sha256,
      status: snapshot.context.status,
      journalHead: journal.head,
      savedAt: deps.clock().toISOString(),
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

  // What this restart searched the token for and did not find: the resume notice says it.
  let keysAbsent: Array<{ token: string; label: string }> = [];
  try {
    actor.start();
    if (rebuilt) {
      if (rebuilt.context.status === 'running') keysAbsent = restart(actor, running, deps.clock, sessions, outputs, answers);
      else {
        // The journal records the end (all signed off, or an abort) but the process stopped
        // before the seal: the seal is all that is left to write.
        sealWords = journal.seal(sealIntent(rebuilt.context.status, rebuilt.context).data).words;
        save();
      }
    }
    running.softwareToken = dryRun ? undefined : softwareTokenOf(hsm, definition, profile);
    let outcome: DriverOutcome | InteractiveStop;
    if (answers) {
      const driver = new AnswersDriver({
        definition,
        answers,
        secrets,
        handouts,
        workdir: workdir.dir,
        dryRun,
        print: options.out,
        lang: options.lang,
        stopRequested,
      });
      outcome = await driver.drive(actor, { retryFailed: rebuilt !== undefined });
    } else {
      outcome = await options.interactive!({
        actor,
        definition,
        secrets,
        handouts,
        workdir: workdir.dir,
        lang: options.lang,
        dryRun,
        softwareToken: running.softwareToken,
        stopRequested,
        tokenIdentity: (token) => tokenIdentityOf(hsm, profile, token),
        deviations: () => journalDeviations(journal.file, running.definition),
        seal: () => (sealWords === undefined ? undefined : { hash: journal.head.hash, words: sealWords }),
        openedAt: running.openedAt,
        readoutFrom: running.readoutFrom,
        resumed: running.resumed && (keysAbsent.length > 0 ? { ...running.resumed, keysAbsent } : running.resumed),
      });
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what save() threw, rethrown as it was
    if (saveError) throw saveError;
    return finish(outcome, running, actor, options, deps, stopSignal, sealWords);
  } finally {
    stopListening();
    actor.stop();
    // An orderly stop (interrupted, failed): each token still logged in signs a checkpoint
    // before its logout. A sealed journal takes none (lock came before the sign-off).
    const errors = journal.sealed ? sessions.closeAll() : [...(await sessions.lockAll(null)), ...sessions.closeAll()];
    secrets.clear();
    journal.close();
    if (errors.length > 0)
      options.out(exitLine(options.lang, 'logoutFailed', { why: errors.map((e) => exitWhy(options.lang, e)).join(options.lang === 'en' ? '; ' : '；') }));
  }
}

/**
 * After the restart: what the interrupted step left on the HSM or in outputs/ is found (the
 * witnesses decide on a key the journal does not know), then the machine hears that the
 * process restarted (logins and typed shares are gone). Returns the keys searched for and
 * not found, which the resume notice names.
 */
function restart(
  actor: Actor<CeremonyMachine>,
  running: Running,
  clock: () => Date,
  sessions: TokenSessions,
  outputs: OutputStore,
  answers: Answers | undefined,
): Array<{ token: string; label: string }> {
  const snapshot = actor.getSnapshot();
  const position = positionOf(running.definition, snapshot);
  const findings = reconcileStep({
    definition: running.definition,
    context: snapshot.context,
    step: position.step,
    answer: position.step ? answers?.steps[position.step.id] : undefined,
    sessions,
    hsm: running.hsm,
    outputs,
    workdir: running.workdir.dir,
    stamp: clock().toISOString().replace(/[:.]/g, '-'),
  });
  for (const finding of findings) {
    running.journal.append({ step: position.step?.id ?? null, who: [], ...finding.record } satisfies JournalIntent);
    if (finding.adopt) actor.send(finding.adopt);
  }
  actor.send({ type: 'process.restarted' });
  return findings.flatMap((finding) => (finding.absent ? [finding.absent] : []));
}

/** The sealed record as report.md and report.html in the workdir; a failure here only warns. */
function writeReports(dir: string, options: RunOptions | ResumeOptions, deps: RunnerDeps, { missingOnly = false } = {}): void {
  for (const format of ['md', 'html'] as const) {
    const file = join(dir, `report.${format}`);
    // On a resume after the seal, a report already there was written by the run that sealed it.
    if (missingOnly && existsSync(file)) continue;
    try {
      writeOnce(file, deps.renderReport(dir, format, options.lang));
      options.out(exitLine(options.lang, 'report', { file }));
    } catch (error) {
      options.out(exitLine(options.lang, 'reportNotWritten', { file, why: options.lang === 'en' ? errorMessage(error) : exitWhy(options.lang, error) }));
      options.out(exitDetail(`keyceremony report ${dir} --lang ${options.lang}`));
    }
  }
}

/** The final hash for the paper log, and its PGP words when known, after the UI has exited. */
function printSeal(lang: Lang, hash: string, sealWords: string | undefined, out: (line: string) => void): void {
  // Whole groups only: eight a line, so an 80-column terminal never splits one (issue 16 item 2).
  const groups = groupedHex(hash).split(' ');
  out(exitLine(lang, 'finalHash'));
  for (let i = 0; i < groups.length; i += 8) out(`keyceremony:   ${groups.slice(i, i + 8).join(' ')}`);
  if (sealWords) {
    const words = sealWords.split(' ');
    out(exitLine(lang, 'inWords'));
    for (let i = 0; i < words.length; i += 6) out(`keyceremony:   ${words.slice(i, i + 6).join(' ')}`);
  }
}

function finish(
  outcome: DriverOutcome | InteractiveStop,
  running: Running,
  actor: Actor<CeremonyMachine>,
  options: RunOptions | ResumeOptions,
  deps: RunnerDeps,
  stopSignal: string | undefined,
  sealWords: string | undefined,
): number {
  const { journal, definition, workdir } = running;
  // Stopped on the closing screen, after the seal (a signal; ^C there only says why it
  // cannot stop): nothing can be recorded after the seal, so nothing is. The hash is printed
  // for the paper log, and a resume shows the closing again (sealed-closing.ts).
  if (outcome.status === 'interrupted' && journal.sealed) {
    options.out(exitLine(options.lang, 'stoppedAfterSeal', { dryRun: dryRunWord(options.lang, running.dryRun, running.softwareToken !== undefined) }));
    options.out(exitDetail(resumeCommand(workdir.dir, options.lang)));
    printSeal(options.lang, journal.head.hash, sealWords, options.out);
    return ExitCode.interrupted;
  }
  if (outcome.status === 'interrupted') {
    const onScreen = 'step' in outcome && outcome.step ? definition.steps.find((s) => s.id === outcome.step) : undefined;
    const step = onScreen ?? positionOf(definition, actor.getSnapshot()).step;
    // Who stopped it (the first) and who confirmed (the second), as typed at the terminal;
    // a signal has no one to name.
    const stoppedBy = 'stoppedBy' in outcome && outcome.stoppedBy?.length ? outcome.stoppedBy : undefined;
    journal.append({
      step: step?.id ?? null,
      event: JOURNAL_EVENTS.interrupted,
      who: stoppedBy ?? [],
      data: {
        signal: stopSignal ?? (stoppedBy ? SIGNAL_AT_TERMINAL : SIGNAL_UNKNOWN),
        ...(stoppedBy ? { stoppedBy: stoppedBy[0], confirmedBy: stoppedBy.slice(1) } : {}),
        note: JOURNAL_NOTES.interrupted,
      },
    } satisfies JournalIntent);
    options.out(
      exitLine(options.lang, 'interrupted', {
        dryRun: dryRunWord(options.lang, running.dryRun, running.softwareToken !== undefined),
        step: exitStep(options.lang, definition, step?.id),
      }),
    );
    options.out(exitDetail(resumeCommand(workdir.dir, options.lang)));
    return ExitCode.interrupted;
  }
  if (outcome.status === 'failed') {
    const f = outcome.failure;
    throw new KeyceremonyError(`step ${f.step ?? '?'} failed: ${f.message}`, {
      hint: `${f.hint ? `${f.hint}; ` : ''}the failure is recorded and the state saved; after fixing the cause run \`keyceremony resume ${workdir.dir}\``,
      code: f.code,
      details: f.details,
      exitCode: ExitCode.failed,
      // In the language of --lang too: the step by number and title, the engine's words as the original.
      says: {
        key: 'failed-step',
        params: { step: exitStep('zh-TW', definition, f.step ?? undefined), code: f.code ?? '', problem: f.message, hint: f.hint ?? '', workdir: workdir.dir },
      },
    });
  }
  const head = journal.head;
  const lang = options.lang;
  options.out(
    exitLine(lang, 'ended', {
      dryRun: dryRunWord(lang, running.dryRun, running.softwareToken !== undefined),
      // By its title, as the screens named it; the id is in the journal's path on the next line.
      ceremony: definition.title[lang],
      status: exitWord(lang, outcome.status),
      n: head.seq,
    }),
  );
  options.out(exitDetail(workdir.journalFile));
  writeReports(workdir.dir, options, deps);
  printSeal(lang, head.hash, sealWords, options.out);
  return outcome.status === 'completed' ? ExitCode.completed : ExitCode.failed;
}
