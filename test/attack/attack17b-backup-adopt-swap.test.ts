// attack17b FINDING, open, REHEARSALS ONLY (re-review of the file checks, near them). Adopting is
// offered only through an answers file, and answers are refused in production (dryRun: false):
// there resume refuses and the file is set aside. In a rehearsal: backup-key's reconcile shows the
// witnesses the SHA-256 of an unrecorded backup file left by a crash and stops; they then resume
// with `reconcile: adopt`. The second run reads the file again and adopts whatever is there: its
// header is checked (label, SPKI, KEK set and verifier, all public and copied from the original),
// but not that its SHA-256 is the one the witnesses were shown, and the MAC cannot be checked
// (the session KEK died with the process). Whoever can write the workdir replaces the backup in
// between by one that does not open (here one MAC digit changed): the journal records it as the
// key's backup, and the loss shows only at restore. Not fixed here: the adopt answer would have to
// carry the SHA-256 the witnesses decided on (an answers-schema change), or the first run journal it.
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackup, verifyBackup } from '../../src/backup/backup-file.js';
import { combine, parseManifestText } from '../../src/quorum/index.js';
import { FIXTURES, journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { keyceremony } from '../helpers/cli.js';
import { runWithFaults } from '../helpers/faults.js';
import { softhsm } from '../helpers/softhsm.js';

const BACKUP = join(FIXTURES, 'backup', 'backup.yaml');
const BACKUP_ANSWERS = join(FIXTURES, 'backup', 'backup.answers.yaml');
const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

t.test('FINDING (rehearsals only, open): a backup swapped between the witnesses seeing its SHA-256 and adopting it is adopted', async (t) => {
  const fx = softhsm(t);
  const workdir = newWorkdir(fx, 'adopt-swap');
  const profile = fx.profile({ src: 'BK-adopt-swap' }, { name: 'adopt-swap-hsm.yaml' });
  const crashed = await runWithFaults(
    ['run', BACKUP, '--hsm', profile, '--workdir', workdir, '--answers', BACKUP_ANSWERS],
    { afterOutput: { name: 'ca-key.backup', action: 'SIGKILL' } },
    { env: fx.env },
  );
  t.equal(crashed.signal, 'SIGKILL', 'killed the moment the backup file had its name');
  const file = join(workdir, 'outputs', 'ca-key.backup');
  const shown = sha256File(file);
  const asked = await keyceremony(['resume', workdir, '--answers', BACKUP_ANSWERS], { env: fx.env });
  t.equal(asked.code, 2, 'the witnesses are asked');
  t.match(asked.stderr, `ca-key.backup (SHA-256 ${shown})`, 'and shown its SHA-256');

  // The attacker: the same header, a MAC that will never check.
  const [line, mac] = readFileSync(file, 'utf8').split('\n');
  const broken = `${line}\n${mac!.slice(0, -1)}${mac!.endsWith('0') ? '1' : '0'}\n`;
  writeFileSync(file, broken);
  const swapped = sha256File(file);
  t.not(swapped, shown);

  const answers = join(fx.dir, 'adopt.answers.yaml');
  writeFileSync(
    answers,
    readFileSync(BACKUP_ANSWERS, 'utf8').replace(/^ {2}backup: \{ by: alice, witness: wendy \}$/m, '  backup: { by: alice, witness: wendy, reconcile: adopt }'),
  );
  const adopted = await keyceremony(['resume', workdir, '--answers', answers], { env: fx.env });
  t.equal(adopted.code, 0, `the ceremony completes: ${adopted.stderr}`);
  const records = journalRecords(workdir);
  t.match(
    records.find((r) => r.event === 'output.unrecorded' && r.data.decision === 'adopt')?.data,
    { name: 'ca-key.backup', sha256: swapped },
    'the journal adopts the swapped file, not the one the witnesses were shown',
  );
  t.equal((await keyceremony(['journal', 'verify', workdir])).code, 0, 'the journal verifies');

  // And the adopted backup does not open under the KEK the recovery custodians' shares rebuild.
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
  t.throws(() => verifyBackup(parseBackup(readFileSync(file), file), kek, manifest, file), 'the adopted backup fails its MAC: the key has no usable backup');
  kek.fill(0);
});
