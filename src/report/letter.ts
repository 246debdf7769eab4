// `report --letter`: the post-ceremony attestation letter (issue 22 item 14), one page for
// the CA's security officer to sign. The same verified journal and the same document model
// as the record (report.ts), only shorter: the ceremony, its HSM and tokens, the keys with
// their SPKI fingerprints, the files produced with their hashes, who took part, the final
// hash and the checkpoints, the deviations, and a statement with signature lines.
import { specOf } from '../steps/index.js';
import type { Definition, Step } from '../definition/definition.js';
import { groupedHex, pgpWords } from '../util/fingerprint.js';
import type { CeremonyRecord } from './ceremony-record.js';
import {
  type Block,
  type CeremonyDocument,
  type Content,
  type Section,
  type SignatureBlock,
  code,
  fields,
  list,
  notice,
  paragraph,
  plainText,
  table,
} from './document.js';
import { dateOf, formatTime } from './format.js';
import type { Lang } from './i18n.js';
import { asObject, asString } from './json-values.js';
import { letterMessages, type LetterMessages } from './letter-i18n.js';
import { deviationDetails, fileKindText } from './record-tables.js';
import type { Deviation } from '../ceremony/deviations.js';
import { finalHash, isDryRun, people, softwareTokenOf, statusText, type Context } from './record-context.js';
import type { ReportOptions } from './report.js';
import { moduleDescriptionText, script, stepRef } from './script.js';
import { roleTitles } from '../definition/built-in-roles.js';

interface LetterContext extends Context {
  l: LetterMessages;
}

export function buildLetter(definition: Definition, record: CeremonyRecord, lang: Lang, options: ReportOptions): CeremonyDocument {
  const c: LetterContext = { ...script(definition, lang), record, journal: options.journal, l: letterMessages(lang) };
  const { t, l } = c;
  const section = (n: number, anchor: string, title: string, blocks: Block[]): Section => ({
    anchor: `letter-${anchor}`,
    number: String(n),
    title,
    blocks,
    sections: [],
  });
  const notices = [notice('info', l.intro)];
  if (isDryRun(c)) notices.push(notice('warning', t.dryRunNotice));
  const software = softwareTokenOf(c);
  if (software !== undefined) notices.push(notice('warning', t.softwareTokenNotice(software)));
  if (record.seal === undefined) notices.push(notice('warning', t.openNotice(record.last.seq, record.last.event)));
  return {
    kind: 'letter',
    lang,
    title: l.title(definition.title[lang]),
    subtitle: [code(definition.ceremony), `${t.definitionSha256} ${groupedHex(definition.sha256)}`],
    notices,
    sections: [
      section(1, 'ceremony', l.sections.ceremony, ceremonyBlocks(c)),
      section(2, 'hsm', l.sections.hsm, hsmBlocks(c)),
      section(3, 'keys', l.sections.keys, keyBlocks(c)),
      section(4, 'outputs', l.sections.outputs, outputBlocks(c)),
      section(5, 'participants', l.sections.participants, participantBlocks(c)),
      section(6, 'journal', l.sections.journal, journalBlocks(c)),
      section(7, 'deviations', l.sections.deviations, deviationBlocks(c)),
      section(8, 'attestation', l.sections.attestation, [signatureBlock(c)]),
    ],
    runningHead: `${isDryRun(c) ? `${t.dryRun.toUpperCase()} · ` : ''}${l.runningHead}${t.colon}${definition.ceremony}`,
    footer: l.footer(definition.ceremony, definition.sha256.slice(0, 16), options.tool),
  };
}

function ceremonyBlocks(c: LetterContext): Block[] {
  const { t, l, record, definition: d } = c;
  const first = dateOf(record.first.time, d.timeZone);
  const last = dateOf(record.last.time, d.timeZone);
  const places = placesRecorded(c);
  return [
    fields([
      [t.title, c.lang === 'en' ? [d.title.en, d.title['zh-TW']] : [d.title['zh-TW'], d.title.en]],
      [t.ceremonyId, code(d.ceremony)],
      [t.definitionSha256, code(groupedHex(d.sha256))],
      [t.status, statusText(c)],
      [t.date, first === last ? first : `${first} – ${last}`],
      [t.started, formatTime(record.first.time, d.timeZone)],
      [t.ended, record.seal ? formatTime(record.seal.time, d.timeZone) : t.none],
      [l.timeZone, d.timeZone ?? record.header.timeZone ?? t.notRecorded],
      [l.place, places.length === 0 ? l.placeNotRecorded : places],
    ]),
  ];
}

/** The ceremony room as typed at a record step: the fields with the id `place`, as the chain's ceremonies name them. */
function placesRecorded(c: LetterContext): string[] {
  return c.definition.steps.flatMap((step) => {
    const fact = c.record.steps.get(step.id);
    if (specOf(step).typedFields === undefined || fact?.status !== 'completed') return [];
    return fact.values.filter(([field, value]) => field === 'place' && value.trim() !== '').map(([, value]) => value);
  });
}

function hsmBlocks(c: LetterContext): Block[] {
  const { t, record } = c;
  const { module } = record.header.hsm;
  // The module's own description, translated as the record translates it (the zh-TW letter is a Chinese document).
  const moduleLine = [module.manufacturer, module.description === undefined ? undefined : moduleDescriptionText(c, module.description), module.libraryVersion]
    .filter((part) => part !== undefined)
    .join(' ');
  return [
    fields([[t.hsmModule, moduleLine === '' ? t.notRecorded : moduleLine]]),
    table(
      [t.token, t.label, t.serial, t.model],
      record.tokens.map(
        (token) =>
          [
            code(token.name),
            code(token.label ?? t.notRecorded),
            token.serial ? code(token.serial) : t.notRecorded,
            [token.manufacturer, token.model].filter((part) => part !== undefined).join(' ') || t.notRecorded,
          ] as const,
      ),
    ),
  ];
}

interface KeyLine {
  label: string;
  token: string;
  what: string;
  spkiSha256: string | undefined;
  words: string | undefined;
}

/**
 * Each key the ceremony touched, in script order: made (generate-key, restore-key, the
 * token's audit key), used by a step that names it (create-csr, self-sign, backup-key,
 * issue-…), destroyed (destroy-key). The fingerprint is the one the journal recorded at that
 * step, else the one recorded when the key was made; "not recorded" otherwise.
 */
function keyLines(c: LetterContext): KeyLine[] {
  const { l, record, definition } = c;
  const lines: KeyLine[] = [];
  const known = new Map<string, { spkiSha256: string; words: string | undefined }>();
  for (const step of definition.steps) {
    const fact = record.steps.get(step.id);
    if (fact?.status !== 'completed') continue;
    const at = stepRef(c, step.id);
    for (const key of fact.keys) {
      known.set(key.label, { spkiSha256: key.spkiSha256, words: key.words });
      lines.push({
        label: key.label,
        token: key.token,
        what: specOf(step).restoresFrom !== undefined ? l.keyRestored(at) : l.keyGenerated(at),
        spkiSha256: key.spkiSha256,
        words: key.words,
      });
    }
    const recorded = asString(fact.details.spkiSha256);
    const words = asString(fact.details.words);
    const used = namedKey(step);
    if (used !== undefined) {
      const fingerprint = recorded !== undefined ? { spkiSha256: recorded, words } : known.get(used);
      const token = asString(fact.details.token) ?? tokenOf(step) ?? definition.keys[used]?.token ?? '';
      lines.push({
        label: used,
        token,
        what: specOf(step).destroys !== undefined ? l.keyDestroyed(at) : l.keyUsed(at),
        spkiSha256: fingerprint?.spkiSha256,
        words: fingerprint?.words,
      });
    }
    // init-token makes the token's audit key, which signs the journal checkpoints.
    const auditKey = asObject(fact.details.auditKey);
    const auditSpki = asString(auditKey?.spkiSha256);
    if (auditKey !== undefined && auditSpki !== undefined) {
      lines.push({
        label: asString(auditKey.label) ?? '',
        token: tokenOf(step) ?? '',
        what: l.auditKeyGenerated(at),
        spkiSha256: auditSpki,
        words: asString(auditKey.words),
      });
    }
  }
  return lines;
}

/** The key a step works with, when it names one by its label (`key: HCA-G3`). */
function namedKey(step: Step): string | undefined {
  const key = (step as { key?: unknown }).key;
  return typeof key === 'string' ? key : undefined;
}

function tokenOf(step: Step): string | undefined {
  const token = (step as { token?: unknown }).token;
  return typeof token === 'string' ? token : undefined;
}

function keyBlocks(c: LetterContext): Block[] {
  const { t, l } = c;
  const lines = keyLines(c);
  if (lines.length === 0) return [paragraph(l.noKeys)];
  return [
    table(
      [t.key, t.token, l.whatHappened, t.spkiSha256],
      lines.map(
        (line) =>
          [
            code(line.label),
            line.token === '' ? t.notRecorded : code(line.token),
            line.what,
            line.spkiSha256 === undefined ? t.notRecorded : code(groupedHex(line.spkiSha256)),
          ] as const,
      ),
    ),
  ];
}

/** A role's short name: the definition's title, or the built-in title of a known id, or the id marked as one. */
function shortRole(c: LetterContext, role: string): string {
  return roleTitles(c.definition.roles, role)?.[c.lang] ?? c.t.untitledRole(role);
}

/** Each file the ceremony wrote, with its SHA-256 as hex groups (the record has the PGP words and sizes). */
function outputBlocks(c: LetterContext): Block[] {
  const { t, l, record } = c;
  if (record.outputs.length === 0) return [paragraph(l.noOutputs)];
  return [
    table(
      [t.file, t.kind, t.sha256],
      record.outputs.map(
        (file) => [[code(file.name), file.step ? stepRef(c, file.step) : t.none], fileKindText(c, file.kind), code(groupedHex(file.sha256))] as const,
      ),
    ),
  ];
}

function participantBlocks(c: LetterContext): Block[] {
  const { t, l, record } = c;
  if (record.participants.length === 0) return [paragraph(t.notRecorded)];
  const rows = Object.keys(c.definition.roles).flatMap((role) => {
    const members = record.participants.filter((p) => p.roles.includes(role));
    return members.length === 0 ? [] : [[shortRole(c, role), members.map((p) => (p.name === '' ? p.id : t.aside(p.name, p.id)))] as readonly [string, Content]];
  });
  return [table([l.role, l.people], rows)];
}

function journalBlocks(c: LetterContext): Block[] {
  const { t, l, record } = c;
  const hash = finalHash(c);
  const checks = c.journal.checkpoints?.checks ?? [];
  return [
    fields([
      [t.finalHash, code(groupedHex(hash))],
      [t.finalWords, pgpWords(Buffer.from(hash, 'hex'))],
      [l.recordsLabel, l.records(record.recordCount)],
      [t.checkpointsTitle, l.checkpoints(checks.filter((check) => check.verified).length, checks.length)],
    ]),
  ];
}

function deviationBlocks(c: LetterContext): Block[] {
  const { t, l, record } = c;
  // The deviations the screens counted and read aloud (deviationsOf), not every record of the
  // course: a resume or a restart is no deviation of its own (issue 16 item 2).
  if (record.deviations.length === 0) return [paragraph(l.deviationsNone)];
  // One line each, to keep to one page; the record's section 5 has them in full.
  const line = (deviation: Deviation): string => {
    const details = plainText(deviationDetails(c, deviation, true)).replace(/\n/g, t.listSeparator);
    return `${formatTime(deviation.time, c.definition.timeZone)} · ${stepRef(c, deviation.step)} · ${t.deviationKinds[deviation.kind]} · ${people(c, deviation.who)}${t.colon}${details}`;
  };
  return [paragraph(l.deviationsIntro(record.deviations.length)), list(record.deviations.map(line))];
}

function signatureBlock(c: LetterContext): Block {
  const { t, l, record } = c;
  const witnesses: SignatureBlock[] = record.participants
    .filter((p) => p.roles.includes('witness'))
    .map((p) => ({
      title: `${l.witness}${t.colon}${p.name === '' ? p.id : p.name}`,
      facts: [[t.participantId, code(p.id)]],
      blanks: [t.signature, t.signDate],
    }));
  const officer: SignatureBlock = { title: l.securityOfficer, facts: [], blanks: [l.certificationAuthority, t.name, l.jobTitle, t.signature, t.signDate] };
  return { kind: 'signatures', statement: l.statement(c.definition.sha256, record.deviations.length), signatures: [officer, ...witnesses] };
}
