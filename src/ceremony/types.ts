// The ceremony machine's context and events. Plain data only: no secrets, no handles, no
// functions. Everything here can be persisted in state.json and shown to an auditor.

import type { KeyAlgorithm } from '../util/key-algorithm.js';

export interface Participant {
  id: string;
  name: string;
  roles: string[];
}

/** A key on a token, as the journal knows it. */
export interface KeyRecord {
  label: string;
  token: string;
  id: string;
  algorithm: KeyAlgorithm;
  spkiSha256: string;
  words: string;
  uri: string;
  step: string;
}

/** What a recorded file is. */
export type FileKind =
  'csr' | 'certificate' | 'crl' | 'share-manifest' | 'acceptance' | 'key-backup' | 'certificate-chain' | 'audit-key' | 'ledger' | 'serial-list';

/** A file written to `<workdir>/outputs/` (or brought in as an input). */
export interface FileRecord {
  name: string;
  kind: FileKind;
  sha256: string;
  words: string;
  bytes: number;
  step: string;
}

/** Public facts of a share set (never a share). */
export interface ShareSetRecord {
  credential: string;
  setId: string;
  threshold: number;
  count: number;
  custodians: string[];
  /** The output or input file that holds the manifest. */
  file: string;
  /** SHA-256 of that file: the manifest is refused if it is not these bytes. */
  sha256?: string | undefined;
}

export interface SessionRecord {
  token: string;
  userType: 'user' | 'so';
  credential: string;
  setId: string;
  step: string;
}

export interface Problem {
  step: string | null;
  code: string | undefined;
  message: string;
  hint: string | undefined;
  /** The facts the message names (share number, custodian, field), for a sentence in another language; never a secret. */
  details?: Record<string, string | number> | undefined;
}

/** What a step's work produced: exactly what the journal records for it. */
export interface StepResult {
  keys?: KeyRecord[];
  outputs?: FileRecord[];
  shareSets?: ShareSetRecord[];
  session?: SessionRecord;
  lockedTokens?: string[];
  destroyedKeys?: string[];
  values?: Record<string, string>;
  /** sign-in: who signed in, with their roles. */
  participants?: Participant[];
  /** Anything else worth recording (subjects, serials, checks, verdicts). */
  details?: Record<string, unknown>;
}

export interface Submission {
  performer: string | undefined;
  witnesses: string[];
  values: Record<string, string>;
  /** Who receives the new share sets (split/rotate/init steps), when named; else every holder of the role. */
  custodians?: string[];
}

export interface ShareCollection {
  step: string;
  credential: string;
  setId: string;
  accepted: Array<{ custodian: string; index: number }>;
}

export interface Distribution {
  step: string;
  /** quorumsChecked: how many threshold subsets of the new shares were combined and verified (journaled; absent in journals from before it was counted). */
  sets: Array<{ credential: string; setId: string; custodians: string[]; quorumsChecked?: number; confirmed: string[] }>;
}

export interface SignOff {
  participant: string;
  followedScript: boolean;
  note: string;
}

/** A token as PKCS#11 reports it (C_GetTokenInfo), for the witnesses to compare with the device. */
export interface TokenIdentity {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  firmware: string;
  /** False for the blank token an init-token step is about to initialise (and erase). */
  initialized: boolean;
  /** A blank token: the label init-token gives it (the HSM profile's), which the witness types; never shown before they do. */
  willBeLabelled?: string;
}

export type CeremonyStatus = 'running' | 'completed' | 'aborted';

export interface CeremonyContext {
  ceremony: string;
  definitionSha256: string;
  /** Index of the current step in the definition. */
  stepIndex: number;
  participants: Participant[];
  inputs: Record<string, FileRecord>;
  keys: Record<string, KeyRecord>;
  outputs: Record<string, FileRecord>;
  shareSets: Record<string, ShareSetRecord>;
  sessions: Record<string, SessionRecord>;
  /** Tokens whose login was lost with the previous process: the quorum must log in again. */
  relogin: Record<string, SessionRecord>;
  results: Record<string, StepResult & { performer: string | undefined; witnesses: string[] }>;
  submission: Submission | undefined;
  shares: ShareCollection | undefined;
  distribution: Distribution | undefined;
  /** The last refused event, for the screen or the answers driver to show. */
  refusal: Problem | undefined;
  /** The last failure of a step's work. */
  failure: Problem | undefined;
  /** The witnesses approved a login although the token warned it is the final try. */
  finalTryApproved: boolean;
  /** Facts gathered before approval (e.g. the key to destroy, certificate checks). */
  prepared: Record<string, unknown> | undefined;
  paused: { by: string; reason: string } | undefined;
  busy: boolean;
  /**
   * `stepsDone`: how many steps were finished when it was recorded, so the record log on
   * screen puts it among the steps where it happened, also when rebuilt on a resume.
   */
  exceptions: Array<{ by: string; text: string; step: string | null; stepsDone?: number }>;
  signOffs: SignOff[];
  status: CeremonyStatus;
}

type StepEvent<T extends string, P = object> = { type: T; step: string } & P;

export type CeremonyEvent =
  | { type: 'participants.submit'; step: string; participants: Participant[] }
  | StepEvent<'step.submit', { performer?: string; witnesses: string[]; values?: Record<string, string>; custodians?: string[] }>
  | StepEvent<'share.accepted', { custodian: string; index: number; setId: string }>
  | StepEvent<'share.refused', { custodian: string; message: string; code?: string | undefined; details?: Problem['details'] }>
  | StepEvent<'share.confirmed', { credential: string; custodian: string }>
  | StepEvent<'signoff.submit', { participant: string; followedScript: boolean; note?: string }>
  | StepEvent<'step.retry', { by: string[]; allowFinalTry?: boolean }>
  /** resume adopts a step that happened before the restart: from its journal record, or (a key) from the HSM. */
  | StepEvent<'step.recovered', { result: StepResult; performer?: string; witnesses: string[]; seq: number; source?: 'journal' | 'hsm' }>
  /** about: the step the screen was about when it was recorded (a read-aloud of a step just done), if not the current one. */
  | { type: 'exception'; by: string; text: string; about?: string }
  | { type: 'pause'; by: string; reason: string }
  | { type: 'continue'; by: string[] }
  /** Someone not at the sign-in joins, confirmed by two people already signed in. */
  | { type: 'participants.join'; participant: Participant; confirmedBy: string[] }
  | { type: 'abort'; by: string[]; reason: string }
  | { type: 'process.restarted' };

/** A journal entry the machine asks for (the `journal` action writes it): a typed event, src/journal/events.ts. */
export type { JournalIntent } from '../journal/events.js';
