// The tables of the record that more than one section shows: files and keys with their
// fingerprints, share sets, and incidents with what their records say.
import type { FileFact, Incident, KeyFact, ShareSetFact } from './ceremony-record.js';
import type { Deviation } from '../ceremony/deviations.js';
import type { FileKind } from '../ceremony/types.js';
import type { Holding, InventoryKey } from './key-inventory.js';
import { type Block, type Content, code, table } from './document.js';
import { fingerprintLines, formatTime } from './format.js';
import { asObject, asObjects, asString, asStrings, flattenValue, type JsonObject } from './json-values.js';
import { people, person, type Context } from './record-context.js';
import { hintWords, problemWords } from '../ui/i18n/index.js';
import { roleName, stepRef } from './script.js';
import { journalNoteKey } from '../util/journal-notes.js';
import { groupedHex } from '../util/fingerprint.js';
import { JOURNAL_EVENTS } from '../journal/events.js';
import { deviationWrittenBy } from '../steps/index.js';

export function shareSetsTable(c: Context, sets: readonly ShareSetFact[]): Block {
  const { t } = c;
  return table(
    [t.credential, t.setId, t.minimum, t.custodians, t.manifest, t.step],
    sets.map(
      (set) =>
        [
          code(set.credential),
          code(set.setId),
          set.quorumsChecked === undefined
            ? t.threshold(set.threshold, set.count)
            : [t.threshold(set.threshold, set.count), t.quorumsChecked(set.quorumsChecked)],
          people(c, set.custodians),
          set.file ? code(set.file) : t.none,
          set.step ? stepRef(c, set.step) : t.inputs,
        ] as const,
    ),
  );
}

/** A file's kind as the reader says it; a kind this version does not know, as recorded. */
export function fileKindText(c: Context, kind: string): string {
  return c.t.fileKinds[kind as FileKind] ?? kind;
}

export function filesTable(c: Context, files: readonly FileFact[], withStep: boolean): Block {
  const { t } = c;
  const columns = [...(withStep ? [t.step] : []), t.file, t.kind, t.bytes, t.sha256];
  return table(
    columns,
    files.map((f) => [
      ...(withStep ? [f.step ? stepRef(c, f.step) : t.none] : []),
      code(f.name),
      fileKindText(c, f.kind),
      f.bytes === undefined ? t.notRecorded : String(f.bytes),
      fingerprintLines(f.sha256, f.words),
    ]),
  );
}

export function keysTable(c: Context, keys: readonly KeyFact[], withStep: boolean): Block {
  const { t } = c;
  const columns = [...(withStep ? [t.step] : []), t.key, t.token, t.algorithm, t.spkiSha256];
  return table(
    columns,
    keys.map((k) => [
      ...(withStep ? [stepRef(c, k.step)] : []),
      [code(k.label), ...(k.id ? [code(`id ${k.id}`)] : []), ...(k.uri ? [code(k.uri)] : [])],
      code(k.token),
      k.algorithm || t.notRecorded,
      fingerprintLines(k.spkiSha256, k.words),
    ]),
  );
}

/** The key inventory: one row per place a key is held (a token, a backup file). */
export function keyInventoryTable(c: Context, inventory: readonly InventoryKey[]): Block {
  const { t } = c;
  return table(
    [t.key, t.heldIn, t.cameBy, t.atTheEnd],
    inventory.flatMap((key) =>
      key.holdings.map((holding) => [
        [code(key.label), ...(key.spkiSha256 ? [`${t.spkiSha256} ${groupedHex(key.spkiSha256.slice(0, 16))} …`] : [])],
        holding.kind === 'token'
          ? code(t.inventoryToken(holding.token))
          : [code(t.inventoryBackupFile(holding.file.name)), ...fingerprintLines(holding.file.sha256, holding.file.words)],
        cameBy(c, holding),
        holding.kind === 'token' ? (holding.destroyedBy ? t.inventoryDestroyed(stepRef(c, holding.destroyedBy)) : t.inventoryOnToken) : t.inventoryFileKept,
      ]),
    ),
  );
}

function cameBy(c: Context, holding: Holding): string {
  const { t } = c;
  if (holding.kind === 'backup') return holding.made ? t.inventoryBackupMade(stepRef(c, holding.made.step), holding.made.kekSet) : t.inventoryBackupBrought;
  if (holding.came.how === 'declared') return t.inventoryDeclared;
  if (holding.came.how === 'generated') return t.inventoryGenerated(stepRef(c, holding.came.step));
  return t.inventoryRestored(
    stepRef(c, holding.came.step),
    holding.came.from ? t.aside(holding.came.from.name, `SHA-256 ${groupedHex(holding.came.from.sha256.slice(0, 16))} …`) : undefined,
  );
}

/** A holding as one line, for the destroy step's wording. */
export function holdingLine(c: Context, holding: Holding): string {
  const { t } = c;
  if (holding.kind === 'backup')
    return `${t.aside(t.inventoryBackupFile(holding.file.name), `SHA-256 ${groupedHex(holding.file.sha256)}`)}${t.comma}${cameBy(c, holding)}`;
  return `${t.inventoryToken(holding.token)}${t.comma}${cameBy(c, holding)}`;
}

export function incidentsTable(c: Context, incidents: readonly Incident[], withStep: boolean): Block {
  const { t } = c;
  const columns = [t.time, ...(withStep ? [t.step] : []), t.event, t.who, t.details];
  return table(
    columns,
    incidents.map((incident) => [
      formatTime(incident.time, c.definition.timeZone),
      ...(withStep ? [stepRef(c, incident.step)] : []),
      [t.incidentKinds[incident.kind], code(incident.event)],
      people(c, incident.who),
      incidentDetails(c, incident),
    ]),
  );
}

/**
 * The deviations (deviationsOf) as a table: each named by its kind (a crash is a crash, not
 * the restart after it) at the step the screens name, with what its record says.
 */
export function deviationsTable(c: Context, deviations: readonly Deviation[]): Block {
  const { t } = c;
  return table(
    [t.time, t.step, t.event, t.who, t.details],
    deviations.map((d) => [
      formatTime(d.time, c.definition.timeZone),
      stepRef(c, d.step),
      [t.deviationKinds[d.kind], code(c.record.incidents.find((i) => i.seq === d.seq)?.event ?? JOURNAL_EVENTS.resumed)],
      people(c, d.who),
      deviationDetails(c, d),
    ]),
  );
}

/** What a deviation's record says: a crash names the last record before it; the others, their own record. */
export function deviationDetails(c: Context, deviation: Deviation, prose = false): Content {
  if (deviation.kind === 'crashed') return c.t.crashDetail(deviation.detail);
  const incident = c.record.incidents.find((i) => i.seq === deviation.seq);
  return incident === undefined ? deviation.detail : incidentDetails(c, incident, prose);
}

/**
 * What an incident's record says, with the frame translated and the recorded words as they are.
 * `prose` (the attestation letter's sentences) leaves out the engine's internal ids, the
 * refusal code and the event name, which a table beside the journal keeps but a sentence
 * for the officer to sign does not read (review terms16t: the code values.seal-recorded in a sentence).
 */
export function incidentDetails(c: Context, incident: Incident, prose = false): Content {
  const labels = c.t.incidentLabels;
  if (incident.event === JOURNAL_EVENTS.exceptionRecorded) return incident.data.text;
  if (incident.event === JOURNAL_EVENTS.stepCompleted) return deviationWrittenBy(incident.data.type, incident.data.values) ?? '';
  if (incident.event === JOURNAL_EVENTS.participantSignedOff) {
    const note = incident.data.note;
    return note ? [labels.followedScriptNo, note] : labels.followedScriptNo;
  }
  if (incident.event === JOURNAL_EVENTS.aborted) {
    return [`${labels.reason}${c.t.colon}${incident.data.reason}`, `${labels.created}${c.t.colon}${createdSoFar(c, asObject(incident.data.created))}`];
  }
  // Any other incident: every fact its record holds, in the journal's order.
  const facts: JsonObject = problemFacts(c, incident);
  const lines = Object.entries(facts).flatMap(([key, value]) => {
    if (prose && (key === 'code' || key === 'event')) return [];
    // Ids of people are shown with their names, as everywhere else in the record.
    if ((key === 'stoppedBy' || key === 'confirmedBy' || key === 'participant') && (typeof value === 'string' || Array.isArray(value))) {
      const ids = typeof value === 'string' ? [value] : asStrings(value);
      return ids.length === 0 ? [] : [`${fieldLabel(c, key)}${c.t.colon}${people(c, ids)}`];
    }
    // Someone who joined: by name, and roles as the text names them (titles in zh-TW, not role codes).
    const joined = key === 'participant' ? asObject(value) : undefined;
    if (joined !== undefined && asString(joined.id) !== undefined) {
      const roles = asStrings(joined.roles).map((role) => roleName(c, role));
      return [
        `${fieldLabel(c, key)}${c.t.colon}${c.t.aside(asString(joined.name) ?? '', asString(joined.id) ?? '')}`,
        ...(roles.length > 0 ? [`${fieldLabel(c, 'roles')}${c.t.colon}${roles.join(c.t.listSeparator)}`] : []),
      ];
    }
    return flattenValue(value, fieldLabel(c, key), c.lang, (inner) => fieldLabel(c, inner)).map(
      ([label, text]) => `${label}${c.t.colon}${recordedText(c, text)}`,
    );
  });
  return lines.length === 0 ? c.t.none : lines;
}

const PROBLEM_EVENTS: ReadonlySet<string> = new Set([
  JOURNAL_EVENTS.shareRefused,
  JOURNAL_EVENTS.stepFailed,
  JOURNAL_EVENTS.eventRefused,
  JOURNAL_EVENTS.resumeRefused,
]);

/**
 * A refusal's or failure's record as the report says it: in zh-TW its message and hint as
 * whole Chinese sentences where the catalogue has them (src/ui/i18n/problems.ts), people by
 * name; the facts those sentences are made from (`details`) are not listed again, in either
 * language: the message names them.
 */
function problemFacts(c: Context, incident: Incident): JsonObject {
  if (!PROBLEM_EVENTS.has(incident.event)) return incident.data;
  const { details, ...data }: JsonObject = incident.data;
  const problem = { code: asString(data.code), hint: asString(data.hint), details: asDetails(details) };
  const names = { person: (id: string) => person(c, id), role: (id: string) => roleName(c, id), step: (id: string) => stepRef(c, id) };
  const message = problemWords(c.lang, problem, names);
  const hint = hintWords(c.lang, problem);
  return { ...data, ...(message !== undefined && data.message !== undefined ? { message } : {}), ...(hint !== undefined ? { hint } : {}) };
}

function asDetails(value: unknown): Record<string, string | number> | undefined {
  const object = asObject(value);
  if (object === undefined) return undefined;
  return Object.fromEntries(Object.entries(object).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
}

/** The label of a field of an incident record: the reader's words, or the key when the record has a field no catalogue knows. */
function fieldLabel(c: Context, key: string): string {
  const labels: Readonly<Record<string, string>> = c.t.incidentLabels;
  return labels[key] ?? c.t.incidentFields[key] ?? key;
}

/** A recorded value: the engine's fixed notes and values in the reader's words, anything else (typed words, messages, ids) as recorded. */
function recordedText(c: Context, text: string): string {
  const note = journalNoteKey(text);
  if (note !== undefined) return c.t.journalNotes[note];
  return c.t.engineValues[text] ?? text;
}

/** What an abort left behind, for the witnesses to deal with: keys, files, share sets, logins. */
export function createdSoFar(c: Context, created: JsonObject | undefined): string {
  const { t } = c;
  const names = (key: string, field: string): string[] =>
    asObjects(created?.[key]).flatMap((o) => (asString(o[field]) === undefined ? [] : [asString(o[field])!]));
  const parts = [
    [t.keys, names('keys', 'label')],
    [t.outputs, names('outputs', 'name')],
    [t.shareSets, names('shareSets', 'setId')],
    [t.loggedInTokens, asStrings(created?.loggedIn)],
  ] as const;
  const listed = parts.filter(([, items]) => items.length > 0).map(([label, items]) => `${label} ${items.join(t.listSeparator)}`);
  return listed.length === 0 ? t.none : listed.join('; ');
}
