// Issue 18: a crash during the wrap (backup-key) or the unwrap (restore-key), then resume.
// The session KEK dies with the process, so the step cannot simply run again: what the crash
// left (a backup file written but not recorded; a key unwrapped onto the target but not
// recorded) is shown to the witnesses, who adopt it or stop, like generate-key's reconcile.
// A file or key that is not what the step would have made is never adopted (another key, or
// the KEK set's id with another verifier).
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackup, verifyBackup } from '../../src/backup/backup-file.js';
import { combine, parseManifestText } from '../../src/quorum/index.js';
import { FIXTURES, journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { runWithFaults } from '../helpers/faults.js';
import { softhsm, type SoftHsmFixture } from '../helpers/softhsm.js';

const BACKUP = join(FIXTURES, 'backup', 'backup.yaml');
const BACKUP_ANSWERS = join(FIXTURES, 'backup', 'backup.answers.yaml');
const RESTORE = join(FIXTURES, 'backup', 'restore.yaml');
const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The answers file with `reconcile: adopt` added to `step`, and the adopted file's SHA-256 when it is a file (backup-key). */
function adopting(fx: SoftHsmFixture, answers: string, step: string, sha256?: string): string {
  const file = join(fx.dir, `adopt-${step}.answers.yaml`);
  const text = readFileSync(answers, 'utf8');
  const line = new RegExp(`^  ${step}: \\{ by: alice, witness: wendy \\}$`, 'm');
  if (!line.test(text)) throw new Error(`no one-line answer for ${step} in ${answers}`);
  const pinned = sha256 ? `, adoptSha256: ${sha256}` : '';
  writeFileSync(file, text.replace(line, `  ${step}: { by: alice, witness: wendy, reconcile: adopt${pinned} }`));
  return file;
}

async function backupKilledAfterWrite(fx: SoftHsmFixture, name: string) {
  const workdir = newWorkdir(fx, name);
  const profile = fx.profile({ src: `BK-${name}` }, { name: `${name}-hsm.yaml` });
  const crashed = await runWithFaults(
    ['run', BACKUP, '--hsm', profile, '--workdir', workdir, '--answers', BACKUP_ANSWERS],
    { afterOutput: { name: 'ca-key.backup', action: 'SIGKILL' } },
    { env: fx.env },
  );
  return { workdir, crashed, file: join(workdir, 'outputs', 'ca-key.backup') };
}

t.test('backup-key: killed after the file was written, before its record: the witnesses adopt it', async (t) => {
  const fx = softhsm(t);
  const { workdir, crashed, file } = await backupKilledAfterWrite(fx, 'adopt');
  t.equal(crashed.signal, 'SIGKILL', 'killed the moment the backup file had its name');
  const written = sha256File(file);

  const asked = await keyceremonyInProcess(['resume', workdir, '--answers', BACKUP_ANSWERS], { env: fx.env });
  t.equal(asked.code, 2, asked.stderr);
  t.match(asked.stderr, `step backup: ca-key.backup (SHA-256 ${written}), a backup of key "CA-KEY" under KEK set`);
  t.match(asked.stderr, `adopt it, naming the SHA-256 they were shown (answers: steps.backup.reconcile: adopt, steps.backup.adoptSha256: ${written}), or stop`);
  const unpinned = await keyceremonyInProcess(['resume', workdir, '--answers', adopting(fx, BACKUP_ANSWERS, 'backup')], { env: fx.env });
  t.equal(unpinned.code, 2, 'adopt without the SHA-256 the witnesses were shown: asked again, nothing adopted');
  t.match(unpinned.stderr, 'steps.backup.adoptSha256');
  t.equal(sha256File(file), written, 'the file is left where it is while the witnesses decide');
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the journal verifies');

  const adopted = await keyceremonyInProcess(['resume', workdir, '--answers', adopting(fx, BACKUP_ANSWERS, 'backup', written)], { env: fx.env });
  t.equal(adopted.code, 0, adopted.stderr);
  const records = journalRecords(workdir);
  t.match(records.find((r) => r.event === 'output.unrecorded' && r.data.decision === 'adopt')?.data, {
    name: 'ca-key.backup',
    sha256: written,
    label: 'CA-KEY',
  });
  const reconciled = records.find((r) => r.event === 'step.reconciled' && r.step === 'backup')?.data as {
    from: string;
    result: { outputs: Array<{ name: string; sha256: string }>; details: Record<string, unknown> };
  };
  t.equal(reconciled.from, 'hsm');
  t.match(reconciled.result.outputs, [{ name: 'ca-key.backup', sha256: written }]);
  t.match(reconciled.result.details, { label: 'CA-KEY', mechanism: 'CKM_AES_KEY_WRAP_PAD', adoptedAfterRestart: true });
  t.equal(sha256File(file), written, 'the adopted file is the one written before the crash');
  t.notOk(
    records.some((r) => r.event === 'step.completed' && r.step === 'backup'),
    'the wrap was not done again',
  );
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the journal verifies');

  // The adopted file is whole: its MAC checks under the KEK the recovery custodians' shares rebuild.
  const manifestFile = join(workdir, 'outputs', 'backup-kek.make-kek.manifest.json');
  const manifest = parseManifestText(readFileSync(manifestFile, 'utf8'), manifestFile);
  const share = (who: string) =>
    readFileSync(join(workdir, 'dry-run-shares', who), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('backup-kek '))!
      .split(/\s+/)
      .slice(2)
      .join(' ');
  const kek = combine([share('ray'), share('rose')], manifest);
  t.doesNotThrow(() => verifyBackup(parseBackup(readFileSync(file), file), kek, manifest, file));
  kek.fill(0);
});

t.test("backup-key: a file at the backup's name that is not this key's backup is never adopted", async (t) => {
  const fx = softhsm(t);
  const { workdir, crashed, file } = await backupKilledAfterWrite(fx, 'stranger');
  t.equal(crashed.signal, 'SIGKILL');
  // Someone put another key's backup there (the header names another public key).
  const text = readFileSync(file, 'utf8');
  const spki = /"spkiSha256":"([0-9a-f]{64})"/.exec(text)![1]!;
  writeFileSync(file, text.replace(spki, 'f'.repeat(64)));
  const stranger = sha256File(file);
  const resumed = await keyceremonyInProcess(['resume', workdir, '--answers', adopting(fx, BACKUP_ANSWERS, 'backup', stranger)], { env: fx.env });
  t.equal(resumed.code, 1, 'not adopted: the step runs again and needs a KEK that the restart lost');
  t.match(resumed.stderr, 'the key-encryption key "backup-kek" is not on token "src" in this session');
  const records = journalRecords(workdir);
  t.match(records.find((r) => r.event === 'output.unrecorded' && r.data.name === 'ca-key.backup')?.data, { sha256: stranger, note: /moved aside/ });
  t.notOk(
    records.some((r) => r.event === 'step.reconciled' && r.step === 'backup'),
    'nothing adopted',
  );
  t.notOk(existsSync(file), 'the stranger file was moved aside');
  t.ok(readdirSync(join(workdir, 'outputs', '.unrecorded')).some((name) => name.startsWith('ca-key.backup.')));
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the journal verifies');
});

t.test('backup-key: an unrecorded file naming the KEK set but another verifier is never adopted', async (t) => {
  const fx = softhsm(t);
  const { workdir, crashed, file } = await backupKilledAfterWrite(fx, 'verifier');
  t.equal(crashed.signal, 'SIGKILL');
  // The header's KEK set id kept, its verifier replaced: the file still parses, and its key is the token's.
  const text = readFileSync(file, 'utf8');
  const verifier = /"verifier":"([0-9a-f]{64})"/.exec(text)![1]!;
  writeFileSync(file, text.replace(`"verifier":"${verifier}"`, `"verifier":"${'0'.repeat(64)}"`));
  t.doesNotThrow(() => parseBackup(readFileSync(file), file), 'still a well-formed backup file');
  const edited = sha256File(file);
  const resumed = await keyceremonyInProcess(['resume', workdir, '--answers', adopting(fx, BACKUP_ANSWERS, 'backup', edited)], { env: fx.env });
  t.equal(resumed.code, 1, 'not adopted, though the witnesses would adopt: the step runs again and needs a KEK that the restart lost');
  t.notMatch(resumed.stderr, 'was written but the journal does not record it', 'not even offered to the witnesses');
  const records = journalRecords(workdir);
  t.match(records.find((r) => r.event === 'output.unrecorded' && r.data.name === 'ca-key.backup')?.data, { sha256: edited, note: /moved aside/ });
  t.notOk(
    records.some((r) => r.event === 'step.reconciled' && r.step === 'backup'),
    'nothing adopted',
  );
  t.notOk(existsSync(file), 'the edited file was moved aside');
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the journal verifies');
});

t.test("restore-key: killed after the unwrap, before its record: the witnesses adopt the key, which is the backup's", async (t) => {
  const fx = softhsm(t);
  const source = newWorkdir(fx, 'source');
  const made = await keyceremonyInProcess(
    ['run', BACKUP, '--hsm', fx.profile({ src: 'BK-SRC' }, { name: 'src-hsm.yaml' }), '--workdir', source, '--answers', BACKUP_ANSWERS],
    { env: fx.env },
  );
  t.equal(made.code, 0, made.stderr);
  const manifest = join(source, 'outputs', 'backup-kek.make-kek.manifest.json');
  const backup = join(source, 'outputs', 'ca-key.backup');
  const definition = join(fx.dir, 'restore.yaml');
  writeFileSync(definition, readFileSync(RESTORE, 'utf8').replace('credential: backup-kek }', `credential: backup-kek, sha256: ${sha256File(manifest)} }`));
  const answers = join(fx.dir, 'restore.answers.yaml');
  writeFileSync(
    answers,
    [
      'ceremony: backup-restore-dr',
      'participants:',
      '  - { id: alice, name: Alice, roles: [administrator] }',
      '  - { id: wendy, name: Wendy, roles: [witness] }',
      '  - { id: carol, name: Carol, roles: [custodian] }',
      '  - { id: dave, name: Dave, roles: [custodian] }',
      '  - { id: rita, name: Rita, roles: [recovery-custodian] }',
      '  - { id: rose, name: Rose, roles: [recovery-custodian] }',
      // The fault runner takes the inputs from the answers file (it has no --input).
      'inputs:',
      `  kek-manifest: ${manifest}`,
      `  ca-key-backup: ${backup}`,
      'steps:',
      '  init: { by: alice, witness: wendy }',
      '  unlock-so: { by: alice, witness: wendy, shares: { carol: { file: $WORKDIR/dry-run-shares/carol }, dave: { file: $WORKDIR/dry-run-shares/dave } } }',
      `  load-kek: { by: alice, witness: wendy, shares: { rose: { file: ${source}/dry-run-shares/rose }, rita: { file: ${source}/dry-run-shares/rita } } }`,
      '  unlock: { by: alice, witness: wendy, shares: { carol: { file: $WORKDIR/dry-run-shares/carol }, dave: { file: $WORKDIR/dry-run-shares/dave } } }',
      '  restore: { by: alice, witness: wendy }',
      '',
    ].join('\n'),
  );
  const workdir = newWorkdir(fx, 'dr');
  const profile = fx.profile({ dr: 'DR-RESUME' }, { name: 'dr-hsm.yaml' });
  const crashed = await runWithFaults(
    ['run', definition, '--hsm', profile, '--workdir', workdir, '--answers', answers],
    { hsm: { method: 'unwrapKey', moment: 'after', action: { signal: 'SIGKILL' } } },
    { env: fx.env },
  );
  t.equal(crashed.signal, 'SIGKILL', `killed the moment C_UnwrapKey returned ${crashed.stderr}`);
  const header = parseBackup(readFileSync(backup), backup).header;

  const asked = await keyceremonyInProcess(['resume', workdir, '--answers', answers], { env: fx.env });
  t.equal(asked.code, 2, asked.stderr);
  t.match(
    asked.stderr,
    `step restore: token "dr" holds key "CA-KEY" (SPKI SHA-256 ${header.spkiSha256}, the key in ca-key-backup) that the journal does not record`,
  );
  t.match(asked.stderr, 'adopt it (answers: steps.restore.reconcile: adopt), or stop and destroy it in a destroy-key ceremony');
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the journal verifies');

  const adopted = await keyceremonyInProcess(['resume', workdir, '--answers', adopting(fx, answers, 'restore')], { env: fx.env });
  t.equal(adopted.code, 0, adopted.stderr);
  const records = journalRecords(workdir);
  t.match(records.find((r) => r.event === 'hsm.unrecorded-key' && r.step === 'restore')?.data, {
    token: 'dr',
    label: 'CA-KEY',
    spkiSha256: header.spkiSha256,
    backupSpkiSha256: header.spkiSha256,
    decision: 'adopt',
  });
  const reconciled = records.find((r) => r.event === 'step.reconciled' && r.step === 'restore')?.data as {
    result: { keys: unknown[]; details: Record<string, unknown> };
  };
  t.match(reconciled.result.keys, [{ label: 'CA-KEY', token: 'dr', id: header.id, spkiSha256: header.spkiSha256 }]);
  t.match(reconciled.result.details, { from: 'ca-key-backup', fileSha256: sha256File(backup), spkiMatchesHeader: true, adoptedAfterRestart: true });
  t.notOk('testSignatureVerified' in reconciled.result.details, 'no test signature is claimed: the restart lost the login it needs');
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the journal verifies');
});
