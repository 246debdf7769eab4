// create-kek (issue 18): the key-encryption key is 256 random bits split 2 of 3 among the
// recovery custodians. Every quorum rebuilds the same 32 bytes, which the manifest's verifier
// accepts; a custodian checks their share against the manifest; the KEK (in every encoding),
// the shares and the PIN derived from them are nowhere in the workdir but dry-run-shares/, nor
// in what was printed. A KEK is never a PIN and a PIN is never a KEK.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combine, parseManifestText } from '../../src/quorum/index.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { softhsm } from '../helpers/softhsm.js';

const definition = join(FIXTURES, 'backup', 'kek-init.yaml');
const answers = join(FIXTURES, 'backup', 'kek-init.answers.yaml');

t.test('the KEK is made, split 2 of 3 to the recovery custodians, and only its manifest is written', async (t) => {
  const fx = softhsm(t);
  fx.initToken('KEK-SRC');
  const workdir = newWorkdir(fx);
  const result = await runCeremony(fx, { definition, profile: fx.profile({ src: 'KEK-SRC' }), workdir, answers });
  t.equal(result.code, 0, result.stderr);

  const manifestFile = join(workdir, 'outputs', 'backup-kek.make-kek.manifest.json');
  const manifest = parseManifestText(readFileSync(manifestFile, 'utf8'), manifestFile);
  t.equal(manifest.threshold, 2);
  t.equal(manifest.count, 3);
  t.same(
    manifest.shares.map((s) => s.custodian),
    ['rita', 'ray', 'rose'],
  );

  const shares = ['rita', 'ray', 'rose'].map((who) =>
    readFileSync(join(workdir, 'dry-run-shares', who), 'utf8')
      .trim()
      .split(/\s+/)
      .slice(2)
      .join(' '),
  );
  const secrets = [
    [0, 1],
    [0, 2],
    [1, 2],
  ].map(([a, b]) => combine([shares[a!]!, shares[b!]!], manifest));
  for (const secret of secrets) {
    t.equal(secret.length, 32, 'a 256-bit KEK');
    t.ok(secret.equals(secrets[0]!), 'every quorum rebuilds the same KEK, checked against the verifier');
  }

  const check = await keyceremonyInProcess(['shares', 'check', '--manifest', manifestFile], { input: `${shares[1]}\n` });
  t.equal(check.code, 0, check.stderr);
  t.match(check.stdout, `set ${manifest.setId} ("backup-kek"), 2 of 3 shares`);

  const completed = journalRecords(workdir).find((r) => r.event === 'step.completed' && r.step === 'make-kek');
  t.match(completed?.data, {
    shareSets: [{ credential: 'backup-kek', setId: manifest.setId, threshold: 2, count: 3, custodians: ['rita', 'ray', 'rose'] }],
    details: { kekBits: 256 },
  });
  t.notOk(
    journalRecords(workdir).some((r) => r.event.startsWith('hsm.') || JSON.stringify(r.data).includes('"session"')),
    'no HSM login: the KEK goes to no token here',
  );

  const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
  t.equal(verify.code, 0, verify.stderr);
  const canary = buildCanary([workdir]);
  t.ok(canary.secrets >= 1, 'the canary rebuilt the KEK');
  assertNoSecretsLeaked(t, canary, { roots: [workdir], streams: { stdout: result.stdout, stderr: result.stderr, verify: verify.stdout } });

  const plan = await keyceremonyInProcess(['plan', definition]);
  t.equal(plan.code, 0, plan.stderr);
  t.match(plan.stdout, 'key-encryption key for key backup (not a PIN)');
  t.match(plan.stdout, '256 bits, random; never written anywhere');
});

t.test('a KEK is not a PIN, and a PIN is not a KEK', async (t) => {
  const fx = softhsm(t);
  const text = readFileSync(definition, 'utf8');
  const unlock = join(fx.dir, 'unlock-kek.yaml');
  writeFileSync(
    unlock,
    text.replace('  - { id: make-kek,', '  - { id: unlock, type: unlock, credential: backup-kek, by: administrator, witness: witness }\n  - { id: make-kek,'),
  );
  const asPin = await keyceremonyInProcess(['validate', unlock]);
  t.equal(asPin.code, 2);
  t.match(asPin.stderr, /unlock-kek\.yaml:\d+:\d+: steps\[1\]\.credential credential "backup-kek" is a key-encryption key \(kek: true\), not a PIN/);

  const pin = join(fx.dir, 'pin-kek.yaml');
  writeFileSync(pin, text.replace('backup-kek: { token: src, kek: true,', 'backup-kek: { token: src,'));
  const asKek = await keyceremonyInProcess(['validate', pin]);
  t.equal(asKek.code, 2);
  t.match(asKek.stderr, /pin-kek\.yaml:\d+:\d+: steps\[1\]\.kek credential "backup-kek" is a PIN; a key-encryption key is a credential with kek: true/);
});
