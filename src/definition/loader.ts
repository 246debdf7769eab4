// YAML file -> validated, checked Definition. Every problem names file:line:col and the
// YAML path (`steps[3].key.bits must be 2048, 3072 or 4096`); all problems are listed at
// once so a reviewer fixes a script in one pass.
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { controlCharactersIn } from '../util/control-characters.js';
import { sha256 } from '../util/fingerprint.js';
import { YamlSource, problemsError, schemaProblems, validateYaml, type YamlProblem } from '../util/strict-yaml.js';
import { checkDefinition } from './checks.js';
import type { Definition } from './definition.js';
import { STEP_TYPES, definitionSchema, stepSchemas, type Step, type StepType } from './schema.js';

const KIND = 'definition';
const HINT = 'fix the ceremony definition; `keyceremony validate <file>` lists every problem, and ceremonies/schema.json helps editors';

/** Each step is validated against the schema of its own type, so paths stay precise. */
function validateSteps(raw: unknown[]): { steps: Step[]; problems: YamlProblem[] } {
  const steps: Step[] = [];
  const problems: YamlProblem[] = [];
  raw.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ path: ['steps', i], message: 'must be a mapping with an id and a type' });
      return;
    }
    const type = (item as { type?: unknown }).type;
    if (typeof type !== 'string' || !(STEP_TYPES as string[]).includes(type)) {
      problems.push({ path: ['steps', i, 'type'], message: type === undefined ? 'is required' : `must be one of ${STEP_TYPES.join(', ')}` });
      return;
    }
    const schema = stepSchemas[type as StepType] as unknown as z.ZodType<Step>;
    const result = schemaProblems(schema, item, ['steps', i]);
    if (result.ok) steps.push(result.value);
    else problems.push(...result.problems);
  });
  return { steps, problems };
}

/**
 * `checkFiles: false` is for a definition copied into a workdir, whose X.509 profiles were
 * copied next to it under their names (resume), not at the paths the definition gives.
 */
export function parseDefinition(file: string, text: string, options: { checkFiles?: boolean } = {}): Definition {
  const source = YamlSource.parse(file, text, KIND);
  const top = validateYaml(source, { kind: KIND, schema: definitionSchema, hint: HINT });
  const { steps, problems } = validateSteps(top.steps);
  problems.push(...controlCharactersIn(top));
  if (problems.length > 0) throw problemsError(source, problems, KIND, HINT);
  const data = { ...top, steps };
  const semantic = checkDefinition(data, dirname(resolve(file)), options.checkFiles ?? true);
  if (semantic.length > 0) throw problemsError(source, semantic, KIND, HINT);
  return { ...data, file, dir: dirname(resolve(file)), text, sha256: sha256(text).toString('hex') };
}

export function loadDefinition(file: string): Definition {
  return parseDefinition(file, YamlSource.read(file, KIND).text);
}
