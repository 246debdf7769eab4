// Review terms16t item 4 and the report's leaks of internal names: the audit evidence rows
// find the HSM serial and the bag numbers a script records by what the fields are (hsmSerial,
// seal) and not only by an `evidence` tag; counts are said in their number (1 exception, not
// 1 exception(s)); the attestation letter's sentences do not name refusal codes or event names
// (代碼：values.seal-recorded、事件：step.submit); a confirmation line is joined with the
// language's comma (林秀英（lin），…).
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { evidenceFields } from '../../src/report/evidence-fields.js';
import { messages } from '../../src/report/i18n.js';
import { buildLetter } from '../../src/report/letter.js';
import { renderDocument } from '../../src/report/render.js';
import { header, records, signedIn } from './helpers/records.js';

const ROOT = new URL('../../', import.meta.url).pathname;

t.test('the HSM serial and the bag numbers of the shipped keygen script are evidence the report finds', async (t) => {
  const definition = loadDefinition(join(ROOT, 'ceremonies/hca-g3-keygen.yaml'));
  const kinds = evidenceFields(definition).map((f) => `${f.step.id}.${f.field}: ${f.kind}`);
  t.ok(
    kinds.some((k) => k.endsWith('.hsm-serial: hsm-serial')),
    'the field read back from the HSM is the HSM serial',
  );
  t.ok(
    kinds.some((k) => k.endsWith('.bag-number: bag-numbers')),
    'a seal opened is a bag number',
  );
  t.ok(
    kinds.some((k) => k.endsWith('.bag-number-out: bag-numbers')),
    'a seal closed is a bag number',
  );
});

t.test('counts are said in their number, in English', async (t) => {
  const en = messages('en');
  t.match(en.incidentsSummary(1, 3), /^1 exception recorded; 3 events listed/);
  t.match(en.incidentsSummary(2, 1), /^2 exceptions recorded; 1 event listed/);
  t.equal(en.materialsSummary(1, 2), 'HSM module, 1 token with serial numbers, 2 share sets');
  t.notMatch(en.incidentsSummary(1, 1), '(s)');
});

t.test("the letter's sentences about a refusal name no code or event, in zh-TW and en", async (t) => {
  const definition = loadDefinition(join(ROOT, 'test/report/fixtures/report.yaml'));
  const journal = records(header(definition.sha256), [
    signedIn,
    {
      step: 'location',
      event: 'event.refused',
      who: ['alice'],
      data: { event: 'step.submit', code: 'values.seal-recorded', message: 'step location: field "bag-number" is AB123456, already recorded' },
    },
  ]);
  const record = readCeremonyRecord(
    journal,
    definition.steps.map((s) => s.id),
  );
  const options = { tool: 'keyceremony 0.1.0', journal: { file: '/w/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /w' } };
  for (const lang of ['zh-TW', 'en'] as const) {
    const letter = renderDocument(buildLetter(definition, record, lang, options), 'md');
    t.notMatch(letter, 'values.seal-recorded', `${lang}: no refusal code`);
    t.notMatch(letter, 'step.submit', `${lang}: no event name`);
  }
  const zh = renderDocument(buildLetter(definition, record, 'zh-TW', options), 'md');
  t.notMatch(zh, '代碼：', 'no 代碼 label');
});

t.test('a confirmation line and the role headings of the plan use the language’s own punctuation and titles', async (t) => {
  t.equal(messages('zh-TW').listComma, '，');
  t.equal(messages('en').listComma, ', ');
});
