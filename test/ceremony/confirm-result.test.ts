// Issue 22 item 2: after a step that makes a key (or a CSR, certificate, CRL, share set), the
// witness types back the fingerprint read aloud; the journal records it as its own step, and
// the report keeps "approved the start" apart from "confirmed the result". A wrong
// fingerprint is refused and nothing is confirmed.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';

const definition = join(FIXTURES, 'confirm-result', 'keygen.yaml');
const answers = join(FIXTURES, 'confirm-result', 'keygen.answers.yaml');
const fx = softhsm(t);

t.test('the witness confirms the key fingerprint after generation; the report tells start from result', async (t) => {
  const workdir = newWorkdir(fx);
  const ran = await runCeremony(fx, { definition, profile: fx.profile({ test: 'CONFIRM-A' }), workdir, answers });
  t.equal(ran.code, 0, ran.stderr);
  const records = journalRecords(workdir);
  const keygen = records.find((r) => r.step === 'keygen' && r.event === 'step.completed')!;
  const confirmed = records.find((r) => r.step === 'keygen-confirmed' && r.event === 'step.completed')!;
  const spki = (keygen.data as { keys: Array<{ spkiSha256: string }> }).keys[0]!.spkiSha256;
  t.ok(confirmed.seq > keygen.seq, 'confirmed after the key exists');
  t.same(confirmed.who, ['wendy']);
  t.match(confirmed.data, { performer: 'wendy', details: { of: 'keygen', what: 'key', name: 'CONFIRM-TEST', sha256: spki } });
  const en = await keyceremonyInProcess(['report', workdir, '--lang', 'en']);
  t.match(
    en.stdout,
    /### Step 4 · Generate the key pair\n[\s\S]*?- \*\*Approved the start \(witness\)\*\*: 林美玲 Wendy \(wendy\)\n- \*\*Confirmed the result\*\*: 林美玲 Wendy \(wendy\), .*, step 5 \(keygen-confirmed\)/,
  );
  const zh = await keyceremonyInProcess(['report', workdir, '--lang', 'zh-TW']);
  t.match(zh.stdout, '- **核可開始（見證人）**：林美玲 Wendy（wendy）');
  t.match(zh.stdout, '- **確認結果**：林美玲 Wendy（wendy）');
});

t.test('attack: the witness confirms a fingerprint that is not the key made: refused, nothing confirmed', async (t) => {
  const workdir = newWorkdir(fx);
  const wrong = join(fx.dir, 'wrong.answers.yaml');
  writeFileSync(wrong, readFileSync(answers, 'utf8').replace('result-sha256: { shown: true }', 'result-sha256: "0123456789abcdef0123"'));
  const ran = await runCeremony(fx, { definition, profile: fx.profile({ test: 'CONFIRM-B' }, { name: 'b.yaml' }), workdir, answers: wrong });
  t.not(ran.code, 0);
  t.match(ran.stderr, /step keygen-confirmed: the fingerprint typed back is not that of CONFIRM-TEST made by step keygen/);
  const records = journalRecords(workdir);
  t.notOk(
    records.some((r) => r.step === 'keygen-confirmed' && r.event === 'step.completed'),
    'not confirmed',
  );
  t.ok(
    records.some((r) => r.step === 'keygen-confirmed' && r.event === 'event.refused'),
    'the refusal is journaled',
  );
});

t.test('validate: confirm-result must name an earlier step that made something', async (t) => {
  const text = readFileSync(definition, 'utf8');
  for (const [of, why] of [
    ['unlock', 'a step that makes nothing'],
    ['lock', 'a later step'],
    ['nowhere', 'no such step'],
  ] as const) {
    const file = join(fx.dir, `bad-${of}.yaml`);
    writeFileSync(file, text.replace('of: keygen', `of: ${of}`));
    const result = await keyceremonyInProcess(['validate', file]);
    t.equal(result.code, 2, why);
    t.match(
      result.stderr,
      new RegExp(`bad-${of}\\.yaml:\\d+:\\d+: steps\\[4\\]\\.of .*"${of}" is not an earlier step that makes a key, a CSR, a certificate, a CRL or a share set`),
      why,
    );
  }
});
