// The answers file of a scripted dry run: who takes part, which files are brought in, and
// for each step id who acts, who witnesses, the values typed and the shares entered. It
// drives the very same machine as the terminal UI. Strict: unknown keys, unknown steps and
// missing answers are errors that name the step (exit 2). Relative paths are relative to
// the answers file.
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { id } from '../definition/schema.js';
import { STEP_SPECS, STEP_TYPES } from '../steps/index.js';
import type { Definition } from '../definition/definition.js';
import { loadStrictYaml, type YamlSource } from '../util/strict-yaml.js';

const share = z.union([z.string().min(1), z.strictObject({ file: z.string().min(1) })], {
  error: 'must be a share envelope (text) or { file: path-to-a-dry-run-share-file }',
});

/**
 * A typed value: text, or (for values a person reads off something) where the scripted
 * person reads it: `{ sha256Of: file }` (the SHA-256 of their own copy of a file) or
 * `{ shown: true }` (what the screen shows at this step), or, for a field declared as a token's
 * serial (hsmSerial), `{ reportedByToken: true }`: the serial the token reports, since a
 * throwaway SoftHSM token's serial is new in every rehearsal (the line printed says so).
 */
const value = z.union([
  z.union([z.string(), z.number()]).transform(String),
  z.strictObject({ sha256Of: z.string().min(1) }),
  z.strictObject({ shown: z.literal(true) }),
  z.strictObject({ reportedByToken: z.literal(true) }),
]);

const stepAnswer = z.strictObject({
  by: id().optional(),
  witness: z.union([id(), z.array(id())]).optional(),
  values: z.record(z.string(), value).optional(),
  shares: z.record(id(), share).optional(),
  /** Custodians who receive the new shares of a split step, when not every custodian does. */
  custodians: z.array(id()).optional(),
  decision: z.enum(['accept', 'reject']).optional(),
  reason: z.string().optional(),
  /** sign-off: whether the ceremony followed the script, for everyone, with notes per person. */
  followedScript: z.boolean().optional(),
  notes: z.record(id(), z.string()).optional(),
  /** After a resume into a failed step: the two people who approve the retry. */
  retryBy: z.array(id()).optional(),
  allowFinalTry: z.boolean().optional(),
  /** After a crash mid-step, what the witnesses decided about what was found. */
  reconcile: z.enum(['adopt']).optional(),
  /** With reconcile: adopt of a file (backup-key's backup): the SHA-256 the witnesses were shown and decided on. */
  adoptSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256 in lower-case hex (64 characters)' })
    .optional(),
});

const participant = z.strictObject({ id: id(), name: z.string().min(1), roles: z.array(id()).min(1) });

export const answersSchema = z.strictObject({
  ceremony: id(),
  participants: z.array(participant).min(1, { error: 'must list at least one participant' }),
  /** People who join after the sign-in, each confirmed by two people already signed in. */
  joins: z.array(z.strictObject({ before: id(), participant, confirmedBy: z.array(id()).length(2) })).default([]),
  inputs: z.record(id(), z.string().min(1)).default({}),
  steps: z
    .record(
      id(),
      stepAnswer.nullable().transform((a) => a ?? {}),
    )
    .default({}),
  exceptions: z.array(z.strictObject({ before: id(), by: id(), text: z.string().min(1) })).default([]),
  pauses: z.array(z.strictObject({ before: id(), by: id(), reason: z.string().min(1), continueBy: z.array(id()).length(2) })).default([]),
  abort: z.strictObject({ before: id(), by: z.array(id()), reason: z.string().min(1) }).optional(),
});

export type AnswersData = z.infer<typeof answersSchema>;
export type StepAnswer = z.infer<typeof stepAnswer>;
export type AnswerValue = z.infer<typeof value>;

export interface Answers extends AnswersData {
  file: string;
  dir: string;
  source: YamlSource;
}

/** Step types that need no answer: everything they need comes from elsewhere. */
const ANSWER_OPTIONAL = STEP_TYPES.filter((type) => STEP_SPECS[type].answerOptional);
const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

export function loadAnswers(file: string, definition: Definition): Answers {
  const { source, value } = loadStrictYaml(file, {
    kind: 'answers',
    schema: answersSchema,
    hint: 'see ceremonies/ANSWERS.md for the answers format',
  });
  const at = (path: Array<string | number>, message: string) =>
    new InputError(source.problem(path, message), { hint: 'fix the answers file', code: 'answers.invalid' });
  if (value.ceremony !== definition.ceremony) throw at(['ceremony'], `is "${value.ceremony}" but the definition is "${definition.ceremony}"`);
  const stepIds = new Set(definition.steps.map((s) => s.id));
  for (const stepId of Object.keys(value.steps)) if (!stepIds.has(stepId)) throw at(['steps', stepId], `is not a step of ${definition.ceremony}`);
  for (const step of definition.steps) {
    if (!ANSWER_OPTIONAL.includes(step.type) && !(step.id in value.steps)) {
      throw new InputError(`${file}: steps.${step.id} is missing: step ${step.id} (${step.type}) needs an answer`, {
        hint: `every step except ${listed(ANSWER_OPTIONAL)} needs an entry under steps`,
        code: 'answers.missing-step',
      });
    }
  }
  for (const name of Object.keys(value.inputs)) if (!(name in definition.inputs)) throw at(['inputs', name], `is not an input of ${definition.ceremony}`);
  value.exceptions.forEach((e, i) => {
    if (!stepIds.has(e.before)) throw at(['exceptions', i, 'before'], `names step "${e.before}", which is not in the definition`);
  });
  value.pauses.forEach((p, i) => {
    if (!stepIds.has(p.before)) throw at(['pauses', i, 'before'], `names step "${p.before}", which is not in the definition`);
  });
  value.joins.forEach((j, i) => {
    if (!stepIds.has(j.before)) throw at(['joins', i, 'before'], `names step "${j.before}", which is not in the definition`);
  });
  return { ...value, file, dir: dirname(resolve(file)), source };
}

export function answerPath(answers: Answers, path: string): string {
  return isAbsolute(path) ? path : resolve(answers.dir, path);
}

export function witnessesOf(answer: StepAnswer): string[] {
  return answer.witness === undefined ? [] : Array.isArray(answer.witness) ? answer.witness : [answer.witness];
}
