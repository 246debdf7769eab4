import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { loadAnswers } from '../../src/ceremony/answers.js';
import { caught } from '../helpers/errors.js';

const definition = loadDefinition(new URL('../fixtures/engine/all-steps.yaml', import.meta.url).pathname);
const base = readFileSync(new URL('../fixtures/engine/all-steps.answers.yaml', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'kc-answers-'));

function variant(name: string, from: string | RegExp, to: string): string {
  const text = base.replace(from, to);
  if (text === base) throw new Error(`variant ${name}: nothing replaced`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

t.test('the fixture answers load', async (t) => {
  const answers = loadAnswers(new URL('../fixtures/engine/all-steps.answers.yaml', import.meta.url).pathname, definition);
  t.equal(answers.participants.length, 6);
  t.same(answers.steps.inventory?.values, { 'hsm-serial': 'SN-0001', 'bag-number': 'TB123456' });
});

t.test('answers missing a step, naming it, exit 2', async (t) => {
  const file = variant('missing', /  keygen: \{ by: alice, witness: wendy \}\n/, '');
  const error = await caught(() => loadAnswers(file, definition));
  t.equal(error.exitCode, 2);
  t.equal(error.message, `${file}: steps.keygen is missing: step keygen (generate-key) needs an answer`);
});

t.test('unknown steps, another ceremony, unknown keys and inputs are refused with file:line', async (t) => {
  const unknownStep = variant('unknown-step', '  keygen: {', '  keygen2: { by: alice }\n  keygen: {');
  t.match(
    (await caught(() => loadAnswers(unknownStep, definition))).message,
    new RegExp(`${unknownStep}:\\d+:\\d+: steps\\.keygen2 is not a step of engine-all-steps`),
  );
  const other = variant('other', 'ceremony: engine-all-steps', 'ceremony: hca-g3-keygen');
  t.match((await caught(() => loadAnswers(other, definition))).message, 'ceremony is "hca-g3-keygen" but the definition is "engine-all-steps"');
  const typo = variant('typo', 'keygen: { by: alice, witness: wendy }', 'keygen: { by: alice, witnes: wendy }');
  t.match((await caught(() => loadAnswers(typo, definition))).message, /steps\.keygen\.witnes is not a known key/);
  const input = variant('input', 'steps:\n', 'inputs:\n  csr: x.csr\nsteps:\n');
  t.match((await caught(() => loadAnswers(input, definition))).message, /inputs\.csr is not an input of engine-all-steps/);
  const before = variant('before', 'before: keygen', 'before: keygn');
  t.match((await caught(() => loadAnswers(before, definition))).message, /exceptions\[0\]\.before names step "keygn", which is not in the definition/);
});
