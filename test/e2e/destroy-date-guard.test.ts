// Issue 17 item 7: destroy-key's date guard. A definition states the earliest moment a key
// may be destroyed (`notBefore`); before it the step refuses, unless two participants have
// recorded an exception during the step. The engine ceremony (fixtures/engine) with a
// destroy-key step added after its key generation, on SoftHSM; pkcs11-tool says whether the
// key is still on the token.
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { publicKeyLabels } from '../helpers/checks.js';
import { softhsm } from '../helpers/softhsm.js';

const FUTURE = '2999-12-31T23:59:59+08:00';
const PAST = '2000-01-01T00:00:00Z';

/** The engine ceremony with `destroy` after `keygen`, and its answers with `exceptions` recorded before it. */
function ceremony(dir: string, notBefore: string, exceptionsBy: string[]): { definition: string; answers: string } {
  const doc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.yaml'), 'utf8'));
  const steps = doc.get('steps') as { items: unknown[] };
  const at = steps.items.findIndex((item) => (item as { get(k: string): unknown }).get('id') === 'keygen') + 1;
  steps.items.splice(
    at,
    0,
    doc.createNode({ id: 'destroy', type: 'destroy-key', key: 'TEST-CA', by: 'administrator', witness: 'witness', witnesses: 2, notBefore }),
  );
  const definition = join(dir, 'guarded.yaml');
  writeFileSync(definition, doc.toString());
  const answersDoc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.answers.yaml'), 'utf8'));
  answersDoc.setIn(
    ['steps', 'destroy'],
    answersDoc.createNode({ by: 'alice', witness: ['wendy', 'walter'], values: { label: 'TEST-CA', 'spki-sha256': { shown: true } } }),
  );
  for (const by of exceptionsBy) {
    (answersDoc.get('exceptions') as { items: unknown[] }).items.push(
      answersDoc.createNode({ before: 'destroy', by, text: `${by}: the G2 key goes before its date, approved as DRY-RUN-EXC-1` }),
    );
  }
  const answers = join(dir, 'guarded.answers.yaml');
  writeFileSync(answers, answersDoc.toString());
  return { definition, answers };
}

async function runGuarded(t: Test, notBefore: string, exceptionsBy: string[]) {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const workdir = newWorkdir(fx);
  const files = ceremony(fx.dir, notBefore, exceptionsBy);
  const ran = await runCeremony(fx, { ...files, profile, workdir });
  // Messages are wrapped to the terminal's width: compared with single spaces.
  const result = { ...ran, stderr: ran.stderr.replace(/\s+/g, ' ') };
  const verified = await keyceremonyInProcess(['journal', 'verify', workdir], { env: fx.env });
  t.equal(verified.code, 0, `the journal verifies: ${verified.stderr}`);
  return { result, workdir, records: journalRecords(workdir), keys: await publicKeyLabels(fx.env, 'ENGINE-TEST') };
}

t.test('before notBefore, without exceptions, destroy-key refuses and the key stays', async (t) => {
  const { result, records, keys } = await runGuarded(t, FUTURE, []);
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr, `guarded.answers.yaml: step destroy: key "TEST-CA" may not be destroyed before ${FUTURE} (the definition's notBefore); it is 20`);
  t.match(result.stderr, 'keyceremony: hint: wait until then, or have two participants record an exception in this step saying why it goes now');
  t.ok(
    records.some((r) => r.event === 'event.refused' && (r.data as { code: string }).code === 'destroy.too-early'),
    'the refusal is journaled',
  );
  t.notOk(
    records.some((r) => r.event === 'step.completed' && r.step === 'destroy'),
    'nothing was destroyed',
  );
  t.ok(keys.includes('TEST-CA'), 'pkcs11-tool still finds the key');
});

t.test('attack: one person alone cannot open the guard with an exception', async (t) => {
  const { result, keys } = await runGuarded(t, FUTURE, ['walter']);
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr, 'may not be destroyed before');
  t.ok(keys.includes('TEST-CA'), 'pkcs11-tool still finds the key');
});

t.test('before notBefore, with exceptions recorded by two people, the key is destroyed and the record says on whose word', async (t) => {
  const { result, records, keys } = await runGuarded(t, FUTURE, ['walter', 'wendy']);
  t.equal(result.code, 0, result.stderr);
  const destroyed = records.find((r) => r.event === 'step.completed' && r.step === 'destroy')!;
  t.match((destroyed.data as { details: unknown }).details, { destroyNotBefore: FUTURE, beforeNotBeforeBy: ['walter', 'wendy'], provenGone: true });
  t.notOk(keys.includes('TEST-CA'), 'pkcs11-tool no longer finds the key');
});

t.test('after notBefore the key is destroyed without exceptions', async (t) => {
  const { result, records, keys, workdir } = await runGuarded(t, PAST, []);
  t.equal(result.code, 0, result.stderr);
  const details = (records.find((r) => r.event === 'step.completed' && r.step === 'destroy')!.data as { details: Record<string, unknown> }).details;
  t.equal(details.destroyNotBefore, PAST);
  t.notOk('beforeNotBeforeBy' in details);
  t.notOk(keys.includes('TEST-CA'));
  const report = readFileSync(join(workdir, 'report.md'), 'utf8');
  t.match(report, `Not to be destroyed before: ${PAST}`);
});

t.test('a notBefore without its offset is refused by validate, naming the step', async (t) => {
  const fx = softhsm(t);
  const { definition } = ceremony(fx.dir, '2037-12-31', []);
  const result = await keyceremonyInProcess(['validate', definition]);
  t.equal(result.code, 2);
  t.match(result.stderr, /steps\[?\.?8\]?.*notBefore|notBefore.*must be a date and time with its offset/);
});
