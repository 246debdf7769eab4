// The key backup file (src/backup/backup-file.ts, docs/backup-format.md): written and read
// back; every single byte changed is refused; another KEK, another share set and a header
// that does not hold together are refused with their own messages. The certificate is a real
// one (MOICA G3), the header's SPKI its key.
import t from 'tap';
import { X509Certificate, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkBackupKek, parseBackup, serializeBackup, verifyBackup, type BackupHeader } from '../../src/backup/backup-file.js';
import { InputError } from '../../src/errors.js';
import { sha256 } from '../../src/util/fingerprint.js';
import { join } from 'node:path';
import { caught } from '../helpers/errors.js';
import { openssl } from '../helpers/openssl.js';

const certificate = readFileSync(new URL('../x509/fixtures/moica-g3.cer', import.meta.url));
const spki = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
const kek = randomBytes(32);
const set = { setId: 'KEKSET01', verifier: 'ab'.repeat(32) };
const header: BackupHeader = {
  label: 'HCA-G3',
  id: '0a1b2c3d',
  algorithm: { type: 'RSA', bits: 4096 },
  spki: spki.toString('base64'),
  spkiSha256: sha256(spki).toString('hex'),
  mechanism: 'CKM_AES_KEY_WRAP_PAD',
  kek: { credential: 'hca-kek', ...set },
  certificate: certificate.toString('base64'),
  source: { token: 'HCA-DRYRUN', serial: '0123456789abcdef', ceremony: 'hca-g3-backup', step: 'backup', time: '2026-12-05T13:00:00+08:00' },
};
const wrapped = randomBytes(1240);
const FILE = 'outputs/hca-g3.backup';

t.test('written and read back; the MAC is HMAC-SHA256 under a key derived from the KEK', async (t) => {
  const bytes = serializeBackup({ header, wrapped }, kek);
  const lines = bytes.toString('utf8').split('\n');
  t.equal(lines.length, 3);
  t.match(lines[0], /^\{"format":"keyceremony-key-backup","header":\{/);
  const backup = parseBackup(bytes, FILE);
  t.same(backup.header, header);
  t.ok(backup.wrapped.equals(wrapped));
  verifyBackup(backup, kek, set, FILE);
  // What docs/backup-format.md says, computed here without keyceremony's code.
  const key = Buffer.from(hkdfSync('sha256', kek, Buffer.from(set.setId), Buffer.from('keyceremony/key-backup/v1/mac'), 32));
  t.equal(lines[1], `hmac-sha256 ${createHmac('sha256', key).update(lines[0]!).digest('hex')}`, 'the documented MAC');
  // And with openssl alone, as docs/backup-format.md shows it.
  const kdf = await openssl(() => [
    'kdf',
    '-keylen',
    '32',
    '-kdfopt',
    'digest:SHA256',
    '-kdfopt',
    `hexkey:${kek.toString('hex')}`,
    '-kdfopt',
    `salt:${set.setId}`,
    '-kdfopt',
    'info:keyceremony/key-backup/v1/mac',
    'HKDF',
  ]);
  t.equal(kdf.code, 0, kdf.stderr);
  const macKey = kdf.stdout.trim().replace(/:/g, '').toLowerCase();
  const hmac = await openssl((d) => ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${macKey}`, join(d, 'body')], { body: lines[0]! });
  t.equal(hmac.stdout.trim().split(/\s+/).pop(), lines[1]!.slice('hmac-sha256 '.length), 'openssl computes the same MAC');
});

t.test('any byte of the file changed is refused', async (t) => {
  const bytes = serializeBackup({ header, wrapped }, kek);
  let refused = 0;
  const codes = new Map<string, number>();
  for (let i = 0; i < bytes.length; i++) {
    const changed = Buffer.from(bytes);
    changed[i] = changed[i]! ^ (i % 2 === 0 ? 0x01 : 0x20);
    try {
      verifyBackup(parseBackup(changed, FILE), kek, set, FILE);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      refused++;
      codes.set(error.code!, (codes.get(error.code!) ?? 0) + 1);
      continue;
    }
    t.fail(`byte ${i} changed was accepted`);
  }
  t.equal(refused, bytes.length, `all ${bytes.length} changed files refused (${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')})`);
  t.ok(codes.get('backup.mac'), 'most changes are caught by the MAC');
  t.ok(codes.get('backup.invalid'), 'and some already by the structure');
});

t.test('another KEK, another set, another verifier: refused with their own messages', async (t) => {
  const backup = parseBackup(serializeBackup({ header, wrapped }, kek), FILE);
  const wrongKek = await caught(() => verifyBackup(backup, randomBytes(32), set, FILE));
  t.equal(wrongKek.code, 'backup.mac');
  t.equal(wrongKek.message, `${FILE}: the MAC does not match: the file was changed after the backup, or the KEK is not the one it was made under`);
  const otherSet = await caught(() => verifyBackup(backup, kek, { ...set, setId: 'KEKSET02' }, FILE));
  t.equal(otherSet.code, 'backup.kek-mismatch');
  t.match(otherSet.message, `${FILE}: the backup was made under KEK set KEKSET01`);
  const otherVerifier = await caught(() => verifyBackup(backup, kek, { ...set, verifier: 'cd'.repeat(32) }, FILE));
  t.equal(otherVerifier.code, 'backup.kek-mismatch');
  t.equal(
    otherVerifier.message,
    `${FILE}: the backup names KEK set KEKSET01 with verifier ${'ab'.repeat(8)}…, but the manifest of set KEKSET01 has verifier ${'cd'.repeat(8)}…: the header or the manifest was edited, or that KEK was made again from another share set under the same id`,
  );
  // Checked before the MAC, with the right KEK too: the verifier is not something the MAC is trusted to catch.
  t.equal((await caught(() => checkBackupKek(backup.header, { ...set, verifier: 'cd'.repeat(32) }, FILE))).code, 'backup.kek-mismatch');
  t.doesNotThrow(() => checkBackupKek(backup.header, set, FILE));
});

t.test('a header that does not hold together, and a body re-serialised, are refused even with a fresh MAC', async (t) => {
  const badHash = await caught(() => parseBackup(serializeBackup({ header: { ...header, spkiSha256: '00'.repeat(32) }, wrapped }, kek), FILE));
  t.equal(badHash.message, `${FILE}: not a key backup file: the header SPKI does not have the SHA-256 the header gives`);
  const { generateKeyPairSync } = await import('node:crypto');
  const other = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' });
  const notItsCertificate = await caught(() =>
    parseBackup(serializeBackup({ header: { ...header, spki: other.toString('base64'), spkiSha256: sha256(other).toString('hex') }, wrapped }, kek), FILE),
  );
  t.equal(notItsCertificate.message, `${FILE}: not a key backup file: the header certificate is not the backed-up key's certificate`);
  const noCertificate = parseBackup(serializeBackup({ header: { ...header, certificate: null }, wrapped }, kek), FILE);
  t.equal(noCertificate.header.certificate, null, 'a key without a certificate yet can be backed up');

  const bytes = serializeBackup({ header, wrapped }, kek).toString('utf8');
  const [body, macLine] = bytes.split('\n') as [string, string];
  const pretty = `${JSON.stringify(JSON.parse(body), null, 1)}\n${macLine}\n`;
  const reformatted = await caught(() => parseBackup(Buffer.from(pretty), FILE));
  t.equal(reformatted.code, 'backup.invalid');
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const reordered = `${JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse()))}\n${macLine}\n`;
  t.match((await caught(() => parseBackup(Buffer.from(reordered), FILE))).message, 'not in canonical form');
  const v2 = await caught(() => parseBackup(Buffer.from(`${body.replace('"version":1', '"version":2')}\n${macLine}\n`), FILE));
  t.match(v2.message, `${FILE}: not a key backup file: line 1, version`);
});
