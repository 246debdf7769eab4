// attack17b (re-review of the file checks, near them), now refused. In a rehearsal (adopting is
// offered only through an answers file; answers are refused in production), backup-key's
// reconcile shows the witnesses the SHA-256 of an unrecorded backup file left by a crash and
// stops; they then resume with `reconcile: adopt`. The second run read the file again and adopted
// whatever was there (its MAC cannot be checked: the session KEK died with the process). The
// adopt answer must now name the SHA-256 the witnesses were shown (`adoptSha256`), and a file
// that changed in between is refused (reconcile.adopt-changed): nothing adopted.
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { keyceremony } from '../helpers/cli.js';
import { runWithFaults } from '../helpers/faults.js';
import { softhsm } from '../helpers/softhsm.js';

const BACKUP = join(FIXTURES, 'backup', 'backup.yaml');
const BACKUP_ANSWERS = join(FIXTURES, 'backup', 'backup.answers.yaml');
const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

t.test('a backup swapped between the witnesses seeing its SHA-256 and adopting it is refused', async (t) => {
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
    readFileSync(BACKUP_ANSWERS, 'utf8').replace(
      /^ {2}backup: \{ by: alice, witness: wendy \}$/m,
      `  backup: { by: alice, witness: wendy, reconcile: adopt, adoptSha256: ${shown} }`,
    ),
  );
  const adopted = await keyceremony(['resume', workdir, '--answers', answers], { env: fx.env });
  t.equal(adopted.code, 2, 'refused');
  t.match(
    adopted.stderr.replace(/\s+/g, ' '),
    `step backup: ca-key.backup now has SHA-256 ${swapped}, not ${shown} that the witnesses decided to adopt`,
    'naming the file, the SHA-256 it has and the one decided on',
  );
  const records = journalRecords(workdir);
  t.notOk(
    records.some((r) => r.event === 'output.unrecorded' && r.data.decision === 'adopt'),
    'nothing adopted',
  );
  t.notOk(
    records.some((r) => r.event === 'step.reconciled' && r.step === 'backup'),
    'no step reconciled',
  );
  t.equal((await keyceremony(['journal', 'verify', workdir])).code, 0, 'the journal verifies');
});
