// `report`: the verified journal rendered as the key ceremony record an auditor signs
// (BR 6.1.1.1 (3), WebTrust key generation criteria). Same sections and step numbers as
// the plan; each step shows the script's words and then what the journal recorded.
import { JOURNAL_EVENTS } from '../journal/events.js';
import type { Definition } from '../definition/definition.js';
import { pgpWords } from '../util/fingerprint.js';
import type { CeremonyRecord } from './ceremony-record.js';
import { ceremonyKind, criteriaBlocks } from './criteria.js';
import { declaredFor, recordedFor } from './evidence-fields.js';
import { EVIDENCE_GROUPS, EVIDENCE_GROUP_NAMES } from '../steps/record/evidence.js';
import {
  type Block,
  type CeremonyDocument,
  type Content,
  type Inline,
  type NoticeBlock,
  type SignatureBlock,
  code,
  fields,
  muted,
  notice,
  paragraph,
  strong,
  table,
  topSection,
} from './document.js';
import { dateOf, fingerprintLines, formatTime } from './format.js';
import { glossary } from './glossary.js';
import type { Lang } from './i18n.js';
import { asString, type JsonObject } from './json-values.js';
import { approvalOf, finalHash, isDryRun, orderedValues, sealText, softwareTokenOf, statusText, type Context, type JournalCheck } from './record-context.js';
import { criterionInRecord } from './record-criteria.js';
import { stepSection } from './record-steps.js';
import { keyInventory } from './key-inventory.js';
import { groupedHex } from '../util/fingerprint.js';
import { deviationsTable, filesTable, incidentsTable, keyInventoryTable, keysTable, shareSetsTable } from './record-tables.js';
import {
  roleName,
  moduleDescriptionText,
  tokenFactText,
  valueText,
  ceremonyRows,
  credentialsTable,
  declaredKeysTable,
  fieldLabel,
  rolesTable,
  roleTitle,
  script,
  stepRef,
  materialsIntro,
} from './script.js';

export type { JournalCheck } from './record-context.js';

type Row = readonly [string, Content];

export interface ReportOptions {
  /** `keyceremony 0.1.0`: the tool that rendered the report, for the footer. */
  tool: string;
  journal: JournalCheck;
}

export function buildReport(definition: Definition, record: CeremonyRecord, lang: Lang, options: ReportOptions): CeremonyDocument {
  const c: Context = { ...script(definition, lang), record, journal: options.journal };
  const { t } = c;
  return {
    kind: 'report',
    lang,
    title: t.reportTitle(definition.title[lang], ceremonyKind(definition)),
    subtitle: [code(definition.ceremony), `${t.definitionSha256} ${groupedHex(definition.sha256)}`],
    notices: [notice('info', approvalOf(c) ? t.reportIntroApproved(approvalOf(c)!.approvedBy, approvalOf(c)!.reference) : t.reportIntro), ...statusNotices(c)],
    sections: [
      topSection('ceremony', t.sections.ceremony, ceremonySection(c)),
      topSection('roles', t.sections.roles, rolesSection(c)),
      topSection('materials', t.sections.materials, materialsSection(c)),
      topSection(
        'steps',
        t.sections.steps,
        [],
        definition.steps.map((step, i) => stepSection(c, step, i)),
      ),
      topSection('deviations', t.sections.deviations, deviationsSection(c)),
      topSection('fingerprints', t.sections.fingerprints, fingerprintsSection(c)),
      topSection(
        'criteria',
        t.sections.criteria,
        criteriaBlocks(c, (key) => criterionInRecord(c, key), t.whereReport),
      ),
      topSection('journal', t.sections.journal, journalSection(c)),
      topSection('sign-off', t.sections['sign-off'], signOffSection(c)),
      topSection('glossary', t.sections.glossary, [glossary(lang)]),
    ],
    runningHead: `${isDryRun(c) ? `${t.dryRun.toUpperCase()} · ` : ''}${t.record}${t.colon}${definition.ceremony}`,
    footer: t.footer('report', definition.ceremony, definition.sha256.slice(0, 16), options.tool),
  };
}

// ---- notices above the first section ---------------------------------------------------

function statusNotices(c: Context): NoticeBlock[] {
  const notices: NoticeBlock[] = [];
  if (isDryRun(c)) notices.push(notice('warning', c.t.dryRunNotice));
  const software = softwareTokenOf(c);
  if (software !== undefined) notices.push(notice('warning', c.t.softwareTokenNotice(software)));
  if (c.record.seal === undefined) notices.push(notice('warning', c.t.openNotice(c.record.last.seq, c.record.last.event)));
  for (const incident of c.record.incidents) {
    if (incident.event === JOURNAL_EVENTS.aborted) {
      notices.push(notice('warning', c.t.abortedNotice(incident.data.reason)));
      break;
    }
  }
  return notices;
}

// ---- 1 ceremony ------------------------------------------------------------------------

function ceremonySection(c: Context): Block[] {
  const { t, record } = c;
  const header = record.header;
  const { tool, os } = header;
  const first = dateOf(record.first.time, c.definition.timeZone);
  const last = dateOf(record.last.time, c.definition.timeZone);
  const rows: Row[] = [
    ...ceremonyRows(c),
    [t.status, strong(statusText(c))],
    [t.date, first === last ? first : `${first} – ${last}`],
    [t.started, formatTime(record.first.time, c.definition.timeZone)],
    [t.ended, record.seal ? formatTime(record.seal.time, c.definition.timeZone) : t.none],
    [t.dryRun, isDryRun(c) ? t.yes : t.no],
    [t.definitionFile, code(header.definition.file)],
    [t.tool, `${tool.name} ${tool.version}`.trim()],
    [t.toolSha256, tool.sha256 ? fingerprintLines(tool.sha256) : t.notRecorded],
    [t.toolRelease, releaseLines(c, tool.release)],
    [t.node, header.node ?? t.notRecorded],
    [t.os, os ? [os.platform, os.release, os.arch].join(' ') : t.notRecorded],
    [t.host, os?.hostname ?? t.notRecorded],
    [t.terminalTimeZone, header.timeZone ?? t.notRecorded],
  ];
  const answers = header.answers?.file;
  if (answers !== undefined) rows.push([t.answersFile, code(answers)]);
  const approval = approvalOf(c);
  rows.push([t.approval, approval ? t.approvalRecorded(approval.approvedBy, approval.reference, approval.sha256Typed) : t.approvalNotRecorded]);
  const blocks: Block[] = [fields(rows)];
  const values = recordedValues(c);
  if (values.length > 0) blocks.push(paragraph(strong(t.recordedValues)), table([t.step, t.field, t.value], values));
  blocks.push(paragraph(strong(t.auditEvidence)), paragraph(t.auditEvidenceIntro), table([t.evidenceGroup, t.evidenceItem, t.value], auditEvidenceRows(c)));
  return blocks;
}

/**
 * What an auditor asks for beyond the steps (issue 22 item 13): the video, the Qualified
 * Auditor, the attendance sheet, the HSM inventory check, the bag and envelope register and
 * the key inventory, one row per item: the value recorded (and where), "not recorded" when
 * the script has a field for it that holds nothing, "not declared" when it has none.
 */
function auditEvidenceRows(c: Context): Array<readonly [string, string, string]> {
  const { t } = c;
  return EVIDENCE_GROUP_NAMES.flatMap((group) =>
    EVIDENCE_GROUPS[group].map((kind) => {
      const recorded = recordedFor(c.definition, c.record, kind);
      const value =
        recorded.length > 0
          ? recorded.map(({ step, value: v }) => t.aside(v, stepRef(c, step.id))).join(t.listSeparator)
          : declaredFor(c.definition, kind).length > 0
            ? t.notRecorded
            : t.evidenceNotDeclared;
      return [t.evidenceGroups[group], t.evidenceKinds[kind], value] as const;
    }),
  );
}

/** tool.release of the header: the bundle hash and the self-check, a checkout, or not recorded (journals before issue 21). */
function releaseLines(c: Context, release: JsonObject | undefined): Content {
  if (release === undefined) return c.t.notRecorded;
  const bundle = asString(release.bundleSha256);
  if (release.installed !== true || bundle === undefined) return c.t.toolReleaseCheckout;
  return [...fingerprintLines(bundle), c.t.toolReleaseInstalled(asString(release.selfCheck) ?? '?')];
}

/** Every value typed at the ceremony (date, place, serials, bag numbers), by step. */
function recordedValues(c: Context): Array<readonly [string, string, string]> {
  return c.definition.steps.flatMap((step) =>
    orderedValues(step, c.record.steps.get(step.id)?.values ?? []).map(
      ([field, value]) => [stepRef(c, step.id), fieldLabel(c, step, field), valueText(c, step, field, value)] as const,
    ),
  );
}

// ---- 2 roles and participants ----------------------------------------------------------

function rolesSection(c: Context): Block[] {
  const { t, record } = c;
  const signOff = (id: string): string => {
    const offs = record.signOffs.filter((s) => s.participant === id);
    const lastOff = offs.at(-1);
    if (lastOff === undefined) return t.none;
    return t.aside(lastOff.followedScript === false ? t.notFollowedScript : t.followedScript, formatTime(lastOff.time, c.definition.timeZone));
  };
  const participants =
    record.participants.length === 0
      ? paragraph(muted(t.notRecorded))
      : table(
          [t.participant, t.participantId, t.roles, t.signedIn, t.signedOff],
          record.participants.map(
            (p) =>
              [
                p.name,
                code(p.id),
                p.roles.map((role) => (c.lang === 'zh-TW' ? roleName(c, role) : code(role))),
                record.signedInAt ? formatTime(record.signedInAt, c.definition.timeZone) : t.none,
                signOff(p.id),
              ] as const,
          ),
        );
  return [rolesTable(c), paragraph(t.conflictRule), paragraph(strong(t.participants)), participants];
}

// ---- 3 hardware and activation materials -----------------------------------------------

function materialsSection(c: Context): Block[] {
  const { t, record } = c;
  const { module, profile } = record.header.hsm;
  const text = (value: string | undefined): Content => value ?? t.notRecorded;
  const software = softwareTokenOf(c);
  const blocks: Block[] = [
    paragraph(strong(t.hsmModule)),
    fields([
      [t.modulePath, code(module.path)],
      [t.manufacturer, text(module.manufacturer)],
      [t.moduleDescription, module.description ? moduleDescriptionText(c, module.description) : t.notRecorded],
      [t.libraryVersion, text(module.libraryVersion)],
      [t.cryptokiVersion, text(module.cryptokiVersion)],
      [t.hsmProfile, code(profile.file)],
      [t.dryRun, isDryRun(c) ? t.yes : t.no],
      ...(software === undefined ? [] : [[t.softwareToken, strong(t.softwareTokenValue(software))] satisfies Row]),
      ...(profile.description ? [[t.profileDescription, t.profileDescriptionText(profile.description)] satisfies Row] : []),
    ]),
    paragraph(strong(t.tokens)),
    table(
      [t.token, t.label, t.serial, t.model, t.firmware, t.stateAtOpening],
      record.tokens.map(
        (token) =>
          [
            [code(token.name), c.definition.tokens[token.name]?.title?.[c.lang] ?? ''].filter((line) => line !== ''),
            code(token.label ?? t.notRecorded),
            token.serial ? code(token.serial) : t.notRecorded,
            [token.manufacturer, token.model].filter((part) => part !== undefined).join(' ') || t.notRecorded,
            token.firmware ?? t.notRecorded,
            [
              token.state === undefined ? t.present : token.state === 'to be initialised by this ceremony' ? t.toBeInitialised : token.state,
              ...token.other.map(([key, value]) => tokenFactText(c, key, value)),
            ],
          ] as const,
      ),
    ),
  ];
  const credentials = credentialsTable(c);
  if (credentials) blocks.push(paragraph(strong(t.credentials)), paragraph(materialsIntro(c)), credentials);
  if (record.shareSets.length > 0) blocks.push(paragraph(strong(t.shareSets)), shareSetsTable(c, record.shareSets));
  const declared = declaredKeysTable(c);
  if (declared) blocks.push(paragraph(strong(t.declaredKeys)), declared);
  if (record.inputs.length > 0) blocks.push(paragraph(strong(t.inputs)), filesTable(c, record.inputs, false));
  return blocks;
}

// ---- 4 steps: record-steps.ts ----------------------------------------------------------

// ---- 5 deviations -----------------------------------------------------------------------

function deviationsSection(c: Context): Block[] {
  // The deviations are counted as the screens and the letter count them (deviationsOf); the
  // other records of the course (a resume, a restart, a login again) are listed, not counted.
  const { deviations } = c.record;
  const counted = new Set(deviations.map((d) => d.seq));
  const others = c.record.incidents.filter((incident) => !counted.has(incident.seq));
  return [
    ...(deviations.length === 0
      ? [paragraph(c.t.deviationsNone)]
      : [paragraph(c.t.deviationsIntro), paragraph(c.t.deviationsCount(deviations.length)), deviationsTable(c, deviations)]),
    ...(others.length === 0 ? [] : [paragraph(c.t.otherEventsIntro), incidentsTable(c, others, true)]),
  ];
}

// ---- 6 fingerprints ---------------------------------------------------------------------

function fingerprintsSection(c: Context): Block[] {
  const { t, record } = c;
  const blocks: Block[] = [paragraph(strong(t.keys))];
  blocks.push(record.keys.length === 0 ? paragraph(muted(t.noKeys)) : keysTable(c, record.keys, true));
  const inventory = keyInventory(c.definition, record);
  if (inventory.length > 0) blocks.push(paragraph(strong(t.keyInventory)), paragraph(t.keyInventoryIntro), keyInventoryTable(c, inventory));
  blocks.push(paragraph(strong(t.outputs)));
  blocks.push(record.outputs.length === 0 ? paragraph(muted(t.noOutputs)) : filesTable(c, record.outputs, true));
  if (record.inputs.length > 0) blocks.push(paragraph(strong(t.inputs)), filesTable(c, record.inputs, false));
  return blocks;
}

// ---- 7 criteria: record-criteria.ts ------------------------------------------------------

// ---- 8 journal --------------------------------------------------------------------------

function journalSection(c: Context): Block[] {
  const { t, record, journal } = c;
  const hash = finalHash(c);
  return [
    fields([
      [t.journalFile, code(journal.file)],
      [t.records, String(record.recordCount)],
      [t.firstRecord, formatTime(record.first.time, c.definition.timeZone)],
      [
        t.lastRecord,
        `${t.aside(String(record.last.seq), t.journalEvents[record.last.event] ?? record.last.event)}${t.comma}${formatTime(record.last.time, c.definition.timeZone)}`,
      ],
      [t.status, record.seal ? sealText(c) : strong(t.notSealed)],
      [t.journalHead, journal.headChecked === undefined ? t.journalHeadNotChecked : t.journalHeadChecked(journal.headChecked)],
      [t.finalHash, fingerprintLines(hash).slice(0, 1)],
      [t.finalWords, pgpWords(Buffer.from(hash, 'hex'))],
      [t.verifyCommand, code(journal.verifyCommand)],
    ]),
    paragraph(t.journalVerified(record.recordCount)),
    ...checkpointBlocks(c),
  ];
}

/** The HSM-signed checkpoints, and what they do not prove (issue 20). */
function checkpointBlocks(c: Context): Block[] {
  const { t, record, journal } = c;
  const facts = journal.checkpoints;
  if (facts === undefined || facts.checks.length === 0) return [paragraph([strong(t.checkpointsTitle), ' ', t.checkpointsNone])];
  const covered = facts.checks.filter((check) => check.verified).at(-1)?.signedSeq;
  return [
    paragraph(strong(t.checkpointsTitle)),
    table(
      t.checkpointColumns,
      facts.checks.map((check) => [
        String(check.seq),
        String(check.signedSeq ?? ''),
        check.token ?? '',
        code(check.spkiSha256 ?? ''),
        formatTime(check.time, c.definition.timeZone),
        check.verified ? t.checkpointVerified : strong(t.checkpointNotChecked),
      ]),
    ),
    paragraph(facts.keysFrom === 'given' ? t.checkpointKeysGiven : t.checkpointKeysWorkdir),
    paragraph(t.checkpointsLimit(covered, record.last.seq)),
  ];
}

// ---- 9 sign-off -------------------------------------------------------------------------

function signOffSection(c: Context): Block[] {
  const { t, record } = c;
  const signatures: SignatureBlock[] = record.participants.map((p) => {
    const offs = record.signOffs.filter((s) => s.participant === p.id);
    const recorded: Inline[] = offs.map(
      (s) =>
        `${t.aside(s.followedScript === false ? t.notFollowedScript : t.followedScript, formatTime(s.time, c.definition.timeZone))}${s.note ? `${t.colon}${s.note}` : ''}`,
    );
    return {
      title: p.name === '' ? p.id : p.name,
      facts: [
        [t.participantId, code(p.id)],
        [t.roles, p.roles.map((role) => (c.lang === 'zh-TW' ? roleName(c, role) : `${role}${roleTitle(c, role) ? ` (${roleTitle(c, role)})` : ''}`))],
        [t.recordedSignOff, recorded.length === 0 ? t.none : recorded],
      ],
      blanks: [t.signature, t.signDate],
    };
  });
  signatures.push({ title: t.auditor, facts: [], blanks: [t.name, t.organisation, t.signature, t.signDate] });
  const hash = finalHash(c);
  // Said here too, not only in the key generation criteria (g): every kind of ceremony has sign-offs.
  const signed = new Set(record.signOffs.map((s) => s.participant)).size;
  const notFollowed = record.signOffs.filter((s) => s.followedScript === false).length;
  return [
    paragraph(t.signOffSummary(signed, record.participants.length, notFollowed)),
    { kind: 'signatures', statement: t.signOffStatementReport(c.definition.sha256, pgpWords(Buffer.from(hash, 'hex'))), signatures },
  ];
}
