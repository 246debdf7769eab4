// A verified journal read as the record of a ceremony: the header, who took part, what
// happened at each step (first record to completion, who did it, what it produced), every
// incident (exception, pause, refusal, failure, interruption, …) and the seal. Pure: the
// records come in already verified and read as their typed events (readJournalEvents), so
// each event's data is read as its schema says it is; only the open facts (a step type's
// values and details, the facts shown before approval) are read field by field.
import type { JournalEventRecord } from '../journal/record.js';
import { asObject, asString, isBilingual, scalarText, type JsonObject } from './json-values.js';
import { describeAlgorithm, keyAlgorithmSchema } from '../util/key-algorithm.js';
import { deviationWrittenBy } from '../steps/index.js';
import { deviationsOf, type Deviation } from '../ceremony/deviations.js';
import type { Definition } from '../definition/definition.js';
import { JOURNAL_EVENTS, type JournalEventInput, type JournalEventRead } from '../journal/events.js';

/** What record 1 (ceremony.opened) holds, as its schema says. */
export type HeaderFacts = JournalEventInput<typeof JOURNAL_EVENTS.opened>;
type FileRecordData = NonNullable<HeaderFacts['inputs']>[string];
type ShareSetRecordData = NonNullable<HeaderFacts['shareSets']>[string];
type TokenAtOpening = HeaderFacts['hsm']['tokens'][string];
type KeyRecordData = NonNullable<JournalEventInput<typeof JOURNAL_EVENTS.stepCompleted>['keys']>[number];

export interface ParticipantFact {
  id: string;
  name: string;
  roles: string[];
}

export interface FileFact {
  name: string;
  kind: string;
  sha256: string;
  words: string | undefined;
  bytes: number | undefined;
  step: string | undefined;
}

export interface KeyFact {
  label: string;
  token: string;
  id: string | undefined;
  /** Display text of the recorded algorithm (`RSA-4096`, `EC P-384`), empty when not recorded. */
  algorithm: string;
  spkiSha256: string;
  words: string | undefined;
  uri: string | undefined;
  step: string;
}

export interface ShareSetFact {
  credential: string;
  setId: string;
  threshold: number | undefined;
  count: number | undefined;
  custodians: string[];
  file: string | undefined;
  step: string | undefined;
  /** How many threshold subsets of the new shares were combined and checked before any was shown (absent for a set the ceremony did not make, or an older journal). */
  quorumsChecked: number | undefined;
}

export interface TokenFact {
  name: string;
  label: string | undefined;
  serial: string | undefined;
  manufacturer: string | undefined;
  model: string | undefined;
  firmware: string | undefined;
  /** At the opening: present, or `to be initialised by this ceremony`. */
  state: string | undefined;
  /** Any other facts recorded about it (PIN flags, …). */
  other: Array<[string, string]>;
}

export interface SignOffFact {
  participant: string;
  followedScript: boolean | undefined;
  note: string;
  time: string;
  seq: number;
}

export type IncidentKind =
  | 'exception'
  | 'paused'
  | 'continued'
  | 'refused'
  | 'share-refused'
  | 'failed'
  | 'retried'
  | 'interrupted'
  | 'resumed'
  | 'restarted'
  | 'relogin'
  | 'reconciled'
  | 'unrecorded-key'
  | 'key-absent'
  | 'unrecorded-output'
  | 'shares-discarded'
  | 'aborted'
  | 'not-followed'
  | 'joined'
  | 'resume-refused'
  | 'other';

/** An incident: its record's typed event and data, and how the report names it. */
export type Incident = {
  seq: number;
  time: string;
  step: string | null;
  kind: IncidentKind;
  who: string[];
} & JournalEventRead;

export type StepStatus = 'completed' | 'failed' | 'in-progress' | 'not-reached';

export interface StepFact {
  id: string;
  status: StepStatus;
  /** Time of the first record of the step, and of its completion. */
  started: string | undefined;
  ended: string | undefined;
  performer: string | undefined;
  witnesses: string[];
  values: Array<[string, string]>;
  keys: KeyFact[];
  outputs: FileFact[];
  shareSets: ShareSetFact[];
  session: JsonObject | undefined;
  lockedTokens: string[];
  destroyedKeys: string[];
  details: JsonObject;
  /** Facts shown to the witnesses before they approved (destroy-key, certificate checks). */
  prepared: JsonObject | undefined;
  handovers: Array<{ custodian: string; credential: string; time: string }>;
  /** From shares.prepared: set id -> how many quorums of the new set were checked. */
  quorumsChecked: Map<string, number>;
  sharesEntered: Array<{ custodian: string; credential: string; setId: string; index: number | undefined; time: string }>;
  approvedBy: string[];
  signOffs: SignOffFact[];
  /** Participants recorded by the sign-in step. */
  signedIn: string[];
}

export interface SealFact {
  seq: number;
  time: string;
  status: string;
  hash: string;
}

export interface CeremonyRecord {
  header: HeaderFacts;
  ceremony: string;
  definitionSha256: string;
  participants: ParticipantFact[];
  signedInAt: string | undefined;
  steps: Map<string, StepFact>;
  incidents: Incident[];
  signOffs: SignOffFact[];
  tokens: TokenFact[];
  inputs: FileFact[];
  /** Share sets known at the opening (brought in as inputs) and made by steps, in order. */
  shareSets: ShareSetFact[];
  keys: KeyFact[];
  outputs: FileFact[];
  seal: SealFact | undefined;
  first: JournalEventRecord;
  last: JournalEventRecord;
  recordCount: number;
  /**
   * What went off the script, from deviationsOf: the one list (and count) the deviations step,
   * the sign-off, the closing screen, the report and the letter all show (issue 16 item 2).
   */
  deviations: Deviation[];
}

const INCIDENT_EVENTS: Readonly<Record<string, IncidentKind>> = {
  [JOURNAL_EVENTS.exceptionRecorded]: 'exception',
  [JOURNAL_EVENTS.paused]: 'paused',
  [JOURNAL_EVENTS.continued]: 'continued',
  [JOURNAL_EVENTS.eventRefused]: 'refused',
  [JOURNAL_EVENTS.shareRefused]: 'share-refused',
  [JOURNAL_EVENTS.stepFailed]: 'failed',
  [JOURNAL_EVENTS.stepRetried]: 'retried',
  [JOURNAL_EVENTS.interrupted]: 'interrupted',
  [JOURNAL_EVENTS.resumed]: 'resumed',
  [JOURNAL_EVENTS.restarted]: 'restarted',
  [JOURNAL_EVENTS.hsmRelogin]: 'relogin',
  [JOURNAL_EVENTS.stepReconciled]: 'reconciled',
  [JOURNAL_EVENTS.hsmUnrecordedKey]: 'unrecorded-key',
  [JOURNAL_EVENTS.hsmKeyAbsent]: 'key-absent',
  [JOURNAL_EVENTS.outputUnrecorded]: 'unrecorded-output',
  [JOURNAL_EVENTS.sharesDiscarded]: 'shares-discarded',
  [JOURNAL_EVENTS.aborted]: 'aborted',
  [JOURNAL_EVENTS.participantsJoined]: 'joined',
  [JOURNAL_EVENTS.resumeRefused]: 'resume-refused',
};

/** Events that are the ordinary course of a step, shown in the step's own record. */
const ORDINARY_EVENTS: ReadonlySet<string> = new Set([
  JOURNAL_EVENTS.opened,
  JOURNAL_EVENTS.stepStarted,
  JOURNAL_EVENTS.participantsSignedIn,
  JOURNAL_EVENTS.stepApproved,
  JOURNAL_EVENTS.stepPrepared,
  JOURNAL_EVENTS.sharesPrepared,
  JOURNAL_EVENTS.shareHandedOver,
  JOURNAL_EVENTS.shareAccepted,
  JOURNAL_EVENTS.stepCompleted,
  JOURNAL_EVENTS.participantSignedOff,
  JOURNAL_EVENTS.sealed,
  // The HSM-signed checkpoints: the report's journal section says what they cover.
  JOURNAL_EVENTS.checkpoint,
]);

/** Reads verified records (record 1 is ceremony.opened) as the ceremony record. */
export function readCeremonyRecord(
  records: readonly JournalEventRecord[],
  stepIds: readonly string[],
  /** With the definition a crash is placed at the step that was on screen, as the resume notice says. */
  definition?: Pick<Definition, 'steps'>,
): CeremonyRecord {
  const first = records[0];
  const last = records.at(-1);
  if (first?.event !== JOURNAL_EVENTS.opened || last === undefined) throw new TypeError('readCeremonyRecord: a verified journal starts with its header');
  const header = first.data;
  const steps = new Map<string, StepFact>(stepIds.map((id) => [id, emptyStep(id)]));
  const record: CeremonyRecord = {
    header,
    ceremony: header.ceremony,
    definitionSha256: header.definition.sha256,
    participants: [],
    signedInAt: undefined,
    steps,
    incidents: [],
    signOffs: [],
    tokens: Object.entries(header.hsm.tokens).map(([name, token]) => tokenFact(name, token)),
    inputs: Object.values(header.inputs ?? {}).map(readFile),
    shareSets: Object.values(header.shareSets ?? {}).map((set) => readShareSet(set, undefined)),
    keys: [],
    outputs: [],
    seal: undefined,
    first,
    last,
    recordCount: records.length,
    deviations: deviationsOf(records, definition),
  };

  for (const r of records) {
    const step = r.step === null ? undefined : stepFor(steps, r.step);
    if (step !== undefined && r.event !== JOURNAL_EVENTS.sealed) {
      step.started ??= r.time;
      if (step.status === 'not-reached') step.status = 'in-progress';
    }
    applyRecord(record, step, r);
  }
  return record;
}

function stepFor(steps: Map<string, StepFact>, id: string): StepFact {
  let step = steps.get(id);
  if (step === undefined) {
    // A step the definition does not have: the definition was checked against the journal's
    // hash, so this should not happen; keep it visible rather than drop it.
    step = emptyStep(id);
    steps.set(id, step);
  }
  return step;
}

function emptyStep(id: string): StepFact {
  return {
    id,
    status: 'not-reached',
    started: undefined,
    ended: undefined,
    performer: undefined,
    witnesses: [],
    values: [],
    keys: [],
    outputs: [],
    shareSets: [],
    session: undefined,
    lockedTokens: [],
    destroyedKeys: [],
    details: {},
    prepared: undefined,
    handovers: [],
    quorumsChecked: new Map(),
    sharesEntered: [],
    approvedBy: [],
    signOffs: [],
    signedIn: [],
  };
}

function applyRecord(record: CeremonyRecord, step: StepFact | undefined, r: JournalEventRecord): void {
  switch (r.event) {
    case JOURNAL_EVENTS.participantsSignedIn:
      record.participants = r.data.participants.map(participantFact);
      record.signedInAt = r.time;
      if (step) {
        step.signedIn = record.participants.map((p) => p.id);
        step.status = 'completed';
        step.ended = r.time;
      }
      return;
    case JOURNAL_EVENTS.stepApproved:
      if (step) {
        step.approvedBy = r.who;
        mergeValues(step, r.data.values);
        if (r.data.custodians !== undefined) mergeValues(step, { custodians: r.data.custodians.join(', ') });
      }
      return;
    case JOURNAL_EVENTS.stepPrepared:
      if (step) step.prepared = r.data;
      return;
    case JOURNAL_EVENTS.sharesPrepared:
      for (const set of r.data.sets) {
        if (step && set.quorumsChecked !== undefined) step.quorumsChecked.set(set.setId, set.quorumsChecked);
      }
      return;
    case JOURNAL_EVENTS.shareHandedOver:
      if (step) step.handovers.push({ custodian: r.who[0] ?? '?', credential: r.data.credential, time: r.time });
      return;
    case JOURNAL_EVENTS.shareAccepted:
      if (step)
        step.sharesEntered.push({
          custodian: r.who[0] ?? '?',
          credential: r.data.credential,
          setId: r.data.setId,
          index: r.data.index,
          time: r.time,
        });
      return;
    case JOURNAL_EVENTS.participantSignedOff: {
      const signOff: SignOffFact = {
        participant: r.who[0] ?? '?',
        followedScript: r.data.followedScript,
        note: r.data.note,
        time: r.time,
        seq: r.seq,
      };
      record.signOffs.push(signOff);
      step?.signOffs.push(signOff);
      if (signOff.followedScript === false) record.incidents.push(incident(r, 'not-followed'));
      return;
    }
    case JOURNAL_EVENTS.stepCompleted:
      if (step) completeStep(record, step, r);
      // What the witness wrote at a deviations step is an exception as much as one recorded with ^E:
      // listed and counted with them, as the closing screen and the sign-off do (deviationsOf).
      if (deviationWrittenBy(r.data.type, r.data.values) !== undefined) record.incidents.push(incident(r, 'exception'));
      return;
    case JOURNAL_EVENTS.sealed:
      record.seal = { seq: r.seq, time: r.time, status: r.data.status, hash: r.hash };
      return;
    case JOURNAL_EVENTS.participantsJoined:
      // Someone who joined after the sign-in is a participant from then on.
      record.participants.push(participantFact(r.data.participant));
      break;
    case JOURNAL_EVENTS.stepFailed:
      if (step) step.status = 'failed';
      break;
    case JOURNAL_EVENTS.stepRetried:
      if (step) step.status = 'in-progress';
      break;
    case JOURNAL_EVENTS.hsmUnrecordedKey:
      adoptKey(record, step, r.step, r.data);
      break;
    default:
      break;
  }
  const kind = INCIDENT_EVENTS[r.event];
  if (kind !== undefined) record.incidents.push(incident(r, kind));
  else if (!ORDINARY_EVENTS.has(r.event)) record.incidents.push(incident(r, 'other'));
}

function incident(r: JournalEventRecord, kind: IncidentKind): Incident {
  // The record's event and data stay together (one member of the union); its chain fields are not the incident's.
  const { prev: _prev, hash: _hash, ...event } = r;
  return { ...event, kind };
}

const participantFact = (p: ParticipantFact): ParticipantFact => ({ id: p.id, name: p.name, roles: p.roles });

function completeStep(record: CeremonyRecord, step: StepFact, r: JournalEventRecord & { event: typeof JOURNAL_EVENTS.stepCompleted }): void {
  const data = r.data;
  step.status = 'completed';
  step.ended = r.time;
  step.performer = data.performer;
  step.witnesses = data.witnesses ?? [];
  mergeValues(step, data.values);
  step.keys = (data.keys ?? []).map(readKey);
  step.outputs = (data.outputs ?? []).map((o) => ({ ...readFile(o), step: step.id }));
  step.shareSets = (data.shareSets ?? []).map((s) => ({ ...readShareSet(s, step.id), quorumsChecked: step.quorumsChecked.get(s.setId) }));
  step.session = data.session;
  step.lockedTokens = data.lockedTokens ?? [];
  step.destroyedKeys = data.destroyedKeys ?? [];
  step.details = data.details ?? {};
  record.keys.push(...step.keys);
  record.outputs.push(...step.outputs);
  record.shareSets.push(...step.shareSets);
  // A token initialised by this ceremony is described only once it exists.
  const token = asObject(step.details.token);
  if (token !== undefined) describeTokenLater(record, token);
}

/** A key found on the token after a restart and adopted by the witnesses. */
function adoptKey(
  record: CeremonyRecord,
  step: StepFact | undefined,
  stepId: string | null,
  found: JournalEventInput<typeof JOURNAL_EVENTS.hsmUnrecordedKey>,
): void {
  // The journal records no URI or algorithm of a key it did not make.
  const key: KeyFact = {
    label: found.label,
    token: found.token,
    id: found.id,
    algorithm: '',
    spkiSha256: found.spkiSha256,
    words: found.words,
    uri: undefined,
    step: stepId ?? '',
  };
  if (record.keys.some((k) => k.spkiSha256 === key.spkiSha256)) return;
  record.keys.push(key);
  step?.keys.push(key);
}

function mergeValues(step: StepFact, values: JsonObject | undefined): void {
  for (const [field, value] of Object.entries(values ?? {})) {
    const text = scalarText(value) ?? (isBilingual(value) ? value.en : JSON.stringify(value));
    const existing = step.values.findIndex(([name]) => name === field);
    if (existing >= 0) step.values[existing] = [field, text];
    else step.values.push([field, text]);
  }
}

function readFile(o: FileRecordData): FileFact {
  return { name: o.name, kind: o.kind, sha256: o.sha256, words: o.words, bytes: o.bytes, step: o.step };
}

/** A recorded key algorithm (data in the journal) as the report writes it; empty when not recorded. */
function algorithmText(value: unknown): string {
  const algorithm = keyAlgorithmSchema.safeParse(value);
  return algorithm.success ? describeAlgorithm(algorithm.data) : '';
}

function readKey(o: KeyRecordData): KeyFact {
  return {
    label: o.label,
    token: o.token,
    id: o.id,
    algorithm: algorithmText(o.algorithm),
    spkiSha256: o.spkiSha256,
    words: o.words,
    uri: o.uri,
    step: o.step,
  };
}

function readShareSet(o: ShareSetRecordData, step: string | undefined): ShareSetFact {
  return {
    credential: o.credential,
    setId: o.setId,
    threshold: o.threshold,
    count: o.count,
    custodians: o.custodians,
    file: o.file,
    step,
    quorumsChecked: undefined,
  };
}

const TOKEN_FIELDS = ['label', 'serial', 'manufacturer', 'model', 'firmware', 'state'] as const;

function tokenFact(name: string, o: TokenAtOpening): TokenFact {
  const other = Object.entries(o)
    .filter(([key]) => !(TOKEN_FIELDS as readonly string[]).includes(key))
    .flatMap(([key, value]): Array<[string, string]> => {
      const text = scalarText(value);
      if (text !== undefined) return [[key, text]];
      const nested = asObject(value);
      return nested === undefined
        ? []
        : Object.entries(nested).flatMap(([inner, v]): Array<[string, string]> => (scalarText(v) === undefined ? [] : [[`${key}.${inner}`, scalarText(v)!]]));
    });
  return {
    name,
    label: o.label,
    serial: o.serial,
    manufacturer: o.manufacturer,
    model: o.model,
    firmware: o.firmware,
    state: o.state,
    other,
  };
}

/** Fills in serial, model and firmware of a token that did not exist when the journal opened. */
function describeTokenLater(record: CeremonyRecord, described: JsonObject): void {
  const label = asString(described.label);
  const token = record.tokens.find((t) => t.label !== undefined && t.label === label);
  if (token === undefined || token.serial !== undefined) return;
  token.serial = asString(described.serial);
  token.manufacturer = asString(described.manufacturer);
  token.model = asString(described.model);
  token.firmware = asString(described.firmware);
}
