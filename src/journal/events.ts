// Every event the journal records, in one place (DESIGN principle 9, issue 15 item 2): its
// name, a zod schema of its data, and the TypeScript type derived from that schema. Writers
// name events through JOURNAL_EVENTS and build entries the compiler checks against the
// event's data type; `journal verify` checks each record's data against its schema; the
// report and history read records through parseJournalEvent instead of casting.
//
// The schemas describe what the engine writes, and no more: every object they name is strict
// (a key it does not name is refused), so a record that carries a fact keyceremony does not
// write is refused like one that lacks a fact it does. Where the engine records an open
// set of facts (a step type's values and details, the facts shown before approval, the
// module's and the process's description), the schema says so with `openFacts`, by name.
// A journal written by another keyceremony version is verified with that version.
//
// Pure: zod only, so the machine (compile.ts) may import it.
import { z } from 'zod';
import type { Lang } from '../util/lang.js';

/** The name of each journal event, for writers and readers; no other module spells them. */
export const JOURNAL_EVENTS = {
  opened: 'ceremony.opened',
  sealed: 'ceremony.sealed',
  stepStarted: 'step.started',
  stepPrepared: 'step.prepared',
  stepApproved: 'step.approved',
  stepCompleted: 'step.completed',
  stepFailed: 'step.failed',
  stepRetried: 'step.retried',
  stepReconciled: 'step.reconciled',
  participantsSignedIn: 'participants.signed-in',
  participantsJoined: 'participants.joined',
  participantSignedOff: 'participant.signed-off',
  sharesPrepared: 'shares.prepared',
  shareHandedOver: 'share.handed-over',
  shareAccepted: 'share.accepted',
  shareRefused: 'share.refused',
  sharesDiscarded: 'shares.discarded',
  eventRefused: 'event.refused',
  exceptionRecorded: 'exception.recorded',
  paused: 'ceremony.paused',
  continued: 'ceremony.continued',
  interrupted: 'ceremony.interrupted',
  resumed: 'ceremony.resumed',
  restarted: 'ceremony.restarted',
  aborted: 'ceremony.aborted',
  resumeRefused: 'resume.refused',
  hsmRelogin: 'hsm.relogin',
  hsmUnrecordedKey: 'hsm.unrecorded-key',
  hsmKeyAbsent: 'hsm.key-absent',
  outputUnrecorded: 'output.unrecorded',
  checkpoint: 'journal.checkpoint',
} as const;

export const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const seq = z.number().int().min(1);
const index = z.number().int().min(0);
const ids = z.array(z.string());

// The records a header and a completed step hold (resume reads them back through these).
// Nested records are plain objects: their TypeScript interfaces (KeyRecord, FileRecord, …)
// are what writers pass, and a reader gets the fields named here.
export const fileRecord = z.strictObject({ name: z.string(), kind: z.string(), sha256, words: z.string(), bytes: z.number(), step: z.string() });
export const shareSetRecord = z.strictObject({
  credential: z.string(),
  setId: z.string(),
  threshold: z.number(),
  count: z.number(),
  custodians: ids,
  file: z.string(),
  sha256: sha256.optional(),
});
const keyRecord = z.strictObject({
  label: z.string(),
  token: z.string(),
  id: z.string(),
  algorithm: z.unknown(),
  spkiSha256: sha256,
  words: z.string(),
  uri: z.string(),
  step: z.string(),
});
/** A set of facts whose keys are the step type's or the platform's own (values, details, module info). */
const openFacts = z.record(z.string(), z.unknown());
const participant = z.strictObject({ id: z.string(), name: z.string(), roles: ids });
const sessionRecord = z.strictObject({ token: z.string(), userType: z.enum(['user', 'so']), credential: z.string(), setId: z.string(), step: z.string() });
const signOff = z.strictObject({ participant: z.string(), followedScript: z.boolean(), note: z.string().optional() });
/** A JSON object of any shape (a step's result); its fields are the step type's own. */
/** The facts a refusal's or failure's message names (share number, custodian, field), for a sentence in another language. */
const problemDetails = z.record(z.string(), z.union([z.string(), z.number()]));
const anyObject = z.custom<object>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { message: 'expected an object' });
/** The tool's name, version and hash, and what its release self-check found (tool-info.ts). */
const toolFacts = z.strictObject({ name: z.string(), version: z.string(), sha256: z.string().optional(), release: openFacts.optional() });

/** How a token was found at the opening: its label, and what the module says of it (or that this ceremony initialises it). */
const tokenAtOpening = z.strictObject({
  label: z.string(),
  serial: z.string().optional(),
  manufacturer: z.string().optional(),
  model: z.string().optional(),
  firmware: z.string().optional(),
  pinFlags: z.record(z.string(), z.boolean()).optional(),
  state: z.string().optional(),
});
const rlimit = z.union([z.number().int().min(0), z.literal('unlimited')]);
/** What the process could leak through (process-hygiene.ts): core dumps, ptrace, swap. Each is absent when it could not be read. */
const processFacts = z.strictObject({
  coreLimit: z.strictObject({ soft: rlimit, hard: rlimit }).optional(),
  corePattern: z.string().optional(),
  ptraceScope: z.number().int().optional(),
  swap: z.strictObject({ areas: z.number().int().min(0), usedKiB: z.number().min(0) }).optional(),
});
const bilingual = z.strictObject({ en: z.string(), 'zh-TW': z.string() });

/** Record 1: what the ceremony was set up with (definition, tool, platform, module, profile, tokens, inputs). */
export const headerSchema = z.strictObject({
  ceremony: z.string(),
  title: bilingual.optional(),
  definition: z.strictObject({ sha256, file: z.string() }),
  tool: toolFacts,
  node: z.string().optional(),
  os: z.strictObject({ platform: z.string(), release: z.string(), arch: z.string(), hostname: z.string() }).optional(),
  timeZone: z.string().optional(),
  hsm: z.strictObject({
    // What C_GetInfo says of the module, with where it was loaded from, its size and its hash.
    module: z.strictObject({
      manufacturer: z.string().optional(),
      description: z.string().optional(),
      libraryVersion: z.string().optional(),
      cryptokiVersion: z.string().optional(),
      path: z.string(),
      realPath: z.string().optional(),
      sha256,
      bytes: z.number().int().min(0).optional(),
    }),
    profile: z.strictObject({
      file: z.string(),
      sha256,
      dryRun: z.boolean(),
      description: z.string().optional(),
      moduleSha256: z.string().optional(),
    }),
    tokens: z.record(z.string(), tokenAtOpening),
  }),
  inputs: z.record(z.string(), fileRecord).default({}),
  shareSets: z.record(z.string(), shareSetRecord).default({}),
  profiles: z.record(z.string(), z.strictObject({ file: z.string(), sha256 })).default({}),
  process: processFacts.optional(),
  answers: z.strictObject({ file: z.string() }).optional(),
  approval: z.strictObject({ approvedBy: z.string(), reference: z.string(), sha256Typed: z.string() }).optional(),
});

const HASHES = ['SHA-256', 'SHA-384', 'SHA-512'] as const;

/** The data of a `journal.checkpoint` record (resume and the verifiers read it through this schema). */
export const checkpointDataSchema = z.strictObject({
  /** The definition's name of the token that signed. */
  token: z.string(),
  auditKey: z.strictObject({ label: z.string(), spkiSha256: sha256 }),
  /** The record whose hash was signed: the journal's head when the checkpoint was made. */
  signed: z.strictObject({ seq, hash: sha256 }),
  hash: z.enum(HASHES),
  mechanism: z.string(),
  /** Base64 of the DER signature. */
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

/** Where a CA ledger ends, as its anchor on the token keeps it (src/ledger/anchor.ts). */
const ledgerSeq = z.number().int().min(0);
const anchorFact = z.strictObject({
  seq: ledgerSeq,
  headSha256: sha256,
  lastCrlNumber: z
    .string()
    .regex(/^[1-9][0-9]*$/)
    .nullable(),
  previous: z.strictObject({ seq: ledgerSeq, headSha256: sha256 }).nullable(),
  writtenBy: z.strictObject({ ceremony: z.string(), step: z.string(), journal: z.string() }),
});

/**
 * A signing step's ledger anchor (docs/ledger-format.md "The anchor on the token"): the one
 * read before signing and the one written after, with why the ledger was accepted; or that
 * the token keeps none (dataObjects: false).
 */
const ledgerAnchorFact = z.union([
  z.strictObject({
    token: z.string(),
    kept: z.literal(true),
    label: z.string(),
    verdict: z.enum(['matches', 'first-use', 'new-ledger', 'resumed']),
    read: anchorFact.nullable(),
    written: anchorFact.nullable(),
  }),
  z.strictObject({ token: z.string(), kept: z.literal(false), note: z.string() }),
]);

/** What a completed step did: the step type's result, with who performed and witnessed it. */
const stepCompleted = z.strictObject({
  type: z.string(),
  index,
  performer: z.string().optional(),
  witnesses: ids.optional(),
  values: z.record(z.string(), z.unknown()).optional(),
  keys: z.array(keyRecord).optional(),
  outputs: z.array(fileRecord).optional(),
  shareSets: z.array(shareSetRecord).optional(),
  session: sessionRecord.optional(),
  lockedTokens: ids.optional(),
  destroyedKeys: ids.optional(),
  participants: z.array(participant).optional(),
  signOffs: z.array(signOff).optional(),
  details: z.looseObject({ ledgerAnchor: ledgerAnchorFact.optional() }).optional(),
});

/** A key found on a token after a restart that the journal did not know, and what the witnesses decided. */
const unrecordedKey = z.strictObject({
  token: z.string(),
  label: z.string(),
  spkiSha256: sha256,
  words: z.string(),
  id: z.string(),
  /** restore-key: the SPKI of the key in the backup file, which the found key matches. */
  backupSpkiSha256: sha256.optional(),
  decision: z.string(),
});

/**
 * After a restart, the token was searched for the key the interrupted step makes and it is
 * not there: the step makes it again. Said so that nobody has to wonder whether a half-made
 * key was left behind (review of issue 16 at 80x24, a kill -9 during key generation).
 */
const keyAbsent = z.strictObject({ token: z.string(), label: z.string() });

/** An output file found after a restart that the journal did not know: moved aside, or adopted. */
const unrecordedOutput = z.strictObject({
  name: z.string(),
  sha256,
  movedTo: z.string().optional(),
  // backup-key: the backup file found after a restart names its key and KEK set, and the witnesses adopted it.
  label: z.string().optional(),
  spkiSha256: sha256.optional(),
  kek: z.strictObject({ credential: z.string(), setId: z.string(), verifier: z.string() }).optional(),
  decision: z.string().optional(),
  note: z.string(),
});

const E = JOURNAL_EVENTS;

/** One schema per event, keyed by the event's name. */
export const JOURNAL_EVENT_SCHEMAS = {
  [E.opened]: headerSchema,
  [E.sealed]: z.strictObject({ status: z.enum(['completed', 'aborted']), exceptions: z.number().int().min(0) }),
  [E.stepStarted]: z.strictObject({ type: z.string(), index }),
  // What the step is about to do, as the witnesses approve it: each step type's own facts.
  [E.stepPrepared]: openFacts,
  [E.stepApproved]: z.strictObject({ values: z.record(z.string(), z.unknown()), custodians: ids.optional() }),
  [E.stepCompleted]: stepCompleted,
  [E.stepFailed]: z.strictObject({ code: z.string().optional(), message: z.string(), hint: z.string().optional(), details: problemDetails.optional() }),
  [E.stepRetried]: z.strictObject({ allowFinalTry: z.boolean() }),
  [E.stepReconciled]: z.discriminatedUnion('from', [
    z.strictObject({ from: z.literal('hsm'), index, result: anyObject.optional(), note: z.string() }),
    z.strictObject({ from: z.literal('journal'), seq, participant: z.string().optional(), note: z.string() }),
  ]),
  [E.participantsSignedIn]: z.strictObject({ index, participants: z.array(participant) }),
  [E.participantsJoined]: z.strictObject({ participant, confirmedBy: ids }),
  [E.participantSignedOff]: z.strictObject({ followedScript: z.boolean(), note: z.string() }),
  [E.sharesPrepared]: z.strictObject({
    sets: z.array(z.strictObject({ credential: z.string(), setId: z.string(), custodians: ids, quorumsChecked: z.number().int().min(0).optional() })),
  }),
  [E.shareHandedOver]: z.strictObject({ credential: z.string() }),
  [E.shareAccepted]: z.strictObject({ credential: z.string(), setId: z.string(), index: z.number().int(), accepted: z.number().int().min(0) }),
  [E.shareRefused]: z.strictObject({ message: z.string(), code: z.string().optional(), details: problemDetails.optional() }),
  [E.sharesDiscarded]: z.strictObject({ sets: ids, reason: z.string() }),
  [E.eventRefused]: z.strictObject({ event: z.string(), code: z.string().optional(), message: z.string().optional(), details: problemDetails.optional() }),
  [E.exceptionRecorded]: z.strictObject({ text: z.string(), number: z.number().int().min(1) }),
  [E.paused]: z.strictObject({ reason: z.string() }),
  [E.continued]: z.strictObject({ pausedFor: z.string().optional() }),
  [E.interrupted]: z.strictObject({ signal: z.string(), stoppedBy: z.string().optional(), confirmedBy: ids.optional(), note: z.string() }),
  [E.resumed]: z.strictObject({
    snapshotSeq: z.number().int().min(0),
    journalSeq: seq,
    // What resume repaired before it went on: a torn last line cut, a lost newline restored, a stale lock taken over.
    tornTail: z.strictObject({ line: z.number().int().min(1), bytes: z.number().int().min(0), sha256 }).optional(),
    restoredLineEnd: z.strictObject({ seq }).optional(),
    staleLock: z.strictObject({ pid: z.number().int(), host: z.string(), since: z.string() }).optional(),
    process: processFacts,
    tool: toolFacts,
  }),
  [E.restarted]: z.strictObject({ loginsLost: ids, sharesLost: z.number().int().min(0) }),
  [E.aborted]: z.strictObject({ reason: z.string(), created: anyObject }),
  [E.resumeRefused]: z.strictObject({ code: z.string().optional(), message: z.string() }),
  [E.hsmRelogin]: z.strictObject({ token: z.string(), session: sessionRecord.optional() }),
  [E.hsmUnrecordedKey]: unrecordedKey,
  [E.hsmKeyAbsent]: keyAbsent,
  [E.outputUnrecorded]: unrecordedOutput,
  [E.checkpoint]: checkpointDataSchema,
} as const satisfies { [N in JournalEventName]: z.ZodType<Record<string, unknown>> };

export type JournalEventName = (typeof JOURNAL_EVENTS)[keyof typeof JOURNAL_EVENTS];
type Schemas = typeof JOURNAL_EVENT_SCHEMAS;

/** The data a writer gives for event N (before the schema's defaults). */
export type JournalEventInput<N extends JournalEventName> = z.input<Schemas[N]>;
/** The data a reader gets for event N, parsed through its schema. */
export type JournalEventData<N extends JournalEventName> = z.output<Schemas[N]>;

/** Event and data, as one discriminated union: a writer's `{ event, data }` is checked against the event. */
export type JournalEventWrite = { [N in JournalEventName]: { event: N; data: JournalEventInput<N> } }[JournalEventName];
export type JournalEvent = { [N in JournalEventName]: { event: N; data: JournalEventData<N> } }[JournalEventName];

/** A journal entry the engine asks for: step, people, and a typed event with its data. */
export type JournalIntent = { step: string | null; who: string[] } & JournalEventWrite;

/**
 * A record read as its typed event (parseJournalEvent): the record as the journal holds it,
 * its data typed as what the event's schema accepted. The data is the record's own object,
 * not zod's copy of it: the journal's keys keep their order (the report lists open facts
 * in it) and no default is filled in that the journal does not hold.
 */
export type TypedJournalRecord<R extends { event: string; data: Record<string, unknown> }> = Omit<R, 'event' | 'data'> & JournalEventRead;

/** Event and data as a reader gets them from a record its schema accepted. */
export type JournalEventRead = { [N in JournalEventName]: { event: N; data: JournalEventInput<N> } }[JournalEventName];

export function isJournalEventName(name: string): name is JournalEventName {
  return Object.hasOwn(JOURNAL_EVENT_SCHEMAS, name);
}

/** Why a record's data does not fit its event: an event no keyceremony writes, or the first issue zod found. */
export type EventDataProblem = { step: string | null; event: string } & (
  { unknownEvent: true } | { unknownEvent: false; path: string; issue: Record<Lang, string> }
);

// zod words its issues; its own zh-TW locale words them for a Traditional Chinese reader. Made
// only when a record fails, so that a start of the tool does not build it.
const zhTwIssues = (): ReturnType<typeof z.locales.zhTW>['localeError'] => z.locales.zhTW().localeError;

/** `data.values.csr-sha256`: where in the record the first problem is. */
function issuePath(path: readonly PropertyKey[]): string {
  return ['data', ...path.map(String)].join('.');
}

export function eventDataProblem(record: { step: string | null; event: string; data: unknown }): EventDataProblem | undefined {
  if (!isJournalEventName(record.event)) return { step: record.step, event: record.event, unknownEvent: true };
  const schema = JOURNAL_EVENT_SCHEMAS[record.event];
  const parsed = schema.safeParse(record.data);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  // Parsed again only for a record that failed: the same first issue, in the other language.
  const zhTW = schema.safeParse(record.data, { error: zhTwIssues() }).error?.issues[0]?.message ?? issue.message;
  return { step: record.step, event: record.event, unknownEvent: false, path: issuePath(issue.path), issue: { en: issue.message, 'zh-TW': zhTW } };
}

/** A record as its typed event, or undefined when the event is unknown or its data does not fit. */
export function parseJournalEvent<R extends { event: string; data: Record<string, unknown> }>(record: R): TypedJournalRecord<R> | undefined {
  if (!isJournalEventName(record.event)) return undefined;
  // The schema and the name were looked up together, and the schema accepted the data as it
  // is (no schema transforms it), so the record is that member of the union.
  return JOURNAL_EVENT_SCHEMAS[record.event].safeParse(record.data).success ? (record as unknown as TypedJournalRecord<R>) : undefined;
}

/**
 * The records of a journal that verified with its event data checked (verifyJournal's
 * checkEventData, as report, history and bundle verify), each read as its typed event: the
 * one way they read a record's data. A record that does not fit here was never checked,
 * which is a fault in keyceremony, not in the journal.
 */
export function readJournalEvents<R extends { seq: number; step: string | null; event: string; data: Record<string, unknown> }>(
  records: readonly R[],
): TypedJournalRecord<R>[] {
  return records.map((record) => {
    const typed = parseJournalEvent(record);
    if (typed !== undefined) return typed;
    const problem = eventDataProblem(record)!;
    const what = problem.unknownEvent ? 'is an event that keyceremony does not write' : `does not fit its event: ${problem.path}: ${problem.issue.en}`;
    throw new TypeError(`readJournalEvents: record ${record.seq} (event ${record.event}) ${what}; verify the journal with checkEventData first`);
  });
}
