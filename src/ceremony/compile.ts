// Definition -> xstate machine. Each step becomes a small state machine of the same shape:
//
//   entering -> [reauthenticating -> relogging] -> [preparing] -> awaiting
//            -> [splitting -> distributing] -> [working] -> next step
//                                     any failure -> failed -> (retry by two people) -> entering
//
// The machine is pure: it imports only xstate and types. It decides, checks (multiple
// person control) and asks for journal records (the `journal` action); every effect — the
// HSM, files, clock, randomness — is an actor provided at the composition root.
//
// The config is typed through xstate's setup() (issue 15 item 3): each handler is checked
// against the event its `on` key names (a handler reads `event.custodian` only under
// 'share.accepted'), each actor's output is typed by its name, and the journal action's
// params are a JournalIntent. Helpers that serve several handlers are generic in the event.
import {
  assign,
  fromPromise,
  setup,
  type Assigner,
  type DoneActorEvent,
  type ErrorActorEvent,
  type EventObject,
  type PromiseActorLogic,
  type PropertyAssigner,
} from 'xstate';
import type { Definition, Step } from '../definition/definition.js';
import { applyResult, createdSoFar } from './apply.js';
import {
  checkJoin,
  checkPeople,
  checkShareOffer,
  checkSignOff,
  checkSignIn,
  checkTwoPeople,
  checkAbortPeople,
  checkTyped,
  checkTypedValues,
  participant,
  rolesOnce,
} from './people-rules.js';
import { actorName, type ActorName } from '../steps/actors.js';
import { STEP_TYPES, specOf } from '../steps/index.js';
import type { ActorOutputs, Prepared, StepActorInput } from '../steps/run-types.js';
import type { CeremonyContext, CeremonyEvent, FileRecord, JournalIntent, Problem, ShareSetRecord, StepResult, Submission } from './types.js';
import { JOURNAL_NOTES } from '../util/journal-notes.js';
import { JOURNAL_EVENTS } from '../journal/events.js';

export interface CeremonyInput {
  inputs: Record<string, FileRecord>;
  /** Share sets known before the ceremony starts (from share-manifest inputs). */
  shareSets: Record<string, ShareSetRecord>;
}

export type { ActorOutputs, Prepared, StepActorInput } from '../steps/run-types.js';

/** The actors the machine invokes, by name; the composition root provides them (createActors). */
export type CeremonyActors = { [N in ActorName]: PromiseActorLogic<ActorOutputs[N], StepActorInput> };

/** Placeholders: the real actors are provided with `machine.provide({ actors: createActors(deps) })`. */
function notProvided<O>(name: ActorName): PromiseActorLogic<O, StepActorInput> {
  return fromPromise<O, StepActorInput>(async () => {
    throw new Error(`actor ${name} was not provided`);
  });
}

function placeholders(): CeremonyActors {
  const prepare = Object.fromEntries(STEP_TYPES.map((type) => [actorName('prepare', type), notProvided<Prepared>(actorName('prepare', type))]));
  const work = Object.fromEntries(STEP_TYPES.map((type) => [actorName('work', type), notProvided<StepResult>(actorName('work', type))]));
  // Object.fromEntries forgets the keys; STEP_TYPES names every step type, so each is here.
  const perStepType = { ...prepare, ...work } as Omit<CeremonyActors, 'relogin' | 'prepareShareSets'>;
  return { relogin: notProvided('relogin'), prepareShareSets: notProvided('prepareShareSets'), ...perStepType };
}

const machineSetup = setup({
  // xstate reads the machine's types from this assertion, though the rule sees none needed.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  types: {} as { context: CeremonyContext; events: CeremonyEvent; input: CeremonyInput },
  actors: placeholders(),
  actions: {
    // Provided at the composition root: append to the journal and fsync.
    journal: (_: unknown, _intent: JournalIntent) => undefined,
  },
});

/** A state of the machine, checked by tsc: its `on` keys are event types, its actors and actions exist. */
type StateConfig = Parameters<typeof machineSetup.createStateConfig>[0];
type Transitions = NonNullable<StateConfig['on']>;

/** The states inside a step (the diagram above); a target within a step is one of these. */
type Phase = 'entering' | 'reauthenticating' | 'relogging' | 'preparing' | 'awaiting' | 'splitting' | 'distributing' | 'working' | 'failed';
/** A target outside the current step: the next step's state, or the end. */
type StepTarget = `#step-${string}` | '#ceremony.completed';

/** The machine's event of one type. */
type On<K extends CeremonyEvent['type']> = Extract<CeremonyEvent, { type: K }>;
/** What guards, assigners and journal params receive, under events of type E. */
interface Args<E extends EventObject = CeremonyEvent> {
  context: CeremonyContext;
  event: E;
}

/** A journal record, made from the context and the event (of type E) at the moment it is written. */
const journal = <E extends EventObject = EventObject>(make: (args: Args<E>) => JournalIntent) => ({ type: 'journal' as const, params: make });

/**
 * `assign` for a helper used under events of type E: the caller names E, since the helper is
 * not written inside the config that would tell xstate which event it runs under.
 */
const assignOn = <E extends EventObject>(
  assignment: Assigner<CeremonyContext, E, undefined, CeremonyEvent, never> | PropertyAssigner<CeremonyContext, E, undefined, CeremonyEvent, never>,
) => assign<CeremonyContext, E, undefined, CeremonyEvent, never>(assignment);

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

/** The last record of every journal: how the ceremony ended, and how many exceptions it noted. */
export const sealIntent = (status: 'completed' | 'aborted', context: CeremonyContext): JournalIntent => ({
  step: null,
  event: JOURNAL_EVENTS.sealed,
  who: [],
  data: { status, exceptions: context.exceptions.length },
});
const seal = (status: 'completed' | 'aborted') => journal(({ context }) => sealIntent(status, context));

/** A field of a thrown value, if it is an object that has one (an actor may reject with anything). */
function fieldOf(error: unknown, name: string): unknown {
  return (typeof error === 'object' && error !== null) || typeof error === 'function' ? Reflect.get(error, name) : undefined;
}

function toProblem(step: string | null, error: unknown): Problem {
  const code = fieldOf(error, 'code');
  const message = fieldOf(error, 'message');
  const hint = fieldOf(error, 'hint');
  const details = problemDetails(fieldOf(error, 'details'));
  return {
    step,
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : String(error),
    hint: typeof hint === 'string' ? hint : undefined,
    ...(details ? { details } : {}),
  };
}

/** An error's details when they are what a journal record may hold: names and numbers only. */
function problemDetails(value: unknown): Problem['details'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter((entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number');
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The details of a problem for its journal record, when it has any. */
const detailsOf = (p: Problem | undefined) => (p?.details ? { details: p.details } : {});

/** The submission a `step.submit` carries; any other event (a done actor's) carries none. */
const submission = (event: CeremonyEvent | DoneActorEvent<StepResult>): Submission =>
  event.type === 'step.submit'
    ? { performer: event.performer, witnesses: event.witnesses, values: event.values ?? {}, ...(event.custodians ? { custodians: event.custodians } : {}) }
    : { performer: undefined, witnesses: [], values: {} };

export function compileCeremony(definition: Definition) {
  const steps = definition.steps;
  const currentStep = (context: CeremonyContext): Step | undefined => steps[context.stepIndex];
  // An exception is recorded at the step the people were looking at: the read-aloud of a step
  // just done is on screen while the machine already stands at the next one. Only a step
  // already reached may be named; anything else is refused (anytimeProblem).
  const reachedStep = (context: CeremonyContext, id: string): boolean => {
    const index = steps.findIndex((s) => s.id === id);
    return index >= 0 && index <= context.stepIndex;
  };
  const exceptionStep = (context: CeremonyContext, about: string | undefined): string | null =>
    about !== undefined && reachedStep(context, about) ? about : (currentStep(context)?.id ?? null);
  const nextTarget = (index: number): StepTarget => (index + 1 < steps.length ? `#step-${steps[index + 1]!.id}` : '#ceremony.completed');

  // Refusals: remembered in context for the screen or driver, and journaled.
  const refuse = <E extends CeremonyEvent>(problem: (args: Args<E>) => Problem | undefined) => [
    assignOn<E>({ refusal: (args) => problem(args) }),
    journal<E>((args) => {
      const p = problem(args);
      return {
        step: p?.step ?? null,
        event: JOURNAL_EVENTS.eventRefused,
        who: whoOf(args.event),
        data: { event: args.event.type, code: p?.code, message: p?.message, ...detailsOf(p) },
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
  const busy = { entry: machineSetup.assign({ busy: true }), exit: machineSetup.assign({ busy: false }) };
  const failure = (stepId: string) => [
    assignOn<ErrorActorEvent>({ failure: ({ event }) => toProblem(stepId, event.error) }),
    journal<ErrorActorEvent>(({ context, event }) => {
      const p = toProblem(stepId, event.error);
      const who = [context.submission?.performer, ...(context.submission?.witnesses ?? [])].filter((w): w is string => !!w);
      return { step: stepId, event: JOURNAL_EVENTS.stepFailed, who, data: { code: p.code, message: p.message, hint: p.hint, ...detailsOf(p) } };
    }),
  ];

  const completeWith = <E extends CeremonyEvent | DoneActorEvent<StepResult>>(step: Step, index: number, result: (args: Args<E>) => StepResult) => [
    assignOn<E>(({ context, event }) => {
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

  function shareHandlers(step: Step): Transitions {
    return {
      'share.accepted': [
        {
          guard: (args) => shareProblem(step, args) === undefined,
          actions: [
            assign({
              shares: ({ context, event }) => ({
                ...context.shares!,
                accepted: [...context.shares!.accepted, { custodian: event.custodian, index: event.index }],
              }),
            }),
            journal<On<'share.accepted'>>(({ event, context }) => ({
              step: step.id,
              event: JOURNAL_EVENTS.shareAccepted,
              who: [event.custodian],
              data: { credential: context.shares!.credential, setId: event.setId, index: event.index, accepted: context.shares!.accepted.length },
            })),
          ],
        },
        { actions: refuse<On<'share.accepted'>>((args) => shareProblem(step, args)) },
      ],
      'share.refused': {
        actions: journal<On<'share.refused'>>(({ event }) => ({
          step: step.id,
          event: JOURNAL_EVENTS.shareRefused,
          who: [event.custodian],
          // The refusal's code lets a screen or report in another language name it; the message stays the record's own words.
          data: { message: event.message, ...(event.code ? { code: event.code } : {}), ...(event.details ? { details: event.details } : {}) },
        })),
      },
    };
  }

  function shareProblem(step: Step, args: Args<On<'share.accepted'>>): Problem | undefined {
    const early = pausedOrWrongStep(step.id, args);
    if (early) return early;
    const e = args.event;
    const shares = args.context.shares;
    if (!shares) return { step: step.id, code: 'share.not-now', message: `step ${step.id} is not collecting shares now`, hint: undefined };
    if (e.setId !== shares.setId)
      return {
        step: step.id,
        code: 'share.foreign',
        message: `step ${step.id}: the share of ${e.custodian} is from share set ${e.setId}, not ${shares.setId}`,
        hint: undefined,
        details: { setId: e.setId, expectedSet: shares.setId },
      };
    return checkShareOffer(definition, args.context, step.id, shares.credential, e.custodian, e.index);
  }

  const startCollecting = (step: Step, credential: (context: CeremonyContext) => string) =>
    machineSetup.assign({
      shares: ({ context }) => {
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
    const afterApproval: Phase | StepTarget = distributes ? 'splitting' : spec.works ? 'working' : next;

    const submitProblem = (args: Args<On<'step.submit'>>): Problem | undefined => {
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
            details: { have, need },
          };
      }
      return spec.checkSubmission?.(step, s, args.context, definition);
    };

    const states: { [P in Phase]?: StateConfig } = {};
    states.entering = {
      always: [
        ...(login ? [{ guard: ({ context }: Args) => context.relogin[login.token] !== undefined, target: 'reauthenticating' satisfies Phase }] : []),
        { target: prepares ? ('preparing' satisfies Phase) : ('awaiting' satisfies Phase) },
      ],
    };

    if (login) {
      const unlockStep = (context: CeremonyContext) => steps.find((s) => s.id === context.relogin[login.token]?.step) ?? step;
      const reloginProblem = (args: Args<On<'step.submit'>>): Problem | undefined => {
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
            details: { have, need: thresholdOf(credential) },
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
              guard: (args) => reloginProblem(args) === undefined,
              target: 'relogging' satisfies Phase,
              actions: assign({ submission: ({ event }) => submission(event), refusal: undefined }),
            },
            { actions: refuse(reloginProblem) },
          ],
        },
      };
      states.relogging = {
        ...busy,
        invoke: {
          src: 'relogin',
          input: ({ context }) => ({ step, context, credential: context.relogin[login.token]!.credential }),
          onDone: {
            target: 'entering' satisfies Phase,
            actions: [
              assign(({ context, event }) => {
                const session = event.output.session!;
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
          onError: { target: 'failed' satisfies Phase, actions: failure(step.id) },
        },
      };
    }

    if (prepares) {
      states.preparing = {
        ...busy,
        invoke: {
          src: actorName('prepare', step.type),
          input: ({ context }) => ({ step, context }),
          onDone: {
            target: 'awaiting' satisfies Phase,
            actions: [
              // src is one of the prepare actors (whichever this step's type names): each gives Prepared.
              assignOn<DoneActorEvent<Prepared>>({ prepared: ({ event }) => event.output }),
              journal<EventObject>(({ context }) => ({ step: step.id, event: JOURNAL_EVENTS.stepPrepared, who: [], data: context.prepared ?? {} })),
            ],
          },
          onError: { target: 'failed' satisfies Phase, actions: failure(step.id) },
        },
      };
    }

    states.awaiting = {
      tags: ['stable', 'awaiting'],
      ...(collects ? { entry: startCollecting(step, () => collects) } : {}),
      // A restart while waiting here loses the login: the quorum logs in again first.
      ...(login ? { always: { guard: ({ context }: Args) => context.relogin[login.token] !== undefined, target: 'reauthenticating' satisfies Phase } } : {}),
      on: {
        ...(collects ? shareHandlers(step) : {}),
        'step.submit': [
          {
            guard: (args) => submitProblem(args) === undefined,
            target: afterApproval,
            actions: [
              assign({ submission: ({ event }) => submission(event), refusal: undefined }),
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
              ...(distributes || spec.works
                ? []
                : completeWith<On<'step.submit'>>(step, index, ({ context }) => spec.result?.(step, context.submission!, context) ?? {})),
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
          input: ({ context }) => ({ step, context, credentials }),
          onDone: {
            target: 'distributing' satisfies Phase,
            actions: [
              assign({ distribution: ({ event }) => event.output }),
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
          onError: { target: 'failed' satisfies Phase, actions: failure(step.id) },
        },
      };
      const confirmProblem = (args: Args<On<'share.confirmed'>>): Problem | undefined => {
        const early = pausedOrWrongStep(step.id, args);
        if (early) return early;
        const e = args.event;
        const set = args.context.distribution?.sets.find((s) => s.credential === e.credential);
        if (!set) return { step: step.id, code: 'share.unknown-set', message: `step ${step.id} does not hand out shares of ${e.credential}`, hint: undefined };
        if (!set.custodians.includes(e.custodian))
          return {
            step: step.id,
            code: 'share.not-custodian',
            message: `step ${step.id}: ${e.custodian} is not a custodian of ${e.credential}`,
            hint: undefined,
            details: { person: e.custodian },
          };
        if (set.confirmed.includes(e.custodian))
          return {
            step: step.id,
            code: 'share.already-confirmed',
            message: `step ${step.id}: ${e.custodian} has already confirmed the share of ${e.credential}`,
            hint: undefined,
            details: { person: e.custodian },
          };
        return undefined;
      };
      states.distributing = {
        tags: ['stable', 'distributing'],
        always: {
          guard: ({ context }) => context.distribution!.sets.every((s) => s.confirmed.length === s.custodians.length),
          target: 'working' satisfies Phase,
        },
        on: {
          'share.confirmed': [
            {
              guard: (args) => confirmProblem(args) === undefined,
              actions: [
                assign({
                  distribution: ({ context, event }) => ({
                    ...context.distribution!,
                    sets: context.distribution!.sets.map((s) =>
                      s.credential === event.credential ? { ...s, confirmed: [...s.confirmed, event.custodian] } : s,
                    ),
                  }),
                }),
                journal<On<'share.confirmed'>>(({ event }) => ({
                  step: step.id,
                  event: JOURNAL_EVENTS.shareHandedOver,
                  who: [event.custodian],
                  data: { credential: event.credential },
                })),
              ],
            },
            { actions: refuse(confirmProblem) },
          ],
          // The shares lived only in the memory of the process that stopped: this set is void.
          'process.restarted': {
            target: 'awaiting' satisfies Phase,
            actions: [
              journal(({ context }) => ({
                step: step.id,
                event: JOURNAL_EVENTS.sharesDiscarded,
                who: [],
                data: { sets: context.distribution!.sets.map((s) => s.setId), reason: JOURNAL_NOTES.sharesDiscarded },
              })),
              ...restartActions,
              machineSetup.assign({ distribution: undefined, submission: undefined }),
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
          input: ({ context }) => ({ step, context, credential: collects }),
          onDone: { target: next, actions: completeWith<DoneActorEvent<StepResult>>(step, index, ({ event }) => event.output) },
          onError: { target: 'failed' satisfies Phase, actions: failure(step.id) },
        },
      };
    }

    states.failed = {
      tags: ['stable', 'failed'],
      on: {
        'step.retry': [
          {
            guard: (args) => retryProblem(step, args) === undefined,
            target: 'entering' satisfies Phase,
            actions: [
              assign({
                failure: undefined,
                refusal: undefined,
                shares: undefined,
                distribution: undefined,
                submission: undefined,
                prepared: undefined,
                finalTryApproved: ({ event }) => event.allowFinalTry === true,
              }),
              journal<On<'step.retry'>>(({ event }) => ({
                step: step.id,
                event: JOURNAL_EVENTS.stepRetried,
                who: event.by,
                data: { allowFinalTry: event.allowFinalTry === true },
              })),
            ],
          },
          { actions: refuse<On<'step.retry'>>((args) => retryProblem(step, args)) },
        ],
      },
    };

    return { id: `step-${step.id}`, initial: 'entering' satisfies Phase, entry: started(step, index), states, on: recoveredHandler(step, index) };
  }

  function retryProblem(step: Step, args: Args<On<'step.retry'>>): Problem | undefined {
    const early = pausedOrWrongStep(step.id, args);
    if (early) return early;
    return checkTwoPeople(args.context, step.id, args.event.by, `retrying step ${step.id}`);
  }

  /** `resume` adopts a step that the journal records as completed but the snapshot does not. */
  function recoveredHandler(step: Step, index: number): Transitions {
    return {
      'step.recovered': {
        guard: ({ event, context }) => event.step === step.id && !context.busy,
        target: nextTarget(index),
        actions: [
          assign(({ context, event }) => applyResult(context, step.id, event.result, { performer: event.performer, witnesses: event.witnesses })),
          journal<On<'step.recovered'>>(({ context, event }) =>
            // The adopted result is recorded whole: a later resume rebuilds the step from it.
            event.source === 'hsm'
              ? {
                  step: step.id,
                  event: JOURNAL_EVENTS.stepReconciled,
                  who: [event.performer, ...event.witnesses].filter((w): w is string => !!w),
                  data: { from: 'hsm', index, result: context.results[step.id], note: JOURNAL_NOTES.reconciledFromHsm },
                }
              : {
                  step: step.id,
                  event: JOURNAL_EVENTS.stepReconciled,
                  who: [],
                  data: { from: 'journal', seq: event.seq, note: JOURNAL_NOTES.reconciledFromJournal },
                },
          ),
        ],
      },
    };
  }

  function signInStep(step: Step, index: number): StateConfig {
    const problem = (args: Args<On<'participants.submit'>>): Problem | undefined => {
      const early = pausedOrWrongStep(step.id, args);
      if (early) return early;
      return checkSignIn(definition, step.id, args.event.participants);
    };
    return {
      id: `step-${step.id}`,
      initial: 'awaiting' satisfies Phase,
      entry: started(step, index),
      states: {
        awaiting: {
          tags: ['stable', 'awaiting'],
          on: {
            'participants.submit': [
              {
                guard: (args) => problem(args) === undefined,
                target: nextTarget(index),
                actions: [
                  assign(({ context, event }) => {
                    const participants = event.participants.map(rolesOnce);
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
    const problem = (args: Args<On<'signoff.submit'>>): Problem | undefined => {
      const early = pausedOrWrongStep(step.id, args);
      if (early) return early;
      const e = args.event;
      return checkSignOff(args.context, step.id, { participant: e.participant, followedScript: e.followedScript, note: e.note ?? '' });
    };
    return {
      id: `step-${step.id}`,
      initial: 'awaiting' satisfies Phase,
      entry: started(step, index),
      states: {
        awaiting: {
          tags: ['stable', 'awaiting'],
          always: {
            guard: ({ context }) => context.participants.length > 0 && context.participants.every((p) => context.signOffs.some((s) => s.participant === p.id)),
            target: '#ceremony.completed' satisfies StepTarget,
            actions: [
              assign(({ context }) => ({
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
                guard: (args) => problem(args) === undefined,
                actions: [
                  assign({
                    signOffs: ({ context, event }) => [
                      ...context.signOffs,
                      { participant: event.participant, followedScript: event.followedScript, note: (event.note ?? '').trim() },
                    ],
                    refusal: undefined,
                  }),
                  journal<On<'signoff.submit'>>(({ event }) => ({
                    step: step.id,
                    event: JOURNAL_EVENTS.participantSignedOff,
                    who: [event.participant],
                    data: { followedScript: event.followedScript, note: (event.note ?? '').trim() },
                  })),
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
    machineSetup.assign(({ context }) => ({
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
            details: { person: e.by },
          };
        if (e.about !== undefined && !reachedStep(args.context, e.about))
          return {
            step,
            code: 'exception.step',
            message: `exception: step "${e.about}" has not been reached; an exception is recorded at the current step or one already done`,
            hint: undefined,
          };
        if (e.text.trim() === '') return { step, code: 'exception.empty', message: 'exception: the deviation must be written down', hint: undefined };
        return checkTyped(step, `exception by ${e.by}${step ? ` at step ${step}` : ''}: the text`, e.text);
      case 'pause':
        if (args.context.busy)
          return { step, code: 'ceremony.busy', message: 'the HSM is working; pause when the current operation has finished', hint: undefined };
        if (args.context.paused) return { step, code: 'ceremony.paused', message: 'the ceremony is already paused', hint: undefined };
        if (!participant(args.context, e.by))
          return { step, code: 'people.unknown', message: `pause: "${e.by}" has not signed in`, hint: undefined, details: { person: e.by } };
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
        return checkTyped(step, `abort${step ? ` at step ${step}` : ''}: the reason`, e.reason) ?? checkAbortPeople(args.context, step, e.by);
      default:
        return undefined;
    }
  };

  // Whatever the current state does not take is refused in words, and journaled.
  const notNow = {
    actions: refuse(({ context, event }) => {
      const step = currentStep(context)?.id ?? null;
      return {
        step,
        code: 'event.not-now',
        message: `${event.type} is not expected now: the ceremony is ${context.busy ? 'busy with the HSM' : 'waiting for something else'} at step ${step ?? '(none)'}`,
        hint: undefined,
      };
    }),
  };

  const states: Record<string, StateConfig> = {};
  steps.forEach((step, index) => {
    const flow = specOf(step).flow;
    states[step.id] = flow === 'participants' ? signInStep(step, index) : flow === 'sign-offs' ? signOffStep(step, index) : genericStep(step, index);
  });
  states.completed = { type: 'final', tags: ['stable', 'completed'] };
  states.aborted = { type: 'final', tags: ['stable', 'aborted'] };

  return machineSetup.createMachine({
    id: 'ceremony',
    context: ({ input }) => initialContext(definition, input),
    initial: steps[0]!.id,
    states,
    on: {
      exception: [
        {
          guard: (args) => anytimeProblem(args) === undefined,
          actions: [
            assign({
              exceptions: ({ context, event }) => [
                ...context.exceptions,
                { by: event.by, text: event.text.trim(), step: exceptionStep(context, event.about), stepsDone: context.stepIndex },
              ],
              refusal: undefined,
            }),
            journal<On<'exception'>>(({ context, event }) => ({
              step: exceptionStep(context, event.about),
              event: JOURNAL_EVENTS.exceptionRecorded,
              who: [event.by],
              data: { text: event.text.trim(), number: context.exceptions.length },
            })),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      pause: [
        {
          guard: (args) => anytimeProblem(args) === undefined,
          actions: [
            assign({ paused: ({ event }) => ({ by: event.by, reason: event.reason }), refusal: undefined }),
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
          guard: (args) => anytimeProblem(args) === undefined,
          actions: [
            journal<On<'continue'>>(({ context, event }) => ({
              step: currentStep(context)?.id ?? null,
              event: JOURNAL_EVENTS.continued,
              who: event.by,
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
          guard: (args) => anytimeProblem(args) === undefined,
          actions: [
            assign({ participants: ({ context, event }) => [...context.participants, rolesOnce(event.participant)], refusal: undefined }),
            journal<On<'participants.join'>>(({ context, event }) => ({
              step: currentStep(context)?.id ?? null,
              event: JOURNAL_EVENTS.participantsJoined,
              who: [event.participant.id, ...event.confirmedBy],
              data: { participant: rolesOnce(event.participant), confirmedBy: event.confirmedBy },
            })),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      abort: [
        {
          guard: (args) => anytimeProblem(args) === undefined,
          target: '.aborted',
          actions: [
            assign({ status: 'aborted' as const, refusal: undefined }),
            journal<On<'abort'>>(({ context, event }) => ({
              step: currentStep(context)?.id ?? null,
              event: JOURNAL_EVENTS.aborted,
              who: event.by,
              data: { reason: event.reason.trim(), created: createdSoFar(context) },
            })),
            seal('aborted'),
          ],
        },
        { actions: refuse(anytimeProblem) },
      ],
      'process.restarted': { actions: restartActions },
      'participants.submit': notNow,
      'step.submit': notNow,
      'share.accepted': notNow,
      'share.confirmed': notNow,
      'signoff.submit': notNow,
      'step.retry': notNow,
    },
  });
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
