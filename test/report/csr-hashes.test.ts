// Round 18 (issue 16, the 80x24 officer review): a create-csr step's record showed two values
// called "CSR SHA-256". The step's details held the hash of the DER request (4fb726d2…, 64
// lower-case digits, unlabelled as such) and the files table the hash of the PEM file
// (2316 61E2 …), which is the one read aloud and typed back: a witness comparing with the
// paper log saw a mismatch. Now the details say the value is the DER encoding's and that the
// file's hash, read aloud, is in the table below, and every hash a step shows is in the one
// form people compare: groups of four upper-case hex digits.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { groupedHex } from '../../src/util/fingerprint.js';
import { header, records, signedIn } from './helpers/records.js';

const definition = loadDefinition(join(new URL('./fixtures/', import.meta.url).pathname, 'hca-g3-keygen.yaml'));
const JOURNAL = { file: '/evidence/work/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /evidence/work' };
const DER_SHA256 = '4fb726d2' + '0a'.repeat(28);
const FILE_SHA256 = '231661e2' + 'b7'.repeat(28);
const SPKI_SHA256 = '9c0ffee1' + '5d'.repeat(28);

function report(lang: 'en' | 'zh-TW'): string {
  const csr = definition.steps.findIndex((s) => s.id === 'csr');
  const journal = records(header(definition.sha256), [
    signedIn,
    {
      step: 'csr',
      event: 'step.completed',
      who: ['alice', 'wendy'],
      data: {
        type: 'create-csr',
        index: csr,
        performer: 'alice',
        witnesses: ['wendy'],
        outputs: [{ name: 'hca-g3.csr', kind: 'csr', sha256: FILE_SHA256, words: 'w', bytes: 1800, step: 'csr' }],
        details: { subject: 'C=TW, O=行政院, CN=醫事憑證管理中心 - G3', key: 'RSA 4096', spkiSha256: SPKI_SHA256, requestSha256: DER_SHA256 },
      },
    },
  ]);
  const record = readCeremonyRecord(
    journal,
    definition.steps.map((s) => s.id),
  );
  return renderMarkdown(buildReport(definition, record, lang, { tool: 'keyceremony 0.1.0', journal: JOURNAL }));
}

/** The create-csr step's own section of the record. */
function csrSection(md: string): string {
  const at = md.search(/\n### [^\n]*(Create|憑證申請)[^\n]*\n/);
  const end = md.indexOf('\n### ', at + 1);
  return md.slice(at, end);
}

const LABELS = {
  en: "CSR SHA-256 (DER encoding; the file's SHA-256, read aloud, is in the table below)",
  'zh-TW': '憑證申請檔 SHA-256（DER 編碼；朗讀之檔案 SHA-256 見下表）',
} as const;

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: the DER hash says it is the DER's, the file's hash is in the table, both in groups of four`, async (t) => {
    const section = csrSection(report(lang));
    t.ok(section.length > 0, 'the create-csr step');
    const colon = lang === 'en' ? ': ' : '：';
    t.match(section, `${LABELS[lang]}${colon}${groupedHex(DER_SHA256)}`, 'the DER hash, labelled as such, in groups of four');
    t.match(section, groupedHex(FILE_SHA256), "the file's hash in the files table");
    t.match(section, groupedHex(SPKI_SHA256), 'the public key hash in groups of four too');
    t.notMatch(section, /[0-9a-f]{16}/, 'no hash as a run of lower-case hex digits');
    t.notMatch(section, new RegExp(`(CSR SHA-256|憑證申請檔 SHA-256)${colon}[0-9A-F]`), 'no bare "CSR SHA-256" beside the file one');
  });
}
