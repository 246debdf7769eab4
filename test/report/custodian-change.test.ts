// Issue 22 item 15, on the dry-run chain's custodian change: every current custodian signs in
// (none is missing without an exception), the old and new envelopes and the new bags are
// numbered in the record with their storage place, and the definition says why the SO PIN
// share set is not rotated in it. Also item 2 on the same record: the rotation's result is
// confirmed by a witness after it exists.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords } from '../helpers/ceremony.js';

const { out } = await dryRunOutput(join(t.testdir({}), 'chain'));
const workdir = join(out, 'hca-custodian-change');
const definition = loadDefinition(new URL('../../ceremonies/hca-custodian-change.yaml', import.meta.url).pathname);

t.test('every current custodian is present at the custodian change', async (t) => {
  const records = journalRecords(workdir);
  const signedIn = records.find((r) => r.event === 'participants.signed-in')!.who;
  const manifest = records[0]!.data as { shareSets?: Record<string, { custodians: string[] }> };
  const current = Object.values(manifest.shareSets ?? {}).flatMap((set) => set.custodians);
  t.ok(current.length >= 5, 'the current set names its custodians');
  for (const custodian of current) t.ok(signedIn.includes(custodian), `${custodian} signed in`);
});

t.test('envelopes and bags are numbered, with where they are kept; the SO PIN set is explained', async (t) => {
  const en = await keyceremonyInProcess(['report', workdir, '--lang', 'en']);
  t.equal(en.code, 0, en.stderr);
  t.match(en.stdout, '| Bag and envelope register | Share envelope numbers | E0001 E0002 E0003 E0004 E0005 (step ');
  t.match(en.stdout, 'E0101 E0102 E0103 E0104 E0105');
  // The register row lists every bag field with its step: the HSM's bags and the new envelopes' bags.
  t.match(
    en.stdout,
    /\| Bag and envelope register \| Tamper-evident bag numbers \| [^\n]*TB200101 TB200102 TB200103 TB200104 TB200105 \(step 6 \(envelopes\)\)/,
  );
  t.match(en.stdout, '| Bag and envelope register | Storage place | 保險箱 A 至 E 格 safe A, boxes A to E');
  t.match(definition.description?.en ?? '', 'The SO PIN share set is not rotated here');
  t.match(en.stdout, /- \*\*Confirmed the result\*\*: 陳建宏 Chen Chien-hung \(chen\), .*rotate-confirmed/);
  const zh = await keyceremonyInProcess(['report', workdir, '--lang', 'zh-TW']);
  t.match(zh.stdout, '| 封袋及信封登記 | 分持信封編號 | E0001 E0002 E0003 E0004 E0005');
});
