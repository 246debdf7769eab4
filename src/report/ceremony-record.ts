// A verified journal read as the record of a ceremony: the header, who took part, what
// happened at each step (first record to completion, who did it, what it produced), every
// incident (exception, pause, refusal, failure, interruption, …) and the seal. Pure: the
// records come in already verified; this only reads them. Events it does not know are
// kept as incidents, so that a journal from a newer tool never loses anything in the report.
import type { JournalRecord } from '../journal/record.js';
import { asBoolean, asNumber, asObject, asObjects, asString, asStrings, isBilingual, scalarText, type JsonObject } from './json-values.js';
import { describeAlgorithm, keyAlgorithmSchema } from '../util/key-algorithm.js';
import { JOURNAL_EVENTS } from '../journal/events.js';

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
  | 'unrecorded-output'
  | 'shares-discarded'
  | 'aborted'
  | 'not-followed'
  | 'joined'
  | 'resume-refused'
  | 'other';

export interface Incident {
  seq: number;
  time: string;
  step: string | null;
  kind: IncidentKind;
  event: string;
  who: string[];
  data: JsonObject;
}

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
  header: JsonObject;
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
  first: JournalRecord;
  last: JournalRecord;
  recordCount: number;
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
export function readCeremonyRecord(records: readonly JournalRecord[], stepIds: readonly string[]): CeremonyRecord {
  const first = records[0];
  const last = records.at(-1);
  if (first === undefined || last === undefined) throw new TypeError('readCeremonyRecord: a verified journal has at least its header');
  const header = first.data;
  const steps = new Map<string, StepFact>(stepIds.map((id) => [id, emptyStep(id)]));
  const record: CeremonyRecord = {
    header,
    ceremony: asString(header.ceremony) ?? '',
    definitionSha256: asString(asObject(header.definition)?.sha256) ?? '',
    participants: [],
    signedInAt: undefined,
    steps,
    incidents: [],
    signOffs: [],
    tokens: readTokens(header),
    inputs: Object.values(asObject(header.inputs) ?? {}).flatMap((input) => {
      const file = readFile(input);
      return file === undefined ? [] : [file];
    }),
    shareSets: Object.values(asObject(header.shareSets) ?? {}).flatMap((set) => {
      const fact = readShareSet(set, undefined);
      return fact === undefined ? [] : [fact];
    }),
    keys: [],
    outputs: [],
    seal: undefined,
    first,
    last,
    recordCount: records.length,
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

function applyRecord(record: CeremonyRecord, step: StepFact | undefined, r: JournalRecord): void {
  const data = r.data;
  switch (r.event) {
    case JOURNAL_EVENTS.participantsSignedIn:
      record.participants = asObjects(data.participants).map((p) => ({ id: asString(p.id) ?? '?', name: asString(p.name) ?? '', roles: asStrings(p.roles) }));
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
        mergeValues(step, asObject(data.values));
        if (data.custodians !== undefined) mergeValues(step, { custodians: asStrings(data.custodians).join(', ') });
      }
      return;
    case JOURNAL_EVENTS.stepPrepared:
      if (step) step.prepared = data;
      return;
    case JOURNAL_EVENTS.sharesPrepared:
      for (const set of asObjects(data.sets)) {
        const setId = asString(set.setId);
        const checked = asNumber(set.quorumsChecked);
        if (step && setId !== undefined && checked !== undefined) step.quorumsChecked.set(setId, checked);
      }
      return;
    case JOURNAL_EVENTS.shareHandedOver:
      if (step) step.handovers.push({ custodian: r.who[0] ?? '?', credential: asString(data.credential) ?? '', time: r.time });
      return;
    case JOURNAL_EVENTS.shareAccepted:
      if (step)
        step.sharesEntered.push({
          custodian: r.who[0] ?? '?',
          credential: asString(data.credential) ?? '',
          setId: asString(data.setId) ?? '',
          index: asNumber(data.index),
          time: r.time,
        });
      return;
    case JOURNAL_EVENTS.participantSignedOff: {
      const signOff: SignOffFact = {
        participant: r.who[0] ?? '?',
        followedScript: asBoolean(data.followedScript),
        note: asString(data.note) ?? '',
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
      return;
    case JOURNAL_EVENTS.sealed:
      record.seal = { seq: r.seq, time: r.time, status: asString(data.status) ?? '', hash: r.hash };
      return;
    default:
      break;
  }
  const kind = INCIDENT_EVENTS[r.event];
  if (kind !== undefined) {
    record.incidents.push(incident(r, kind));
    // Someone who joined after the sign-in is a participant from then on.
    if (kind === 'joined') {
      const p = asObject(data.participant);
      record.participants.push({ id: asString(p?.id) ?? '?', name: asString(p?.name) ?? '', roles: asStrings(p?.roles) });
    }
    if (step && kind === 'failed') step.status = 'failed';
    if (step && kind === 'retried') step.status = 'in-progress';
    if (kind === 'unrecorded-key') adoptKey(record, step, r);
  } else if (!ORDINARY_EVENTS.has(r.event)) {
    record.incidents.push(incident(r, 'other'));
  }
}

function incident(r: JournalRecord, kind: IncidentKind): Incident {
  return { seq: r.seq, time: r.time, step: r.step, kind, event: r.event, who: r.who, data: r.data };
}

function completeStep(record: CeremonyRecord, step: StepFact, r: JournalRecord): void {
  const data = r.data;
  step.status = 'completed';
  step.ended = r.time;
  step.performer = asString(data.performer);
  step.witnesses = asStrings(data.witnesses);
  mergeValues(step, asObject(data.values));
  step.keys = asObjects(data.keys).flatMap((k) => {
    const key = readKey(k, step.id);
    return key === undefined ? [] : [key];
  });
  step.outputs = asObjects(data.outputs).flatMap((o) => {
    const file = readFile(o);
    return file === undefined ? [] : [{ ...file, step: step.id }];
  });
  step.shareSets = asObjects(data.shareSets).flatMap((s) => {
    const set = readShareSet(s, step.id);
    return set === undefined ? [] : [{ ...set, quorumsChecked: step.quorumsChecked.get(set.setId) }];
  });
  step.session = asObject(data.session);
  step.lockedTokens = asStrings(data.lockedTokens);
  step.destroyedKeys = asStrings(data.destroyedKeys);
  step.details = asObject(data.details) ?? {};
  record.keys.push(...step.keys);
  record.outputs.push(...step.outputs);
  record.shareSets.push(...step.shareSets);
  // A token initialised by this ceremony is described only once it exists.
  const token = asObject(step.details.token);
  if (token !== undefined) describeTokenLater(record, token);
}

/** A key found on the token after a restart and adopted by the witnesses. */
function adoptKey(record: CeremonyRecord, step: StepFact | undefined, r: JournalRecord): void {
  const key = readKey(r.data, r.step ?? '');
  if (key === undefined || record.keys.some((k) => k.spkiSha256 === key.spkiSha256)) return;
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

function readFile(value: unknown): FileFact | undefined {
  const o = asObject(value);
  const name = asString(o?.name);
  const sha256 = asString(o?.sha256);
  if (o === undefined || name === undefined || sha256 === undefined) return undefined;
  return { name, kind: asString(o.kind) ?? '', sha256, words: asString(o.words), bytes: asNumber(o.bytes), step: asString(o.step) };
}

/** A recorded key algorithm (data in the journal) as the report writes it; empty when not recorded. */
function algorithmText(value: unknown): string {
  const algorithm = keyAlgorithmSchema.safeParse(value);
  return algorithm.success ? describeAlgorithm(algorithm.data) : '';
}

function readKey(value: unknown, step: string): KeyFact | undefined {
  const o = asObject(value);
  const label = asString(o?.label);
  const spkiSha256 = asString(o?.spkiSha256);
  if (o === undefined || label === undefined || spkiSha256 === undefined) return undefined;
  return {
    label,
    token: asString(o.token) ?? '',
    id: asString(o.id),
    algorithm: algorithmText(o.algorithm),
    spkiSha256,
    words: asString(o.words),
    uri: asString(o.uri),
    step: asString(o.step) ?? step,
  };
}

function readShareSet(value: unknown, step: string | undefined): ShareSetFact | undefined {
  const o = asObject(value);
  const credential = asString(o?.credential);
  const setId = asString(o?.setId);
  if (o === undefined || credential === undefined || setId === undefined) return undefined;
  return {
    credential,
    setId,
    threshold: asNumber(o.threshold),
    count: asNumber(o.count),
    custodians: asStrings(o.custodians),
    file: asString(o.file),
    step,
    quorumsChecked: undefined,
  };
}

const TOKEN_FIELDS = ['label', 'serial', 'manufacturer', 'model', 'firmware', 'state'] as const;

function readTokens(header: JsonObject): TokenFact[] {
  const tokens = asObject(asObject(header.hsm)?.tokens) ?? {};
  return Object.entries(tokens).map(([name, value]) => tokenFact(name, asObject(value) ?? {}));
}

function tokenFact(name: string, o: JsonObject): TokenFact {
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
    label: asString(o.label),
    serial: asString(o.serial),
    manufacturer: asString(o.manufacturer),
    model: asString(o.model),
    firmware: asString(o.firmware),
    state: asString(o.state),
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
