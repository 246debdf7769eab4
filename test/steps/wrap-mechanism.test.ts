// Issue 18: a restore (or backup) token without the wrapping mechanism. SoftHSM offers
// CKM_AES_KEY_WRAP_PAD everywhere, so the fault seam makes the token leave it out of
// C_GetMechanismList (faulty-hsm.ts hideMechanisms). A DR token this ceremony initialises is
// not in the pre-flight yet: load-kek refuses before the KEK is rebuilt or put on it, and
// nothing is unwrapped. A token that exists already is refused by the pre-flight that `run`
// and `hsm check` share, before anyone signs in.
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { loadDefinition } from '../../src/definition/loader.js';
import { loadHsmProfile } from '../../src/hsm/profile.js';
import { preflight, preflightRefusal } from '../../src/hsm/preflight.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { FIXTURES, journalRecords, newWorkdir } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { runWithFaults } from '../helpers/faults.js';
import { hideMechanisms } from '../helpers/faulty-hsm.js';
import { softhsm } from '../helpers/softhsm.js';

const BACKUP = join(FIXTURES, 'backup', 'backup.yaml');
const BACKUP_ANSWERS = join(FIXTURES, 'backup', 'backup.answers.yaml');
const RESTORE = join(FIXTURES, 'backup', 'restore.yaml');
const WRAP_PAD = 'CKM_AES_KEY_WRAP_PAD';
const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

t.test('a restore target without CKM_AES_KEY_WRAP_PAD: refused at load-kek, before the KEK or the key reach it; then by the pre-flight', async (t) => {
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
  const profile = fx.profile({ dr: 'DR-NOMECH' }, { name: 'dr-hsm.yaml' });
  const hsmLog = join(fx.dir, 'hsm.log');
  const run = await runWithFaults(
    ['run', definition, '--hsm', profile, '--workdir', workdir, '--answers', answers],
    { hideMechanisms: { label: 'DR-NOMECH', mechanisms: [WRAP_PAD] }, hsmLog },
    { env: fx.env },
  );
  t.equal(run.code, 1, `the step fails and is recorded ${run.stderr}`);
  t.match(
    run.stderr,
    `keyceremony: error: step load-kek failed: token "DR-NOMECH" cannot unwrap keys with ${WRAP_PAD}, which step restore needs; the KEK was not rebuilt or put on the token`,
  );
  t.match(run.stderr, 'keyceremony: hint: `keyceremony hsm info` lists the wrapping mechanisms of each token');
  const records = journalRecords(workdir);
  t.match(records.find((r) => r.event === 'step.failed' && r.step === 'load-kek')?.data, { code: 'hsm.wrap-mechanism-missing' });
  t.notOk(
    records.some((r) => r.event === 'step.completed' && (r.step === 'load-kek' || r.step === 'restore')),
    'no KEK loaded, nothing restored',
  );
  const calls = readFileSync(hsmLog, 'utf8');
  t.notMatch(calls, 'call unwrapKey', 'C_UnwrapKey was never called');
  t.equal((await keyceremonyInProcess(['journal', 'verify', workdir])).code, 0, 'the journal verifies');
  assertNoSecretsLeaked(t, buildCanary([workdir, source]), { roots: [workdir], streams: { stdout: run.stdout, stderr: run.stderr } });

  // The token exists now (init-token ran): the pre-flight, in the test's own process with the
  // same fault, refuses it for the restore, and the source token for a backup, naming each.
  const restore = hideMechanisms(pkcs11js, { label: 'DR-NOMECH', mechanisms: [WRAP_PAD] });
  const hsm = fx.open();
  try {
    t.notOk(hsm.openSession('DR-NOMECH').findKeyPair('CA-KEY'), 'no key "CA-KEY" on the DR token');
    t.match(
      hsm.wrappingMechanisms('DR-NOMECH').find((m) => m.name === WRAP_PAD),
      { wrap: false, unwrap: false },
    );
    t.match(
      hsm.wrappingMechanisms('BK-SRC').find((m) => m.name === WRAP_PAD),
      { wrap: true, unwrap: true },
      'only the named token is changed',
    );
    const rows = preflight(loadDefinition(definition), loadHsmProfile(profile), hsm);
    t.match(
      rows.find((r) => r.step === 'restore' && r.status === 'missing'),
      { token: 'dr', text: { en: `${WRAP_PAD} to unwrap keys: not supported`, 'zh-TW': `${WRAP_PAD}（解包金鑰）：不支援` } },
    );
    t.match(preflightRefusal(rows, profile)?.message, `dr (step restore): ${WRAP_PAD} to unwrap keys: not supported`);
  } finally {
    hsm.finalize();
    restore();
  }
});
