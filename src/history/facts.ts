// What one verified ceremony says about the things that outlive it: the files it took in and
// gave out (by SHA-256), the keys it placed on a token, certified, used or destroyed (by the
// SHA-256 of their SubjectPublicKeyInfo), the share sets it made, rotated or used, and the
// tokens it saw. Records are read as their typed events (readJournalEvents), never by step
// type, so a step type added later (a backup, a link certificate) joins the history when its
// records use the same fields: `outputs`, `keys`, `destroyedKeys`, `shareSets`, and in the
// step type's own details `replaces`, `certificateSha256`, `ledger.from`, `spkiSha256`,
// `token`; any `spkiSha256` in the record; and a step's `key`.
import { basename } from 'node:path';
import type { Definition } from '../definition/definition.js';
import { JOURNAL_EVENTS, type JournalEventInput } from '../journal/events.js';
import { isSha256Hex, OPENED_EVENT, SEALED_EVENT, type JournalEventRecord } from '../journal/record.js';
import { asObject, asString, type JsonObject } from '../report/json-values.js';

const COMPLETED_EVENT = JOURNAL_EVENTS.stepCompleted;
const SIGNED_IN_EVENT = JOURNAL_EVENTS.participantsSignedIn;
const SHARE_ACCEPTED_EVENT = JOURNAL_EVENTS.shareAccepted;
type Completed = JournalEventRecord & { event: typeof COMPLETED_EVENT; data: JournalEventInput<typeof COMPLETED_EVENT> };

/** Where in the whole history something happened: a ceremony (by its place in time) and a record of its journal. */
export interface At {
  ceremony: string;
  workdir: string;
  step: string | null;
  seq: number;
  time: string;
  /** Names of who acted and who witnessed, as the journal's sign-in gave them. */
  performer: string | undefined;
  witnesses: string[];
}

export interface FileFact {
  name: string;
  kind: string;
  sha256: string;
}

export interface OutputFact extends FileFact {
  at: At;
}

/** placed: the key object appeared on a token (made, or brought back); certified: a certificate holds it; used: a step signed with it or named it; destroyed. */
export type KeyEventKind = 'placed' | 'certified' | 'used' | 'destroyed';

export interface KeyEvent {
  kind: KeyEventKind;
  /** The SPKI SHA-256 when the record gives it; else the key is found by label and token. */
  spkiSha256: string | undefined;
  label: string | undefined;
  /** The label of the token (not the definition's alias: aliases differ between ceremonies). */
  token: string | undefined;
  algorithm: string | undefined;
  /** The step type that did it, as the journal records it (shown as is). */
  what: string;
  /** A certificate's SHA-256, for `certified`. */
  certificateSha256?: string;
  at: At;
}

export interface ShareSetEvent {
  kind: 'created' | 'used';
  setId: string;
  credential: string | undefined;
  custodians: string[];
  threshold: number | undefined;
  count: number | undefined;
  /** The set this one replaces (a rotation). */
  replaces: string | undefined;
  at: At;
}

export interface TokenFact {
  label: string;
  serial: string | undefined;
  model: string | undefined;
  firmware: string | undefined;
}

export interface CeremonyFacts {
  workdir: string;
  /** The workdir's folder name, how the history names it. */
  name: string;
  ceremony: string;
  title: Definition['title'];
  definition: Definition;
  opened: string;
  closed: string;
  /** completed or aborted from the seal; undefined when the journal is not sealed. */
  sealed: string | undefined;
  finalHash: string;
  dryRun: boolean;
  inputs: FileFact[];
  outputs: OutputFact[];
  /** The CA ledgers a completed step carried on (`details.ledger.from`: an input's name, or an earlier step's output). */
  ledgersContinued: Array<{ from: string; at: At }>;
  keys: KeyEvent[];
  shareSets: ShareSetEvent[];
  tokens: TokenFact[];
  records: readonly JournalEventRecord[];
  /** Participant id to the name the sign-in recorded. */
  names: ReadonlyMap<string, string>;
}

export function ceremonyFacts(workdir: string, definition: Definition, records: readonly JournalEventRecord[]): CeremonyFacts {
  const header = records[0];
  const last = records.at(-1);
  if (header?.event !== OPENED_EVENT || last === undefined) throw new TypeError('ceremonyFacts: a verified journal starts with its header');
  const names = participantNames(records);
  const ceremony = header.data.ceremony;
  const name = basename(workdir);
  const at = (record: JournalEventRecord): At => ({
    ceremony,
    workdir: name,
    step: record.step,
    seq: record.seq,
    time: record.time,
    // A completed step names who performed and witnessed it; any other record, who acted first.
    performer: nameOf(names, record.event === COMPLETED_EVENT ? record.data.performer : record.who[0]),
    witnesses: record.event === COMPLETED_EVENT ? (record.data.witnesses ?? []).map((id) => nameOf(names, id)!) : [],
  });
  const { hsm } = header.data;
  const tokenLabels = new Map<string, string>();
  const tokens: TokenFact[] = [];
  for (const [alias, token] of Object.entries(hsm.tokens)) {
    if (!token.label) continue;
    tokenLabels.set(alias, token.label);
    tokens.push({ label: token.label, serial: token.serial, model: token.model, firmware: token.firmware });
  }
  const facts: CeremonyFacts = {
    workdir,
    name,
    ceremony,
    title: definition.title,
    definition,
    opened: header.time,
    closed: last.time,
    sealed: sealStatus(last),
    finalHash: last.hash,
    dryRun: hsm.profile.dryRun,
    inputs: Object.values(header.data.inputs ?? {}).flatMap(fileFact),
    outputs: [],
    ledgersContinued: [],
    keys: [],
    shareSets: [],
    tokens,
    records,
    names,
  };
  for (const record of records) {
    if (record.event === SHARE_ACCEPTED_EVENT && record.data.setId !== '')
      facts.shareSets.push(shareUse(record.data.setId, record.data.credential, at(record)));
    if (record.event === COMPLETED_EVENT) readCompleted(facts, record, at(record), tokenLabels);
  }
  return facts;
}

function readCompleted(facts: CeremonyFacts, record: Completed, at: At, tokenLabels: Map<string, string>): void {
  const data = record.data;
  const what = data.type;
  // The step type's own facts: open, so read field by field.
  const details: JsonObject | undefined = data.details;
  for (const output of data.outputs ?? []) for (const file of fileFact(output)) facts.outputs.push({ ...file, at });
  const ledgerFrom = asString(asObject(details?.ledger)?.from);
  if (ledgerFrom) facts.ledgersContinued.push({ from: ledgerFrom, at });
  const detailsToken = tokenFact(details?.token);
  if (detailsToken) facts.tokens.push(detailsToken);
  const seen = new Set<string>();
  for (const key of data.keys ?? []) {
    seen.add(key.spkiSha256);
    facts.keys.push({
      kind: 'placed',
      spkiSha256: key.spkiSha256,
      label: key.label,
      token: tokenLabels.get(key.token) ?? key.token,
      algorithm: algorithmText(key.algorithm),
      what,
      at,
    });
  }
  const destroyed = data.destroyedKeys ?? [];
  const step = facts.definition.steps.find((s) => s.id === record.step) as (JsonObject & { id: string }) | undefined;
  const stepKey = asString(step?.key);
  const stepToken = keyToken(facts.definition, step, stepKey, tokenLabels);
  for (const label of destroyed) {
    // One destroyed key: the record's SPKI is that key's (destroy-key proves it gone by it).
    const spki = destroyed.length === 1 && isSha256Hex(details?.spkiSha256) ? details.spkiSha256 : undefined;
    if (spki) seen.add(spki);
    facts.keys.push({ kind: 'destroyed', spkiSha256: spki, label, token: label === stepKey ? stepToken : undefined, algorithm: undefined, what, at });
  }
  if (isSha256Hex(details?.certificateSha256) && isSha256Hex(details.spkiSha256) && !seen.has(details.spkiSha256)) {
    seen.add(details.spkiSha256);
    facts.keys.push({
      kind: 'certified',
      spkiSha256: details.spkiSha256,
      label: undefined,
      token: undefined,
      algorithm: undefined,
      what,
      certificateSha256: details.certificateSha256,
      at,
    });
  }
  // Any other key the record names by its SPKI (a CSR's key, a signature's), anywhere in it.
  for (const spki of spkiHashes(data)) {
    if (seen.has(spki)) continue;
    seen.add(spki);
    facts.keys.push({ kind: 'used', spkiSha256: spki, label: undefined, token: undefined, algorithm: undefined, what, at });
  }
  // The key the step names (`key: LABEL`), when the record did not already account for it.
  if (stepKey && !destroyed.includes(stepKey) && !(data.keys ?? []).some((k) => k.label === stepKey)) {
    facts.keys.push({ kind: 'used', spkiSha256: undefined, label: stepKey, token: stepToken, algorithm: undefined, what, at });
  }
  for (const set of data.shareSets ?? []) {
    if (!set.setId) continue;
    facts.shareSets.push({
      kind: 'created',
      setId: set.setId,
      credential: set.credential,
      custodians: set.custodians.map((id) => nameOf(facts.names, id)!),
      threshold: set.threshold,
      count: set.count,
      replaces: asString(details?.replaces),
      at,
    });
  }
  if (data.session?.setId) facts.shareSets.push(shareUse(data.session.setId, data.session.credential, at));
}

function shareUse(setId: string, credential: string | undefined, at: At): ShareSetEvent {
  return { kind: 'used', setId, credential, custodians: [], threshold: undefined, count: undefined, replaces: undefined, at };
}

/** The token label of the key a step names: from the definition's `keys`, or the step's own token. */
function keyToken(definition: Definition, step: JsonObject | undefined, label: string | undefined, tokenLabels: Map<string, string>): string | undefined {
  if (label === undefined) return undefined;
  const declared = (definition.keys as Record<string, { token: string } | undefined>)[label]?.token;
  const alias = declared ?? asString(step?.token);
  return alias === undefined ? undefined : (tokenLabels.get(alias) ?? alias);
}

/** Every `spkiSha256` value in a record's data, at any depth. */
function spkiHashes(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) spkiHashes(item, found);
  const object = asObject(value);
  if (object) {
    for (const [key, inner] of Object.entries(object)) {
      if (key === 'spkiSha256' && isSha256Hex(inner)) found.push(inner);
      else spkiHashes(inner, found);
    }
  }
  return found;
}

/** A recorded file, as the history tells it (a file recorded without a name is left out). */
function fileFact(file: { name: string; kind: string; sha256: string }): FileFact[] {
  return file.name ? [{ name: file.name, kind: file.kind, sha256: file.sha256 }] : [];
}

function tokenFact(value: unknown): TokenFact | undefined {
  const object = asObject(value);
  const label = asString(object?.label);
  if (!object || !label) return undefined;
  return { label, serial: asString(object.serial), model: asString(object.model), firmware: asString(object.firmware) };
}

function algorithmText(value: unknown): string | undefined {
  const object = asObject(value);
  if (!object) return asString(value);
  const type = asString(object.type);
  const size = object.bits ?? object.curve ?? object.namedCurve;
  return type === undefined ? undefined : typeof size === 'number' || typeof size === 'string' ? `${type}-${size}` : type;
}

/** How the ceremony ended, as its seal says; undefined when the journal is not sealed. */
function sealStatus(last: JournalEventRecord): string | undefined {
  return last.event === SEALED_EVENT ? last.data.status : undefined;
}

/** Who the sign-in (and a completed step that records participants) named, by id. */
function participantNames(records: readonly JournalEventRecord[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const record of records) {
    const participants = record.event === SIGNED_IN_EVENT || record.event === COMPLETED_EVENT ? (record.data.participants ?? []) : [];
    for (const person of participants) if (person.id) names.set(person.id, person.name);
  }
  return names;
}

function nameOf(names: ReadonlyMap<string, string>, id: string | undefined): string | undefined {
  return id === undefined ? undefined : (names.get(id) ?? id);
}
