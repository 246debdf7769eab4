// Issue 18, key inventory in the report: each key, which token holds it, its restored copies,
// and its backup files with their SHA-256, read from the dry-run chain's journals (the G3 key
// backed up in hca-g3-backup and restored onto HCA-DR in hca-g3-restore-dr). And issue 22
// item 7: destroy-key says only that the object is no longer found on that token, and lists
// the key's backups and copies from the inventory, or says there are none.
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupedHex } from '../../src/util/fingerprint.js';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const { out } = await dryRunOutput(join(t.testdir({}), 'chain'));
const backupFile = join(out, 'hca-g3-backup', 'outputs', 'hca-g3.backup');
const backupSha256 = createHash('sha256').update(readFileSync(backupFile)).digest('hex');
/** Markdown escapes underscores and some punctuation; compare without the escapes. */
const report = async (workdir: string, lang: 'en' | 'zh-TW') => {
  const result = await keyceremonyInProcess(['report', join(out, workdir), '--lang', lang]);
  t.equal(result.code, 0, result.stderr);
  return result.stdout.replace(/\\([_#().|-])/g, '$1');
};

t.test('the backup ceremony: the key on the HCA token, and the backup file it wrote, with its SHA-256', async (t) => {
  const en = await report('hca-g3-backup', 'en');
  t.match(en, '**Key inventory**');
  t.match(
    en,
    /\| `HCA-G3`<br>Public key \(SPKI\) SHA-256 [0-9A-F]{4}(?: [0-9A-F]{4}){3} … \| `token hca` \| made by an earlier ceremony \(declared in the definition\) \| on the token \|/,
  );
  t.match(
    en,
    new RegExp(
      `\\| \`backup file hca-g3\\.backup\`<br>\`${groupedHex(backupSha256)}\`<br>[^|]+\\| written in step \\d+ \\(backup\\), wrapped under the key-encryption key of share set \\w{8} \\| a file: keyceremony does not destroy files; its custody is on paper \\|`,
    ),
  );
  const zh = await report('hca-g3-backup', 'zh-TW');
  t.match(zh, '**金鑰清冊**');
  t.match(zh, `備份檔 hca-g3.backup`);
  t.match(zh, /於步驟 \d+（backup）寫入，以分持組 \w{8} 之金鑰加密金鑰包裝/);
});

t.test('the DR restore: the restored copy on hca-dr, from the backup file brought in', async (t) => {
  const en = await report('hca-g3-restore-dr', 'en');
  t.match(
    en,
    new RegExp(
      `\\| \`token hca-dr\` \\| restored in step \\d+ \\(restore\\) from backup file [^|]+ \\(SHA-256 ${groupedHex(backupSha256.slice(0, 16))} …\\) \\| on the token \\|`,
    ),
  );
  t.match(en, /\| `backup file [^`]+` *<br>`[0-9A-F ]+`<br>[^|]+\| brought to the ceremony \(input\) \|/);
  const zh = await report('hca-g3-restore-dr', 'zh-TW');
  t.match(zh, /載具 hca-dr` \| 於步驟 \d+（restore）由備份檔 [^|]+還原 \| 存於載具 \|/);
});

t.test('destroy-key: only that the object is gone from that token, and the backups and copies this record knows (none)', async (t) => {
  const en = await report('hca-g2-destroy', 'en');
  t.match(en, 'After destruction, no object of this key was found on this token.');
  t.match(en, "Backups and copies of this key in this record's key inventory: none");
  t.match(
    en,
    /\| `HCA-G2`<br>[^|]+\| `token hca` \| made by an earlier ceremony \(declared in the definition\) \| destroyed in step \d+ \(destroy\): no object of the key found on this token afterwards \|/,
  );
  const zh = await report('hca-g2-destroy', 'zh-TW');
  t.match(zh, '本紀錄金鑰清冊中此金鑰之備份及複本：無');
});
