// One reader of state.json (issue 15: resume, journal verify and report each read it): the
// same file is refused for the same reason by all of them, each with its own error (resume:
// bad input, exit 2; journal verify and report: a failed check, exit 1).
import t from 'tap';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workdir } from '../../src/ceremony/workdir.js';
import { ExitCode, InputError, KeyceremonyError } from '../../src/errors.js';
import { readStateFile, readWorkdirState } from '../../src/journal/workdir-state.js';

const root = mkdtempSync(join(tmpdir(), 'kc-state-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

const HEAD = { seq: 4, hash: 'a'.repeat(64) };
/** A folder that passes for a workdir (it has a journal.jsonl), with this state.json text. */
function workdirWith(state: string | undefined): string {
  const dir = mkdtempSync(join(root, 'w-'));
  writeFileSync(join(dir, 'journal.jsonl'), '');
  if (state !== undefined) writeFileSync(join(dir, 'state.json'), state);
  return dir;
}

const caught = (fn: () => unknown): KeyceremonyError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyceremonyError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};
const failWith = (reason: string): never => {
  throw new KeyceremonyError(reason, { code: 'test' });
};

t.test('a good state.json: its object and its journal head, to every reader', async (t) => {
  const dir = workdirWith(JSON.stringify({ status: 'completed', journalHead: HEAD, snapshot: {} }));
  t.same(readStateFile(dir, failWith), { value: { status: 'completed', journalHead: HEAD, snapshot: {} }, journalHead: HEAD });
  t.same(readWorkdirState(dir, 'report'), { ended: true, status: 'completed', journalHead: HEAD });
  t.same(Workdir.open(dir, { lock: false }).loadState(), { status: 'completed', journalHead: HEAD, snapshot: {} });
});

t.test('no state.json: undefined for every reader', async (t) => {
  const dir = workdirWith(undefined);
  t.equal(readStateFile(dir, failWith), undefined);
  t.equal(readWorkdirState(dir, 'report'), undefined);
  t.equal(Workdir.open(dir, { lock: false }).loadState(), undefined);
});

const broken: Array<[string, string, string]> = [
  ['not json', '{"journalHead": ', 'is not valid JSON: '],
  ['an array', '[1, 2]', 'is not a JSON object'],
  ['null', 'null', 'is not a JSON object'],
  ['a head of the wrong shape', JSON.stringify({ journalHead: { seq: 'last' } }), 'has a journalHead that is not { seq, hash } of a record'],
  ['a head with seq 0', JSON.stringify({ journalHead: { ...HEAD, seq: 0 } }), 'has a journalHead that is not { seq, hash } of a record'],
  [
    'a head whose hash is not SHA-256 hex',
    JSON.stringify({ journalHead: { ...HEAD, hash: 'A'.repeat(64) } }),
    'has a journalHead that is not { seq, hash } of a record',
  ],
];

for (const [what, text, reason] of broken) {
  t.test(`state.json that is ${what}: the same reason from resume, journal verify and report`, async (t) => {
    const dir = workdirWith(text);
    const file = join(dir, 'state.json');
    const verify = caught(() => readWorkdirState(dir, 'journal verify'));
    t.ok(verify.message.startsWith(`journal verify: ${file} ${reason}`), verify.message);
    t.equal(verify.code, 'journal.state');
    t.notOk(verify instanceof InputError, 'a failed check (exit 1)');
    const resume = caught(() => Workdir.open(dir, { lock: false }).loadState());
    t.ok(resume.message.startsWith(`state file ${file} ${reason}`), resume.message);
    t.equal(resume.code, 'state.corrupt');
    t.equal(resume.exitCode, ExitCode.badInput);
    t.notMatch(resume.message, /journalHead": /, 'the file is named, not quoted');
  });
}

t.test('resume needs a journal head; journal verify and report do without', async (t) => {
  const dir = workdirWith(JSON.stringify({ status: 'running' }));
  t.same(readWorkdirState(dir, 'report'), { ended: false, status: 'running' });
  const resume = caught(() => Workdir.open(dir, { lock: false }).loadState());
  t.equal(resume.message, `state file ${join(dir, 'state.json')} has no journalHead { seq, hash } of a journal record`);
  t.equal(resume.code, 'state.corrupt');
});

t.test('a state.json that is a symbolic link is refused by every reader before it is read', async (t) => {
  const dir = workdirWith(undefined);
  const elsewhere = join(root, 'elsewhere.json');
  writeFileSync(elsewhere, JSON.stringify({ journalHead: HEAD }));
  symlinkSync(elsewhere, join(dir, 'state.json'));
  t.equal(caught(() => readWorkdirState(dir, 'report')).code, 'workdir.symlink');
  t.equal(caught(() => Workdir.open(dir, { lock: false }).loadState()).code, 'workdir.symlink');
});
