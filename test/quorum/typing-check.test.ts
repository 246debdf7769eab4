// checkShareTyping: what the entry screen shows on every keystroke.
import t from 'tap';
import { checkShareTyping } from '../../src/quorum/typing-check.js';
import { newSecret, split } from '../../src/quorum/split.js';
import { assertNoSecrets } from './helpers/secrets.js';

const { shares, manifest } = split(newSecret(), { threshold: 2, of: 3, custodians: ['alice', 'bob', 'carol'] });
const share = shares[1]!.text;
const plain = share.replace(/-/g, '');

t.test('typing a share key by key: groups turn valid as they are finished, complete at the end', async (t) => {
  let failures = 0;
  for (let n = 1; n <= plain.length; n++) {
    const check = checkShareTyping(plain.slice(0, n));
    const full = Math.floor(n / 5);
    const states = check.groups.map((g) => g.state);
    const wanted = [...Array<string>(full).fill('valid'), ...(n % 5 === 0 ? [] : ['incomplete'])];
    if (JSON.stringify(states) !== JSON.stringify(wanted)) failures++;
    if (check.complete !== (n === plain.length)) failures++;
    // The set becomes known once groups 1 and 2 are typed, the length once group 3 is.
    if ((check.expectedGroups === 19) !== n >= 15) failures++;
    if ((check.setId === manifest.setId) !== n >= 10) failures++;
  }
  t.equal(failures, 0, `all ${plain.length} prefixes reported as expected`);
  const done = checkShareTyping(share);
  t.equal(done.complete, true);
  t.equal(done.groups.length, 19);
  t.equal(done.problem, undefined);
  t.same(
    done.groups.map((g) => g.text),
    share.split('-'),
    'each group reads back as typed',
  );
});

t.test('a wrong character marks its group invalid and leaves the others alone', async (t) => {
  const at = 22; // group 5
  const typo = plain.slice(0, at) + (plain[at] === 'Z' ? 'Y' : 'Z') + plain.slice(at + 1);
  const check = checkShareTyping(typo);
  t.same(check.groups.map((g, i) => (g.state === 'valid' ? null : `${i + 1}:${g.state}`)).filter(Boolean), ['5:invalid']);
  t.equal(check.complete, false);
  // Mid-way through, the same: group 5 invalid, later finished groups valid, the last incomplete.
  const partial = checkShareTyping(typo.slice(0, 37));
  t.same(
    partial.groups.map((g) => g.state),
    ['valid', 'valid', 'valid', 'valid', 'invalid', 'valid', 'valid', 'incomplete'],
  );
});

t.test('a character outside the alphabet marks the group at once, even unfinished', async (t) => {
  const check = checkShareTyping(`${plain.slice(0, 10)}AB!`);
  t.same(
    check.groups.map((g) => g.state),
    ['valid', 'valid', 'invalid'],
  );
});

t.test('separators, case and look-alikes are accepted while typing', async (t) => {
  const typed = share.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'i').replace(/-/g, ' ');
  const check = checkShareTyping(typed);
  t.equal(check.complete, true);
  t.same(
    check.groups.map((g) => g.text),
    share.split('-'),
    'groups are shown normalised',
  );
});

t.test('characters after the last group are an invalid extra group', async (t) => {
  const check = checkShareTyping(`${share}-AB`);
  t.equal(check.groups.length, 20);
  t.equal(check.groups[19]!.state, 'invalid');
  t.equal(check.groups[18]!.state, 'valid');
  t.equal(check.complete, false);
});

t.test('the empty text has no groups and is not complete', async (t) => {
  t.same(checkShareTyping(''), { groups: [], complete: false });
  t.same(checkShareTyping('  - '), { groups: [], complete: false });
});

t.test('the result shows group states but never share text when inspected or serialised', async (t) => {
  const check = checkShareTyping(share);
  assertNoSecrets(t, check, { shares: [share] }, 'the typing check');
  t.equal(JSON.stringify(check.groups[4]), '{"state":"valid"}');
  t.same(Object.keys(check.groups[4]!), ['state']);
});
