// The shape of each journal record that `resume` reads back into the context (rebuild.ts).
// A hash chain proves only that records follow each other, not who wrote them: anyone with
// the terminal's account can append a record with a valid hash, so the data of every record
// is checked before the rebuild reads a field of it. A record that does not have the shape
// the machine writes is bad input, named by its seq, not a crash deep inside the rebuild.
import { z } from 'zod';
import { JOURNAL_EVENTS, checkpointDataSchema, fileRecord, shareSetRecord } from '../journal/events.js';

const E = JOURNAL_EVENTS;

const id = z.string();
const ids = z.array(id);

export const participantSchema = z.looseObject({ id, name: z.string(), roles: ids });

const sessionSchema = z.looseObject({ token: z.string(), userType: z.enum(['user', 'so']), credential: z.string(), setId: z.string(), step: z.string() });

/** What applyResult reads of a step's result. */
const stepResultSchema = z.looseObject({
  keys: z.array(z.looseObject({ label: z.string(), token: z.string() })).optional(),
  outputs: z.array(fileRecord).optional(),
  shareSets: z.array(shareSetRecord).optional(),
  session: sessionSchema.optional(),
  lockedTokens: ids.optional(),
  destroyedKeys: ids.optional(),
  values: z.record(z.string(), z.string()).optional(),
  participants: z.array(participantSchema).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  performer: id.optional(),
  witnesses: ids.optional(),
});

const signOffSchema = z.looseObject({ participant: id, followedScript: z.boolean(), note: z.string() });

/** The data of each record kind the rebuild reads; kinds it only notes are not listed. */
export const recordDataSchemas = {
  [E.stepStarted]: z.looseObject({ index: z.number() }),
  [E.participantsSignedIn]: z.looseObject({ participants: z.array(participantSchema) }),
  [E.participantsJoined]: z.looseObject({ participant: participantSchema, confirmedBy: ids }),
  [E.stepCompleted]: stepResultSchema,
  'step.completed.sign-offs': z.looseObject({ signOffs: z.array(signOffSchema) }),
  [E.stepReconciled]: z.union([z.looseObject({ from: z.literal('hsm'), result: stepResultSchema }), z.looseObject({ from: z.literal('journal') })]),
  [E.sharesPrepared]: z.looseObject({
    sets: z.array(z.looseObject({ credential: z.string(), setId: z.string(), custodians: ids, quorumsChecked: z.number().int().min(1).optional() })),
  }),
  [E.shareHandedOver]: z.looseObject({ credential: z.string() }),
  [E.stepFailed]: z.looseObject({ code: z.string().optional(), message: z.string(), hint: z.string().optional() }),
  [E.stepRetried]: z.looseObject({ allowFinalTry: z.boolean().optional() }),
  [E.hsmRelogin]: z.looseObject({ session: sessionSchema }),
  [E.exceptionRecorded]: z.looseObject({ text: z.string() }),
  [E.paused]: z.looseObject({ reason: z.string() }),
  [E.participantSignedOff]: z.looseObject({ followedScript: z.boolean(), note: z.string() }),
  [E.checkpoint]: checkpointDataSchema,
} as const;

export type RecordKind = keyof typeof recordDataSchemas;

/** What is wrong with a record's data, in words (the field path and zod's reason), or nothing. */
export function recordDataProblem(kind: RecordKind, data: unknown): string | undefined {
  const parsed = recordDataSchemas[kind].safeParse(data);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? `data.${issue.path.join('.')}` : 'data';
  return `has no usable ${field} (${issue.message.toLowerCase()})`;
}
