// restore-key (issue 18): the backup file of a backup ceremony (fixtures/backup/backup.yaml)
// and the KEK's manifest are brought to a second ceremony on a new token (DR-<case>); the recovery
// custodians' quorum puts the KEK on it under the SO, and the key comes back as sensitive with
// its label and CKA_ID, signing under the original public key (openssl), as pkcs11-tool shows.
// Faults: another KEK share set, one byte of the file changed, a KEK manifest not pinned, and
// a verifier that is not the header's under the same KEK set id (an edited header or manifest,
// or a KEK made again from another share set that reuses the id).
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackup } from '../../src/backup/backup-file.js';
import { parseManifestText, serializeManifest } from '../../src/quorum/index.js';
import { secretVerifier } from '../../src/quorum/manifest.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { ecdsaRawToDer, openssl, pem } from '../helpers/openssl.js';
import { pkcs11ToolLoggedIn, softhsm, type SoftHsmFixture } from '../helpers/softhsm.js';

const BACKUP = { definition: join(FIXTURES, 'backup', 'backup.yaml'), answers: join(FIXTURES, 'backup', 'backup.answers.yaml') };
const KEK_ONLY = { definition: join(FIXTURES, 'backup', 'kek-init.yaml'), answers: join(FIXTURES, 'backup', 'kek-init.answers.yaml') };
const RESTORE = join(FIXTURES, 'backup', 'restore.yaml');

const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The restore ceremony, with the KEK manifest pinned (or not) and shares from `kekWorkdir`'s recovery custodians. */
async function restore(
  fx: SoftHsmFixture,
  name: string,
  inputs: { manifest: string; backup: string; kekWorkdir: string },
  options: { pin?: boolean; pinTo?: string } = {},
) {
  const definition = join(fx.dir, `${name}.yaml`);
  const text = readFileSync(RESTORE, 'utf8');
  writeFileSync(
    definition,
    options.pin === false
      ? text
      : text.replace('credential: backup-kek }', `credential: backup-kek, sha256: ${sha256File(options.pinTo ?? inputs.manifest)} }`),
  );
  const answers = join(fx.dir, `${name}.answers.yaml`);
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
      'steps:',
      '  init: { by: alice, witness: wendy }',
      '  unlock-so: { by: alice, witness: wendy, shares: { carol: { file: $WORKDIR/dry-run-shares/carol }, dave: { file: $WORKDIR/dry-run-shares/dave } } }',
      `  load-kek: { by: alice, witness: wendy, shares: { rose: { file: ${inputs.kekWorkdir}/dry-run-shares/rose }, rita: { file: ${inputs.kekWorkdir}/dry-run-shares/rita } } }`,
      '  unlock: { by: alice, witness: wendy, shares: { carol: { file: $WORKDIR/dry-run-shares/carol }, dave: { file: $WORKDIR/dry-run-shares/dave } } }',
      '  restore: { by: alice, witness: wendy }',
      '',
    ].join('\n'),
  );
  const workdir = newWorkdir(fx, name);
  const result = await runCeremony(fx, {
    definition,
    profile: fx.profile({ dr: `DR-${name}` }, { name: `${name}-hsm.yaml` }),
    workdir,
    answers,
    extra: ['--input', `kek-manifest=${inputs.manifest}`, '--input', `ca-key-backup=${inputs.backup}`],
  });
  return { workdir, ...result };
}

/** A restore refused before the journal: the workdir left empty, the DR token never initialised. */
function assertNothingWritten(t: Test, fx: SoftHsmFixture, workdir: string, label: string): void {
  t.same(
    existsSync(workdir) ? readdirSync(workdir).filter((name) => name !== '.lock') : [],
    [],
    'nothing is left in the workdir (no journal: refused before anyone signed in)',
  );
  const hsm = fx.open();
  try {
    t.notOk(
      hsm.tokens().some((token) => token.initialized && token.label === label),
      `token ${label} was never initialised`,
    );
  } finally {
    hsm.finalize();
  }
}

async function backedUp(fx: SoftHsmFixture): Promise<{ workdir: string; manifest: string; backup: string }> {
  const workdir = newWorkdir(fx, 'backup');
  const result = await runCeremony(fx, { ...BACKUP, profile: fx.profile({ src: 'BK-SRC' }, { name: 'src-hsm.yaml' }), workdir });
  if (result.code !== 0) throw new Error(result.stderr);
  return { workdir, manifest: join(workdir, 'outputs', 'backup-kek.make-kek.manifest.json'), backup: join(workdir, 'outputs', 'ca-key.backup') };
}

t.test('restored onto the DR token: sensitive, same label, CKA_ID and public key; it signs under the original public key', async (t) => {
  const fx = softhsm(t);
  const source = await backedUp(fx);
  const run = await restore(fx, 'restore', { ...source, kekWorkdir: source.workdir });
  t.equal(run.code, 0, run.stderr);
  const header = parseBackup(readFileSync(source.backup), source.backup).header;
  const completed = journalRecords(run.workdir).find((r) => r.event === 'step.completed' && r.step === 'restore')?.data as Record<string, unknown>;
  t.match(completed, {
    keys: [{ label: 'CA-KEY', token: 'dr', id: header.id, spkiSha256: header.spkiSha256 }],
    details: {
      spkiMatchesHeader: true,
      testSignatureVerified: true,
      sensitive: true,
      extractable: false,
      wrapWithTrusted: false,
      kekDestroyed: true,
      fileSha256: sha256File(source.backup),
    },
  });
  t.equal((await keyceremonyInProcess(['journal', 'verify', run.workdir])).code, 0);
  const canary = buildCanary([run.workdir, source.workdir]);
  assertNoSecretsLeaked(t, canary, { roots: [run.workdir], streams: { stdout: run.stdout, stderr: run.stderr } });

  const pin = canary.pinOf('dr-user-pin')!;
  const listed = await pkcs11ToolLoggedIn(fx, 'DR-restore', pin, ['--list-objects']);
  t.equal(listed.code, 0, listed.stderr);
  t.match(
    listed.stdout,
    new RegExp(`Private Key Object; EC\\n\\s+label:\\s+CA-KEY\\n\\s+ID:\\s+${header.id}\\n\\s+Usage:\\s+sign\\n\\s+Access:\\s+sensitive\\n`),
    'pkcs11-tool: sensitive, not extractable, with the label and CKA_ID of the backup',
  );
  t.notMatch(listed.stdout, /Secret Key Object/, 'no KEK left on the token');

  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const session = hsm.openSession('DR-restore');
  session.login('user', pin);
  const data = Buffer.from('signed by the restored key');
  const signature = ecdsaRawToDer(await session.sign('CA-KEY', 'SHA-384', data));
  session.logout();
  session.close();
  const verified = await openssl((d) => ['dgst', '-sha384', '-verify', join(d, 'k.pem'), '-signature', join(d, 'sig'), join(d, 'data')], {
    'k.pem': pem('PUBLIC KEY', Buffer.from(header.spki, 'base64')),
    sig: signature,
    data,
  });
  t.equal(verified.stdout.trim(), 'Verified OK');
});

t.test('faults: another KEK share set, a changed byte, an unpinned KEK manifest', async (t) => {
  const fx = softhsm(t);
  const source = await backedUp(fx);

  // Another create-kek ceremony: a well-formed set whose quorum works, but not the backup's KEK.
  const otherKek = newWorkdir(fx, 'other-kek');
  const made = await runCeremony(fx, { ...KEK_ONLY, profile: fx.profile({ src: 'BK-SRC' }, { name: 'kek-hsm.yaml' }), workdir: otherKek });
  t.equal(made.code, 0, made.stderr);
  const wrongSet = await restore(fx, 'wrong-set', {
    manifest: join(otherKek, 'outputs', 'backup-kek.make-kek.manifest.json'),
    backup: source.backup,
    kekWorkdir: otherKek,
  });
  t.equal(wrongSet.code, 2, wrongSet.stderr);
  t.match(wrongSet.stderr, `keyceremony: error: step restore: input "ca-key-backup" (${source.backup}): the backup was made under KEK set`);
  assertNothingWritten(t, fx, wrongSet.workdir, 'DR-wrong-set');

  const text = readFileSync(source.backup, 'utf8');
  const at = text.indexOf('"wrapped":"') + 20;
  const changedFile = join(fx.dir, 'changed.backup');
  writeFileSync(changedFile, text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
  const changed = await restore(fx, 'changed', { ...source, backup: changedFile, kekWorkdir: source.workdir });
  t.equal(changed.code, 1, changed.stderr);
  t.match(changed.stderr, 'ca-key-backup: the MAC does not match');
  t.notOk(
    journalRecords(changed.workdir).some((r) => r.event === 'step.completed' && r.step === 'restore'),
    'nothing restored',
  );

  const unpinned = await restore(fx, 'unpinned', { ...source, kekWorkdir: source.workdir }, { pin: false });
  t.equal(unpinned.code, 2);
  t.match(unpinned.stderr, 'is not pinned: a KEK set is bound to no token, so the definition must pin its manifest');
  t.notOk(existsSync(join(unpinned.workdir, 'outputs', 'dr-so-pin.init.manifest.json')), 'refused before anything was made');
});

t.test('a KEK verifier mismatch under the same set id: refused before sign-in, whichever file was changed', async (t) => {
  const fx = softhsm(t);
  const source = await backedUp(fx);
  const manifest = parseManifestText(readFileSync(source.manifest, 'utf8'), source.manifest);
  const header = parseBackup(readFileSync(source.backup), source.backup).header;
  t.equal(header.kek.setId, manifest.setId);
  // The verifier of another 32-byte KEK under the same set id, as a set made again with that id would carry.
  const otherVerifier = secretVerifier(manifest.setId, randomBytes(32));

  // The backup's header edited: its set id kept, its verifier replaced (the file stays canonical JSON).
  const editedBackup = join(fx.dir, 'edited-verifier.backup');
  writeFileSync(editedBackup, readFileSync(source.backup, 'utf8').replace(`"verifier":"${header.kek.verifier}"`, `"verifier":"${otherVerifier}"`));
  t.equal(parseBackup(readFileSync(editedBackup), editedBackup).header.kek.verifier, otherVerifier, 'the edited file still reads as a backup file');
  const edited = await restore(fx, 'edited-header', { ...source, backup: editedBackup, kekWorkdir: source.workdir });
  t.equal(edited.code, 2, edited.stderr);
  t.match(
    edited.stderr,
    `keyceremony: error: step restore: input "ca-key-backup" (${editedBackup}): the backup names KEK set ${manifest.setId} with verifier ${otherVerifier.slice(0, 16)}…, but the manifest of set ${manifest.setId} has verifier ${manifest.verifier.slice(0, 16)}…: the header or the manifest was edited, or that KEK was made again from another share set under the same id`,
  );
  t.match(edited.stderr, 'keyceremony: hint: the custodians of backup-kek set');
  assertNothingWritten(t, fx, edited.workdir, 'DR-edited-header');

  // The manifest edited (or made again) with the same set id and another verifier, and pinned by
  // a definition written for it: the backup, untouched, names the original verifier.
  const otherManifest = join(fx.dir, 'same-id-other-verifier.manifest.json');
  writeFileSync(otherManifest, serializeManifest({ ...manifest, verifier: otherVerifier }));
  const reused = await restore(fx, 'reused-id', { ...source, manifest: otherManifest, kekWorkdir: source.workdir });
  t.equal(reused.code, 2, reused.stderr);
  t.match(
    reused.stderr,
    `step restore: input "ca-key-backup" (${source.backup}): the backup names KEK set ${manifest.setId} with verifier ${manifest.verifier.slice(0, 16)}…, but the manifest of set ${manifest.setId} has verifier ${otherVerifier.slice(0, 16)}…`,
  );
  assertNothingWritten(t, fx, reused.workdir, 'DR-reused-id');

  // The same edited manifest against a definition that pins the original: its hash refuses it first.
  const pinned = await restore(fx, 'pinned-original', { ...source, manifest: otherManifest, kekWorkdir: source.workdir }, { pinTo: source.manifest });
  t.equal(pinned.code, 2, pinned.stderr);
  t.match(
    pinned.stderr,
    `input "kek-manifest": ${otherManifest} has SHA-256 ${sha256File(otherManifest)}, but the definition expects ${sha256File(source.manifest)}`,
  );
  assertNothingWritten(t, fx, pinned.workdir, 'DR-pinned-original');
  t.equal((await keyceremonyInProcess(['journal', 'verify', source.workdir])).code, 0, "the backup ceremony's journal still verifies");
});
