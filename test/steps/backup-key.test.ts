// load-kek and backup-key (issue 18) in one scripted ceremony on a throwaway SoftHSM token:
// the KEK's quorum puts it on the token in the SO session, the user unlocks, the key is
// wrapped into a backup file, the session KEK destroyed. The file restores onto a second
// token under the KEK the recovery custodians' shares rebuild, and the restored key's
// signature verifies (openssl) under the header's public key. Faults: a key not generated for
// backup, a lock between load-kek and backup-key; the journal verifies after each and no
// secret (the KEK included) is anywhere but dry-run-shares/.
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackup } from '../../src/backup/backup-file.js';
import { restoreKey } from '../../src/backup/key-backup.js';
import { combine, parseManifestText } from '../../src/quorum/index.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { ecdsaRawToDer, openssl, pem } from '../helpers/openssl.js';
import { softhsm, type SoftHsmFixture } from '../helpers/softhsm.js';

const definition = join(FIXTURES, 'backup', 'backup.yaml');
const answers = join(FIXTURES, 'backup', 'backup.answers.yaml');

/** The KEK as the recovery custodians' shares (dry-run-shares/) rebuild it, checked against the manifest. */
function kekFrom(workdir: string): { kek: Buffer; set: { credential: string; setId: string; verifier: string } } {
  const manifestFile = join(workdir, 'outputs', 'backup-kek.make-kek.manifest.json');
  const manifest = parseManifestText(readFileSync(manifestFile, 'utf8'), manifestFile);
  const share = (who: string) =>
    readFileSync(join(workdir, 'dry-run-shares', who), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('backup-kek '))!
      .split(/\s+/)
      .slice(2)
      .join(' ');
  return { kek: combine([share('ray'), share('rose')], manifest), set: { credential: 'backup-kek', setId: manifest.setId, verifier: manifest.verifier } };
}

async function variant(
  fx: SoftHsmFixture,
  name: string,
  change: (text: string) => string,
  changeAnswers: (text: string) => string = (text) => text,
): Promise<{ workdir: string; code: number | null; stdout: string; stderr: string }> {
  const file = join(fx.dir, `${name}.yaml`);
  writeFileSync(file, change(readFileSync(definition, 'utf8')));
  const answersFile = join(fx.dir, `${name}.answers.yaml`);
  writeFileSync(answersFile, changeAnswers(readFileSync(answers, 'utf8')));
  const workdir = newWorkdir(fx, name);
  const result = await runCeremony(fx, {
    definition: file,
    profile: fx.profile({ src: 'BK-SRC' }, { name: `${name}-hsm.yaml` }),
    workdir,
    answers: answersFile,
  });
  return { workdir, ...result };
}

t.test('the key is backed up in a witnessed ceremony, and the file restores onto another token', async (t) => {
  const fx = softhsm(t);
  const workdir = newWorkdir(fx);
  const profile = fx.profile({ src: 'BK-SRC' });
  const result = await runCeremony(fx, { definition, profile, workdir, answers });
  t.equal(result.code, 0, result.stderr);
  const preflight = await keyceremonyInProcess(['hsm', 'check', definition, '--hsm', profile], { env: fx.env });
  t.match(preflight.stdout, /src\s+backup\s+ok\s+CKM_AES_KEY_WRAP_PAD to wrap keys\n/, 'the pre-flight checks the wrapping mechanism');
  t.match(preflight.stdout, /src\s+load-kek\s+ok\s+an SO PIN/, 'and the SO PIN load-kek needs');
  t.match(result.stdout, /\[10\/12\] backup \(backup-key\) done: by alice, wendy; ca-key\.backup sha256/);

  const records = journalRecords(workdir);
  const completed = (step: string) => records.find((r) => r.event === 'step.completed' && r.step === step)?.data as Record<string, unknown>;
  const keygen = (completed('keygen').keys as Array<{ id: string; spkiSha256: string }>)[0]!;
  const backupFile = join(workdir, 'outputs', 'ca-key.backup');
  const bytes = readFileSync(backupFile);
  const { kek, set } = kekFrom(workdir);
  t.match(completed('load-kek'), { details: { kek: 'backup-kek', setId: set.setId, trusted: true } });
  t.match(completed('backup'), {
    outputs: [{ name: 'ca-key.backup', kind: 'key-backup' }],
    details: {
      label: 'CA-KEY',
      id: keygen.id,
      spkiSha256: keygen.spkiSha256,
      mechanism: 'CKM_AES_KEY_WRAP_PAD',
      kek: set,
      certificateSha256: null,
      kekDestroyed: true,
    },
  });
  const header = parseBackup(bytes, backupFile).header;
  t.match(header, {
    label: 'CA-KEY',
    id: keygen.id,
    spkiSha256: keygen.spkiSha256,
    kek: set,
    source: { token: 'BK-SRC', ceremony: 'backup-in-one', step: 'backup' },
  });

  const verify = await keyceremonyInProcess(['journal', 'verify', workdir]);
  t.equal(verify.code, 0, verify.stderr);
  const canary = buildCanary([workdir]);
  t.equal(canary.secrets, 3, 'the canary rebuilt the SO PIN, the user PIN and the KEK');
  assertNoSecretsLeaked(t, canary, { roots: [workdir], streams: { stdout: result.stdout, stderr: result.stderr, verify: verify.stdout } });

  const dr = fx.initToken('BK-DR');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const restored = await restoreKey(
    hsm,
    { label: 'BK-DR' },
    { soPin: dr.soPin, userPin: dr.userPin, kek },
    set,
    { name: backupFile, bytes },
    { backup: false },
  );
  t.equal(restored.key.id, keygen.id);
  const session = hsm.openSession('BK-DR');
  session.login('user', dr.userPin);
  const data = Buffer.from('a test CRL stands in here');
  const signature = ecdsaRawToDer(await session.sign('CA-KEY', 'SHA-384', data));
  session.logout();
  session.close();
  const checked = await openssl((d) => ['dgst', '-sha384', '-verify', join(d, 'k.pem'), '-signature', join(d, 'sig'), join(d, 'data')], {
    'k.pem': pem('PUBLIC KEY', Buffer.from(header.spki, 'base64')),
    sig: signature,
    data,
  });
  t.equal(checked.stdout.trim(), 'Verified OK', 'the restored key signs under the public key in the backup header');
});

t.test('a key not generated for backup is refused, and nothing is written', async (t) => {
  const fx = softhsm(t);
  const run = await variant(fx, 'no-backup', (text) => text.replace('    backup: true\n', ''));
  t.equal(run.code, 1, run.stderr);
  t.match(run.stderr, 'key "CA-KEY" on token "BK-SRC" was not generated for backup (it is not extractable)');
  t.notOk(existsSync(join(run.workdir, 'outputs', 'ca-key.backup')), 'no backup file');
  t.equal((await keyceremonyInProcess(['journal', 'verify', run.workdir])).code, 0, 'the journal verifies');
  assertNoSecretsLeaked(t, buildCanary([run.workdir]), { roots: [run.workdir], streams: { stdout: run.stdout, stderr: run.stderr } });
});

t.test('backup-key without a KEK on the token is refused; a lock between load-kek and backup-key does not validate', async (t) => {
  const fx = softhsm(t);
  const run = await variant(
    fx,
    'no-kek',
    (text) =>
      text
        .replace('  - { id: unlock-so, type: unlock, credential: src-so-pin, by: administrator, witness: witness }\n', '')
        .replace('  - { id: load-kek, type: load-kek, kek: backup-kek, token: src, by: administrator, witness: witness }\n', ''),
    (text) => text.replace(/  unlock-so:[\s\S]*?(?=  unlock-again:)/, ''),
  );
  t.equal(run.code, 1, run.stderr);
  t.match(run.stderr, 'step backup: the key-encryption key "backup-kek" is not on token "src" in this session');
  t.notOk(existsSync(join(run.workdir, 'outputs', 'ca-key.backup')));
  t.equal((await keyceremonyInProcess(['journal', 'verify', run.workdir])).code, 0);

  const locked = join(fx.dir, 'locked.yaml');
  writeFileSync(
    locked,
    readFileSync(definition, 'utf8').replace('  - { id: unlock-again,', '  - { id: lock-between, type: lock, token: src }\n  - { id: unlock-again,'),
  );
  const refused = await keyceremonyInProcess(['validate', locked]);
  t.equal(refused.code, 2);
  t.match(refused.stderr, 'token "src" is not unlocked at this point');
});

t.test('validate: load-kek needs the SO unlock; backup-key names a KEK credential', async (t) => {
  const fx = softhsm(t);
  const text = readFileSync(definition, 'utf8');
  const noSo = join(fx.dir, 'no-so.yaml');
  writeFileSync(noSo, text.replace('  - { id: unlock-so, type: unlock, credential: src-so-pin, by: administrator, witness: witness }\n', ''));
  const a = await keyceremonyInProcess(['validate', noSo]);
  t.equal(a.code, 2);
  t.match(a.stderr, 'load-kek needs token "src" unlocked as SO by an earlier unlock step');
  const pinAsKek = join(fx.dir, 'pin-as-kek.yaml');
  writeFileSync(pinAsKek, text.replace('type: backup-key, key: CA-KEY, kek: backup-kek', 'type: backup-key, key: CA-KEY, kek: src-user-pin'));
  const b = await keyceremonyInProcess(['validate', pinAsKek]);
  t.equal(b.code, 2);
  t.match(b.stderr, 'credential "src-user-pin" is a PIN; a key-encryption key is a credential with kek: true');
});
