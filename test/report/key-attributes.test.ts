// Issue 22 item 3: after generate-key the private key's attributes are read back from the
// token, journaled in the step's record, and shown in the report (en and zh-TW) as what the
// token reports, instead of a claim that the key never left the HSM. The journaled values are
// compared with what pkcs11-tool, logged in to the token, says about the same key.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { buildCanary } from '../helpers/canary.js';
import { journalRecords } from '../helpers/ceremony.js';
import { HCA_LABEL, prepareChain } from '../helpers/chain.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { run, SOFTHSM_MODULE } from '../helpers/softhsm.js';
import { header, records, signedIn } from './helpers/records.js';

const chain = await prepareChain(t, 'hca-g3-keygen', { keys: 'ec-p384' });
const keygen = chain.workdirs['hca-g3-keygen']!;

// hca-g3-keygen makes the G3 key with backup: true (issue 18): extractable, but only wrapped under
// a trusted key (CKA_WRAP_WITH_TRUSTED); test/steps/generate-key-backup.test.ts has a key that never is.
const SOFTHSM_ATTRIBUTES = {
  sensitive: true,
  alwaysSensitive: true,
  extractable: true,
  neverExtractable: false,
  local: true,
  modifiable: false,
  copyable: true,
  signRecover: false,
  wrapWithTrusted: true,
};

t.test('the attributes the token reports are journaled with the generated key', async (t) => {
  const completed = journalRecords(keygen).find((r) => r.event === 'step.completed' && r.step === 'keygen')!;
  // SoftHSM 2.6.1 keeps CKA_COPYABLE true (SoftHSM.md "Hardened private keys"); the record says so.
  t.same((completed.data as { details: { privateKeyAttributes: unknown } }).details.privateKeyAttributes, SOFTHSM_ATTRIBUTES);

  // pkcs11-tool reads the same key: sensitive, always sensitive, extractable, local; sign only.
  const pin = buildCanary(Object.values(chain.workdirs)).pinOf('hca-user-pin')!;
  const listing = await run(
    'pkcs11-tool',
    ['--module', SOFTHSM_MODULE, '--token-label', HCA_LABEL, '--pin', 'env:KC_CHECK_PIN', '--list-objects', '--type', 'privkey'],
    {
      env: { ...chain.store.env, KC_CHECK_PIN: pin.toString('utf8') },
    },
  );
  t.equal(listing.code, 0, listing.stderr);
  const key = listing.stdout.split('Private Key Object').find((part) => /label:\s+HCA-G3\n/.test(part))!;
  t.match(
    key,
    /Access:\s+sensitive, always sensitive, extractable, local\n/,
    'pkcs11-tool agrees: sensitive, always sensitive, extractable (under a trusted key only), local',
  );
  t.match(key, /Usage:\s+sign\n/, 'pkcs11-tool agrees: no sign_recover');
});

t.test('the report shows them, in English and in Traditional Chinese', async (t) => {
  // Markdown escapes the underscores of CKA_*; the text is compared without the escapes.
  const report = async (lang: string) => {
    const result = await keyceremonyInProcess(['report', keygen, '--lang', lang]);
    t.equal(result.code, 0, result.stderr);
    return { stdout: result.stdout.replace(/\\_/g, '_') };
  };
  const en = await report('en');
  const line =
    'Private key attributes read back from the token after generation: CKA_SENSITIVE yes, CKA_ALWAYS_SENSITIVE yes, CKA_EXTRACTABLE yes, CKA_NEVER_EXTRACTABLE no, CKA_LOCAL yes, CKA_MODIFIABLE no, CKA_COPYABLE yes, CKA_SIGN_RECOVER no, CKA_WRAP_WITH_TRUSTED yes';
  t.match(en.stdout, `- **Other facts recorded**: ${line}`, 'in the step record');
  t.match(en.stdout, 'These are the values the token reports (PKCS#11 C_GetAttributeValue).');
  t.match(en.stdout, 'They are not independent proof');
  t.match(
    en.stdout,
    new RegExp(`\\| BR 6\\.1\\.1\\.1[^|]* \\| Keys generated within a cryptographic module[^\\n]*step 4 \\(keygen\\): ${line.replace(/[()#.]/g, '\\$&')}`),
    'in the BR 6.1.1.1 row',
  );
  t.notMatch(en.stdout, /never left the HSM|never leaves the HSM/);
  // The key is a backup key (NEVER_EXTRACTABLE no): the sentence says what the values say (review terms16t).
  t.match(en.stdout, 'only wrapped under a key marked trusted (EXTRACTABLE yes, WRAP_WITH_TRUSTED yes)');
  t.notMatch(en.stdout, /NEVER_EXTRACTABLE yes|never been readable or exportable|never been exportable/, 'not called never exportable');

  const zh = await report('zh-TW');
  t.match(
    zh.stdout,
    '產製後自載具讀回之私密金鑰屬性：CKA_SENSITIVE 是、CKA_ALWAYS_SENSITIVE 是、CKA_EXTRACTABLE 是、CKA_NEVER_EXTRACTABLE 否、CKA_LOCAL 是、CKA_MODIFIABLE 否、CKA_COPYABLE 是、CKA_SIGN_RECOVER 否、CKA_WRAP_WITH_TRUSTED 是',
  );
  t.match(zh.stdout, '以上為載具自行回報之屬性值');
  t.match(zh.stdout, '僅能以標示為受信任之金鑰包裝後離開載具以供備份');
  t.notMatch(zh.stdout, /NEVER_EXTRACTABLE 為是|從未能以明文讀取或匯出|從未能匯出/, 'not called never exportable');
  t.notMatch(zh.stdout, /privateKeyAttributes|alwaysSensitive|neverExtractable/, 'no journal keys in the zh-TW report');
  t.notMatch(en.stdout, /privateKeyAttributes|alwaysSensitive|neverExtractable/, 'no journal keys in the en report');
});

t.test('a key recorded without attributes (a journal from before they were read) says so, and claims nothing', async (t) => {
  const definition = loadDefinition(join(new URL('./fixtures/', import.meta.url).pathname, 'hca-g3-keygen.yaml'));
  const journal = records(header(definition.sha256), [
    signedIn,
    {
      step: 'keygen',
      event: 'step.completed',
      who: ['alice', 'wendy'],
      data: {
        type: 'generate-key',
        index: 3,
        performer: 'alice',
        witnesses: ['wendy'],
        keys: [
          {
            label: 'HCA-G3',
            token: 'hca',
            id: '01',
            algorithm: { type: 'RSA', bits: 4096 },
            spkiSha256: 'cd'.repeat(32),
            words: 'x',
            uri: 'pkcs11:',
            step: 'keygen',
          },
        ],
      },
    },
  ]);
  const md = renderMarkdown(
    buildReport(
      definition,
      readCeremonyRecord(
        journal,
        definition.steps.map((s) => s.id),
      ),
      'en',
      { tool: 'keyceremony 0.1.0', journal: { file: '/w/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /w' } },
    ),
  );
  t.match(md, /Keys generated within a cryptographic module[^\n]*step 4 \(keygen\): private key attributes not read back/);
  t.notMatch(md, 'CKA\\_SENSITIVE');
});

t.test('the sentence under the attributes follows the values recorded, in both languages', async (t) => {
  const { messages } = await import('../../src/report/i18n.js');
  const never = { local: true, alwaysSensitive: true, neverExtractable: true, extractable: false, wrapWithTrusted: false };
  t.match(messages('en').keyAttributesMeaning(never), 'it has never been exportable (NEVER_EXTRACTABLE yes)');
  t.match(messages('zh-TW').keyAttributesMeaning(never), '從未能匯出（NEVER_EXTRACTABLE 為是）');
  const open = { local: true, alwaysSensitive: false, neverExtractable: false, extractable: true, wrapWithTrusted: false };
  t.match(messages('en').keyAttributesMeaning(open), 'it may have been readable in the clear at some time (ALWAYS_SENSITIVE no)');
  t.match(messages('en').keyAttributesMeaning(open), 'wrapped under any wrapping key');
  t.notMatch(messages('en').keyAttributesMeaning(open), /never been exportable/);
  t.match(messages('zh-TW').keyAttributesMeaning(open), '可以載具上任一包裝金鑰包裝後匯出');
  t.equal(
    messages('en').keyAttributesMeaning({}),
    "These are the values the token reports (PKCS#11 C_GetAttributeValue). They are not independent proof, which rests on the HSM's certification.",
    'nothing claimed from attributes not read',
  );
});
