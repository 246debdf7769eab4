// Definition -> xstate machine. Each step becomes a small state machine of the same shape:
//
//   entering -> [reauthenticating -> relogging] -> [preparing] -> awaiting
//            -> [splitting -> distributing] -> [working] -> next step
//                                     any failure -> failed -> (retry by two people) -> entering
//
// The machine is pure: it imports only xstate and types. It decides, checks (multiple
// person control) and asks for journal records (the `journal` action); every effect — the
// HSM, files, clock, randomness — is an actor provided at the composition root.
import { assign, fromPromise, setup, type AnyActorLogic } from 'xstate';
import type { Definition, Step } from '../definition/definition.js';
import { applyResult, createdSoFar } from './apply.js';
import {
  checkJoin,
  checkPeople,
  checkShareOffer,
  checkSignOff,
  checkSignIn,
  checkTwoPeople,
  checkTyped,
  checkTypedValues,
  participant,
  rolesOnce,
} from './people-rules.js';
import { actorName, type ActorName } from '../steps/actors.js';
import { STEP_TYPES, specOf } from '../steps/index.js';
import type { StepActorInput } from '../steps/run-types.js';
import type { CeremonyContext, CeremonyEvent, FileRecord, JournalIntent, Problem, ShareSetRecord, StepResult, Submission } from './types.js';
import { JOURNAL_NOTES } from '../util/journal-notes.js';
import { JOURNAL_EVENTS } from '../journal/events.js';

export interface CeremonyInput {
  inputs: Record<string, FileRecord>;
  /** Share sets known before the ceremony starts (from share-manifest inputs). */
  shareSets: Record<string, ShareSetRecord>;
}

export type { StepActorInput } from '../steps/run-types.js';

const ACTOR_NAMES: ActorName[] = ['relogin', 'prepareShareSets', ...STEP_TYPES.flatMap((type) => [actorName('prepare', type), actorName('work', type)])];

/** Placeholders: the real actors are provided with `machine.provide({ actors: createActors(deps) })`. */
function notProvided(name: string) {
  return fromPromise<unknown, StepActorInput>(async () => {
    throw new Error(`actor ${name} was not provided`);
  });
}

export function initialContext(definition: Definition, input: CeremonyInput): CeremonyContext {
  const keys = Object.fromEntries(
    Object.entries(definition.keys).map(([label, k]) => [
      label,
      { label, token: k.token, id: '', algorithm: k.algorithm, spkiSha256: '', words: '', uri: '', step: 'declared' },
    ]),
  );
  return {
    ceremony: definition.ceremony,
    definitionSha256: definition.sha256,
    stepIndex: 0,
    participants: [],
    inputs: input.inputs,
    keys,
    outputs: {},
    shareSets: input.shareSets,
    sessions: {},
    relogin: {},
    results: {},
    submission: undefined,
    shares: undefined,
    distribution: undefined,
    refusal: undefined,
    failure: undefined,
    finalTryApproved: false,
    prepared: undefined,
    paused: undefined,
    busy: false,
    exceptions: [],
    signOffs: [],
    status: 'running',
  };
}

type Args = { context: CeremonyContext; event: CeremonyEvent };
type StateConfig = Record<string, unknown>;

const journal = (make: (args: Args) => JournalIntent) => ({ type: 'journal' as const, params: make });

/** The last record of every journal: how the ceremony ended, and how many exceptions it noted. */
export const sealIntent = (status: 'completed' | 'aborted', context: CeremonyContext): JournalIntent => ({
  step: null,
  event: JOURNAL_EVENTS.sealed,
  who: [],
  data: { status, exceptions: context.exceptions.length },
});
const seal = (status: 'completed' | 'aborted') => journal(({ context }) => sealIntent(status, context));

function toProblem(step: string | null, error: unknown): Problem {
  const e = error as { message?: unknown; hint?: unknown; code?: unknown };
  return {
    step,
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: typeof e?.message === 'string' ? e.message : String(error),
    hint: typeof e?.hint === 'string' ? e.hint : undefined,
  };
}

export function compileCeremony(definition: Definition) {
  const steps = definition.steps;
  const currentStep = (context: CeremonyContext): Step | undefined => steps[context.stepIndex];
  const nextTarget = (index: number) => (index + 1 < steps.length ? `#step-${steps[index + 1]!.id}` : '#ceremony.completed');

  // Refusals: remembered in context for the screen or driver, and journaled.
  const refuse = (problem: (args: Args) => Problem | undefined) => [
    assign({ refusal: (args: Args) => problem(args) }),
    journal((args) => {
      const p = problem(args);
      return {
        step: p?.step ?? null,
        event: JOURNAL_EVENTS.eventRefused,
        who: whoOf(args.event),
        data: { event: args.event.type, code: p?.code, message: p?.message },
      };
    }),
  ];
  const pausedOrWrongStep = (stepId: string, { context, event }: Args): Problem | undefined => {
    if (context.paused)
      return {
        step: stepId,
        code: 'ceremony.paused',
        message: `the ceremony is paused (${context.paused.reason}); two people must continue it first`,
        hint: undefined,
      };
    if ('step' in event && event.step !== stepId) {
      return {
        step: stepId,
        code: 'event.wrong-step',
        message: `an event for step ${event.step} arrived while the ceremony is at step ${stepId}`,
        hint: undefined,
      };
    }
    return undefined;
  };
  const busy = { entry: assign({ busy: true }), exit: assign({ busy: false }) };
  const failure = (stepId: string) => [
    assign({ failure: ({ event }: { event: unknown }) => toProblem(stepId, (event as { error: unknown }).error) }),
    journal(({ context, event }) => {
      const p = toProblem(stepId, (event as unknown as { error: unknown }).error);
      const who = [context.submission?.performer, ...(context.submission?.witnesses ?? [])].filter((w): w is string => !!w);
      return { step: stepId, event: JOURNAL_EVENTS.stepFailed, who, data: { code: p.code, message: p.message, hint: p.hint } };
    }),
  ];
  const submission = (event: CeremonyEvent): Submission =>
    event.type === 'step.submit'
      ? { performer: event.performer, witnesses: event.witnesses, values: event.values ?? {}, ...(event.custodians ? { custodians: event.custodians } : {}) }
      : { performer: undefined, witnesses: [], values: {} };

  const completeWith = (step: Step, index: number, result: (args: Args) => StepResult) => [
    assign(({ context, event }: Args) => {
      const s = context.submission ?? submission(event);
      return applyResult(context, step.id, result({ context, event }), { performer: s.performer, witnesses: s.witnesses });
    }),
    journal(({ context }) => {
      // `context` here is already updated: the result is in context.results.
      const recorded = context.results[step.id]!;
      return {
        step: step.id,
        event: JOURNAL_EVENTS.stepCompleted,
        who: [recorded.performer, ...recorded.witnesses].filter((w): w is string => !!w),
        data: { type: step.type, index, ...recorded },
      };
    }),
  ];

  function shareHandlers(step: Step): StateConfig {
    return {
      'share.accepted': [
        {
          guard: (args: Args) => shareProblem(step, args) === undefined,
          actions: [
            assign({
              shares: ({ context, event }: Args) => {
                const e = event as Extract<CeremonyEvent, { type: 'share.accepted' }>;
                return { ...context.shares!, accepted: [...context.shares!.accepted, { custodian: e.custodian, index: e.index }] };
              },
            }),
            journal(({ event, context }) => {
              const e = event as Extract<CeremonyEvent, { type: 'share.accepted' }>;
              return {
                step: step.id,
                event: JOURNAL_EVENTS.shareAccepted,
                who: [e.custodian],
                data: { credential: context.shares!.credential, setId: e.setId, index: e.index, accepted: context.shares!.accepted.length },
              };
            }),
          ],
        },
        { actions: refuse((args) => shareProblem(step, args)) },
      ],
      'share.refused': {
        actions: journal(({ event }) => {
          const e = event as Extract<CeremonyEvent, { type: 'share.refused' }>;
          return { step: step.id, event: JOURNAL_EVENTS.shareRefused, who: [e.custodian], data: { message: e.message } };
        }),
      },
    };
  }

  function shareProblem(step: Step, args: Args): Problem | undefined {
    const early = pausedOrWrongStep(step.id, args);
    if (early) return early;
    const e = args.event as Extract<CeremonyEvent, { type: 'share.accepted' }>;
    const shares = args.context.shares;
    if (!shares) return { step: step.id, code: 'share.not-now', message: `step ${step.id} is not collecting shares now`, hint: undefined };
    if (e.setId !== shares.setId)
      return {
        step: step.id,
        code: 'share.foreign',
        message: `step ${step.id}: the share of ${e.custodian} is from share set ${e.setId}, not ${shares.setId}`,
        hint: undefined,
      };
    return checkShareOffer(definition, args.context, step.id, shares.credential, e.custodian, e.index);
  }

  const startCollecting = (step: Step, credential: (context: CeremonyContext) => string) =>
    assign({
      shares: ({ context }: Args) => {
        const name = credential(context);
        if (context.shares?.step === step.id && context.shares.credential === name) return context.shares;
        return { step: step.id, credential: name, setId: context.shareSets[name]?.setId ?? '', accepted: [] };
      },
    });

  const thresholdOf = (credential: string) => definition.credentials[credential]!.threshold;

  /** When a step becomes the current one: its start time in the record. */
  const started = (step: Step, index: number) =>
    journal(() => ({ step: step.id, event: JOURNAL_EVENTS.stepStarted, who: [], data: { type: step.type, index } }));

  function genericStep(step: Step, index: number): StateConfig {
    const spec = specOf(step);
    // Some types prepare only when the step asks for it (a record step with a token's serial).
    const prepares = typeof spec.prepares === 'function' ? spec.prepares(step) : spec.prepares === true;
    const login = spec.login?.(step, definition);
    const collects = spec.collects?.(step);
    const distributes = spec.splits?.(step, definition).map((split) => split.credential);
    const next = nextTarget(index);
    const afterApproval = distributes ? 'splitting' : spec.works ? 'working' : next;

    const submitProblem = (args: Args): Problem | undefined => {
      const early = pausedOrWrongStep(step.id, args);
      if (early) return early;
      const s = submission(args.event);
      const typed = checkTypedValues(step.id, s.values);
      if (typed) return typed;
      const people = checkPeople(definition, step, args.context, s.performer, s.witnesses);
      if (people) return people;
      if (collects) {
        const have = args.context.shares?.accepted.length ?? 0;
        const need = thresholdOf(collects);
        if (have < need)
          return {
            step: step.id,
            code: 'share.too-few',
            message: `step ${step.id}: ${have} of ${need} shares entered`,
            hint: `${need - have} more custodians must enter their shares`,
          };
      }
      return spec.checkSubmission?.(step, s, args.context, definition);
    };

    const states: StateConfig = {};
    const entering: unknown[] = [];
    if (login) entering.push({ guard: ({ context }: Args) => context.relogin[login.token] !== undefined, target: 'reauthenticating' });
    entering.push({ target: prepares ? 'preparing' : 'awaiting' });
    states.entering = { always: entering };

    if (login) {
      const unlockStep = (context: CeremonyContext) => steps.find((s) => s.id === context.relogin[login.token]?.step) ?? step;
      const reloginProblem = (args: Args): Problem | undefined => {
        const early = pausedOrWrongStep(step.id, args);
        if (early) return early;
        const s = submission(args.event);
        const people = checkPeople(definition, unlockStep(args.context), args.context, s.performer, s.witnesses);
        if (people) return people;
        const credential = args.context.relogin[login.token]!.credential;
        const have = args.context.shares?.accepted.length ?? 0;
        if (have < thresholdOf(credential))
          return {
            step: step.id,
            code: 'share.too-few',
            message: `step ${step.id}: ${have} of ${thresholdOf(credential)} shares entered to log in again`,
            hint: undefined,
          };
        return undefined;
      };
      states.reauthenticating = {
        tags: ['stable', 'reauthenticating'],
        entry: startCollecting(step, (context) => context.relogin[login.token]!.credential),
        on: {
          ...shareHandlers(step),
          'step.submit': [
            {
              guard: (args: Args) => reloginProblem(args) === undefined,
              target: 'relogging',
              actions: assign({ submission: ({ event }: Args) => submission(event), refusal: undefined }),
            },
            { actions: refuse(reloginProblem) },
          ],
        },
      };
      states.relogging = {
        ...busy,
        invoke: {
          src: 'relogin',
          input: ({ context }: Args) => ({ step, context, credential: context.relogin[login.token]!.credential }),
          onDone: {
            target: 'entering',
            actions: [
              assign(({ context, event }: { context: CeremonyContext; event: unknown }) => {
                const result = (event as { output: StepResult }).output;
                const session = result.session!;
                const relogin = { ...context.relogin };
                delete relogin[session.token];
                return {
                  sessions: { ...context.sessions, [session.token]: session },
                  relogin,
                  shares: undefined,
                  submission: undefined,
                  finalTryApproved: false,
                };
              }),
              journal(({ context }) => ({
                step: step.id,
                event: JOURNAL_EVENTS.hsmRelogin,
                who: [],
                data: { token: login.token, session: context.sessions[login.token] },
              })),
            ],
          },
          onError: { target: 'failed', actions: failure(step.id) },
        },
      };
    }

    if (prepares) {
      states.preparing = {
        ...busy,
        invoke: {
          src: actorName('prepare', step.type),
          input: ({ context }: Args) => ({ step, context }),
          onDone: {
            target: 'awaiting',
            actions: [
              assign({ prepared: ({ event }: { event: unknown }) => (event as { output: Record<string, unknown> }).output }),
              journal(({ context }) => ({ step: step.id, event: JOURNAL_EVENTS.stepPrepared, who: [], data: context.prepared ?? {} })),
            ],
          },
          onError: { target: 'failed', actions: failure(step.id) },
        },
      };
    }

    states.awaiting = {
      tags: ['stable', 'awaiting'],
      ...(collects ? { entry: startCollecting(step, () => collects) } : {}),
      // A restart while waiting here loses the login: the quorum logs in again first.
      ...(login ? { always: { guard: ({ context }: Args) => context.relogin[login.token] !== undefined, target: 'reauthenticating' } } : {}),
      on: {
        ...(collects ? shareHandlers(step) : {}),
        'step.submit': [
          {
            guard: (args: Args) => submitProblem(args) === undefined,
            target: afterApproval,
            actions: [
              assign({ submission: ({ event }: Args) => submission(event), refusal: undefined }),
              ...(distributes || spec.works
                ? [
                    journal(({ context }) => ({
                      step: step.id,
                      event: JOURNAL_EVENTS.stepApproved,
                      who: [context.submission!.performer, ...context.submission!.witnesses].filter((w): w is string => !!w),
                      data: { values: context.submission!.values, ...(context.submission!.custodians ? { custodians: context.submission!.custodians } : {}) },
                    })),
                  ]
                : []),
              ...(distributes || spec.works ? [] : completeWith(step, index, ({ context }) => spec.result?.(step, context.submission!, context) ?? {})),
            ],
          },
          { actions: refuse(submitProblem) },
        ],
      },
    };

    if (distributes) {
      const credentials = distributes;
      states.splitting = {
        ...busy,
        invoke: {
          src: 'prepareShareSets',
          input: ({ context }: Args) => ({ step, context, credentials }),
          onDone: {
            target: 'distributing',
            actions: [
              assign({ distribution: ({ event }: { event: unknown }) => (event as { output: CeremonyContext['distribution'] }).output }),
              journal(({ context }) => ({
                step: step.id,
                event: JOURNAL_EVENTS.sharesPrepared,
                who: [],
                data: {
                  sets: context.distribution!.sets.map((s) => ({
                    credential: s.credential,
                    setId: s.setId,
                    custodians: s.custodians,
                    quorumsChecked: s.quorumsChecked,
                  })),
                },
              })),
            ],
          },
          onError: { target: 'failed', actions: failure(step.id) },
        },
      };
      const confirmProblem = (args: Args): Problem | undefined => {
        const early = pausedOrWrongStep(step.id, args);
        if (early) return early;
        const e = args.event as Extract<CeremonyEvent, { type: 'share.confirmed' }>;
        const set = args.context.distribution?.sets.find((s) => s.credential === e.credential);
        if (!set) return { step: step.id, code: 'share.unknown-set', message: `step ${step.id} does not hand out shares of ${e.credential}`, hint: undefined };
        if (!set.custodians.includes(e.custodian))
          return {
            step: step.id,
            code: 'share.not-custodian',
            message: `step ${step.id}: ${e.custodian} is not a custodian of ${e.credential}`,
            hint: undefined,
          };
        if (set.confirmed.includes(e.custodian))
          return {
            step: step.id,
            code: 'share.already-confirmed',
            message: `step ${step.id}: ${e.custodian} has already confirmed the share of ${e.credential}`,
            hint: undefined,
          };
        return undefined;
      };
      states.distributing = {
        tags: ['stable', 'distributing'],
        always: {
          guard: ({ context }: Args) => context.distribution!.sets.every((s) => s.confirmed.length === s.custodians.length),
          target: 'working',
        },
        on: {
          'share.confirmed': [
            {
              guard: (args: Args) => confirmProblem(args) === undefined,
              actions: [
                assign({
                  distribution: ({ context, event }: Args) => {
                    const e = event as Extract<CeremonyEvent, { type: 'share.confirmed' }>;
                    return {
                      ...context.distribution!,
                      sets: context.distribution!.sets.map((s) => (s.credential === e.credential ? { ...s, confirmed: [...s.confirmed, e.custodian] } : s)),
                    };
                  },
                }),
                journal(({ event }) => {
                  const e = event as Extract<CeremonyEvent, { type: 'share.confirmed' }>;
                  return { step: step.id, event: JOURNAL_EVENTS.shareHandedOver, who: [e.custodian], data: { credential: e.credential } };
                }),
              ],
            },
            { actions: refuse(confirmProblem) },
          ],
          // The shares lived only in the memory of the process that stopped: this set is void.
          'process.restarted': {
            target: 'awaiting',
            actions: [
              journal(({ context }) => ({
                step: step.id,
                event: JOURNAL_EVENTS.sharesDiscarded,
                who: [],
                data: { sets: context.distribution!.sets.map((s) => s.setId), reason: JOURNAL_NOTES.sharesDiscarded },
              })),
              ...restartActions,
              assign({ distribution: undefined, submission: undefined }),
            ],
          },
        },
      };
    }

    if (spec.works) {
      states.working = {
        ...busy,
        invoke: {
          src: actorName('work', step.type),
          input: ({ context }: Args) => ({ step, context, credential: collects }),
          onDone: { target: next, actions: completeWith(step, index, ({ event }) => (event as unknown as { output: StepResult }).output) },
          onError: { target: 'failed', actions: failure(step.id) },
        },
      };
    }

    states.failed = {
      tags: ['stable', 'failed'],
      on: {
        'step.retry': [
          {
            guard: (args: Args) => retryProblem(step, args) === undefined,
            target: 'entering',
            actions: [
              assign({
                failure: undefined,
                refusal: undefined,
                shares: undefined,
                distribution: undefined,
                submission: undefined,
                prepared: undefined,
                finalTryApproved: ({ event }: Args) => (event as Extract<CeremonyEvent, { type: 'step.retry' }>).allowFinalTry === true,
              }),
              journal(({ event }) => {
                const e = event as Extract<CeremonyEvent, { type: 'step.retry' }>;
                return { step: step.id, event: JOURNAL_EVENTS.stepRetried, who: e.by, data: { allowFinalTry: e.allowFinalTry === true } };
              }),
            ],
          },
          { actions: refuse((args) => retryProblem(step, args)) },
        ],
      },
    };

    return { id: `step-${step.id}`, initial: 'entering', entry: started(step, index), states, on: recoveredHandler(step, index) };
  }

  function retryProblem(step: Step, args: Args): Problem | undefined {
    const early = pausedOrWrongStep(step.id, args);
    if (early) return early;
    const e = args.event as Extract<CeremonyEvent, { type: 'step.retry' }>;
    return checkTwoPeople(args.context, step.id, e.by, `retrying step ${step.id}`);
  }

  /** `resume` adopts a step that the journal records as completed but the snapshot does not. */
  function recoveredHandler(step: Step, index: number): StateConfig {
    return {
      'step.recovered': {
        guard: ({ event, context }: Args) => event.type === 'step.recovered' && event.step === step.id && !context.busy,
        target: nextTarget(index),
        actions: [
          assign(({ context, event }: Args) => {
            const e = event as Extract<CeremonyEvent, { type: 'step.recovered' }>;
            return applyResult(context, step.id, e.result, { performer: e.performer, witnesses: e.witnesses });
          }),
          journal(({ context, event }) => {
            const e = event as Extract<CeremonyEvent, { type: 'step.recovered' }>;
            // The adopted result is recorded whole: a later resume rebuilds the step from it.
            return e.source === 'hsm'
              ? {
                  step: step.id,
                  event: JOURNAL_EVENTS.stepReconciled,
                  who: [e.performer, ...e.witnesses].filter((w): w is string => !!w),
                  data: { from: 'hsm', index, result: context.results[step.id], note: JOURNAL_NOTES.reconciledFromHsm },
                }
              : {
                  step: step.id,
                  event: JOURNAL_EVENTS.stepReconciled,
                  who: [],
                  data: { from: 'journal', seq: e.seq, note: JOURNAL_NOTES.reconciledFromJournal },
                };
          }),
        ],
      },
    };
  }

  function signInStep(step: Step, index: number): StateConfig {
    const problem = (args: Args): Problem | undefined => {
      const early = pausedOrWrongStep(step.id, args);
      if (early) return early;
      const e = args.event as Extract<CeremonyEvent, { type: 'participants.submit' }>;
      return checkSignIn(definition, step.id, e.participants);
    };
    return {
      id: `step-${step.id}`,
      initial: 'awaiting',
      entry: started(step, index),
      states: {
        awaiting: {
          tags: ['stable', 'awaiting'],
          on: {
            'participants.submit': [
              {
                guard: (args: Args) => problem(args) === undefined,
                target: nextTarget(index),
                actions: [
                  assign(({ context, event }: Args) => {
                    const e = event as Extract<CeremonyEvent, { type: 'participants.submit' }>;
                    const participants = e.participants.map(rolesOnce);
                    return {
                      participants,
                      refusal: undefined,
                      stepIndex: context.stepIndex + 1,
                      results: { ...context.results, [step.id]: { performer: undefined, witnesses: [], details: { participants } } },
                    };
                  }),
                  journal(({ context }) => ({
                    step: step.id,
                    event: JOURNAL_EVENTS.participantsSignedIn,
                    who: context.participants.map((p) => p.id),
                    data: { index, participants: context.participants },
                  })),
                ],
              },
              { actions: refuse(problem) },
            ],
          },
        },
      },
      on: recoveredHandler(step, index),
    };
  }

  function signOffStep(step: Step, index: number): StateConfig {
    const problem = (args: Args): Problem | undefined => {
      const early = pausedOrWrongStep(step.id, args);
      if (early) return early;
      const e = args.event as Extract<CeremonyEvent, { type: 'signoff.submit' }>;
      return checkSignOff(args.context, step.id, { participant: e.participant, followedScript: e.followedScript, note: e.note ?? '' });
    };
    return {
      id: `step-${step.id}`,
      initial: 'awaiting',
      entry: started(step, index),
      states: {
        awaiting: {
          tags: ['stable', 'awaiting'],
          always: {
            guard: ({ context }: Args) =>
              context.participants.length > 0 && context.participants.every((p) => context.signOffs.some((s) => s.participant === p.id)),
            target: '#ceremony.completed',
            actions: [
              assign(({ context }: Args) => ({
                status: 'completed' as const,
                stepIndex: context.stepIndex + 1,
                results: { ...context.results, [step.id]: { performer: undefined, witnesses: [], details: { signOffs: context.signOffs } } },
              })),
              journal(({ context }) => ({
                step: step.id,
                event: JOURNAL_EVENTS.stepCompleted,
                who: context.signOffs.map((s) => s.participant),
                data: { type: step.type, index, signOffs: context.signOffs },
              })),
              seal('completed'),
            ],
          },
          on: {
            'signoff.submit': [
              {
                guard: (args: Args) => problem(args) === undefined,
                actions: [
                  assign({
                    signOffs: ({ context, event }: Args) => {
                      const e = event as Extract<CeremonyEvent, { type: 'signoff.submit' }>;
                      return [...context.signOffs, { participant: e.participant, followedScript: e.followedScript, note: (e.note ?? '').trim() }];
                    },
                    refusal: undefined,
                  }),
                  journal(({ event }) => {
                    const e = event as Extract<CeremonyEvent, { type: 'signoff.submit' }>;
                    return {
                      step: step.id,
                      event: JOURNAL_EVENTS.participantSignedOff,
                      who: [e.participant],
                      data: { followedScript: e.followedScript, note: (e.note ?? '').trim() },
                    };
                  }),
                ],
              },
              { actions: refuse(problem) },
            ],
          },
        },
      },
    };
  }

  // After a restart: HSM logins are gone (the quorum logs in again) and shares typed into
  // the old process are gone (they are entered again).
  const restartActions = [
    journal(({ context }) => ({
      step: currentStep(context)?.id ?? null,
      event: JOURNAL_EVENTS.restarted,
      who: [],
      data: { loginsLost: Object.keys(context.sessions), sharesLost: context.shares?.accepted.length ?? 0 },
    })),
    assign(({ context }: Args) => ({
      relogin: { ...context.relogin, ...context.sessions },
      sessions: {},
      shares: context.shares ? { ...context.shares, accepted: [] } : undefined,
      busy: false,
    })),
  ];

  const anytimeProblem = (args: Args): Problem | undefined => {
    const step = currentStep(args.context)?.id ?? null;
    const e = args.event;
    switch (e.type) {
      case 'exception':
        if (!participant(args.context, e.by))
          return {
            step,
            code: 'people.unknown',
            message: `exception: "${e.by}" has not signed in`,
            hint: 'participants sign in before anything is recorded in their name',
          };
        if (e.text.trim() === '') return { step, code: 'exception.empty', message: 'exception: the deviation must be written down', hint: undefined };
        return checkTyped(step, `exception by ${e.by}${step ? ` at step ${step}` : ''}: the text`, e.text);
      case 'pause':
        if (args.context.busy)
          return { step, code: 'ceremony.busy', message: 'the HSM is working; pause when the current operation has finished', hint: undefined };
        if (args.context.paused) return { step, code: 'ceremony.paused', message: 'the ceremony is already paused', hint: undefined };
        if (!participant(args.context, e.by)) return { step, code: 'people.unknown', message: `pause: "${e.by}" has not signed in`, hint: undefined };
        return checkTyped(step, `pause by ${e.by}${step ? ` at step ${step}` : ''}: the reason`, e.reason);
      case 'continue':
        if (!args.context.paused) return { step, code: 'ceremony.not-paused', message: 'the ceremony is not paused', hint: undefined };
        return checkTwoPeople(args.context, step, e.by, 'continuing the ceremony');
      case 'participants.join':
        return checkJoin(definition, args.context, step, e.participant, e.confirmedBy);
      case 'abort':
        if (args.context.busy)
          return {
            step,
            code: 'ceremony.busy',
            message: 'the HSM is working; abort when the current operation has finished',
            hint: 'an operation inside the HSM cannot be cut short safely',
          };
        if (e.reason.trim() === '') return { step, code: 'abort.reason', message: 'abort: a reason must be recorded', hint: undefined };
        return (
          checkTyped(step, `abort${step ? ` at step ${step}` : ''}: the reason`, e.reason) ?? checkTwoPeople(args.context, step, e.by, 'aborting the ceremony')
        );
      default:
        return undefined;
    }
  };

  const states: StateConfig = {};
  steps.forEach((step, index) => {
    const flow = specOf(step).flow;
    states[step.id] = flow === 'participants' ? signInStep(step, index) : flow === 'sign-offs' ? signOffStep(step, index) : genericStep(step, index);
  });
  states.completed = { type: 'final', tags: ['stable', 'completed'] };
  states.aborted = { type: 'final', tags: ['stable', 'aborted'] };

  const builder = setup({
    // xstate reads the machine's types from this assertion, though the rule sees none needed.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    types: {} as { context: CeremonyContext; events: CeremonyEvent; input: CeremonyInput },
    actors: Object.fromEntries(ACTOR_NAMES.map((name) => [name, notProvided(name)])) as Record<ActorName, AnyActorLogic>,
    actions: {
      // Provided at the composition root: append to the journal and fsync.
      journal: (_: unknown, _intent: JournalIntent) => undefined,
    },
  });

  const config = {
    id: 'ceremony',
    context: ({ input }: { input: CeremonyInput }) => initialContext(definition, input),
    initial: steps[0]!.id,
    states,
    on: {
      exception: [
        {
          guard: (args: Args) => anytimeProblem(args) === undefined,
          actions: [
            assign({
              exceptions: ({ context, event }: Args) => {
                const e = event as Extract<CeremonyEvent, { type: 'exception' }>;
                return [...context.exceptions, { by: e.by, text: e.text.trim(), step: currentStep(context)?.id ?? null }];
              },
              refusal: undefined,
            }),
            journal(({ context, event }) => {
              const e = event as Extract<CeremonyEvent, { type: 'exception' }>;
              return {
                step: currentStep(context)?.id ?? null,
                event: JOURNAL_EVENTS.exceptionRecorded,
                who: [e.by],
                data: { text: e.text.trim(), number: context.exceptions.length },
              };
            }),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      pause: [
        {
          guard: (args: Args) => anytimeProblem(args) === undefined,
          actions: [
            assign({
              paused: ({ event }: Args) => ({
                by: (event as Extract<CeremonyEvent, { type: 'pause' }>).by,
                reason: (event as Extract<CeremonyEvent, { type: 'pause' }>).reason,
              }),
              refusal: undefined,
            }),
            journal(({ context }) => ({
              step: currentStep(context)?.id ?? null,
              event: JOURNAL_EVENTS.paused,
              who: [context.paused!.by],
              data: { reason: context.paused!.reason },
            })),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      continue: [
        {
          guard: (args: Args) => anytimeProblem(args) === undefined,
          actions: [
            journal(({ context, event }) => ({
              step: currentStep(context)?.id ?? null,
              event: JOURNAL_EVENTS.continued,
              who: (event as Extract<CeremonyEvent, { type: 'continue' }>).by,
              data: { pausedFor: context.paused?.reason },
            })),
            assign({ paused: undefined, refusal: undefined }),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      // Someone who was not at the sign-in joins: two people already signed in confirm who
      // they are, and the roles and conflicts are checked as at the sign-in.
      'participants.join': [
        {
          guard: (args: Args) => anytimeProblem(args) === undefined,
          actions: [
            assign({
              participants: ({ context, event }: Args) => [
                ...context.participants,
                rolesOnce((event as Extract<CeremonyEvent, { type: 'participants.join' }>).participant),
              ],
              refusal: undefined,
            }),
            journal(({ context, event }) => {
              const e = event as Extract<CeremonyEvent, { type: 'participants.join' }>;
              return {
                step: currentStep(context)?.id ?? null,
                event: JOURNAL_EVENTS.participantsJoined,
                who: [e.participant.id, ...e.confirmedBy],
                data: { participant: rolesOnce(e.participant), confirmedBy: e.confirmedBy },
              };
            }),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      abort: [
        {
          guard: (args: Args) => anytimeProblem(args) === undefined,
          target: '.aborted',
          actions: [
            assign({ status: 'aborted' as const, refusal: undefined }),
            journal(({ context, event }) => {
              const e = event as Extract<CeremonyEvent, { type: 'abort' }>;
              return {
                step: currentStep(context)?.id ?? null,
                event: JOURNAL_EVENTS.aborted,
                who: e.by,
                data: { reason: e.reason.trim(), created: createdSoFar(context) },
              };
            }),
            seal('aborted'),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      'process.restarted': { actions: restartActions },
      // Whatever the current state does not take is refused in words, and journaled.
      ...Object.fromEntries(
        (['participants.submit', 'step.submit', 'share.accepted', 'share.confirmed', 'signoff.submit', 'step.retry'] as const).map((type) => [
          type,
          {
            actions: refuse(({ context, event }) => {
              const step = currentStep(context)?.id ?? null;
              return {
                step,
                code: 'event.not-now',
                message: `${event.type} is not expected now: the ceremony is ${context.busy ? 'busy with the HSM' : 'waiting for something else'} at step ${step ?? '(none)'}`,
                hint: undefined,
              };
            }),
          },
        ]),
      ),
    },
  };
  return builder.createMachine(config as unknown as Parameters<typeof builder.createMachine>[0]);
}

export type CeremonyMachine = ReturnType<typeof compileCeremony>;

function whoOf(event: CeremonyEvent): string[] {
  switch (event.type) {
    case 'step.submit':
      return [event.performer, ...event.witnesses].filter((w): w is string => !!w);
    case JOURNAL_EVENTS.shareAccepted:
    case JOURNAL_EVENTS.shareRefused:
    case 'share.confirmed':
      return [event.custodian];
    case 'signoff.submit':
      return [event.participant];
    case 'exception':
    case 'pause':
      return [event.by];
    case 'continue':
    case 'abort':
    case 'step.retry':
      return event.by;
    case 'participants.join':
      return event.confirmedBy;
    default:
      return [];
  }
}
