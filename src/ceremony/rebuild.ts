// The ceremony as the journal tells it (DESIGN principle 6). `resume` never restores the
// saved xstate snapshot: anyone with the terminal's account can edit state.json, and a
// snapshot taken while an HSM call ran would start that call again. Instead the verified
// journal is read record by record into the machine's context and the state to continue
// in; state.json is only checked against the result (compareSavedContext).
//
// Each record changes the context exactly as the transition that wrote it did (the same
// applyResult for step results), so a journal read back gives the context the run had.
// Where the step was when the process stopped decides where it continues: in the step's
// entry (anything it had begun is done again, after the quorum logs in again), still
// handing out new shares (the machine voids them on the restart), or failed (two people
// approve a retry).
import { specOf } from '../steps/index.js';
import type { Definition, Step } from '../definition/definition.js';
import type { z } from 'zod';
import { InputError, KeyceremonyError } from '../errors.js';
import type { JournalRecord } from '../journal/record.js';
import { applyResult } from './apply.js';
import { initialContext, type CeremonyInput } from './compile.js';
import { checkJoin, checkPeople, checkSignIn, checkSignOff, checkTwoPeople, participant } from './people-rules.js';
import { recordDataProblem, type RecordKind, type recordDataSchemas } from './record-schemas.js';
import type { CeremonyContext, Problem, SignOff, StepResult } from './types.js';
import { JOURNAL_EVENTS } from '../journal/events.js';
import { fieldAt } from '../util/field-at.js';

/** Where the current step stood: its entry, handing out shares, or failed. */
type StepPhase = 'entering' | 'distributing' | 'failed';

export interface Rebuilt {
  context: CeremonyContext;
  /** The machine state to continue in (for machine.resolveState). */
  value: string | Record<string, string>;
  /** The journal ends with its seal. */
  sealed: boolean;
}

/** Records that say something happened but change nothing the machine decides on. */
const NOTES: ReadonlySet<string> = new Set([
  JOURNAL_EVENTS.resumed,
  JOURNAL_EVENTS.interrupted,
  JOURNAL_EVENTS.resumeRefused,
  JOURNAL_EVENTS.outputUnrecorded,
  JOURNAL_EVENTS.hsmUnrecordedKey,
  JOURNAL_EVENTS.hsmKeyAbsent,
  JOURNAL_EVENTS.shareAccepted,
  JOURNAL_EVENTS.shareRefused,
  JOURNAL_EVENTS.eventRefused,
  JOURNAL_EVENTS.stepApproved,
]);

export function rebuildFromJournal(definition: Definition, input: CeremonyInput, records: readonly JournalRecord[], journalFile = 'journal.jsonl'): Rebuilt {
  let context = initialContext(definition, input);
  let phase: StepPhase = 'entering';
  let sealed = false;
  const update = (change: Partial<CeremonyContext>) => (context = { ...context, ...change });
  const named = (record: JournalRecord) => `${journalFile}: journal record ${record.seq} (${record.event}${record.step ? `, step ${record.step}` : ''})`;
  const problem = (record: JournalRecord, what: string) =>
    new InputError(`${named(record)} ${what}`, {
      code: 'resume.journal-unreadable',
      hint: 'this journal was not written by this ceremony definition and this version of keyceremony; keep the workdir as it is and report it',
    });
  // A record the live machine would have refused: someone wrote it by hand (a valid hash
  // needs no key). Resume refuses to build on it rather than adopt what it claims.
  const breaks = (record: JournalRecord, rule: Problem | undefined) => {
    if (!rule) return;
    throw new InputError(`${named(record)} breaks a rule the ceremony enforces (${rule.code}): ${rule.message}`, {
      code: 'resume.journal-rule',
      hint: 'keyceremony never writes such a record, so it was added by hand; keep the workdir as it is, compare the journal with the hash on the paper log and report it',
    });
  };
  const readData = <K extends RecordKind>(record: JournalRecord, kind: K): z.infer<(typeof recordDataSchemas)[K]> => {
    const what = recordDataProblem(kind, record.data);
    if (what) throw problem(record, what);
    return record.data as z.infer<(typeof recordDataSchemas)[K]>;
  };
  const oneWho = (record: JournalRecord): string => {
    const who = record.who[0];
    if (who === undefined) throw problem(record, 'names nobody in who');
    return who;
  };

  /**
   * A step's result belongs to the step the journal is at: a record naming another step, or
   * none, would skip a witnessed step (a destroy-key sealed as completed with the key still
   * there) or slip participants in without a sign-in.
   */
  const currentStep = (record: JournalRecord, index: unknown): Step => {
    const expected = definition.steps[context.stepIndex];
    if (expected === undefined || record.step !== expected.id || (index !== undefined && index !== context.stepIndex)) {
      throw new InputError(
        `${named(record)} breaks a rule the ceremony enforces (step.order): it completes ${record.step === null ? 'no step' : `step ${record.step}`}${index === undefined ? '' : ` (index ${JSON.stringify(index)})`}, but the ceremony is at ${expected ? `step ${expected.id} (index ${context.stepIndex})` : 'its end'}`,
        {
          code: 'resume.journal-rule',
          hint: 'keyceremony never writes such a record, so it was added by hand; keep the workdir as it is, compare the journal with the hash on the paper log and report it',
        },
      );
    }
    return expected;
  };
  /** Participants come only from the sign-in (and joins, checked on their own). */
  const noParticipants = (record: JournalRecord, step: Step, result: { participants?: unknown }) => {
    if (result.participants !== undefined && specOf(step).flow !== 'participants') {
      breaks(record, {
        step: step.id,
        code: 'participants.outside-sign-in',
        message: `step ${step.id} is not the sign-in, but its record brings participants`,
        hint: '',
      });
    }
  };

  for (const record of records.slice(1)) {
    const step = definition.steps.find((s) => s.id === record.step);
    if (record.step !== null && !step) throw problem(record, 'names a step the definition does not have');
    switch (record.event) {
      case JOURNAL_EVENTS.stepStarted: {
        const data = readData(record, JOURNAL_EVENTS.stepStarted);
        if (data.index !== context.stepIndex)
          throw problem(record, `starts step ${String(data.index)} while the journal so far is at step ${context.stepIndex}`);
        phase = 'entering';
        break;
      }
      case JOURNAL_EVENTS.participantsSignedIn: {
        const { participants } = readData(record, JOURNAL_EVENTS.participantsSignedIn);
        breaks(record, checkSignIn(definition, record.step ?? '', participants));
        update({
          participants,
          stepIndex: context.stepIndex + 1,
          results: { ...context.results, [record.step!]: { performer: undefined, witnesses: [], details: { participants } } },
        });
        phase = 'entering';
        break;
      }
      case JOURNAL_EVENTS.participantsJoined: {
        const data = readData(record, JOURNAL_EVENTS.participantsJoined);
        breaks(record, checkJoin(definition, context, record.step, data.participant, data.confirmedBy));
        update({ participants: [...context.participants, data.participant] });
        break;
      }
      case JOURNAL_EVENTS.stepCompleted: {
        currentStep(record, record.data['index']);
        if (step && specOf(step).flow === 'sign-offs') {
          const { signOffs } = readData(record, 'step.completed.sign-offs');
          breaks(record, checkAllSignedOff(context, step.id, signOffs));
          update({
            status: 'completed',
            signOffs,
            stepIndex: context.stepIndex + 1,
            results: { ...context.results, [step.id]: { performer: undefined, witnesses: [], details: { signOffs } } },
          });
        } else {
          const { type: _type, index: _index, performer, witnesses, ...result } = readData(record, JOURNAL_EVENTS.stepCompleted);
          noParticipants(record, step!, result);
          if (step) breaks(record, checkPeople(definition, step, context, performer, witnesses ?? []));
          update(applyResult(context, record.step!, result as StepResult, { performer, witnesses: witnesses ?? [] }));
        }
        phase = 'entering';
        break;
      }
      case JOURNAL_EVENTS.stepReconciled: {
        // A key the witnesses adopted after a restart: the record carries the step's result.
        const data = readData(record, JOURNAL_EVENTS.stepReconciled);
        if (data.from === 'hsm') {
          currentStep(record, undefined);
          const { performer, witnesses, ...result } = data.result;
          noParticipants(record, step!, result);
          if (step) breaks(record, checkPeople(definition, step, context, performer, witnesses ?? []));
          update(applyResult(context, record.step!, result as StepResult, { performer, witnesses: witnesses ?? [] }));
          phase = 'entering';
        }
        break;
      }
      case JOURNAL_EVENTS.stepPrepared:
        update({ prepared: record.data });
        break;
      case JOURNAL_EVENTS.sharesPrepared: {
        const sets = readData(record, JOURNAL_EVENTS.sharesPrepared).sets.map((s) => ({ ...s, confirmed: noneYet() }));
        update({ distribution: { step: record.step!, sets } });
        phase = 'distributing';
        break;
      }
      case JOURNAL_EVENTS.shareHandedOver: {
        const { credential } = readData(record, JOURNAL_EVENTS.shareHandedOver);
        const distribution = context.distribution;
        if (!distribution) throw problem(record, 'hands over a share that no step prepared');
        const custodian = oneWho(record);
        update({
          distribution: {
            ...distribution,
            sets: distribution.sets.map((s) => (s.credential === credential ? { ...s, confirmed: [...s.confirmed, custodian] } : s)),
          },
        });
        break;
      }
      case JOURNAL_EVENTS.sharesDiscarded:
        update({ distribution: undefined, submission: undefined });
        phase = 'entering';
        break;
      case JOURNAL_EVENTS.stepFailed: {
        const data = readData(record, JOURNAL_EVENTS.stepFailed);
        update({ failure: { step: record.step, code: data.code, message: data.message, hint: data.hint } });
        phase = 'failed';
        break;
      }
      case JOURNAL_EVENTS.stepRetried: {
        const data = readData(record, JOURNAL_EVENTS.stepRetried);
        breaks(record, checkTwoPeople(context, record.step, record.who, `retrying step ${record.step ?? ''}`));
        update({
          failure: undefined,
          refusal: undefined,
          shares: undefined,
          distribution: undefined,
          submission: undefined,
          prepared: undefined,
          finalTryApproved: data.allowFinalTry === true,
        });
        phase = 'entering';
        break;
      }
      case JOURNAL_EVENTS.hsmRelogin: {
        const session = readData(record, JOURNAL_EVENTS.hsmRelogin).session;
        const relogin = { ...context.relogin };
        delete relogin[session.token];
        update({ sessions: { ...context.sessions, [session.token]: session }, relogin, shares: undefined, submission: undefined, finalTryApproved: false });
        phase = 'entering';
        break;
      }
      case JOURNAL_EVENTS.restarted:
        update({ relogin: { ...context.relogin, ...context.sessions }, sessions: {}, busy: false });
        break;
      case JOURNAL_EVENTS.exceptionRecorded: {
        const { text } = readData(record, JOURNAL_EVENTS.exceptionRecorded);
        const by = oneWho(record);
        breaks(record, signedIn(context, record.step, by, 'exception'));
        update({ exceptions: [...context.exceptions, { by, text, step: record.step, stepsDone: context.stepIndex }] });
        break;
      }
      case JOURNAL_EVENTS.paused: {
        const { reason } = readData(record, JOURNAL_EVENTS.paused);
        const by = oneWho(record);
        breaks(record, signedIn(context, record.step, by, 'pause'));
        update({ paused: { by, reason } });
        break;
      }
      case JOURNAL_EVENTS.continued:
        breaks(record, checkTwoPeople(context, record.step, record.who, 'continuing the ceremony'));
        update({ paused: undefined });
        break;
      case JOURNAL_EVENTS.aborted:
        breaks(record, checkTwoPeople(context, record.step, record.who, 'aborting the ceremony'));
        update({ status: 'aborted' });
        break;
      case JOURNAL_EVENTS.participantSignedOff: {
        const data = readData(record, JOURNAL_EVENTS.participantSignedOff);
        const signOff = { participant: oneWho(record), followedScript: data.followedScript, note: data.note };
        breaks(record, checkSignOff(context, record.step ?? '', signOff));
        update({ signOffs: [...context.signOffs, signOff] });
        break;
      }
      case JOURNAL_EVENTS.sealed:
        sealed = true;
        break;
      case JOURNAL_EVENTS.checkpoint:
        // Changes nothing the machine decides on, but must be a checkpoint keyceremony writes.
        readData(record, JOURNAL_EVENTS.checkpoint);
        break;
      default:
        if (!NOTES.has(record.event)) throw problem(record, 'is of a kind this version of keyceremony does not know');
    }
  }
  return { context, value: stateValue(definition, context, phase), sealed };
}

/** An exception or pause is recorded in a signed-in participant's name. */
function signedIn(context: CeremonyContext, step: string | null, who: string, what: string): Problem | undefined {
  if (participant(context, who)) return undefined;
  return { step, code: 'people.unknown', message: `${what}: "${who}" has not signed in`, hint: undefined };
}

/** A sign-off step completes when everyone signed in has signed off, as recorded one by one. */
function checkAllSignedOff(context: CeremonyContext, step: string, signOffs: SignOff[]): Problem | undefined {
  const recorded = new Set(context.signOffs.map((s) => s.participant));
  const listed = new Set(signOffs.map((s) => s.participant));
  const missing = context.participants.find((p) => !recorded.has(p.id) || !listed.has(p.id));
  if (missing) return { step, code: 'signoff.missing', message: `step ${step}: completed without the sign-off of ${missing.id}`, hint: undefined };
  const stranger = signOffs.find((s) => !participant(context, s.participant));
  if (stranger) return { step, code: 'people.unknown', message: `step ${step}: "${stranger.participant}" has not signed in`, hint: undefined };
  return undefined;
}

function stateValue(definition: Definition, context: CeremonyContext, phase: StepPhase): Rebuilt['value'] {
  if (context.status !== 'running') return context.status;
  const step = definition.steps[context.stepIndex];
  if (!step) {
    throw new KeyceremonyError(`the journal has every step of ${definition.ceremony} done but the ceremony neither completed nor aborted`, {
      code: 'resume.journal-unreadable',
      exitCode: 2,
    });
  }
  if (specOf(step).flow) return { [step.id]: 'awaiting' };
  return { [step.id]: phase };
}

/**
 * The fields of a saved context that the journal decides: a state.json that differs in any
 * of them was changed. (What is only on screen — the last refusal, shares typed so far, a
 * submission in progress — is not compared: the journal keeps no copy, and resume starts
 * those afresh anyway.)
 */
const DECIDED_BY_JOURNAL = [
  'ceremony',
  'definitionSha256',
  'status',
  'stepIndex',
  'participants',
  'inputs',
  'keys',
  'outputs',
  'shareSets',
  'sessions',
  'relogin',
  'results',
  'exceptions',
  'signOffs',
  'paused',
  'finalTryApproved',
  'failure',
] as const satisfies ReadonlyArray<keyof CeremonyContext>;

export interface ContextDifference {
  /** `context.participants[6]`, `context.stepIndex`, …, or `context` when the saved one is not a context at all. */
  field: string;
  saved: unknown;
  journal: unknown;
}

/** The first field in which a saved (untrusted) context differs from the one rebuilt from the journal. */
export function compareSavedContext(saved: unknown, rebuilt: CeremonyContext): ContextDifference | undefined {
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) return { field: 'context', saved, journal: '(a ceremony context)' };
  // The rebuilt context as state.json would hold it (JSON drops undefined), field by field.
  const plain: unknown = JSON.parse(JSON.stringify(rebuilt));
  for (const field of DECIDED_BY_JOURNAL) {
    const difference = firstDifference(fieldAt(saved, field), fieldAt(plain, field), `context.${field}`);
    if (difference) return difference;
  }
  return undefined;
}

function firstDifference(saved: unknown, journal: unknown, path: string): ContextDifference | undefined {
  if (saved === journal) return undefined;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObject(saved) || !isObject(journal) || Array.isArray(saved) !== Array.isArray(journal)) return { field: path, saved, journal };
  if (Array.isArray(saved) && Array.isArray(journal)) {
    for (let i = 0; i < Math.max(saved.length, journal.length); i++) {
      const difference = firstDifference(saved[i], journal[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  const keys = [...new Set([...Object.keys(journal), ...Object.keys(saved)])].filter((key) => saved[key] !== undefined || journal[key] !== undefined);
  for (const key of keys) {
    const difference = firstDifference(saved[key], journal[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

/** A share set's custodians who confirmed their share so far: none, when the set was just prepared. */
const noneYet = (): string[] => [];
