// The answers driver: plays the people of a scripted dry run. It reads what the machine
// waits for, takes the answer for that step from the answers file, and sends the same
// events the terminal UI would. Shares go into the SecretStore, never into an event.
import { describeAlgorithm } from '../util/key-algorithm.js';
import { join } from 'node:path';
import { waitFor, type Actor } from 'xstate';
import { InputError, KeyceremonyError } from '../errors.js';
import { specOf } from '../steps/index.js';
import { stepTitle, type Definition, type Step } from '../definition/definition.js';
import type { Lang } from '../util/lang.js';
import { progressLine, type StepSummary } from './exit-lines.js';
import type { SecretStore } from '../quorum/index.js';
import { INPUT_FILE_LIMIT, readBounded, SHARE_FILE_LIMIT } from '../util/bounded-read.js';
import { sha256 } from '../util/fingerprint.js';
import { appendToWorkdirFile, folderInWorkdir, readWorkdirFile } from '../util/safe-path.js';
import { decodeUtf8 } from '../util/utf8.js';
import { answerPath, witnessesOf, type AnswerValue, type Answers, type StepAnswer } from './answers.js';
import type { CeremonyMachine } from './compile.js';
import type { ShareHandouts } from './handouts.js';
import { manifestFor } from './manifests.js';
import { positionOf, shareCollection, type Position } from './phase.js';
import { signalsHeard } from './signals.js';
import type { CeremonyContext, CeremonyEvent, Problem } from './types.js';
import { errorCode } from '../util/storage.js';

export interface DriverDeps {
  definition: Definition;
  answers: Answers;
  secrets: SecretStore;
  handouts: ShareHandouts;
  workdir: string;
  dryRun: boolean;
  /** One plain line per finished step, in `lang`. */
  print: (line: string) => void;
  lang: Lang;
  /** Set when SIGINT/SIGTERM asked the run to stop at the next stable state. */
  stopRequested?: () => string | undefined;
}

export type DriverOutcome = { status: 'completed' | 'aborted' | 'interrupted' } | { status: 'failed'; failure: Problem };

type CeremonyActor = Actor<CeremonyMachine>;

const refusalError = (refusal: Problem, answers: Answers) =>
  new InputError(`${answers.file}: ${refusal.message}`, {
    hint: refusal.hint ?? 'fix the answers file; the refusal is recorded in the journal',
    code: refusal.code,
  });

export class AnswersDriver {
  private readonly sentExceptions = new Set<number>();
  private readonly sentPauses = new Set<number>();
  private readonly sentJoins = new Set<number>();
  /** Per step, the values the answers took from the token (`{ reportedByToken: true }`), for its printed line. */
  private readonly takenFromToken = new Map<string, Record<string, string>>();
  private printedUpTo = 0;
  private actor: CeremonyActor | undefined;

  constructor(private readonly deps: DriverDeps) {}

  async drive(actor: CeremonyActor, options: { retryFailed?: boolean } = {}): Promise<DriverOutcome> {
    let retried = false;
    this.actor = actor;
    this.printedUpTo = actor.getSnapshot().context.stepIndex;
    for (;;) {
      const snapshot = await waitFor(actor, (s) => s.hasTag('stable') || s.status !== 'active', { timeout: Infinity });
      this.printProgress(snapshot.context);
      if (snapshot.status === 'error') throw snapshot.error;
      const position = positionOf(this.deps.definition, snapshot);
      if (position.phase === 'completed' || position.phase === 'aborted') return { status: position.phase };
      if (this.deps.stopRequested && (await signalsHeard(this.deps.stopRequested))) return { status: 'interrupted' };
      if (position.phase === 'failed') {
        if (options.retryFailed && !retried) {
          retried = true;
          this.send(actor, this.retryEvent(position.step!));
          continue;
        }
        return { status: 'failed', failure: snapshot.context.failure! };
      }
      const before = actor.getSnapshot();
      for (const event of this.eventsFor(position, snapshot.context)) {
        this.send(actor, event);
        const after = actor.getSnapshot();
        if (!after.hasTag('stable') || after.status !== 'active') break;
      }
      if (actor.getSnapshot() === before) {
        throw new KeyceremonyError(`the answers driver had nothing to send at step ${position.step?.id ?? '?'} (${position.phase})`, { code: 'driver.stuck' });
      }
    }
  }

  private send(actor: CeremonyActor, event: CeremonyEvent): void {
    const refusalBefore = actor.getSnapshot().context.refusal;
    actor.send(event);
    const after = actor.getSnapshot();
    if (after.context.refusal && after.context.refusal !== refusalBefore) throw refusalError(after.context.refusal, this.deps.answers);
  }

  private answerFor(step: Step): StepAnswer {
    const answer = this.deps.answers.steps[step.id];
    if (!answer)
      throw new InputError(`${this.deps.answers.file}: steps.${step.id} is missing: step ${step.id} (${step.type}) needs an answer`, {
        code: 'answers.missing-step',
      });
    return answer;
  }

  private eventsFor(position: Position, context: CeremonyContext): CeremonyEvent[] {
    const step = position.step!;
    const events: CeremonyEvent[] = [...this.scripted(step, context)];
    if (context.paused) return events;
    switch (position.phase) {
      case 'reauthenticating':
        return [...events, ...this.reauthenticate(step, context)];
      case 'distributing':
        return [...events, ...this.handOut(step, context)];
      default:
        break;
    }
    const spec = specOf(step);
    if (spec.flow === 'participants') {
      return [...events, { type: 'participants.submit', step: step.id, participants: this.deps.answers.participants }];
    }
    if (spec.flow === 'sign-offs') {
      const answer = this.deps.answers.steps[step.id] ?? {};
      return [
        ...events,
        ...context.participants
          .filter((p) => !context.signOffs.some((s) => s.participant === p.id))
          .map((p): CeremonyEvent => {
            const note = answer.notes?.[p.id];
            return { type: 'signoff.submit', step: step.id, participant: p.id, followedScript: answer.followedScript ?? true, ...(note ? { note } : {}) };
          }),
      ];
    }
    const answer = spec.answerOptional ? (this.deps.answers.steps[step.id] ?? {}) : this.answerFor(step);
    if (context.shares?.step === step.id) events.push(...this.offerShares(step, answer, context));
    return [...events, this.submission(step, answer, context)];
  }

  /** Joins, exceptions, pauses and an abort that the answers file places before this step. */
  private scripted(step: Step, context: CeremonyContext): CeremonyEvent[] {
    const events: CeremonyEvent[] = [];
    this.deps.answers.joins.forEach((j, i) => {
      if (j.before !== step.id || this.sentJoins.has(i)) return;
      this.sentJoins.add(i);
      // After a resume the journal may already have them.
      if (context.participants.some((p) => p.id === j.participant.id)) return;
      events.push({ type: 'participants.join', participant: j.participant, confirmedBy: j.confirmedBy });
    });
    this.deps.answers.exceptions.forEach((e, i) => {
      if (e.before !== step.id || this.sentExceptions.has(i)) return;
      this.sentExceptions.add(i);
      if (context.exceptions.some((x) => x.by === e.by && x.text === e.text.trim())) return;
      events.push({ type: 'exception', by: e.by, text: e.text });
    });
    this.deps.answers.pauses.forEach((p, i) => {
      if (p.before !== step.id || this.sentPauses.has(i)) return;
      this.sentPauses.add(i);
      events.push({ type: 'pause', by: p.by, reason: p.reason }, { type: 'continue', by: p.continueBy });
    });
    const abort = this.deps.answers.abort;
    if (abort && abort.before === step.id) events.push({ type: 'abort', by: abort.by, reason: abort.reason });
    if (context.paused && !events.some((e) => e.type === 'continue')) {
      throw new InputError(`${this.deps.answers.file}: the ceremony is paused at step ${step.id} and the answers do not continue it`, {
        code: 'answers.paused',
      });
    }
    return events;
  }

  private resolveValue(step: Step, name: string, value: AnswerValue, context: CeremonyContext): string {
    if (typeof value === 'string') return value;
    if ('sha256Of' in value) {
      const file = answerPath(this.deps.answers, value.sha256Of);
      const bytes = this.readAnswerFile(() => readBounded(file, { what: 'file', maxBytes: INPUT_FILE_LIMIT }), `steps.${step.id}.values.${name}: file ${file}`);
      return sha256(bytes).toString('hex');
    }
    if ('reportedByToken' in value) {
      const reported = specOf(step).reported?.(step, context)[name];
      if (reported === undefined)
        throw new InputError(
          `${this.deps.answers.file}: steps.${step.id}.values.${name}: { reportedByToken: true } is only for a field declared as a token's serial (hsmSerial)`,
          { code: 'answers.reported' },
        );
      this.takenFromToken.set(step.id, { ...this.takenFromToken.get(step.id), [name]: reported });
      return reported;
    }
    const shown = specOf(step).shown?.(step, context)[name] ?? context.prepared?.[name === 'spki-sha256' ? 'spkiSha256' : 'csrSha256'];
    if (typeof shown !== 'string')
      throw new InputError(`${this.deps.answers.file}: steps.${step.id}.values.${name}: the screen shows no such value at this step`, {
        code: 'answers.shown',
      });
    return shown;
  }

  private submission(step: Step, answer: StepAnswer, context: CeremonyContext): CeremonyEvent {
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.values ?? {})) values[name] = this.resolveValue(step, name, value, context);
    if (answer.decision) values.decision = answer.decision;
    if (answer.reason) values.reason = answer.reason;
    return {
      type: 'step.submit',
      step: step.id,
      ...(answer.by ? { performer: answer.by } : {}),
      witnesses: witnessesOf(answer),
      values,
      ...(answer.custodians ? { custodians: answer.custodians } : {}),
    };
  }

  private retryEvent(step: Step): CeremonyEvent {
    const answer = this.deps.answers.steps[step.id] ?? {};
    const by = answer.retryBy ?? [answer.by, ...witnessesOf(answer)].filter((w): w is string => !!w).slice(0, 2);
    return { type: 'step.retry', step: step.id, by, ...(answer.allowFinalTry ? { allowFinalTry: true } : {}) };
  }

  /** Reads each custodian's share (text or dry-run share file) into the SecretStore. */
  private offerShares(step: Step, answer: StepAnswer, context: CeremonyContext): CeremonyEvent[] {
    const collecting = context.shares!;
    const manifest = manifestFor(this.deps.workdir, context, collecting.credential);
    const collection = shareCollection(step.id, collecting.credential);
    const events: CeremonyEvent[] = [];
    let have = collecting.accepted.length;
    for (const [custodian, given] of Object.entries(answer.shares ?? {})) {
      if (have >= manifest.threshold) break;
      if (collecting.accepted.some((a) => a.custodian === custodian)) continue;
      const text = typeof given === 'string' ? given : this.readShareFile(step, custodian, given.file, collecting.credential, manifest.setId);
      try {
        const share = this.deps.secrets.addShare(collection, text, manifest, custodian);
        events.push({ type: 'share.accepted', step: step.id, custodian, index: share.index, setId: manifest.setId });
        have++;
      } catch (error) {
        if (!(error instanceof KeyceremonyError)) throw error;
        // Recorded in the journal (what was wrong, never the share), then the run stops.
        for (const event of events) this.actor?.send(event);
        this.actor?.send({ type: 'share.refused', step: step.id, custodian, message: error.message, code: error.code });
        throw new InputError(`${this.deps.answers.file}: step ${step.id}: the share given for ${custodian} was refused: ${error.message}`, {
          hint: error.hint,
          code: error.code,
        });
      }
    }
    if (have < manifest.threshold) {
      throw new InputError(
        `${this.deps.answers.file}: steps.${step.id}.shares gives ${have} usable shares of ${manifest.threshold} needed for ${collecting.credential}`,
        { code: 'answers.too-few-shares' },
      );
    }
    return events;
  }

  /**
   * A file the answers name (a share file, a file whose SHA-256 a person reads): a regular
   * file of bounded size. A missing file is an answers error naming the step.
   */
  private readAnswerFile(read: () => Buffer, where: string): Buffer {
    try {
      return read();
    } catch (error) {
      if (error instanceof KeyceremonyError) throw error;
      const code = errorCode(error);
      throw new InputError(`${this.deps.answers.file}: ${where} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}`, {
        code: code === 'ENOENT' ? 'answers.file' : 'answers.file-unreadable',
      });
    }
  }

  /** A dry-run share file holds lines `<credential> <set id> <envelope>`; the line of the set wanted. */
  private readShareFile(step: Step, custodian: string, path: string, credential: string, setId: string): string {
    // `$WORKDIR/…` is this ceremony's workdir: shares written by an earlier step of the same
    // run, read without following a link. Elsewhere the file is the answers file's to name.
    const inWorkdir = path.startsWith('$WORKDIR/') ? path.slice('$WORKDIR/'.length) : undefined;
    const file = inWorkdir === undefined ? answerPath(this.deps.answers, path) : join(this.deps.workdir, inWorkdir);
    const bytes = this.readAnswerFile(
      () =>
        inWorkdir === undefined
          ? readBounded(file, { what: 'share file', maxBytes: SHARE_FILE_LIMIT })
          : readWorkdirFile(this.deps.workdir, inWorkdir, SHARE_FILE_LIMIT),
      `steps.${step.id}.shares.${custodian}: share file ${file}`,
    );
    const lines = decodeUtf8(bytes, file, 'share')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const match = lines.map((l) => l.trim().split(/\s+/)).find((parts) => parts[0] === credential && parts[1] === setId);
    if (!match) {
      throw new InputError(`${this.deps.answers.file}: steps.${step.id}.shares.${custodian}: share file ${file} has no share of ${credential} set ${setId}`, {
        hint: 'the file may belong to an older share set (rotated) or another custodian',
        code: 'answers.share-file',
      });
    }
    return match.slice(2).join(' ');
  }

  private reauthenticate(step: Step, context: CeremonyContext): CeremonyEvent[] {
    const credential = context.shares!.credential;
    const token = Object.keys(context.relogin).find((t) => context.relogin[t]!.credential === credential)!;
    const original = this.deps.definition.steps.find((s) => s.id === context.relogin[token]!.step)!;
    const answer = this.answerFor(original);
    return [
      ...this.offerShares(step, answer, context),
      { ...(this.submission(original, answer, context) as Extract<CeremonyEvent, { type: 'step.submit' }>), step: step.id, values: {} },
    ];
  }

  /**
   * Headless runs cannot show a share to a person; with a dry-run profile, and only then,
   * each custodian's share is written to `<workdir>/dry-run-shares/<custodian>` (0600) and
   * read back as if typed.
   */
  private handOut(step: Step, context: CeremonyContext): CeremonyEvent[] {
    if (!this.deps.dryRun) {
      throw new InputError(`step ${step.id} hands out new shares, which a headless run can only write to dry-run share files`, {
        hint: 'run this ceremony in the terminal UI, or use an HSM profile with dryRun: true for a rehearsal',
        code: 'answers.not-dry-run',
      });
    }
    // Never through a link planted in the workdir: the shares would go wherever it points.
    folderInWorkdir(this.deps.workdir, 'dry-run-shares', 0o700);
    const events: CeremonyEvent[] = [];
    for (const set of context.distribution!.sets) {
      for (const custodian of set.custodians.filter((c) => !set.confirmed.includes(c))) {
        const name = `dry-run-shares/${custodian}`;
        const file = join(this.deps.workdir, name);
        this.deps.handouts.reveal(step.id, set.credential, custodian, (text) =>
          appendToWorkdirFile(this.deps.workdir, name, `${set.credential} ${set.setId} ${text}\n`, 0o600),
        );
        const typedBack = this.readShareFile(step, custodian, `$WORKDIR/${name}`, set.credential, set.setId);
        if (!this.deps.handouts.matches(step.id, set.credential, custodian, typedBack)) {
          throw new KeyceremonyError(`step ${step.id}: the share read back from ${file} does not match what was handed to ${custodian}`, {
            code: 'share.typed-back',
            details: { person: custodian },
          });
        }
        events.push({ type: 'share.confirmed', step: step.id, credential: set.credential, custodian });
      }
    }
    return events;
  }

  private printProgress(context: CeremonyContext): void {
    const steps = this.deps.definition.steps;
    while (this.printedUpTo < context.stepIndex && this.printedUpTo < steps.length) {
      const step = steps[this.printedUpTo]!;
      const result = context.results[step.id];
      // A value the answers took from the token itself says so: it was read, not typed.
      const fromToken = Object.entries(this.takenFromToken.get(step.id) ?? {}).map(([field, value]) => ({ field, value }));
      const position = { k: this.printedUpTo + 1, n: steps.length };
      const titled = { id: step.id, type: step.type, title: stepTitle(step, this.deps.lang) };
      this.deps.print(progressLine(this.deps.lang, this.deps.dryRun, position, titled, { ...summarise(result), fromToken }));
      this.printedUpTo++;
    }
  }
}

function summarise(result: CeremonyContext['results'][string] | undefined): StepSummary {
  return {
    who: result ? [result.performer, ...result.witnesses].filter((w): w is string => !!w) : [],
    keys: (result?.keys ?? []).map((key) => ({ label: key.label, algorithm: describeAlgorithm(key.algorithm), sha: key.spkiSha256.slice(0, 16) })),
    files: (result?.outputs ?? []).map((file) => ({ name: file.name, sha: file.sha256.slice(0, 16) })),
    unlocked: result?.session?.token,
    locked: result?.lockedTokens ?? [],
    destroyed: result?.destroyedKeys ?? [],
  };
}
