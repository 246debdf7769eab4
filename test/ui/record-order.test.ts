// The record log after a resume (review17): an exception typed before key generation was
// listed below the key's record, because the log rebuilt from the journal appended every
// step first and every exception after. recordsToAppend places each exception after the
// steps that were done when it was recorded. How the machine and the journal's rebuild give
// stepsDone alike: test/ceremony/machine.test.ts.
import t from 'tap';
import { recordsToAppend } from '../../src/ui/model/record-order.js';

const show = (entries: ReturnType<typeof recordsToAppend>) => entries.map((e) => `${e.kind === 'step' ? 's' : 'x'}${e.index}`).join(' ');

t.test('rebuilt at once on a resume: each exception where it happened', async (t) => {
  // Four steps done (sign-in, approval, inventory, unlock); an exception typed before keygen (4 done),
  // one on the read-aloud of sign-in (1 done), and keygen (the fifth) finished after both.
  t.equal(show(recordsToAppend({ steps: 0, exceptions: 0 }, 5, [{ stepsDone: 1 }, { stepsDone: 4 }])), 's0 x0 s1 s2 s3 x1 s4');
  t.equal(show(recordsToAppend({ steps: 0, exceptions: 0 }, 5, [{ stepsDone: 4 }, { stepsDone: 5 }])), 's0 s1 s2 s3 x0 s4 x1', 'one after the last step done');
});

t.test('appended as the ceremony goes: the same order as at once', async (t) => {
  t.equal(show(recordsToAppend({ steps: 4, exceptions: 0 }, 4, [{ stepsDone: 4 }])), 'x0', 'an exception typed now');
  t.equal(show(recordsToAppend({ steps: 4, exceptions: 1 }, 5, [{ stepsDone: 4 }])), 's4', 'then the step');
  t.same(recordsToAppend({ steps: 5, exceptions: 1 }, 5, [{ stepsDone: 4 }]), [], 'nothing new: nothing appended');
});

t.test('an exception saved without stepsDone (an earlier release) goes after the steps, as before', async (t) => {
  t.equal(show(recordsToAppend({ steps: 0, exceptions: 0 }, 3, [{}])), 's0 s1 s2 x0');
});
