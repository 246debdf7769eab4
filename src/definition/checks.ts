// Semantic checks over a whole definition: references, the order of steps, and multiple
// person control. Each problem carries the YAML path it concerns, so the loader can point
// at file:line:col. A definition that lets one person complete a sensitive step alone is
// rejected here, before any ceremony can start (DESIGN principle 2).
import { existsSync, realpathSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { tooManyQuorums } from '../util/quorum-shape.js';
import type { YamlProblem } from '../util/strict-yaml.js';
import { STEP_SPECS, STEP_TYPES, isSensitive, producedBy, specOf } from '../steps/index.js';
import type { DefinitionScan, FileKind } from '../steps/spec-types.js';
import type { DefinitionData, Step } from './schema.js';
import { roleTitles } from './built-in-roles.js';
import { LANGS } from '../util/lang.js';

type Data = Omit<DefinitionData, 'steps'> & { steps: Step[] };

interface Produced {
  kind: FileKind;
  step: string;
}

export function checkDefinition(data: Data, dir: string, checkFiles = true): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const problem = (path: ReadonlyArray<string | number>, message: string) => problems.push({ path, message });
  const roles = new Set(Object.keys(data.roles));

  // Roles and conflicts.
  data.conflicts.forEach(([a, b], i) => {
    if (!roles.has(a)) problem(['conflicts', i, 0], `names role "${a}", which is not in roles`);
    if (!roles.has(b)) problem(['conflicts', i, 1], `names role "${b}", which is not in roles`);
    if (a === b) problem(['conflicts', i], 'must name two different roles');
  });

  roleTitleClashes(data.roles).forEach((clash) => problem(clash.path, clash.message));

  // Credentials, keys and inputs refer to tokens and roles that exist.
  for (const [name, credential] of Object.entries(data.credentials)) {
    if (!(credential.token in data.tokens)) problem(['credentials', name, 'token'], `names token "${credential.token}", which is not in tokens`);
    if (credential.threshold > credential.of) problem(['credentials', name, 'threshold'], `must not exceed of (${credential.of})`);
    const tooMany = tooManyQuorums(credential.threshold, credential.of);
    if (tooMany !== undefined) problem(['credentials', name, 'threshold'], tooMany);
    if (!roles.has(credential.custodians)) problem(['credentials', name, 'custodians'], `names role "${credential.custodians}", which is not in roles`);
    else if ((data.roles[credential.custodians]?.min ?? 0) < credential.threshold) {
      problem(['roles', credential.custodians, 'min'], `must be at least ${credential.threshold}, the threshold of credential "${name}"`);
    }
  }
  for (const [label, key] of Object.entries(data.keys)) {
    if (!(key.token in data.tokens)) problem(['keys', label, 'token'], `names token "${key.token}", which is not in tokens`);
  }
  for (const [name, input] of Object.entries(data.inputs)) {
    if (input.kind === 'share-manifest') {
      if (!input.credential) problem(['inputs', name, 'credential'], 'is required for a share-manifest input');
      else if (!(input.credential in data.credentials))
        problem(['inputs', name, 'credential'], `names credential "${input.credential}", which is not in credentials`);
    } else if (input.credential) problem(['inputs', name, 'credential'], `is only for share-manifest inputs`);
  }
  if (checkFiles) {
    for (const [name, file] of Object.entries(data.profiles)) {
      const outside = profileOutside(dir, file);
      if (outside) problem(['profiles', name], outside);
    }
  }

  // Walk the steps in order, tracking what exists and which tokens are unlocked.
  const ids = new Map<string, number>();
  const keys = new Map<string, { token: string; step: string | undefined }>(
    Object.entries(data.keys).map(([label, k]) => [label, { token: k.token, step: undefined }]),
  );
  const outputs = new Map<string, Produced>();
  const credentialsWithManifest = new Set(Object.values(data.inputs).flatMap((i) => (i.kind === 'share-manifest' && i.credential ? [i.credential] : [])));
  const unlocked = new Map<string, 'user' | 'so'>();
  const initialised = new Set<string>();
  const confirmable = new Set<string>();

  const fileReference = (path: ReadonlyArray<string | number>, name: string, kinds: FileKind[]) => {
    const input = data.inputs[name];
    if (input) {
      if (!kinds.includes(input.kind)) problem(path, `names input "${name}" of kind ${input.kind}, but needs ${kinds.join(' or ')}`);
      return;
    }
    const output = outputs.get(name);
    if (output) {
      if (!kinds.includes(output.kind)) problem(path, `names output "${name}" (a ${output.kind}), but needs ${kinds.join(' or ')}`);
      return;
    }
    problem(path, `names "${name}", which is neither an input nor an output of an earlier step`);
  };
  const produce = (path: ReadonlyArray<string | number>, name: string, kind: FileKind, step: string) => {
    if (name !== basename(name) || name.startsWith('.') || !/^[\w.-]+$/.test(name)) {
      problem(path, 'must be a plain file name (letters, digits, dot, dash, underscore; no folders)');
    }
    if (outputs.has(name)) problem(path, `"${name}" is already the output of step "${outputs.get(name)!.step}"`);
    outputs.set(name, { kind, step });
  };
  const useKey = (path: ReadonlyArray<string | number>, label: string) => {
    const key = keys.get(label);
    if (!key) {
      problem(path, `names key "${label}", which is neither generated by an earlier step nor declared in keys`);
      return undefined;
    }
    return key;
  };
  const needLogin = (path: ReadonlyArray<string | number>, token: string, stepType: string) => {
    if (unlocked.get(token) !== 'user') problem(path, `${stepType} needs token "${token}" unlocked as user by an earlier unlock step (and not locked since)`);
  };

  const scan: Omit<DefinitionScan, 'index' | 'count' | 'at'> = {
    data,
    problem,
    useKey,
    needLogin,
    fileReference,
    needProfile: (path, profile) => {
      if (!(profile in data.profiles)) problem(path, `names profile "${profile}", which is not in profiles`);
    },
    needToken: (path, token) => {
      if (!(token in data.tokens)) problem(path, `names token "${token}", which is not in tokens`);
    },
    unlocked,
    initialised,
    keys,
    credentialsWithManifest,
    confirmable,
  };

  data.steps.forEach((step, i) => {
    const at = (...rest: Array<string | number>) => ['steps', i, ...rest];
    if (ids.has(step.id)) problem(at('id'), `"${step.id}" is already the id of steps[${ids.get(step.id)}]`);
    ids.set(step.id, i);

    // Multiple person control.
    for (const key of ['by', 'witness'] as const) {
      const role = step[key];
      if (role !== undefined && !roles.has(role)) problem(at(key), `names role "${role}", which is not in roles`);
    }
    if (isSensitive(step.type)) {
      if (!step.by) problem(at(), `(${step.id}) is a ${step.type} step: it needs \`by\` (who performs it) so that no one person completes it alone (多人控管)`);
      if (!step.witness)
        problem(at(), `(${step.id}) is a ${step.type} step: it needs \`witness\` (who watches it) so that no one person completes it alone (多人控管)`);
    }
    const minWitnesses = specOf(step).minWitnesses;
    if (minWitnesses && (step.witnesses ?? 1) < minWitnesses.count)
      problem(at(), `(${step.id}) ${minWitnesses.because}: it needs \`witnesses: ${minWitnesses.count}\``);
    if (step.by && step.witness) {
      const needed = 1 + (step.witnesses ?? 1);
      if (step.by === step.witness && (data.roles[step.by]?.min ?? 0) < needed) {
        problem(
          at('witness'),
          `is the performer's own role "${step.by}", so roles.${step.by}.min must be at least ${needed} (performer and witnesses are different people)`,
        );
      }
      if (step.by !== step.witness && (data.roles[step.witness]?.min ?? 0) < (step.witnesses ?? 1)) {
        problem(at('witnesses'), `needs ${step.witnesses ?? 1} witnesses but roles.${step.witness}.min is ${data.roles[step.witness]?.min ?? 0}`);
      }
    }
    if (step.witnesses !== undefined && !step.witness) problem(at('witnesses'), 'needs `witness` (the role the witnesses come from)');

    const position = specOf(step).position;
    if (position?.where === 'first' && i !== 0) problem(at('type'), position.misplaced);
    if (position?.where === 'last' && i !== data.steps.length - 1) problem(at('type'), position.misplaced);
    specOf(step).check?.(step, { ...scan, index: i, count: data.steps.length, at });
    // After the type's checks, which read the step's inputs: a step cannot read its own output.
    for (const file of producedBy(step)) produce(at(...file.field), file.name, file.kind, step.id);
    // A key-encryption key is never a PIN: no step logs in with it or sets it on a token.
    for (const field of ['credential', 'so', 'user'] as const) {
      const name = (step as Partial<Record<typeof field, unknown>>)[field];
      if (typeof name === 'string' && data.credentials[name]?.kek === true)
        problem(at(field), `credential "${name}" is a key-encryption key (kek: true), not a PIN`);
    }
    if (makesResult(step, data)) confirmable.add(step.id);
  });

  for (const type of STEP_TYPES) {
    const position = STEP_SPECS[type].position;
    if (position?.where === 'first' && data.steps[0]?.type !== type) problem(['steps', 0, 'type'], position.missing);
    if (position?.where === 'last' && data.steps.at(-1)?.type !== type) problem(['steps', data.steps.length - 1, 'type'], position.missing);
  }
  return problems;
}

/** A key, a CSR, a certificate, a CRL or a share set: what a witness confirms afterwards (confirm-result). */
function makesResult(step: Step, data: Omit<DefinitionData, 'steps'>): boolean {
  const spec = specOf(step);
  if (spec.generates?.(step) !== undefined) return true;
  if ((spec.splits?.(step, data) ?? []).length > 0) return true;
  return producedBy(step).some((file) => file.kind !== 'acceptance');
}

/**
 * Why an X.509 profile path is refused, if it is: the reviewed ceremony folder is what the
 * script may use, so a profile must be a file inside the definition's folder, also after
 * links are resolved. Refused here, before the file is opened, so none of its lines can
 * appear in a message (the X.509 profile loader lists unknown keys with their lines).
 */
function profileOutside(dir: string, file: string): string | undefined {
  const inside = (folder: string, path: string) => {
    const rel = relative(folder, path);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  };
  const OUTSIDE = `must name a file inside the definition's folder ${dir}, not ${file}`;
  const path = resolve(dir, file);
  if (!inside(dir, path)) return OUTSIDE;
  if (!existsSync(path)) return `file ${file} does not exist (relative to the definition)`;
  const real = realpathSync(path);
  if (!inside(realpathSync(dir), real)) return `${OUTSIDE} (it is a link to ${real})`;
  return undefined;
}

/** A title as people read and type it: spaces at either end, letter case and Unicode form aside. */
function foldedTitle(title: string): string {
  return title.normalize('NFKC').trim().toLowerCase();
}

/**
 * Two roles people cannot tell apart: the same title (the definition's, or the built-in one
 * of an untitled known id) in English or Chinese. Sign-in takes a title in either language,
 * so "Witness" for one role and "witness " for another would make it guess.
 */
function roleTitleClashes(roles: Data['roles']): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const seen = new Map<string, { role: string; lang: string }>();
  for (const role of Object.keys(roles)) {
    const titles = roleTitles(roles, role);
    if (!titles) continue;
    const own = new Set<string>();
    for (const lang of LANGS) {
      const folded = foldedTitle(titles[lang]);
      if (own.has(folded)) continue;
      own.add(folded);
      const earlier = seen.get(folded);
      if (!earlier) {
        seen.set(folded, { role, lang });
        continue;
      }
      const clash = `"${titles[lang].trim()}", the ${earlier.lang} title of role "${earlier.role}" too: people could not tell roles "${role}" and "${earlier.role}" apart on screen or at sign-in`;
      // A built-in title the definition did not write has no line of its own: point at the role.
      if (roles[role]?.title) problems.push({ path: ['roles', role, 'title', lang], message: `is ${clash}` });
      else problems.push({ path: ['roles', role], message: `has no title and is shown as ${clash}; give it a title of its own` });
    }
  }
  return problems;
}
