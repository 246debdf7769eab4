// Reading a journal as the record of a ceremony: step times and people, what steps made,
// and every incident. A record that does not fit its event never reaches it: the report
// reads records through readJournalEvents, which refuses them (verify refuses them first).
import t from 'tap';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { createRecord, type JournalEntry, type JournalRecord } from '../../src/journal/record.js';
import { readJournalEvents } from '../../src/journal/events.js';
import { header, records, signedIn } from './helpers/records.js';

const STEPS = ['sign-in', 'location', 'init', 'unlock', 'keygen', 'lock', 'sign-off'];
const SHA = 'cd'.repeat(32);

t.test('a step runs from its first record to its completion, with performer, witnesses, values and outputs', async (t) => {
  const record = readCeremonyRecord(
    records(header(SHA), [
      signedIn,
      {
        step: 'location',
        event: 'step.completed',
        who: ['alice', 'wendy'],
        data: { type: 'record', index: 1, performer: 'alice', witnesses: ['wendy'], values: { place: '臺北', date: '2026-11-28' } },
      },
      { step: 'init', event: 'step.approved', who: ['alice', 'wendy'], data: { values: {} } },
      { step: 'init', event: 'share.handed-over', who: ['carol'], data: { credential: 'test-so-pin' } },
      {
        step: 'init',
        event: 'step.completed',
        who: ['alice', 'wendy'],
        data: {
          type: 'init-token',
          index: 2,
          performer: 'alice',
          witnesses: ['wendy'],
          outputs: [{ name: 'so.manifest.json', kind: 'share-manifest', sha256: '01'.repeat(32), words: 'w', bytes: 10, step: 'init' }],
          shareSets: [
            { credential: 'test-so-pin', setId: 'ABCD1234', threshold: 2, count: 2, custodians: ['carol', 'dave'], file: 'outputs/so.manifest.json' },
          ],
          details: { token: { label: 'REPORT-TEST', serial: 'feed0001', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', firmware: '2.6' } },
        },
      },
      { step: 'unlock', event: 'share.accepted', who: ['carol'], data: { credential: 'test-user-pin', setId: 'ABCD1234', index: 1, accepted: 1 } },
      { step: 'unlock', event: 'share.accepted', who: ['dave'], data: { credential: 'test-user-pin', setId: 'ABCD1234', index: 2, accepted: 2 } },
    ]),
    STEPS,
  );
  t.same(
    record.participants.map((p) => p.id),
    ['alice', 'wendy', 'carol', 'dave'],
  );
  const signIn = record.steps.get('sign-in')!;
  t.equal(signIn.status, 'completed', 'sign-in ends with participants.signed-in');
  t.same(signIn.signedIn, ['alice', 'wendy', 'carol', 'dave']);

  const location = record.steps.get('location')!;
  t.equal(location.performer, 'alice');
  t.same(location.witnesses, ['wendy']);
  t.same(
    location.values,
    [
      ['date', '2026-11-28'],
      ['place', '臺北'],
    ],
    'as the journal holds them (canonical JSON sorts keys)',
  );

  const init = record.steps.get('init')!;
  t.equal(init.started, '2026-11-28T09:03:00.000+08:00', 'started at the first record of the step (step.approved)');
  t.equal(init.ended, '2026-11-28T09:05:00.000+08:00', 'ended at step.completed');
  t.same(
    init.handovers.map((h) => h.custodian),
    ['carol'],
  );
  t.equal(record.outputs[0]!.name, 'so.manifest.json');
  t.equal(record.shareSets[0]!.setId, 'ABCD1234');
  t.equal(record.tokens[0]!.serial, 'feed0001', 'a token made by the ceremony gets its serial from the step that made it');
  t.equal(record.tokens[0]!.state, 'to be initialised by this ceremony');

  const unlock = record.steps.get('unlock')!;
  t.equal(unlock.status, 'in-progress', 'shares entered, not yet completed');
  t.same(
    unlock.sharesEntered.map((e) => [e.custodian, e.index]),
    [
      ['carol', 1],
      ['dave', 2],
    ],
  );
  t.equal(record.steps.get('keygen')!.status, 'not-reached');
  t.equal(record.seal, undefined);
});

t.test('every exception, pause, refusal, failure and interruption is an incident, in order', async (t) => {
  const record = readCeremonyRecord(
    records(header(SHA), [
      signedIn,
      { step: 'keygen', event: 'exception.recorded', who: ['wendy'], data: { text: 'fire alarm', number: 1 } },
      { step: 'keygen', event: 'ceremony.paused', who: ['alice'], data: { reason: 'lunch' } },
      {
        step: 'keygen',
        event: 'event.refused',
        who: ['alice'],
        data: { event: 'step.submit', code: 'ceremony.paused', message: 'the ceremony is paused (lunch)' },
      },
      { step: 'keygen', event: 'ceremony.continued', who: ['alice', 'wendy'], data: { pausedFor: 'lunch' } },
      { step: 'keygen', event: 'step.failed', who: [], data: { code: 'CKR_DEVICE_ERROR', message: 'the HSM failed', hint: 'check the cable' } },
      { step: 'keygen', event: 'ceremony.interrupted', who: [], data: { signal: 'SIGINT', note: 'stopped on request' } },
      {
        step: null,
        event: 'ceremony.resumed',
        who: [],
        data: {
          snapshotSeq: 7,
          journalSeq: 8,
          process: { coreLimit: { soft: 0, hard: 'unlimited' }, corePattern: 'core', swap: { areas: 0, usedKiB: 0 } },
          tool: { name: 'keyceremony', version: '0.1.0', sha256: 'ab'.repeat(32) },
        },
      },
      {
        step: 'keygen',
        event: 'hsm.unrecorded-key',
        who: [],
        data: { token: 'test', label: 'HCA-G3-TEST', spkiSha256: 'ef'.repeat(32), words: 'w', id: '01', decision: 'adopt' },
      },
      { step: 'keygen', event: 'step.retried', who: ['alice', 'wendy'], data: { allowFinalTry: false } },
      { step: 'sign-off', event: 'participant.signed-off', who: ['dave'], data: { followedScript: false, note: 'the pause was not in the script' } },
      { step: 'sign-off', event: 'ceremony.aborted', who: ['alice', 'wendy'], data: { reason: 'HSM replaced', created: { keys: [], outputs: [] } } },
      { step: null, event: 'ceremony.sealed', who: [], data: { status: 'aborted', exceptions: 1 } },
    ]),
    STEPS,
  );
  t.same(
    record.incidents.map((i) => i.kind),
    ['exception', 'paused', 'refused', 'continued', 'failed', 'interrupted', 'resumed', 'unrecorded-key', 'retried', 'not-followed', 'aborted'],
  );
  t.same(record.incidents.find((i) => i.kind === 'resumed')!.data, {
    snapshotSeq: 7,
    journalSeq: 8,
    process: { coreLimit: { soft: 0, hard: 'unlimited' }, corePattern: 'core', swap: { areas: 0, usedKiB: 0 } },
    tool: { name: 'keyceremony', version: '0.1.0', sha256: 'ab'.repeat(32) },
  });
  t.equal(record.keys[0]!.label, 'HCA-G3-TEST', 'a key adopted after a restart is listed with the keys');
  t.equal(record.steps.get('keygen')!.status, 'in-progress', 'a retried step is in progress again');
  t.same(record.seal && { seq: record.seal.seq, status: record.seal.status }, { seq: 14, status: 'aborted' });
  t.same(
    record.signOffs.map((s) => [s.participant, s.followedScript]),
    [['dave', false]],
  );
});

t.test('what the witness wrote at a deviations step is an exception among the incidents; "none" is none (review16g item 1)', async (t) => {
  const record = readCeremonyRecord(
    records(header(SHA), [
      signedIn,
      { step: 'lock', event: 'step.completed', who: ['wendy'], data: { type: 'exception', index: 5, values: { text: 'the camera was off 10:05-10:07' } } },
      { step: 'lock', event: 'step.completed', who: ['wendy'], data: { type: 'exception', index: 5, values: { text: '無' } } },
      { step: 'lock', event: 'step.completed', who: ['wendy'], data: { type: 'confirm', index: 5, values: { text: 'not a deviation' } } },
      { step: null, event: 'ceremony.sealed', who: [], data: { status: 'completed', exceptions: 1 } },
    ]),
    STEPS,
  );
  t.same(
    record.incidents.map((i) => [i.kind, i.event]),
    [['exception', 'step.completed']],
  );
});

/** Records chained and hashed as the engine chains them, not read as typed events. */
function rawRecords(entries: JournalEntry[]): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const entry of [{ step: null, event: 'ceremony.opened', who: [], data: header(SHA) }, ...entries])
    out.push(createRecord(out.at(-1), entry, '2026-11-28T09:00:00.000+08:00').record);
  return out;
}

t.test('a record that does not fit its event is refused before the report reads it, naming the record and the field', async (t) => {
  const cases: Array<[string, JournalEntry, RegExp]> = [
    [
      'an event no keyceremony writes',
      { step: 'keygen', event: 'hsm.tamper-alarm', who: [], data: { note: 'from a newer tool' } },
      /^readJournalEvents: record 2 \(event hsm\.tamper-alarm\) is an event that keyceremony does not write/,
    ],
    [
      'a resumed record without the process and tool facts',
      { step: null, event: 'ceremony.resumed', who: [], data: { snapshotSeq: 7, journalSeq: 8 } },
      /^readJournalEvents: record 2 \(event ceremony\.resumed\) does not fit its event: data\.process: /,
    ],
    [
      'step.started without its type and index',
      { step: 'keygen', event: 'step.started', who: [], data: {} },
      /^readJournalEvents: record 2 \(event step\.started\) does not fit its event: data\.type: /,
    ],
    [
      'a participant that is not an object',
      { step: 'sign-in', event: 'participants.signed-in', who: [], data: { index: 0, participants: [{ id: 'a' }, 'junk', null] } },
      /^readJournalEvents: record 2 \(event participants\.signed-in\) does not fit its event: data\.participants\.0\.name: /,
    ],
    [
      'a completed step whose key lacks its fingerprint',
      { step: 'keygen', event: 'step.completed', who: [], data: { type: 'generate-key', index: 4, keys: [{ label: 'K' }] } },
      /^readJournalEvents: record 2 \(event step\.completed\) does not fit its event: data\.keys\.0\.token: /,
    ],
    [
      'a fact the engine does not write',
      { step: 'keygen', event: 'ceremony.paused', who: [], data: { reason: 'lunch', by: 'mallory' } },
      /^readJournalEvents: record 2 \(event ceremony\.paused\) does not fit its event: data: Unrecognized key: "by"/,
    ],
  ];
  for (const [name, entry, message] of cases) t.throws(() => readJournalEvents(rawRecords([entry])), message, name);
  t.throws(
    () => readJournalEvents([{ ...rawRecords([])[0]!, data: { ceremony: 'x', hsm: 'not an object' } }]),
    /record 1 \(event ceremony\.opened\) does not fit its event: data\.definition: /,
    'a header without the facts of the opening',
  );
  t.throws(() => readCeremonyRecord([], STEPS), /a verified journal starts with its header/);
});

t.test('a step the definition lacks stays visible', async (t) => {
  const record = readCeremonyRecord(
    records(header(SHA), [
      signedIn,
      { step: 'not-in-definition', event: 'step.completed', who: [], data: { type: 'record', index: 9, values: { n: 3, b: true, o: { x: 1 } } } },
    ]),
    STEPS,
  );
  const step = record.steps.get('not-in-definition')!;
  t.equal(step.status, 'completed');
  t.same(step.values, [
    ['b', 'true'],
    ['n', '3'],
    ['o', '{"x":1}'],
  ]);
  t.same(
    record.tokens.map((token) => [token.name, token.label, token.state]),
    [['test', 'REPORT-TEST', 'to be initialised by this ceremony']],
  );
});
