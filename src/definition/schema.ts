// The ceremony definition schema: what a reviewed ceremony script may say. Strict: an
// unknown key is an error, so a misspelt `witnes:` can never silently drop a witness.
// Semantic checks that need the whole definition (references, multiple person control)
// are in checks.ts; this file is the shape only, and the source of ceremonies/schema.json.
import { z } from 'zod';

export const ID = /^[a-z][a-z0-9-]{0,62}$/;
const idMessage = 'must be lower case letters, digits and dashes, starting with a letter';
export const id = () => z.string({ error: 'must be an id (text)' }).regex(ID, { error: idMessage });

/** Text an officer reads aloud, in both languages of the ceremony terminal. */
export const bilingual = z.strictObject(
  {
    en: z.string({ error: 'must be the English text' }).min(1, { error: 'must not be empty' }),
    'zh-TW': z.string({ error: 'must be the Traditional Chinese text' }).min(1, { error: 'must not be empty' }),
  },
  { error: 'must give the text in both languages: { en: …, zh-TW: … }' },
);
export type Bilingual = z.infer<typeof bilingual>;

export const keyLabel = z
  .string({ error: 'must be a key label (text)' })
  .min(1, { error: 'must not be empty' })
  .refine((label) => Buffer.byteLength(label, 'utf8') <= 64, { error: 'must be at most 64 bytes' });

export const keySpec = z
  .strictObject({
    label: keyLabel,
    algorithm: z.enum(['RSA', 'EC'], { error: 'must be RSA or EC' }),
    bits: z.number().optional(),
    curve: z.string().optional(),
  })
  .superRefine((key, ctx) => {
    if (key.algorithm === 'RSA') {
      if (key.bits === undefined) ctx.addIssue({ code: 'custom', path: ['bits'], message: 'is required for RSA (2048, 3072 or 4096)' });
      else if (![2048, 3072, 4096].includes(key.bits)) ctx.addIssue({ code: 'custom', path: ['bits'], message: 'must be 2048, 3072 or 4096' });
      if (key.curve !== undefined) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'is only for EC keys' });
    } else {
      if (key.curve === undefined) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'is required for EC (P-256, P-384 or P-521)' });
      else if (!['P-256', 'P-384', 'P-521'].includes(key.curve)) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'must be P-256, P-384 or P-521' });
      if (key.bits !== undefined) ctx.addIssue({ code: 'custom', path: ['bits'], message: 'is only for RSA keys' });
    }
  });
export type KeySpecData = z.infer<typeof keySpec>;

const hash = z.enum(['SHA-256', 'SHA-384', 'SHA-512'], { error: 'must be SHA-256, SHA-384 or SHA-512' });

/** An ordered distinguished name: the attributes in the order they appear in the map. */
export const subject = z.partialRecord(
  z.enum(['C', 'ST', 'L', 'O', 'OU', 'CN', 'serialNumber', 'organizationIdentifier'], {
    error: 'must be one of C, ST, L, O, OU, CN, serialNumber, organizationIdentifier',
  }),
  z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }),
);

/** Who acts and who watches: the heart of multiple person control (多人控管). */
const people = {
  by: id().optional(),
  witness: id().optional(),
  /** How many distinct witnesses the step needs (destroy-key needs two). */
  witnesses: z.number().int().min(1).max(5).optional(),
};

/**
 * WebTrust for CAs key generation criteria a step is evidence for, so the report can map
 * them: (a) roles, (b) approval, (c) hardware and activation materials, (d) the steps,
 * (e) physical security, (f) storage afterwards, (g) sign-off, (h) deviations.
 */
const webtrust = z.array(z.enum(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], { error: 'must be a WebTrust key generation criterion letter, a to h' }));

const common = {
  id: id(),
  title: bilingual.optional(),
  instructions: bilingual.optional(),
  webtrust: webtrust.optional(),
  ...people,
};

const field = z.union([
  id(),
  z.strictObject({
    id: id(),
    label: bilingual.optional(),
    pattern: z.string().optional(),
    optional: z.boolean().optional(),
  }),
]);

export const stepSchemas = {
  'sign-in': z.strictObject({ ...common, type: z.literal('sign-in') }),
  record: z.strictObject({ ...common, type: z.literal('record'), fields: z.array(field).min(1, { error: 'must list at least one field' }) }),
  confirm: z.strictObject({ ...common, type: z.literal('confirm'), statement: bilingual }),
  exception: z.strictObject({ ...common, type: z.literal('exception') }),
  'sign-off': z.strictObject({ ...common, type: z.literal('sign-off') }),
  'init-token': z.strictObject({ ...common, type: z.literal('init-token'), token: id(), so: id(), user: id() }),
  'split-credential': z.strictObject({ ...common, type: z.literal('split-credential'), credential: id() }),
  'rotate-credential': z.strictObject({ ...common, type: z.literal('rotate-credential'), credential: id(), to: z.strictObject({ threshold: z.number().int(), of: z.number().int() }).optional() }),
  unlock: z.strictObject({ ...common, type: z.literal('unlock'), credential: id() }),
  lock: z.strictObject({ ...common, type: z.literal('lock'), token: id().optional() }),
  'generate-key': z.strictObject({ ...common, type: z.literal('generate-key'), token: id(), key: keySpec }),
  'create-csr': z.strictObject({ ...common, type: z.literal('create-csr'), key: keyLabel, subject, hash: hash.optional(), output: z.string() }),
  'self-sign': z.strictObject({ ...common, type: z.literal('self-sign'), key: keyLabel, subject, profile: id(), output: z.string(), validity: z.strictObject({ years: z.number().int().min(1).max(30) }).optional() }),
  'issue-certificate': z.strictObject({ ...common, type: z.literal('issue-certificate'), key: keyLabel, issuer: z.string(), csr: z.string(), profile: id(), output: z.string(), subject: subject.optional() }),
  'accept-certificate': z.strictObject({ ...common, type: z.literal('accept-certificate'), key: keyLabel, certificate: z.string(), chain: z.array(z.string()).min(1), subject, profile: id() }),
  'issue-crl': z.strictObject({ ...common, type: z.literal('issue-crl'), key: keyLabel, issuer: z.string(), output: z.string(), nextUpdateDays: z.number().int().min(1).max(400), revoked: z.array(z.strictObject({ serial: z.string().regex(/^[0-9a-fA-F]+$/), reason: z.enum(['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation']) })).optional() }),
  'destroy-key': z.strictObject({ ...common, type: z.literal('destroy-key'), key: keyLabel }),
} as const;

export type StepType = keyof typeof stepSchemas;
export const STEP_TYPES = Object.keys(stepSchemas) as StepType[];


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
  tool: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be the bundle hash `keyceremony self-check` prints: 64 lower-case hex digits, without spaces' }) }).optional(),
  roles: z.record(id(), z.strictObject({ min: z.number().int().min(0).max(20), title: bilingual.optional() })),
  conflicts: z.array(z.tuple([id(), id()], { error: 'each conflict is a pair of roles: [role-a, role-b]' })).default([]),
  tokens: z.record(id(), z.strictObject({ title: bilingual.optional() })),
  credentials: z
    .record(
      id(),
      z.strictObject({
        token: id(),
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
        algorithm: z.enum(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P-256', 'EC-P-384', 'EC-P-521'], {
          error: 'must be RSA-2048, RSA-3072, RSA-4096, EC-P-256, EC-P-384 or EC-P-521',
        }),
      }),
    )
    .default({}),
  inputs: z
    .record(
      id(),
      z.strictObject({
        kind: z.enum(['csr', 'certificate', 'share-manifest'], { error: 'must be csr, certificate or share-manifest' }),
        credential: id().optional(),
        title: bilingual.optional(),
        /** When given, the file brought to the ceremony must have exactly this SHA-256. */
        sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits' }).optional(),
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
  steps: z.array(z.discriminatedUnion('type', Object.values(stepSchemas) as unknown as [(typeof stepSchemas)['sign-in'], ...Array<(typeof stepSchemas)[StepType]>])).max(MAX_STEPS),
});

type StepSchemas = typeof stepSchemas;
export type StepOf<T extends StepType> = z.infer<StepSchemas[T]>;
export type Step = { [T in StepType]: StepOf<T> }[StepType];
