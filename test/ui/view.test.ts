// Which screen the machine needs, read off real snapshots of the ceremony machine.
import t from 'tap';
import { KeyceremonyError } from '../../src/errors.js';
import { translator } from '../../src/ui/i18n/index.js';
import { activityOf, viewKey, viewOf } from '../../src/ui/model/view.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { PEOPLE } from './helpers/screen-context.js';

t.test('views follow the machine: sign-in, approval, busy, handout, shares, readout, failed, finished', async (t) => {
  const fake = fakeCeremony(t);
  const actor = fake.session.actor;
  const view = (readFrom = 0) => {
    const snapshot = actor.getSnapshot();
    return viewOf({ definition: fake.definition, context: snapshot.context, lang: 'en', t: translator('en') }, snapshot, readFrom);
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  t.match(view(), { kind: 'participants', step: { id: 'sign-in' } });
  actor.send({ type: 'participants.submit', step: 'sign-in', participants: PEOPLE.filter((p) => ['alice', 'wendy', 'carol', 'dave'].includes(p.id)) });
  t.match(view(), { kind: 'approval', step: { id: 'inventory' } });
  t.equal(viewKey(view(), actor.getSnapshot().context), 'approval:inventory');
  actor.send({ type: 'step.submit', step: 'inventory', performer: 'alice', witnesses: ['wendy'], values: { 'bag-number': 'TB123456' } });
  const release = fake.hold('prepareShareSets');
  actor.send({ type: 'step.submit', step: 'init', performer: 'alice', witnesses: ['wendy'], values: {} });
  t.match(view(), { kind: 'busy', step: { id: 'init' }, activity: 'splitting' });
  release();
  await settle();
  t.match(view(), { kind: 'handout', step: { id: 'init' } });
  for (const set of actor.getSnapshot().context.distribution!.sets)
    for (const custodian of set.custodians) actor.send({ type: 'share.confirmed', step: 'init', credential: set.credential, custodian });
  await settle();
  t.match(
    view(),
    { kind: 'shares', step: { id: 'unlock' }, credential: 'test-user-pin', purpose: 'unlock' },
    'init made only manifests: nothing to read aloud',
  );
  fake.failNext('work:generate-key', new KeyceremonyError('CKR_DEVICE_ERROR', { code: 'CKR_DEVICE_ERROR' }));
  // The unlock itself is not what this test is about: adopt it as resume would.
  actor.send({
    type: 'step.recovered',
    step: 'unlock',
    result: { session: { token: 'test', userType: 'user', credential: 'test-user-pin', setId: 'X', step: 'unlock' } },
    performer: 'alice',
    witnesses: ['wendy'],
    seq: 1,
  });
  t.match(view(), { kind: 'approval', step: { id: 'keygen' } });
  actor.send({ type: 'step.submit', step: 'keygen', performer: 'alice', witnesses: ['wendy'], values: {} });
  await settle();
  t.match(view(), { kind: 'failed', step: { id: 'keygen' }, failure: { message: 'CKR_DEVICE_ERROR' } });
  actor.send({ type: 'step.retry', step: 'keygen', by: ['alice', 'wendy'] });
  actor.send({ type: 'step.submit', step: 'keygen', performer: 'alice', witnesses: ['wendy'], values: {} });
  await settle();
  t.match(view(), { kind: 'readout', index: 4 }, 'the new key is read aloud first');
  t.match(view(5), { kind: 'approval', step: { id: 'lock' } }, 'then the next step');
  actor.send({ type: 'abort', by: ['alice', 'wendy'], reason: 'test' });
  t.match(view(5), { kind: 'finished', status: 'aborted' });
});

t.test('the busy substate names what the HSM does', async (t) => {
  t.equal(activityOf({ keygen: 'working' }), 'working');
  t.equal(activityOf({ csr: 'preparing' }), 'preparing');
  t.equal(activityOf({ unlock: 'relogging' }), 'relogging');
  t.equal(activityOf('completed'), 'other');
});
