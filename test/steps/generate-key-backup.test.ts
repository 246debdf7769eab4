// generate-key with `backup: true` (issue 18): the key is extractable only under a trusted
// key, the other stays never-extractable; the journal, the plan and the report say which is
// which, and pkcs11-tool, logged in with the PIN the quorum's shares make, shows it on the token.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCanary } from '../helpers/canary.js';
import { FIXTURES, journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { pkcs11ToolLoggedIn, softhsm } from '../helpers/softhsm.js';

const definition = join(FIXTURES, 'backup', 'keygen.yaml');
const answers = join(FIXTURES, 'backup', 'keygen.answers.yaml');
/** Markdown escapes the underscores of CKA_ names. */
const unescaped = (markdown: string) => markdown.replace(/\\_/g, '_');

t.test('backup: true is opt-in, recorded, shown in plan and report, and on the token as asked', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ src: 'BACKUP-SRC' });
  const workdir = newWorkdir(fx);
  const result = await runCeremony(fx, { definition, profile, workdir, answers });
  t.equal(result.code, 0, result.stderr);

  const completed = journalRecords(workdir).filter((r) => r.event === 'step.completed');
  const details = (step: string) => (completed.find((r) => r.step === step)?.data as { details?: unknown }).details;
  t.match(
    (details('keygen') as { privateKeyAttributes: unknown }).privateKeyAttributes,
    { extractable: true, neverExtractable: false, wrapWithTrusted: true, sensitive: true },
    'the journal records a key for backup',
  );
  t.match(
    (details('keygen-plain') as { privateKeyAttributes: unknown }).privateKeyAttributes,
    { extractable: false, neverExtractable: true, wrapWithTrusted: false, sensitive: true },
    'and a key that never leaves the HSM',
  );

  const pin = buildCanary([workdir]).pinOf('src-user-pin');
  t.ok(pin, 'the user PIN, from the dry-run shares');
  const listing = await pkcs11ToolLoggedIn(fx, 'BACKUP-SRC', pin!, ['--list-objects', '--type', 'privkey']);
  t.equal(listing.code, 0, listing.stderr);
  const entry = (label: string) => listing.stdout.split('Private Key Object').find((text) => text.includes(`label:      ${label}`)) ?? '';
  t.match(entry('CA-BACKED-UP'), /Access:\s+sensitive, always sensitive, extractable, local/, 'pkcs11-tool: extractable');
  t.match(entry('CA-STAYS'), /Access:\s+sensitive, always sensitive, never extractable, local/, 'pkcs11-tool: never extractable');

  const report = unescaped(readFileSync(join(workdir, 'report.md'), 'utf8'));
  t.match(
    report,
    'can be backed up (backup: true): extractable, but only wrapped under a key the security officer marked trusted (CKA_WRAP_WITH_TRUSTED); this gives up never-extractable',
  );
  t.match(report, 'cannot be backed up: never extractable (CKA_NEVER_EXTRACTABLE)');
});

t.test('the plan says which keys can be backed up, in both languages', async (t) => {
  const en = await keyceremonyInProcess(['plan', definition]);
  t.equal(en.code, 0, en.stderr);
  t.match(unescaped(en.stdout), /Backup[^\n]*can be backed up \(backup: true\)[^\n]*CKA_WRAP_WITH_TRUSTED[^\n]*CKA_NEVER_EXTRACTABLE false/);
  t.match(unescaped(en.stdout), /Backup[^\n]*cannot be backed up: never extractable/);
  const zh = await keyceremonyInProcess(['plan', definition, '--lang', 'zh-TW']);
  t.equal(zh.code, 0, zh.stderr);
  t.match(zh.stdout, '可備份（backup: true）');
  t.match(zh.stdout, '不可備份：永不可匯出');
});

t.test('backup must be true or false', async (t) => {
  const fx = softhsm(t);
  const bad = join(fx.dir, 'bad.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(bad, readFileSync(definition, 'utf8').replace('backup: true', 'backup: yes please'));
  const result = await keyceremonyInProcess(['validate', bad]);
  t.equal(result.code, 2);
  t.match(result.stderr, /keyceremony: error: .*bad\.yaml:\d+:\d+: steps\[3\]\.backup/);
});
