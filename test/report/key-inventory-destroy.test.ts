// Issue 22 item 7 with a backup to name: a key made in an earlier ceremony is backed up under
// the KEK and then destroyed on its token in one journal (made here, like the engine writes
// it; the dry-run chain destroys only the G2 key, which has no backup). The destroy step says
// only that the object is gone from that token, and names the backup file and its SHA-256.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { groupedHex, pgpWords } from '../../src/util/fingerprint.js';
import { header, PARTICIPANTS, records } from './helpers/records.js';

const definition = loadDefinition(join(new URL('./fixtures/', import.meta.url).pathname, 'key-inventory.yaml'));
const FILE_SHA256 = 'ab'.repeat(32);
const SPKI_SHA256 = 'cd'.repeat(32);
const participants = [
  ...PARTICIPANTS,
  { id: 'vera', name: '周怡君 Vera', roles: ['witness'] },
  { id: 'rita', name: '何美惠 Rita', roles: ['recovery-custodian'] },
  { id: 'sam', name: '高俊賢 Sam', roles: ['recovery-custodian'] },
];
const completed = (step: string, data: Record<string, unknown>) => {
  const index = definition.steps.findIndex((s) => s.id === step);
  return {
    step,
    event: 'step.completed',
    who: ['alice', 'wendy'],
    data: { type: definition.steps[index]!.type, index, performer: 'alice', witnesses: ['wendy'], ...data },
  };
};

function report(lang: 'en' | 'zh-TW', destroyed: boolean): string {
  const journal = records(header(definition.sha256, { src: { label: 'SRC', state: 'present' } }), [
    { step: 'sign-in', event: 'participants.signed-in', who: participants.map((p) => p.id), data: { index: 0, participants } },
    completed('backup', {
      outputs: [
        { name: 'ca-key.backup', kind: 'key-backup', sha256: FILE_SHA256, words: pgpWords(Buffer.from(FILE_SHA256, 'hex')), bytes: 900, step: 'backup' },
      ],
      details: {
        label: 'CA-KEY',
        spkiSha256: SPKI_SHA256,
        mechanism: 'CKM_AES_KEY_WRAP_PAD',
        kek: { credential: 'backup-kek', setId: 'K7Q2M9XA' },
        kekDestroyed: true,
      },
    }),
    ...(destroyed ? [completed('destroy', { destroyedKeys: ['CA-KEY'], details: { spkiSha256: SPKI_SHA256, provenGone: true } })] : []),
  ]);
  const record = readCeremonyRecord(
    journal,
    definition.steps.map((s) => s.id),
  );
  return renderMarkdown(
    buildReport(definition, record, lang, {
      tool: 'keyceremony 0.1.0',
      journal: { file: '/w/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /w' },
    }),
  );
}

t.test('the destroy step names the backup file and its SHA-256, not "none"', async (t) => {
  const en = report('en', true);
  t.match(en, 'After destruction, no object of this key was found on this token.');
  t.match(
    en,
    `Backups and copies of this key in this record's key inventory, not destroyed by this step: backup file ca-key.backup (SHA-256 ${groupedHex(FILE_SHA256)}), written in`,
  );
  t.notMatch(en, "this record's key inventory: none");
  t.match(
    en,
    /\| `CA-KEY`[^|]*\| `token src` \| made by an earlier ceremony \(declared in the definition\) \| destroyed in [^|]*: no object of the key found on this token afterwards \|/,
  );
  t.match(
    en,
    /\| `CA-KEY`[^|]*\| `backup file ca-key.backup`<br>`ABAB ABAB[^|]*\| written in [^|]*, wrapped under the key-encryption key of share set K7Q2M9XA \| a file: keyceremony does not destroy files/,
  );
  const zh = report('zh-TW', true);
  t.match(zh, `本紀錄金鑰清冊中此金鑰未經本步驟銷毀之備份及複本：備份檔 ca-key.backup（SHA-256 ${groupedHex(FILE_SHA256)}）`);
  t.match(zh, /已於[^|]*銷毀：其後本載具上查無此金鑰之物件/);
});

t.test('before the destroy step, the key is on its token beside its backup', async (t) => {
  const en = report('en', false);
  t.match(en, /\| `CA-KEY`[^|]*\| `token src` \| made by an earlier ceremony \(declared in the definition\) \| on the token \|/);
  t.notMatch(en, 'After destruction');
});
