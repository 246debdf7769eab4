// Issue 22 item 13, every new record field at once: a script that tags one record field with
// each kind of audit evidence (video file, SHA-256, cameras, start and stop; the Qualified
// Auditor's name, firm, attendance and independence statement; the attendance sheet and ID
// check; the HSM serial, asset register entry, FIPS or Common Criteria certificate, firmware
// and the vendor's; bag and envelope numbers and storage place; the keys on the token before
// and after). Every value the journal holds is in its row, in en and zh-TW, with the step
// that recorded it; a field declared but left empty says not recorded; and with a video
// reference alone BR 6.1.1.1 (2) is shown, by the video.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { readCeremonyRecord } from '../../src/report/ceremony-record.js';
import { plainText, type Block, type CeremonyDocument } from '../../src/report/document.js';
import { messages } from '../../src/report/i18n.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { EVIDENCE_GROUPS, EVIDENCE_KINDS, groupOf, type EvidenceKind } from '../../src/steps/record/evidence.js';
import type { JournalEntry } from '../../src/journal/record.js';
import { header, records, signedIn } from './helpers/records.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const JOURNAL = { file: '/evidence/work/journal.jsonl', headChecked: undefined, verifyCommand: 'keyceremony journal verify /evidence/work' };

// report.yaml's location step, its fields replaced by date, place and one field per evidence kind.
const fixture = readFileSync(join(FIXTURES, 'report.yaml'), 'utf8');
const fields = fixture.match(/ {4}fields:\n((?: {6}- .*\n)+)/)!;
const evidenceFieldLines = EVIDENCE_KINDS.map((kind) => `      - { id: ev-${kind}, evidence: ${kind}, optional: true }\n`).join('');
const dir = t.testdir({});
writeFileSync(join(dir, 'evidence.yaml'), fixture.replace(fields[0], `    fields:\n      - date\n      - place\n${evidenceFieldLines}`));
const definition = loadDefinition(join(dir, 'evidence.yaml'));

const value = (kind: EvidenceKind): string => `V-${kind}-2026`;

function report(lang: 'en' | 'zh-TW', kinds: readonly EvidenceKind[]): CeremonyDocument {
  const values: Record<string, string> = { date: '2026-11-28', place: 'B1' };
  for (const kind of kinds) values[`ev-${kind}`] = value(kind);
  const location: JournalEntry = {
    step: 'location',
    event: 'step.completed',
    who: ['alice', 'wendy'],
    data: { type: 'record', index: 2, performer: 'alice', witnesses: ['wendy'], values },
  };
  const journal = records(header(definition.sha256), [signedIn, location]);
  return buildReport(
    definition,
    readCeremonyRecord(
      journal,
      definition.steps.map((s) => s.id),
    ),
    lang,
    { tool: 'keyceremony 0.1.0', journal: JOURNAL },
  );
}

/** The audit evidence table's rows, as text. */
function evidenceRows(doc: CeremonyDocument, lang: 'en' | 'zh-TW'): string[][] {
  const blocks = doc.sections.find((s) => s.anchor === 'section-ceremony')!.blocks;
  const at = blocks.findIndex((b) => b.kind === 'paragraph' && plainText(b.text) === messages(lang).auditEvidence);
  const tableBlock = blocks.slice(at).find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
  return tableBlock.rows.map((row) => row.map((cell) => plainText(cell)));
}

t.test('every kind of evidence is a field the definition can declare', async (t) => {
  t.equal(EVIDENCE_KINDS.length, 21);
  t.same(Object.keys(EVIDENCE_GROUPS), ['video', 'auditor', 'attendance', 'hsm-inventory', 'register', 'key-inventory']);
  const location = definition.steps.find((s) => s.id === 'location')!;
  t.equal(location.type, 'record');
});

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: each value recorded is in its row, with the step that recorded it`, async (t) => {
    const m = messages(lang);
    const rows = evidenceRows(report(lang, EVIDENCE_KINDS), lang);
    t.equal(rows.length, EVIDENCE_KINDS.length, 'one row per kind');
    const step = lang === 'en' ? 'step 3 (location)' : '步驟 3（location）';
    for (const kind of EVIDENCE_KINDS) {
      t.same(
        rows.find((row) => row[1] === m.evidenceKinds[kind]),
        [m.evidenceGroups[groupOf(kind)], m.evidenceKinds[kind], m.aside(value(kind), step)],
        kind,
      );
    }
  });

  t.test(`${lang}: declared but not typed says not recorded, and BR 6.1.1.1 (2) is shown by a video reference alone`, async (t) => {
    const m = messages(lang);
    const doc = report(lang, ['video-file', 'video-sha256']);
    const rows = evidenceRows(doc, lang);
    t.same(
      rows.find((row) => row[1] === m.evidenceKinds['video-file'])![2],
      lang === 'en' ? `${value('video-file')} (step 3 (location))` : `${value('video-file')}（步驟 3（location））`,
    );
    for (const kind of EVIDENCE_KINDS.filter((k) => k !== 'video-file' && k !== 'video-sha256')) {
      t.equal(rows.find((row) => row[1] === m.evidenceKinds[kind])![2], m.notRecorded, `${kind}: not recorded`);
    }
    const md = renderMarkdown(doc);
    const br2 = md.split('\n').find((line) => line.startsWith('| BR 6.1.1.1 (2) |'))!;
    t.notMatch(br2, lang === 'en' ? 'NOT SHOWN' : '未顯示', 'the video shows (2)');
    t.match(br2, `${m.evidenceKinds['video-file']}${m.colon}${value('video-file')}`);
    t.match(br2, `${m.evidenceKinds['video-sha256']}${m.colon}${value('video-sha256')}`);
  });
}
