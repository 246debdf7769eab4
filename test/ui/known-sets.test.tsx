// The share sets a typed card may belong to (review of issue 16 at 80x24, M6 and M7): a set a
// later step replaced (rotate-credential, a new split-credential names it) is known as
// superseded, as is the set the expected manifest replaces; each set once.
import t from 'tap';
import { knownSets, setShownBy } from '../../src/ui/model/known-sets.js';
import { handoutOrder } from '../../src/ui/step-screen.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const set = (credential: string, setId: string) => ({ credential, setId, threshold: 2, count: 3, custodians: [], file: `${setId}.json` });
const done = { performer: 'alice', witnesses: ['wendy'] };

t.test('sets in use, replaced by a step of this ceremony, and replaced before it', async (t) => {
  const context = {
    shareSets: { user: set('user', 'CCCC2222'), so: set('so', 'SSSS0000') },
    results: {
      init: { ...done, shareSets: [set('so', 'SSSS0000'), set('user', 'AAAA0000')] },
      'new-user-pin': { ...done, shareSets: [set('user', 'BBBB1111')], details: { replaces: 'AAAA0000' } },
      rotate: { ...done, shareSets: [set('user', 'CCCC2222')], details: { replaces: 'BBBB1111' } },
    },
  };
  const sets = knownSets(context, { credential: 'so', replaces: 'OLDS0000' });
  t.same(
    sets.map((s) => [s.setId, s.credential, s.superseded]),
    [
      ['CCCC2222', 'user', false],
      ['SSSS0000', 'so', false],
      ['AAAA0000', 'user', true],
      ['BBBB1111', 'user', true],
      ['OLDS0000', 'so', true],
    ],
  );
  t.equal(setShownBy(sets, 'AAAA')?.setId, 'AAAA0000', 'group 1 names a set when one begins so');
  t.equal(setShownBy(sets, 'BBBB1111')?.superseded, true);
  t.equal(setShownBy(sets, 'ZZZZ'), undefined, 'none');
});

t.test('two known sets beginning alike: group 1 names neither, group 2 names the one', async (t) => {
  const context = { shareSets: { a: set('a', 'ABCD0000'), b: set('b', 'ABCD1111') }, results: {} };
  const sets = knownSets(context);
  t.equal(setShownBy(sets, 'ABCD'), undefined);
  t.equal(setShownBy(sets, 'ABCD1111')?.credential, 'b');
});

// The hand-out of a new split of a credential that has a set says which set it replaces, as a
// rotation's does: the all-steps demo's new user PIN said nothing of the old cards (M6).
t.test('hand-out order: a split replacing a set in use names it; a first split names none', async (t) => {
  const ALL_STEPS = new URL('../fixtures/engine/all-steps.yaml', import.meta.url).pathname;
  const distribution = (credential: string, setId: string, step: string) => ({
    step,
    sets: [{ credential, setId, custodians: ['carol', 'dave'], confirmed: [] }],
  });
  const resplit = screenContext(ALL_STEPS, 'en', {
    shareSets: { 'test-user-pin': set('test-user-pin', 'OLDU0000') },
    distribution: distribution('test-user-pin', 'NEWU1111', 'new-user-pin'),
  });
  t.equal(handoutOrder(resplit, stepOf(resplit, 'new-user-pin')).targets[0]?.replaces, 'OLDU0000');
  const first = screenContext(ALL_STEPS, 'en', { distribution: distribution('test-user-pin', 'NEWU1111', 'init') });
  t.equal(handoutOrder(first, stepOf(first, 'init')).targets[0]?.replaces, undefined);
});
