// Section 4 of the record: each step as the script says it, then as the journal recorded
// it (times, people, values, shares, logins, keys, files, and what happened during it).
import type { Step } from '../definition/definition.js';
import { KEY_ATTRIBUTE_NAMES, KEY_ATTRIBUTES_RECORDED } from '../steps/generate-key/spec.js';
import { isSensitive, specOf } from '../steps/index.js';
import type { StepFact } from './ceremony-record.js';
import { type Block, type Content, type Section, code, fields, paragraph, strong } from './document.js';
import { groupedHex } from '../util/fingerprint.js';
import { formatTime } from './format.js';
import { NESTED_LABEL_JOINER, asObject, asString, flattenValue, type JsonObject } from './json-values.js';
import { orderedValues, people, person, stepStatusText, type Context } from './record-context.js';
import { otherCopies, keyInventory, type Holding } from './key-inventory.js';
import { filesTable, holdingLine, incidentsTable, keysTable, shareSetsTable } from './record-tables.js';
import { valueText, fieldLabel, scriptRows, stepAnchor, stepRef, stepTitle } from './script.js';

type Row = readonly [string, Content];

const SHA256_HEX = /^[0-9a-f]{64}$/i;

export function stepSection(c: Context, step: Step, index: number): Section {
  const { t } = c;
  const fact = c.record.steps.get(step.id);
  const blocks: Block[] = [paragraph(strong(t.script)), fields(scriptRows(c, step)), paragraph(strong(t.record))];
  if (fact === undefined || fact.status === 'not-reached') {
    blocks.push(fields([[t.stepStatus, strong(t.stepStatuses['not-reached'])]]));
  } else {
    blocks.push(fields(stepRecordRows(c, step, fact)));
    if (fact.keys.length > 0) blocks.push(keysTable(c, fact.keys, false));
    if (fact.outputs.length > 0) blocks.push(filesTable(c, fact.outputs, false));
    if (fact.shareSets.length > 0) blocks.push(shareSetsTable(c, fact.shareSets));
    const events = c.record.incidents.filter((incident) => incident.step === step.id);
    if (events.length > 0) blocks.push(paragraph(strong(t.eventsInStep)), incidentsTable(c, events, false));
  }
  return { anchor: stepAnchor(step.id), number: '', title: t.stepHeading(index + 1, stepTitle(step, c.lang)), blocks, sections: [] };
}

function stepRecordRows(c: Context, step: Step, fact: StepFact): Row[] {
  const { t } = c;
  const rows: Row[] = [
    [t.stepStatus, strong(stepStatusText(c, fact))],
    [t.started, fact.started ? formatTime(fact.started, c.definition.timeZone) : t.none],
    [t.ended, fact.ended ? formatTime(fact.ended, c.definition.timeZone) : t.none],
  ];
  if (fact.signedIn.length > 0) rows.push([t.participants, fact.signedIn.map((id) => person(c, id))]);
  if (fact.performer !== undefined || isSensitive(step.type) || step.by) rows.push([t.performedBy, fact.performer ? person(c, fact.performer) : t.notRecorded]);
  // A step that made a key, a file or a share set: its witnesses approved the start, before
  // the result existed; who confirmed the result is a later confirm-result step (issue 22 item 2).
  const madeResult = fact.keys.length > 0 || fact.outputs.length > 0 || fact.shareSets.length > 0;
  if (fact.witnesses.length > 0 || step.witness)
    rows.push([madeResult ? t.approvedStart : t.witnessedBy, fact.witnesses.length > 0 ? fact.witnesses.map((id) => person(c, id)) : t.notRecorded]);
  if (madeResult) rows.push([t.confirmedResult, resultConfirmations(c, step.id)]);
  if (fact.status !== 'completed' && fact.approvedBy.length > 0) rows.push([t.approvedBy, people(c, fact.approvedBy)]);
  if (fact.values.length > 0)
    rows.push([
      t.valuesRecorded,
      orderedValues(step, fact.values).map(([field, value]) => `${fieldLabel(c, step, field)}${t.colon}${valueText(c, step, field, value)}`),
    ]);
  if (fact.prepared !== undefined) rows.push(...detailRows(c, step, fact.prepared, t.preparedFacts));
  if (fact.handovers.length > 0)
    rows.push([
      t.sharesHandedOver,
      fact.handovers.map((h) => t.aside(`${person(c, h.custodian)}${t.colon}${h.credential}`, formatTime(h.time, c.definition.timeZone))),
    ]);
  if (fact.sharesEntered.length > 0) {
    rows.push([
      t.sharesEntered,
      fact.sharesEntered.map((e) =>
        t.aside(t.shareEntered(person(c, e.custodian), e.index === undefined ? '?' : String(e.index), e.setId), formatTime(e.time, c.definition.timeZone)),
      ),
    ]);
  }
  if (fact.session !== undefined) rows.push([t.session, sessionText(c, fact.session)]);
  if (fact.lockedTokens.length > 0) rows.push([t.lockedTokens, fact.lockedTokens.map((token) => code(token))]);
  if (fact.destroyedKeys.length > 0) rows.push([t.destroyedKeys, fact.destroyedKeys.map((key) => code(key))]);
  rows.push(...detailRows(c, step, fact.details, t.details));
  if (fact.signOffs.length > 0) {
    rows.push([
      t.signedOffBy,
      fact.signOffs.map((s) => {
        const verdict = `${person(c, s.participant)}${t.colon}${s.followedScript === false ? t.notFollowedScript : t.followedScript}`;
        // The note in the document's brackets: full-width in zh-TW (issue 16, round 18).
        return s.note ? t.aside(verdict, s.note) : verdict;
      }),
    ]);
  }
  return rows;
}

/** `林美玲 (wendy), 2026-11-28 09:12:00 +08:00, step 5 (keygen-confirmed)`, for each completed confirm-result of the step. */
function resultConfirmations(c: Context, stepId: string): Content {
  // A completed confirm-result records the step it confirms as details.of.
  const lines = c.definition.steps.flatMap((other) => {
    const fact = c.record.steps.get(other.id);
    if (fact?.status !== 'completed' || fact.performer === undefined || fact.details.of !== stepId) return [];
    return [[person(c, fact.performer), fact.ended ? formatTime(fact.ended, c.definition.timeZone) : '', stepRef(c, other.id)].join(c.t.listComma)];
  });
  return lines.length > 0 ? lines : c.t.resultNotConfirmed;
}

function sessionText(c: Context, session: JsonObject): string {
  const text = (key: string): string => asString(session[key]) ?? '?';
  const userType = text('userType');
  return c.t.loggedIn(text('token'), userType === 'so' ? c.t.pinSo : userType === 'user' ? c.t.pinUser : userType, text('credential'), text('setId'));
}

/** Other recorded facts of a step: the token as one line, a bilingual statement in the language, the rest flattened. */
function detailRows(c: Context, step: Step, details: JsonObject, heading: string): Row[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    const token = key === 'token' ? asObject(value) : undefined;
    if (token !== undefined) {
      lines.push(`${c.t.token}${c.t.colon}${tokenLine(c, token)}`);
      continue;
    }
    if (key === 'privateKeyAttributes' && asObject(value) !== undefined) {
      lines.push(...keyAttributeLines(c, asObject(value)!));
      continue;
    }
    const onToken = key === 'tokenCertificate' ? asObject(value) : undefined;
    if (onToken !== undefined) {
      lines.push(
        c.t.certificateOnToken(asString(onToken.label) ?? '?', asString(onToken.id) ?? '?', asString(onToken.token) ?? '?', onToken.alreadyThere === true),
      );
      continue;
    }
    if (key === 'provenGone' && value === true) {
      lines.push(c.t.provenGone);
      // Only a step that destroys a key records provenGone; its key's other copies follow.
      const destroyed = specOf(step).destroys?.(step);
      if (destroyed !== undefined) lines.push(c.t.provenGoneCopies(copiesBesides(c, destroyed, step.id).map((h) => holdingLine(c, h))));
      continue;
    }
    const label = key === 'statement' ? c.t.statement : (c.t.detailLabels[key] ?? key);
    // confirm-result names the step whose result it confirms, as the record names steps.
    if (key === 'of' && typeof value === 'string') {
      lines.push(`${label}${c.t.colon}${stepRef(c, value)}`);
      continue;
    }
    for (const [name, text] of flattenValue(value, label, c.lang, (inner) => c.t.detailLabels[inner] ?? inner))
      lines.push(`${name}${c.t.colon}${detailValueText(c, name, value, text)}`);
  }
  return lines.length === 0 ? [] : [[heading, lines]];
}

/**
 * A recorded value in the document's language: a flag as yes or no, not a JSON literal; a
 * fixed value the engine records (what: key, hashedBy: token) in words; anything else as recorded.
 */
function detailValueText(c: Context, label: string, value: unknown, text: string): string {
  if (typeof value === 'boolean' || text === 'true' || text === 'false') return text === 'true' ? c.t.yes : c.t.no;
  // A SHA-256 in the one form people compare it in, as the tables show it and as it was read
  // aloud: groups of four upper-case hex digits (round 18: a step printed 4fb726d2… where the
  // files table printed 2316 61E2 …).
  if (SHA256_HEX.test(text)) return groupedHex(text);
  // The value's own key is the label's last part (簽署方式[1]之雜湊計算者, Signed with[1], Hashed by:
  // joined as flattenValue joins them, not with a dot, which left `token` untranslated).
  const labelOf = (key: string) => c.t.detailLabels[key] ?? key;
  const joiner = NESTED_LABEL_JOINER[c.lang];
  const own = Object.keys(c.t.detailValues).find((key) => label === labelOf(key) || label.endsWith(`${joiner}${labelOf(key)}`));
  return (own && c.t.detailValues[own]?.[text]) ?? text;
}

/** The private key's attributes as the token reported them after generation, then what that does and does not show. */
export function keyAttributeLines(c: Context, attributes: JsonObject): string[] {
  const shown = KEY_ATTRIBUTES_RECORDED.filter((name) => typeof attributes[name] === 'boolean').map(
    (name) => `${KEY_ATTRIBUTE_NAMES[name]} ${attributes[name] ? c.t.yes : c.t.no}`,
  );
  const flag = (name: string): boolean | undefined => (typeof attributes[name] === 'boolean' ? attributes[name] : undefined);
  // The sentence follows the values recorded: a backup key (NEVER_EXTRACTABLE no) is not called never exportable.
  const meaning = c.t.keyAttributesMeaning({
    local: flag('local'),
    alwaysSensitive: flag('alwaysSensitive'),
    neverExtractable: flag('neverExtractable'),
    extractable: flag('extractable'),
    wrapWithTrusted: flag('wrapWithTrusted'),
  });
  return [`${c.t.keyAttributes}${c.t.colon}${shown.join(c.t.listSeparator)}`, meaning];
}

function tokenLine(c: Context, token: JsonObject): string {
  const part = (key: string, prefix = ''): string[] => (asString(token[key]) ? [`${prefix}${asString(token[key])}`] : []);
  const model = [asString(token.manufacturer), asString(token.model)].filter(Boolean).join(' ');
  return [...part('label'), ...part('serial', `${c.t.serial} `), ...(model ? [model] : []), ...part('firmware', `${c.t.firmware} `)].join(c.t.listSeparator);
}

/** The backups and copies of `label` in the record's key inventory besides the copy `destroyStep` destroyed (issue 22 item 7). */
function copiesBesides(c: Context, label: string, destroyStep: string): Holding[] {
  const inventory = keyInventory(c.definition, c.record);
  const destroyed = inventory.flatMap((k) => (k.label === label ? k.holdings : [])).find((h) => h.kind === 'token' && h.destroyedBy === destroyStep);
  return otherCopies(inventory, label, destroyed?.kind === 'token' ? destroyed.token : '');
}
