// The ceremony definition schema: what a reviewed ceremony script may say. Strict: an
// unknown key is an error, so a misspelt `witnes:` can never silently drop a witness.
// Semantic checks that need the whole definition (references, multiple person control)
// are in checks.ts; this file is the shape only, and the source of ceremonies/schema.json.
import { z } from 'zod';
import { bilingual, id, keyLabel } from './primitives.js';
import { isTimeZone } from '../x509/time.js';
import { DECLARED_ALGORITHMS, declaredAlgorithm } from '../util/key-algorithm.js';
import { STEP_SPECS, STEP_TYPES, type StepSchemas, type StepType } from '../steps/index.js';

export { STEP_TYPES, type Step, type StepOf, type StepType } from '../steps/index.js';

export { id } from './primitives.js';
export type { KeySpecData } from '../steps/shared/step-schema.js';

/** Each step type's schema, from the step registry (src/steps/<type>/spec.ts). */
export const stepSchemas = Object.fromEntries(STEP_TYPES.map((type) => [type, STEP_SPECS[type].schema])) as StepSchemas;

/** The most steps one ceremony definition may have. */
export const MAX_STEPS = 500;

export const definitionSchema = z.strictObject({
  ceremony: id(),
  title: bilingual,
  description: bilingual.optional(),
  /**
   * The keyceremony release this script was approved for: the bundle hash `self-check`
   * prints (SHA-256 of the release's SHA256SUMS). `run` and `resume` refuse any other, and a
   * git checkout; `plan` prints it.
   */
  tool: z
    .strictObject({
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, { error: 'must be the bundle hash `keyceremony self-check` prints: 64 lower-case hex digits, without spaces' }),
    })
    .optional(),
  /**
   * The ceremony's own time zone (an IANA name, `Asia/Taipei`): the report shows every time
   * in it, whatever zone the terminal was set to, so that it reads like the wall clock in the
   * room, the paper log and the video. Without it, times show as the journal recorded them.
   */
  timeZone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone name, e.g. Asia/Taipei' }).optional(),
  /** The script's approval (issue 22 item 12): `required: true` makes `run` refuse to start without one recorded. */
  approval: z.strictObject({ required: z.boolean() }).optional(),
  roles: z.record(id(), z.strictObject({ min: z.number().int().min(0).max(20), title: bilingual.optional() })),
  conflicts: z.array(z.tuple([id(), id()], { error: 'each conflict is a pair of roles: [role-a, role-b]' })).default([]),
  tokens: z.record(id(), z.strictObject({ title: bilingual.optional() })),
  credentials: z
    .record(
      id(),
      z.strictObject({
        /** The token whose PIN this is; for a key-encryption key, the token whose keys it backs up. */
        token: id(),
        /** What the people call it ("HCA user PIN"): on screen, on the share cards and in the report; else made from the token's title. */
        title: bilingual.optional(),
        /**
         * Not a PIN: a 256-bit key-encryption key for key backup (issue 18), split by a
         * create-kek step. It never goes to C_Login and is bound to no token.
         */
        kek: z.literal(true).optional(),
        /** Which PIN of the token the credential is: the user (CKU_USER) or the security officer (CKU_SO). */
        user: z.enum(['user', 'so'], { error: 'must be user or so' }).default('user'),
        threshold: z.number().int().min(2, { error: 'must be at least 2 (no one person alone)' }).max(255),
        of: z.number().int().min(2).max(255),
        pinLength: z.number().int().min(4).max(64).default(32),
        /** The role whose members hold the shares. */
        custodians: id().default('custodian'),
      }),
    )
    .default({}),
  /** Keys made by an earlier ceremony that this one uses (a key is generated or declared before use). */
  keys: z
    .record(
      keyLabel,
      z.strictObject({
        token: id(),
        /** Written as `RSA-4096` or `EC-P-384`; the definition holds it as data (KeyAlgorithm). */
        algorithm: z
          .enum(DECLARED_ALGORITHMS, {
            error: 'must be RSA-2048, RSA-3072, RSA-4096, EC-P-256, EC-P-384 or EC-P-521',
          })
          .transform(declaredAlgorithm),
      }),
    )
    // prefault, not default: the empty input goes through the schema, so the JSON Schema keeps its default.
    .prefault({}),
  inputs: z
    .record(
      id(),
      z.strictObject({
        kind: z.enum(['csr', 'certificate', 'share-manifest', 'key-backup', 'audit-key', 'ledger', 'serial-list'], {
          error: 'must be csr, certificate, share-manifest, key-backup, audit-key, ledger or serial-list',
        }),
        credential: id().optional(),
        title: bilingual.optional(),
        /** When given, the file brought to the ceremony must have exactly this SHA-256. */
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits' })
          .optional(),
      }),
    )
    .default({}),
  profiles: z.record(id(), z.string()).default({}),
  // A ceremony has tens of steps; hundreds would be unreviewable, and every step costs the
  // validator, the machine and the report their share. Bounded, with words, not a stall.
  steps: z
    .array(z.unknown())
    .min(1, { error: 'must have at least one step' })
    .max(MAX_STEPS, { error: `is longer than ${MAX_STEPS} steps; split a longer ceremony into several` }),
});

export type DefinitionData = z.infer<typeof definitionSchema>;

/** The same schema with the steps spelt out, for the JSON Schema that editors use. */
export const definitionSchemaForEditors = definitionSchema.extend({
  steps: z.array(z.discriminatedUnion('type', Object.values(stepSchemas) as [StepSchemas[StepType], ...Array<StepSchemas[StepType]>])).max(MAX_STEPS),
});
