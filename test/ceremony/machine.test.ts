// The compiled machine on its own: pure transitions and guards, with the effects replaced
// by fakes through machine.provide (the HSM runs for real in the e2e tests).
import t from 'tap';
import { createActor, fromPromise, initialTransition, transition } from 'xstate';
import { loadDefinition } from '../../src/definition/loader.js';
import { compileCeremony } from '../../src/ceremony/compile.js';
import type { CeremonyEvent, Distribution, JournalIntent, Participant, StepResult } from '../../src/ceremony/types.js';
import type { StepActorInput } from '../../src/steps/run-types.js';
import { compareSavedContext, rebuildFromJournal } from '../../src/ceremony/rebuild.js';
import { adoptionNotes } from '../../src/ceremony/reconcile.js';
import type { JournalRecord } from '../../src/journal/record.js';
import { InputError } from '../../src/errors.js';
import { caught } from '../helpers/errors.js';

const definition = loadDefinition(new URL('../fixtures/engine/all-steps.yaml', import.meta.url).pathname);
const PEOPLE: Participant[] = [
  { id: 'alice', name: 'Alice', roles: ['administrator'] },
  { id: 'wendy', name: 'Wendy', roles: ['witness'] },
  { id: 'walter', name: 'Walter', roles: ['witness'] },
  { id: 'carol', name: 'Carol', roles: ['custodian'] },
  { id: 'dave', name: 'Dave', roles: ['custodian'] },
  { id: 'erin', name: 'Erin', roles: ['custodian'] },
];
const input = { inputs: {}, shareSets: {} };

function fakeActors() {
  const done = <O>(make: (input: StepActorInput) => O) => fromPromise<O, StepActorInput>(async ({ input }) => make(input));
  return {
    prepareShareSets: done(({ step }): Distribution => ({
      step: step.id,
      sets: (step.id === 'init' ? ['test-so-pin', 'test-user-pin'] : ['test-user-pin']).map((credential) => ({
        credential,
        setId: `SET${credential.length}`,
        custodians: ['carol', 'dave', 'erin'],
        confirmed: [],
      })),
    })),
    'work:init-token': done((): StepResult => ({
      shareSets: [
        { credential: 'test-so-pin', setId: 'SO000001', threshold: 2, count: 3, custodians: ['carol', 'dave', 'erin'], file: 'outputs/x' },
        { credential: 'test-user-pin', setId: 'US000001', threshold: 2, count: 3, custodians: ['carol', 'dave', 'erin'], file: 'outputs/y' },
      ],
    })),
    'work:unlock': done(({ step }): StepResult => ({
      session: {
        token: 'test',
        userType: step.id === 'unlock-so' ? 'so' : 'user',
        credential: step.id === 'unlock-so' ? 'test-so-pin' : 'test-user-pin',
        setId: 'X',
        step: step.id,
      },
    })),
    relogin: done(({ step }): StepResult => ({
      session: {
        token: 'test',
        userType: step.id === 'unlock-so' ? 'so' : 'user',
        credential: step.id === 'unlock-so' ? 'test-so-pin' : 'test-user-pin',
        setId: 'X',
        step: step.id,
      },
    })),
    'work:split-credential': done((): StepResult => ({
      shareSets: [{ credential: 'test-user-pin', setId: 'US000002', threshold: 2, count: 3, custodians: ['carol', 'dave', 'erin'], file: 'outputs/z' }],
    })),
    'work:lock': done((): StepResult => ({ lockedTokens: ['test'] })),
    'work:generate-key': done((): StepResult => ({
      keys: [
        {
          label: 'TEST-CA',
          token: 'test',
          id: '01',
          algorithm: { type: 'EC', curve: 'P-384' },
          spkiSha256: 'ab'.repeat(32),
          words: 'w',
          uri: 'pkcs11:',
          step: 'keygen',
        },
      ],
    })),
  };
}

function start() {
  const journal: JournalIntent[] = [];
  const machine = compileCeremony(definition).provide({
    actors: fakeActors(),
    actions: { journal: (_: unknown, intent: JournalIntent) => void journal.push(intent) },
  });
  const actor = createActor(machine, { input });
  actor.start();
  return { actor, journal };
}

const signIn: CeremonyEvent = { type: 'participants.submit', step: 'sign-in', participants: PEOPLE };
const submit = (step: string, performer: string | undefined, witnesses: string[], values: Record<string, string> = {}): CeremonyEvent => ({
  type: 'step.submit',
  step,
  ...(performer ? { performer } : {}),
  witnesses,
  values,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

type Actor = ReturnType<typeof start>['actor'];
const INVENTORY = { 'hsm-serial': 'SN-1', 'bag-number': 'TB123456' };
const confirmAll = (actor: Actor, step: string, credentials: string[]) => {
  for (const credential of credentials) for (const custodian of ['carol', 'dave', 'erin']) actor.send({ type: 'share.confirmed', step, credential, custodian });
};

/** The all-steps fixture, stage by stage: what each stage sends to get through it. */
const STAGES: Array<[stage: string, send: (actor: Actor) => void]> = [
  ['sign-in', (actor) => actor.send(signIn)],
  ['inventory', (actor) => actor.send(submit('inventory', 'alice', ['wendy'], INVENTORY))],
  ['room', (actor) => actor.send(submit('room', 'alice', ['walter']))],
  ['init', (actor) => actor.send(submit('init', 'alice', ['wendy']))],
  ['init shares', (actor) => confirmAll(actor, 'init', ['test-so-pin', 'test-user-pin'])],
  [
    'unlock-so',
    (actor) => {
      actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'carol', index: 1, setId: 'SO000001' });
      actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'dave', index: 2, setId: 'SO000001' });
      actor.send(submit('unlock-so', 'alice', ['wendy']));
    },
  ],
  ['new-user-pin', (actor) => actor.send(submit('new-user-pin', 'alice', ['walter']))],
  ['new-user-pin shares', (actor) => confirmAll(actor, 'new-user-pin', ['test-user-pin'])],
  ['lock-so', (actor) => actor.send(submit('lock-so', undefined, []))],
  [
    'unlock',
    (actor) => {
      actor.send({ type: 'share.accepted', step: 'unlock', custodian: 'erin', index: 3, setId: 'US000002' });
      actor.send({ type: 'share.accepted', step: 'unlock', custodian: 'dave', index: 2, setId: 'US000002' });
      actor.send(submit('unlock', 'alice', ['wendy']));
    },
  ],
  ['keygen', (actor) => actor.send(submit('keygen', 'alice', ['wendy']))],
  ['lock', (actor) => actor.send(submit('lock', undefined, []))],
  ['deviations', (actor) => actor.send(submit('deviations', 'wendy', [], { text: 'none' }))],
];

/** Sends the stages up to and including `last`, letting the fake effects finish after each; `after` checks each stage. */
async function driveThrough(actor: Actor, last: string, after: (stage: string) => void = () => undefined): Promise<void> {
  for (const [stage, send] of STAGES) {
    send(actor);
    await settle();
    after(stage);
    if (stage === last) return;
  }
  throw new Error(`no stage ${last}`);
}

t.test('pure transitions: sign-in refusals and acceptance, without running anything', async (t) => {
  const machine = compileCeremony(definition);
  const [initial] = initialTransition(machine, input);
  t.same(initial.value, { 'sign-in': 'awaiting' });
  const conflicted = PEOPLE.map((p) => (p.id === 'wendy' ? { ...p, roles: ['witness', 'custodian'] } : p));
  const [refused, refusedActions] = transition(machine, initial, { type: 'participants.submit', step: 'sign-in', participants: conflicted });
  t.same(refused.value, { 'sign-in': 'awaiting' }, 'stays at sign-in');
  t.equal(refused.context.refusal?.message, 'step sign-in: participant "wendy" cannot be both custodian and witness (conflicting roles)');
  t.ok(
    refusedActions.some((a) => a.type === 'journal' && a.params.event === 'event.refused'),
    'the refusal is journaled',
  );
  const [tooFew] = transition(machine, initial, { type: 'participants.submit', step: 'sign-in', participants: PEOPLE.filter((p) => p.id !== 'erin') });
  t.equal(tooFew.context.refusal?.message, 'step sign-in: the ceremony needs at least 3 custodians, 2 signed in');
  const [unknownRole] = transition(machine, initial, {
    type: 'participants.submit',
    step: 'sign-in',
    participants: [...PEOPLE, { id: 'zed', name: 'Zed', roles: ['janitor'] }],
  });
  t.match(unknownRole.context.refusal?.message, 'participant "zed" has role "janitor", which this ceremony does not define');
  const [signedIn, actions] = transition(machine, initial, signIn);
  t.same(signedIn.value, { inventory: 'awaiting' });
  t.equal(signedIn.context.stepIndex, 1);
  const intent = actions.find((a) => a.type === 'journal')!.params;
  t.equal(intent.event, 'participants.signed-in');
  t.same(
    intent.who,
    PEOPLE.map((p) => p.id),
  );
});

t.test('a role given twice (roles: [custodian, custodian] in an answers file) is taken once, in the context and the journal', async (t) => {
  const machine = compileCeremony(definition);
  const [initial] = initialTransition(machine, input);
  const twice = PEOPLE.map((p) => (p.id === 'carol' ? { ...p, roles: ['custodian', 'custodian'] } : p));
  const [signedIn, actions] = transition(machine, initial, { type: 'participants.submit', step: 'sign-in', participants: twice });
  t.same(signedIn.value, { inventory: 'awaiting' });
  t.same(signedIn.context.participants.find((p) => p.id === 'carol')?.roles, ['custodian']);
  const intent = actions.find((a) => a.type === 'journal')!.params as { data: { participants: Participant[] } };
  t.same(intent.data.participants.find((p) => p.id === 'carol')?.roles, ['custodian'], 'the journal records the role once');
  t.same(intent.data.participants, PEOPLE, 'and everyone else as given');
});

t.test('multiple person control on a step: same person, missing witness, wrong role, wrong step', async (t) => {
  const machine = compileCeremony(definition);
  const [initial] = initialTransition(machine, input);
  const [atInventory] = transition(machine, initial, signIn);
  const values = INVENTORY;
  const cases: Array<[CeremonyEvent, string]> = [
    [submit('inventory', 'alice', ['alice'], values), 'step inventory: alice cannot be both performer and witness'],
    [submit('inventory', 'alice', [], values), 'step inventory: a witness (witness) must confirm, 0 did'],
    [submit('inventory', 'wendy', ['walter'], values), 'step inventory: wendy is not a administrator and cannot perform this step'],
    [submit('inventory', 'alice', ['carol'], values), 'step inventory: carol is not a witness and cannot witness this step'],
    [submit('inventory', 'mallory', ['wendy'], values), 'step inventory: "mallory" has not signed in'],
    [submit('room', 'alice', ['wendy']), 'an event for step room arrived while the ceremony is at step inventory'],
    [
      submit('inventory', 'alice', ['wendy'], { 'hsm-serial': 'SN-1', 'bag-number': 'tb1' }),
      'step inventory: field "bag-number" does not match [A-Z]{2}[0-9]{6}: it must be two capital letters and six digits, e.g. AB123456',
    ],
    [submit('inventory', 'alice', ['wendy'], { 'hsm-serial': 'SN-1' }), 'step inventory: field "bag-number" is required'],
    [submit('inventory', 'alice', ['wendy'], { ...values, colour: 'red' }), 'step inventory: "colour" is not a field of this step'],
  ];
  for (const [event, message] of cases) {
    const [next] = transition(machine, atInventory, event);
    t.same(next.value, { inventory: 'awaiting' }, message);
    t.equal(next.context.refusal?.message, message);
  }
  const [ok, actions] = transition(machine, atInventory, submit('inventory', 'alice', ['wendy'], values));
  t.same(ok.value, { room: 'awaiting' });
  const completed = actions.map((a) => a.params as JournalIntent).find((p) => p?.event === 'step.completed')!;
  t.same(completed.who, ['alice', 'wendy']);
  t.same((completed.data as { values: unknown }).values, values);
});

t.test('a whole run with fake effects: shares from distinct custodians of the set, journal order', async (t) => {
  const { actor, journal } = start();
  await driveThrough(actor, 'init');
  t.same(actor.getSnapshot().value, { init: 'distributing' });
  for (const credential of ['test-so-pin', 'test-user-pin'])
    for (const custodian of ['carol', 'dave', 'erin']) actor.send({ type: 'share.confirmed', step: 'init', credential, custodian });
  actor.send({ type: 'share.confirmed', step: 'init', credential: 'test-so-pin', custodian: 'carol' });
  await settle();
  t.same(actor.getSnapshot().value, { 'unlock-so': 'awaiting' });
  // Shares: an unknown custodian, a non-custodian, a foreign set, the same custodian twice.
  actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'mallory', index: 1, setId: 'SO000001' });
  t.equal(actor.getSnapshot().context.refusal?.message, 'step unlock-so: custodian "mallory" has not signed in');
  actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'wendy', index: 1, setId: 'SO000001' });
  t.equal(actor.getSnapshot().context.refusal?.message, 'step unlock-so: wendy is not a custodian and cannot enter a share');
  actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'carol', index: 1, setId: 'FOREIGN1' });
  t.equal(actor.getSnapshot().context.refusal?.message, 'step unlock-so: the share of carol is from share set FOREIGN1, not SO000001');
  actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'carol', index: 1, setId: 'SO000001' });
  actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'carol', index: 2, setId: 'SO000001' });
  t.equal(actor.getSnapshot().context.refusal?.message, 'step unlock-so: carol has already entered a share');
  actor.send(submit('unlock-so', 'alice', ['wendy']));
  t.equal(actor.getSnapshot().context.refusal?.message, 'step unlock-so: 1 of 2 shares entered');
  actor.send({ type: 'share.accepted', step: 'unlock-so', custodian: 'erin', index: 3, setId: 'SO000001' });
  actor.send(submit('unlock-so', 'alice', ['wendy']));
  await settle();
  t.same(actor.getSnapshot().context.sessions.test?.userType, 'so');
  t.same(actor.getSnapshot().value, { 'new-user-pin': 'awaiting' });
  const events = journal.map((j) => j.event);
  t.ok(events.indexOf('shares.prepared') < events.indexOf('share.handed-over'));
  t.equal(events.filter((e) => e === 'share.accepted').length, 2, 'two shares accepted');
  t.equal(events.filter((e) => e === 'event.refused').length, 6, 'every refusal journaled, including a confirmation that came too late');
});

t.test('pause and continue need two people; abort needs two people and a reason and lists what was created', async (t) => {
  const { actor, journal } = start();
  actor.send({ type: 'pause', by: 'alice', reason: 'lunch' });
  t.equal(actor.getSnapshot().context.refusal?.message, 'pause: "alice" has not signed in');
  actor.send(signIn);
  actor.send({ type: 'pause', by: 'alice', reason: 'lunch' });
  t.same(actor.getSnapshot().context.paused, { by: 'alice', reason: 'lunch' });
  actor.send(submit('inventory', 'alice', ['wendy'], INVENTORY));
  t.match(actor.getSnapshot().context.refusal?.message, 'the ceremony is paused (lunch)');
  actor.send({ type: 'continue', by: ['alice', 'alice'] });
  t.equal(actor.getSnapshot().context.refusal?.message, 'continuing the ceremony needs two different people, 1 confirmed');
  actor.send({ type: 'continue', by: ['alice', 'wendy'] });
  t.equal(actor.getSnapshot().context.paused, undefined);
  actor.send({ type: 'exception', by: 'walter', text: 'camera 2 restarted' });
  t.same(actor.getSnapshot().context.exceptions, [{ by: 'walter', text: 'camera 2 restarted', step: 'inventory', stepsDone: 1 }]);
  actor.send({ type: 'abort', by: ['alice', 'wendy'], reason: '  ' });
  t.equal(actor.getSnapshot().context.refusal?.message, 'abort: a reason must be recorded');
  actor.send({ type: 'abort', by: ['alice'], reason: 'HSM fault' });
  t.equal(actor.getSnapshot().context.refusal?.message, 'aborting the ceremony needs two different people, 1 confirmed');
  actor.send({ type: 'abort', by: ['alice', 'wendy'], reason: 'HSM fault' });
  t.equal(actor.getSnapshot().status, 'done');
  t.same(actor.getSnapshot().value, 'aborted');
  const aborted = journal.find((j) => j.event === 'ceremony.aborted')!;
  t.same(aborted.who, ['alice', 'wendy']);
  t.same((aborted.data as { created: unknown }).created, { keys: [], outputs: [], shareSets: [], loggedIn: [] });
  t.equal(journal.at(-1)!.event, 'ceremony.sealed');
  t.same(
    journal.map((j) => j.event).filter((e) => e.startsWith('ceremony.')),
    ['ceremony.paused', 'ceremony.continued', 'ceremony.aborted', 'ceremony.sealed'],
  );
});

t.test('after a restart the quorum logs in again before the next HSM step', async (t) => {
  const { actor, journal } = start();
  await driveThrough(actor, 'room');
  // Jump ahead as resume would: the journal says these steps completed.
  const recovered = (step: string, result: StepResult, seq: number): CeremonyEvent => ({
    type: 'step.recovered',
    step,
    result,
    performer: 'alice',
    witnesses: ['wendy'],
    seq,
  });
  actor.send(
    recovered(
      'init',
      { shareSets: [{ credential: 'test-user-pin', setId: 'US000001', threshold: 2, count: 3, custodians: ['carol', 'dave', 'erin'], file: 'outputs/y' }] },
      10,
    ),
  );
  actor.send(recovered('unlock-so', { session: { token: 'test', userType: 'so', credential: 'test-so-pin', setId: 'SO', step: 'unlock-so' } }, 11));
  actor.send(recovered('new-user-pin', {}, 12));
  actor.send(recovered('lock-so', { lockedTokens: ['test'] }, 13));
  actor.send(recovered('unlock', { session: { token: 'test', userType: 'user', credential: 'test-user-pin', setId: 'US000001', step: 'unlock' } }, 14));
  t.same(actor.getSnapshot().value, { keygen: 'awaiting' });
  t.equal(journal.filter((j) => j.event === 'step.reconciled').length, 5);
  actor.send({ type: 'process.restarted' });
  t.same(actor.getSnapshot().value, { keygen: 'reauthenticating' }, 'the login did not survive the process');
  t.equal(actor.getSnapshot().context.shares?.credential, 'test-user-pin');
  actor.send(submit('keygen', 'alice', ['wendy']));
  t.equal(actor.getSnapshot().context.refusal?.message, 'step keygen: 0 of 2 shares entered to log in again');
  actor.send({ type: 'share.accepted', step: 'keygen', custodian: 'carol', index: 1, setId: 'US000001' });
  actor.send({ type: 'share.accepted', step: 'keygen', custodian: 'dave', index: 2, setId: 'US000001' });
  actor.send(submit('keygen', 'alice', ['wendy']));
  await settle();
  t.same(actor.getSnapshot().value, { keygen: 'awaiting' });
  t.ok(journal.some((j) => j.event === 'hsm.relogin'));
  actor.send(submit('keygen', 'alice', ['wendy']));
  await settle();
  t.equal(actor.getSnapshot().context.keys['TEST-CA']?.spkiSha256, 'ab'.repeat(32));
  t.equal(actor.getSnapshot().context.stepIndex, 9, 'moved on to the lock step');
});

t.test('a failed step is retried only by two people', async (t) => {
  const journal: JournalIntent[] = [];
  let attempts = 0;
  const machine = compileCeremony(definition).provide({
    actors: {
      ...fakeActors(),
      prepareShareSets: fromPromise<Distribution, StepActorInput>(async () => {
        attempts++;
        throw Object.assign(new Error('the HSM device was removed during the operation (CKR_DEVICE_REMOVED)'), {
          code: 'CKR_DEVICE_REMOVED',
          hint: 'reconnect the HSM',
        });
      }),
    },
    actions: { journal: (_: unknown, intent: JournalIntent) => void journal.push(intent) },
  });
  const actor = createActor(machine, { input }).start();
  await driveThrough(actor, 'init');
  t.same(actor.getSnapshot().value, { init: 'failed' });
  t.same(actor.getSnapshot().context.failure, {
    step: 'init',
    code: 'CKR_DEVICE_REMOVED',
    message: 'the HSM device was removed during the operation (CKR_DEVICE_REMOVED)',
    hint: 'reconnect the HSM',
  });
  t.ok(journal.some((j) => j.event === 'step.failed' && (j.data as { code: string }).code === 'CKR_DEVICE_REMOVED'));
  actor.send({ type: 'step.retry', step: 'init', by: ['alice'] });
  t.equal(actor.getSnapshot().context.refusal?.message, 'retrying step init needs two different people, 1 confirmed');
  actor.send({ type: 'step.retry', step: 'init', by: ['alice', 'wendy'] });
  t.same(actor.getSnapshot().value, { init: 'awaiting' });
  actor.send(submit('init', 'alice', ['wendy']));
  await settle();
  t.equal(attempts, 2);
});

t.test('every fragment to the end: split-credential, lock, keygen, exception step and sign-off', async (t) => {
  const { actor, journal } = start();
  const at = (value: unknown) => t.same(actor.getSnapshot().value, value);
  await driveThrough(actor, 'deviations', (stage) => {
    switch (stage) {
      case 'init shares':
        return at({ 'unlock-so': 'awaiting' });
      case 'unlock-so':
        return at({ 'new-user-pin': 'awaiting' });
      case 'new-user-pin':
        // split-credential hands out a new set before the SO sets it; a stranger cannot confirm.
        at({ 'new-user-pin': 'distributing' });
        actor.send({ type: 'share.confirmed', step: 'new-user-pin', credential: 'test-user-pin', custodian: 'alice' });
        return t.equal(actor.getSnapshot().context.refusal?.message, 'step new-user-pin: alice is not a custodian of test-user-pin');
      case 'new-user-pin shares':
        at({ 'lock-so': 'awaiting' });
        return t.equal(actor.getSnapshot().context.shareSets['test-user-pin']?.setId, 'US000002', 'the new set replaces the old one');
      case 'lock-so':
        at({ unlock: 'awaiting' });
        return t.same(actor.getSnapshot().context.sessions, {}, 'locked');
      case 'unlock':
        return at({ keygen: 'awaiting' });
      case 'keygen':
        return at({ lock: 'awaiting' });
      case 'lock':
        at({ deviations: 'awaiting' });
        actor.send(submit('deviations', 'wendy', [], { text: '   ' }));
        return t.equal(actor.getSnapshot().context.refusal?.message, 'step deviations: write the deviation, or "none"');
      default:
        return undefined;
    }
  });
  t.same(actor.getSnapshot().value, { 'sign-off': 'awaiting' });
  actor.send({ type: 'signoff.submit', step: 'sign-off', participant: 'alice', followedScript: false });
  t.equal(actor.getSnapshot().context.refusal?.message, 'step sign-off: alice says the ceremony did not follow the script; a note saying how is required');
  actor.send({ type: 'signoff.submit', step: 'sign-off', participant: 'alice', followedScript: false, note: 'pause at 10:02 not in the script' });
  actor.send({ type: 'signoff.submit', step: 'sign-off', participant: 'alice', followedScript: true });
  t.equal(actor.getSnapshot().context.refusal?.message, 'step sign-off: alice has already signed off');
  for (const p of PEOPLE.slice(1)) actor.send({ type: 'signoff.submit', step: 'sign-off', participant: p.id, followedScript: true });
  t.equal(actor.getSnapshot().status, 'done');
  t.same(actor.getSnapshot().value, 'completed');
  const events = journal.map((j) => j.event);
  t.equal(events.at(-1), 'ceremony.sealed');
  t.equal(events.filter((e) => e === 'step.started').length, 12, 'every step has a start record');
  t.equal(events.filter((e) => e === 'participant.signed-off').length, PEOPLE.length);
  t.same(
    journal.filter((j) => j.event === 'step.completed').map((j) => j.step),
    ['inventory', 'room', 'init', 'unlock-so', 'new-user-pin', 'lock-so', 'unlock', 'keygen', 'lock', 'deviations', 'sign-off'],
  );
  // Nothing in the context could ever hold a share: the snapshot is plain, public data.
  t.notMatch(JSON.stringify(actor.getPersistedSnapshot()), /share\.text|"text":"[0-9A-Z-]{40,}"/);
});

t.test('a key adopted from the HSM is recorded with the whole result, for a later resume to rebuild', async (t) => {
  const adopted = start();
  adopted.actor.send(signIn);
  adopted.actor.send({ type: 'step.recovered', step: 'inventory', result: { values: {} }, performer: 'alice', witnesses: ['wendy'], seq: 0, source: 'hsm' });
  t.same(
    adopted.journal.find((j) => j.event === 'step.reconciled'),
    {
      step: 'inventory',
      event: 'step.reconciled',
      who: ['alice', 'wendy'],
      data: {
        from: 'hsm',
        index: 1,
        result: { values: {}, performer: 'alice', witnesses: ['wendy'] },
        note: 'made just before the restart and never recorded; the witnesses adopted it (see hsm.unrecorded-key)',
      },
    },
  );
});

t.test('someone joins after the sign-in only when two people already signed in confirm them', async (t) => {
  const { actor, journal } = start();
  const erika: Participant = { id: 'erika', name: 'Erika', roles: ['witness'] };
  actor.send({ type: 'participants.join', participant: erika, confirmedBy: ['alice', 'wendy'] });
  t.equal(actor.getSnapshot().context.refusal?.message, 'erika joining the ceremony: "alice" has not signed in', 'nobody can confirm before the sign-in');
  await driveThrough(actor, 'inventory');
  const refusals: Array<[CeremonyEvent, string]> = [
    [{ type: 'participants.join', participant: erika, confirmedBy: ['alice'] }, 'erika joining the ceremony needs two different people, 1 confirmed'],
    [{ type: 'participants.join', participant: erika, confirmedBy: ['alice', 'alice'] }, 'erika joining the ceremony needs two different people, 1 confirmed'],
    [{ type: 'participants.join', participant: erika, confirmedBy: ['alice', 'mallory'] }, 'erika joining the ceremony: "mallory" has not signed in'],
    [{ type: 'participants.join', participant: { ...erika, id: 'wendy' }, confirmedBy: ['alice', 'walter'] }, '"wendy" has already signed in'],
    [
      { type: 'participants.join', participant: { ...erika, roles: ['witness', 'custodian'] }, confirmedBy: ['alice', 'wendy'] },
      'step room: participant "erika" cannot be both custodian and witness (conflicting roles)',
    ],
    [
      { type: 'participants.join', participant: { ...erika, roles: ['janitor'] }, confirmedBy: ['alice', 'wendy'] },
      'step room: participant "erika" has role "janitor", which this ceremony does not define',
    ],
  ];
  for (const [event, message] of refusals) {
    actor.send(event);
    t.equal(actor.getSnapshot().context.refusal?.message, message);
  }
  actor.send(submit('room', 'alice', ['erika']));
  t.equal(actor.getSnapshot().context.refusal?.message, 'step room: "erika" has not signed in', 'not yet joined: cannot witness');
  actor.send({ type: 'participants.join', participant: erika, confirmedBy: ['alice', 'wendy'] });
  t.same(actor.getSnapshot().context.participants.at(-1), erika);
  t.same(
    journal.find((j) => j.event === 'participants.joined'),
    { step: 'room', event: 'participants.joined', who: ['erika', 'alice', 'wendy'], data: { participant: erika, confirmedBy: ['alice', 'wendy'] } },
  );
  actor.send(submit('room', 'alice', ['erika']));
  t.same(actor.getSnapshot().value, { init: 'awaiting' }, 'once joined, erika witnesses');
  t.equal(journal.filter((j) => j.event === 'event.refused').length, refusals.length + 2, 'every refusal journaled');
});

/** The journal intents of a fake run as the records a journal would hold. */
const asRecords = (journal: JournalIntent[]): JournalRecord[] => [
  { seq: 1, time: '', step: null, event: 'ceremony.opened', who: [], data: {}, prev: '', hash: '' },
  ...journal.map((j, i) => ({ seq: i + 2, time: '', prev: '', hash: '', ...j, step: j.step ?? null })),
];

t.test('an exception recorded on the read-aloud of a step just done is recorded at that step, not the next', async (t) => {
  const { actor, journal } = start();
  await driveThrough(actor, 'room');
  t.equal(actor.getSnapshot().context.stepIndex, 3, 'the machine stands at init, the step after room');
  actor.send({ type: 'exception', by: 'wendy', text: 'the camera missed the room check', about: 'room' });
  t.same(actor.getSnapshot().context.exceptions.at(-1), { by: 'wendy', text: 'the camera missed the room check', step: 'room', stepsDone: 3 });
  t.match(journal.at(-1), { event: 'exception.recorded', step: 'room', who: ['wendy'] }, 'journaled at room');
  actor.send({ type: 'exception', by: 'wendy', text: 'no screen named', about: undefined });
  t.equal(journal.at(-1)?.step, 'init', 'without a step named: the current step');
  const before = journal.length;
  actor.send({ type: 'exception', by: 'wendy', text: 'ahead of time', about: 'keygen' });
  t.match(actor.getSnapshot().context.refusal, { code: 'exception.step', message: /step "keygen" has not been reached/ }, 'a step not reached is refused');
  actor.send({ type: 'exception', by: 'wendy', text: 'no such step', about: 'nowhere' });
  t.match(actor.getSnapshot().context.refusal, { code: 'exception.step' });
  t.same(
    journal.slice(before).map((j) => [j.event, j.step, (j.data as { code?: string }).code]),
    [
      ['event.refused', 'init', 'exception.step'],
      ['event.refused', 'init', 'exception.step'],
    ],
    'the refusals are journaled at the current step, no exception recorded',
  );
  const rebuilt = rebuildFromJournal(definition, input, asRecords(journal));
  t.same(compareSavedContext(JSON.parse(JSON.stringify(actor.getSnapshot().context)), rebuilt.context), undefined, 'resume rebuilds the same exceptions');
  t.same(
    rebuilt.context.exceptions.map((e) => [e.step, e.stepsDone]),
    [
      ['room', 3],
      ['init', 3],
    ],
    'each with the steps done when it was recorded, which places it in the record log on a resume',
  );
});

t.test('the journal read back gives the context the run had, at every stable state', async (t) => {
  const journal: JournalIntent[] = [];
  const machine = compileCeremony(definition).provide({
    actors: fakeActors(),
    actions: { journal: (_: unknown, intent: JournalIntent) => void journal.push(intent) },
  });
  const actor = createActor(machine, { input });
  let checked = 0;
  actor.subscribe((snapshot) => {
    if (!snapshot.hasTag('stable')) return;
    const rebuilt = rebuildFromJournal(definition, input, asRecords(journal));
    t.same(compareSavedContext(JSON.parse(JSON.stringify(snapshot.context)), rebuilt.context), undefined, `the context at ${JSON.stringify(snapshot.value)}`);
    checked++;
  });
  actor.start();
  actor.send({ type: 'exception', by: 'mallory', text: 'refused: not signed in' });
  await driveThrough(actor, 'room', (stage) => {
    if (stage !== 'inventory') return;
    actor.send({ type: 'exception', by: 'wendy', text: 'the bag was resealed in front of everyone' });
    actor.send({ type: 'pause', by: 'alice', reason: 'coffee' });
  });
  actor.send({ type: 'continue', by: ['alice', 'wendy'] });
  actor.send(submit('room', 'alice', ['walter']));
  await driveThrough(actor, 'deviations', () => undefined);
  t.ok(checked >= 15, `${checked} stable states compared`);
});

t.test('rebuilt from the journal: a pause, a failure and a restart land where the run stood', async (t) => {
  const journal: JournalIntent[] = [];
  const machine = compileCeremony(definition).provide({
    actors: {
      ...fakeActors(),
      'work:generate-key': fromPromise<StepResult, StepActorInput>(async () =>
        Promise.reject(Object.assign(new Error('device removed'), { code: 'CKR_DEVICE_REMOVED' })),
      ),
    },
    actions: { journal: (_: unknown, intent: JournalIntent) => void journal.push(intent) },
  });
  const actor = createActor(machine, { input }).start();
  await driveThrough(actor, 'unlock');
  actor.send({ type: 'pause', by: 'alice', reason: 'the HSM light blinks' });
  let rebuilt = rebuildFromJournal(definition, input, asRecords(journal));
  t.same(rebuilt.value, { keygen: 'entering' }, 'continues at the step entry');
  t.same(rebuilt.context.paused, { by: 'alice', reason: 'the HSM light blinks' }, 'still paused: two people must continue it');
  t.same(Object.keys(rebuilt.context.sessions), ['test'], 'unlocked before the stop');
  actor.send({ type: 'continue', by: ['alice', 'wendy'] });
  actor.send(submit('keygen', 'alice', ['wendy']));
  await settle();
  rebuilt = rebuildFromJournal(definition, input, asRecords(journal));
  t.same(rebuilt.value, { keygen: 'failed' }, 'a failed step stays failed: two people approve the retry');
  t.same(rebuilt.context.failure, { step: 'keygen', code: 'CKR_DEVICE_REMOVED', message: 'device removed', hint: undefined });
  // Resumed from the rebuilt state: the restart turns the login into a relogin, and the
  // retry needs two people as before.
  const resumed = createActor(machine, { input, snapshot: machine.resolveState({ value: rebuilt.value, context: rebuilt.context }) }).start();
  resumed.send({ type: 'process.restarted' });
  t.same(resumed.getSnapshot().value, { keygen: 'failed' });
  t.same(Object.keys(resumed.getSnapshot().context.relogin), ['test'], 'the quorum must log in again');
  resumed.send({ type: 'step.retry', step: 'keygen', by: ['alice'] });
  t.equal(resumed.getSnapshot().context.refusal?.message, 'retrying step keygen needs two different people, 1 confirmed');
  resumed.send({ type: 'step.retry', step: 'keygen', by: ['alice', 'wendy'] });
  t.same(resumed.getSnapshot().value, { keygen: 'reauthenticating' });
});

t.test('rebuilt from the journal: sign-offs recorded before the stop count, nobody signs off twice', async (t) => {
  const { actor, journal } = start();
  await driveThrough(actor, 'deviations');
  actor.send({ type: 'signoff.submit', step: 'sign-off', participant: 'alice', followedScript: true });
  actor.send({ type: 'signoff.submit', step: 'sign-off', participant: 'wendy', followedScript: false, note: 'the pause at 10:02 was not in the script' });
  const rebuilt = rebuildFromJournal(definition, input, asRecords(journal));
  t.same(rebuilt.value, { 'sign-off': 'awaiting' });
  const resumedJournal: JournalIntent[] = [];
  const machine = compileCeremony(definition).provide({
    actors: fakeActors(),
    actions: { journal: (_: unknown, intent: JournalIntent) => void resumedJournal.push(intent) },
  });
  const resumed = createActor(machine, { input, snapshot: machine.resolveState({ value: rebuilt.value, context: rebuilt.context }) }).start();
  resumed.send({ type: 'process.restarted' });
  resumed.send({ type: 'signoff.submit', step: 'sign-off', participant: 'wendy', followedScript: true });
  t.equal(resumed.getSnapshot().context.refusal?.message, 'step sign-off: wendy has already signed off', 'a sign-off from before the stop counts');
  for (const p of PEOPLE.slice(2)) resumed.send({ type: 'signoff.submit', step: 'sign-off', participant: p.id, followedScript: true });
  t.equal(resumed.getSnapshot().status, 'done', 'the others sign off and the ceremony is sealed');
  t.equal(resumedJournal.filter((j) => j.event === 'participant.signed-off').length, PEOPLE.length - 2, 'only the others were asked');
  t.same(resumedJournal.at(-1), { step: null, event: 'ceremony.sealed', who: [], data: { status: 'completed', exceptions: 0 } });

  // The sign-off step completed, the seal not yet written: the journal says the ceremony ended.
  const ended = rebuildFromJournal(definition, input, asRecords([...journal, ...resumedJournal.slice(0, -1)]));
  t.equal(ended.value, 'completed');
  t.notOk(ended.sealed);
});

t.test('what resume notes as adopted: records after the last saved state, a completed sign-off step as a whole', async (t) => {
  const record = (seq: number, step: string, event: string, who: string[], data: Record<string, unknown>): JournalRecord => ({
    seq,
    time: '',
    step,
    event,
    who,
    data,
    prev: '',
    hash: '',
  });
  const records = [
    record(39, 'sign-off', 'step.started', [], { index: 11 }),
    record(40, 'sign-off', 'participant.signed-off', ['alice'], { followedScript: true, note: '' }),
    record(41, 'sign-off', 'participant.signed-off', ['wendy'], { followedScript: true, note: '' }),
  ];
  t.same(adoptionNotes(records, 40), [
    {
      step: 'sign-off',
      event: 'step.reconciled',
      who: [],
      data: { from: 'journal', seq: 41, participant: 'wendy', note: 'signed off before the restart; adopted from its journal record, not asked again' },
    },
  ]);
  const completed = [...records, record(42, 'sign-off', 'step.completed', ['alice', 'wendy'], { type: 'sign-off', index: 11, signOffs: [] })];
  t.same(
    adoptionNotes(completed, 39).map((n) => (n.data as { seq: number }).seq),
    [42],
    'the step as a whole',
  );
});

t.test('a saved context that differs from the journal is named field by field', async (t) => {
  const { actor, journal } = start();
  await driveThrough(actor, 'room');
  const rebuilt = rebuildFromJournal(definition, input, asRecords(journal)).context;
  const saved = JSON.parse(JSON.stringify(actor.getSnapshot().context)) as Record<string, unknown>;
  t.equal(compareSavedContext(saved, rebuilt), undefined, "the saved context is the journal's");
  const mallory = { id: 'mallory', name: 'Mallory', roles: ['witness'] };
  t.same(compareSavedContext({ ...saved, participants: [...PEOPLE, mallory] }, rebuilt), {
    field: 'context.participants[6]',
    saved: mallory,
    journal: undefined,
  });
  t.same(compareSavedContext({ ...saved, stepIndex: 7 }, rebuilt), { field: 'context.stepIndex', saved: 7, journal: 3 });
  t.same(compareSavedContext({ ...saved, status: 'completed' }, rebuilt), { field: 'context.status', saved: 'completed', journal: 'running' });
  t.same(compareSavedContext('not a context', rebuilt), { field: 'context', saved: 'not a context', journal: '(a ceremony context)' });
});

t.test('a journal this definition did not write is not read as if it had', async (t) => {
  const record = (seq: number, step: string | null, event: string, data: Record<string, unknown> = {}): JournalRecord => ({
    seq,
    time: '',
    step,
    event,
    who: [],
    data,
    prev: '',
    hash: '',
  });
  const opened = record(1, null, 'ceremony.opened');
  t.throws(
    () => rebuildFromJournal(definition, input, [opened, record(2, 'nowhere', 'step.started', { index: 0 })]),
    /journal record 2 \(step\.started, step nowhere\) names a step the definition does not have/,
  );
  t.throws(
    () => rebuildFromJournal(definition, input, [opened, record(2, 'room', 'step.started', { index: 2 })]),
    /starts step 2 while the journal so far is at step 0/,
  );
  t.throws(
    () => rebuildFromJournal(definition, input, [opened, record(2, null, 'ceremony.teleported')]),
    /is of a kind this version of keyceremony does not know/,
  );
  t.throws(
    () => rebuildFromJournal(definition, input, [opened, record(2, 'init', 'share.handed-over', { credential: 'test-user-pin' })]),
    /journal record 2 \(share\.handed-over, step init\) hands over a share that no step prepared/,
  );
  const signedIn = record(2, 'sign-in', 'participants.signed-in', { index: 0, participants: PEOPLE });
  const tooMany = [
    signedIn,
    ...Array.from({ length: definition.steps.length - 1 }, (_, i) =>
      record(i + 3, 'inventory', 'step.completed', { type: 'record', index: 1, performer: 'alice', witnesses: ['wendy'] }),
    ),
  ];
  // The second completion of the same step is refused as out of order, before the count of steps matters.
  t.throws(
    () => rebuildFromJournal(definition, input, [opened, ...tooMany]),
    /journal record 4 \(step\.completed, step inventory\) breaks a rule the ceremony enforces \(step\.order\): it completes step inventory \(index 1\), but the ceremony is at step room \(index 2\)/,
  );
});

t.test('a record written by hand that the machine would have refused is not rebuilt from', async (t) => {
  const record = (seq: number, step: string | null, event: string, who: string[], data: Record<string, unknown>): JournalRecord => ({
    seq,
    time: '',
    step,
    event,
    who,
    data,
    prev: '',
    hash: '',
  });
  const opened = record(1, null, 'ceremony.opened', [], {});
  const signedIn = record(
    2,
    'sign-in',
    'participants.signed-in',
    PEOPLE.map((p) => p.id),
    { index: 0, participants: PEOPLE },
  );
  const mallory: Participant = { id: 'mallory', name: 'Mallory', roles: ['witness'] };
  const after = (forged: JournalRecord) => () => rebuildFromJournal(definition, input, [opened, signedIn, forged], '/w/journal.jsonl');
  const cases: Array<[JournalRecord, string]> = [
    [
      record(3, 'inventory', 'participants.joined', ['mallory'], { participant: mallory, confirmedBy: [] }),
      '(people.two-needed): mallory joining the ceremony needs two different people, 0 confirmed',
    ],
    [
      record(3, 'inventory', 'participants.joined', ['mallory'], { participant: mallory, confirmedBy: ['alice', 'nobody'] }),
      'mallory joining the ceremony: "nobody" has not signed in',
    ],
    [
      record(3, 'inventory', 'participants.joined', ['mallory'], {
        participant: { ...mallory, roles: ['witness', 'custodian'] },
        confirmedBy: ['alice', 'wendy'],
      }),
      '(sign-in.conflict): step inventory: participant "mallory" cannot be both custodian and witness (conflicting roles)',
    ],
    [
      record(3, 'inventory', 'participants.joined', ['mallory'], { participant: { ...mallory, name: 'ＡＬＩＣＥ' }, confirmedBy: ['alice', 'wendy'] }),
      '(sign-in.same-person): step inventory: participants "alice" (Alice) and "mallory" (ＡＬＩＣＥ) look like the same person',
    ],
    [
      record(3, 'inventory', 'participants.joined', ['mallory'], { participant: { ...mallory, roles: ['janitor'] }, confirmedBy: ['alice', 'wendy'] }),
      'has role "janitor", which this ceremony does not define',
    ],
    [
      record(3, 'inventory', 'step.completed', ['alice', 'alice'], { type: 'record', index: 1, performer: 'alice', witnesses: ['alice'] }),
      '(people.same-person): step inventory: alice cannot be both performer and witness',
    ],
    [
      record(3, 'inventory', 'step.completed', ['wendy', 'walter'], { type: 'record', index: 1, performer: 'wendy', witnesses: ['walter'] }),
      '(people.performer-role): step inventory: wendy is not a administrator',
    ],
    [
      record(3, 'inventory', 'step.completed', ['alice', 'mallory'], { type: 'record', index: 1, performer: 'alice', witnesses: ['mallory'] }),
      '(people.unknown): step inventory: "mallory" has not signed in',
    ],
    [
      record(3, 'inventory', 'step.reconciled', ['alice'], { from: 'hsm', index: 1, result: { performer: 'alice', witnesses: [] } }),
      '(people.witness-missing): step inventory: a witness (witness) must confirm, 0 did',
    ],
    [record(3, 'inventory', 'exception.recorded', ['mallory'], { text: 'x', number: 0 }), '(people.unknown): exception: "mallory" has not signed in'],
    [record(3, 'inventory', 'ceremony.paused', ['mallory'], { reason: 'x' }), '(people.unknown): pause: "mallory" has not signed in'],
    [
      record(3, 'inventory', 'ceremony.aborted', ['alice'], { reason: 'x' }),
      '(people.two-needed): aborting the ceremony needs two different people, 1 confirmed',
    ],
    [
      record(3, 'inventory', 'ceremony.continued', ['alice', 'alice'], {}),
      '(people.two-needed): continuing the ceremony needs two different people, 1 confirmed',
    ],
    [record(3, 'inventory', 'step.retried', ['alice', 'mallory'], {}), 'retrying step inventory: "mallory" has not signed in'],
    [
      record(3, 'sign-off', 'participant.signed-off', ['mallory'], { followedScript: true, note: '' }),
      '(people.unknown): step sign-off: "mallory" has not signed in',
    ],
    // The sign-off step completed while the ceremony is at step 1: refused as out of order
    // (with no sign-off by alice it would be signoff.missing, at its turn).
    [
      record(3, 'sign-off', 'step.completed', ['alice'], { type: 'sign-off', index: 11, signOffs: [{ participant: 'alice', followedScript: true, note: '' }] }),
      '(step.order): it completes step sign-off (index 11), but the ceremony is at step inventory (index 1)',
    ],
  ];
  for (const [forged, rule] of cases) {
    const error = await caught(after(forged));
    t.ok(error instanceof InputError, `${forged.event}: bad input (exit 2)`);
    t.equal(error.code, 'resume.journal-rule');
    t.match(error.message, `/w/journal.jsonl: journal record 3 (${forged.event}, step ${forged.step}) breaks a rule the ceremony enforces `);
    t.match(error.message, rule);
  }
  const badSignIn = record(2, 'sign-in', 'participants.signed-in', [], {
    index: 0,
    participants: [...PEOPLE, { id: 'alice2', name: 'Alice', roles: ['witness'] }],
  });
  t.match(
    (await caught(() => rebuildFromJournal(definition, input, [opened, badSignIn]))).message,
    'journal.jsonl: journal record 2 (participants.signed-in, step sign-in) breaks a rule the ceremony enforces (sign-in.same-person)',
  );
  const twice = record(3, 'sign-off', 'participant.signed-off', ['alice'], { followedScript: true, note: '' });
  t.match(
    (await caught(() => rebuildFromJournal(definition, input, [opened, signedIn, twice, { ...twice, seq: 4 }]))).message,
    '(signoff.twice): step sign-off: alice has already signed off',
  );
  t.doesNotThrow(
    after(record(3, 'inventory', 'participants.joined', ['mallory', 'alice', 'wendy'], { participant: mallory, confirmedBy: ['alice', 'wendy'] })),
    'a join the machine would have taken is rebuilt',
  );
});

t.test('a record whose data the machine never writes is bad input naming the record, not a crash', async (t) => {
  const record = (seq: number, step: string | null, event: string, who: string[], data: Record<string, unknown>): JournalRecord => ({
    seq,
    time: '',
    step,
    event,
    who,
    data,
    prev: '',
    hash: '',
  });
  const opened = record(1, null, 'ceremony.opened', [], {});
  const signedIn = record(2, 'sign-in', 'participants.signed-in', [], { index: 0, participants: PEOPLE });
  const cases: Array<[JournalRecord, string]> = [
    [record(3, 'init', 'shares.prepared', [], { sets: 5 }), 'has no usable data.sets'],
    [
      record(3, 'init', 'shares.prepared', [], { sets: [{ credential: 'test-user-pin', setId: 'X', custodians: 'carol' }] }),
      'has no usable data.sets.0.custodians',
    ],
    [record(3, 'inventory', 'step.completed', [], { type: 'record', index: 1, keys: 5 }), 'has no usable data.keys'],
    [record(3, 'inventory', 'step.completed', [], { type: 'record', index: 1, witnesses: 'wendy' }), 'has no usable data.witnesses'],
    [record(3, 'inventory', 'step.reconciled', [], { from: 'hsm' }), 'has no usable data'],
    [record(3, 'inventory', 'participants.joined', [], { participant: 'mallory', confirmedBy: [] }), 'has no usable data.participant'],
    [record(3, 'inventory', 'hsm.relogin', [], { session: { token: 'test' } }), 'has no usable data.session'],
    [record(3, 'inventory', 'step.failed', [], { message: 5 }), 'has no usable data.message'],
    [record(3, 'inventory', 'exception.recorded', [], { text: 'no one' }), 'names nobody in who'],
    [record(3, 'inventory', 'step.started', [], { index: '1' }), 'has no usable data.index'],
  ];
  for (const [malformed, what] of cases) {
    const error = await caught(() => rebuildFromJournal(definition, input, [opened, signedIn, malformed], '/w/journal.jsonl'));
    t.ok(error instanceof InputError, `${malformed.event}: bad input (exit 2)`);
    t.match(error.message, `/w/journal.jsonl: journal record 3 (${malformed.event}, step ${malformed.step}) ${what}`);
  }
});

// Issue 16 item 4: an auditor (tsai) was accepted as the second person of an abort. An auditor
// observes and takes no part in operations, so an abort takes two people of whom neither signed in
// as an auditor only; someone who holds an operating role or is a witness as well may.
t.test('an abort is confirmed by two who take part: an auditor alone is refused by name', async (t) => {
  const machine = compileCeremony(definition);
  const [initial] = initialTransition(machine, input);
  const people = [...PEOPLE, { id: 'tsai', name: 'Tsai', roles: ['auditor'] }];
  const [signedIn] = transition(machine, initial, { type: 'participants.submit', step: 'sign-in', participants: people });
  t.same(signedIn.value, { inventory: 'awaiting' });
  const [refused, refusedActions] = transition(machine, signedIn, { type: 'abort', by: ['alice', 'tsai'], reason: 'test the abort path' });
  t.same(refused.value, { inventory: 'awaiting' }, 'not aborted');
  t.match(refused.context.refusal, {
    code: 'people.observer-only',
    message: /"tsai" signed in only as auditor, who observes and takes no part/,
    details: { person: 'tsai' },
  });
  t.ok(
    refusedActions.some((a) => a.type === 'journal' && a.params.event === 'event.refused'),
    'the refusal is journaled',
  );
  const [aborted] = transition(machine, signedIn, { type: 'abort', by: ['alice', 'wendy'], reason: 'test the abort path' });
  t.equal(aborted.value, 'aborted', 'an administrator and a witness abort');
});
