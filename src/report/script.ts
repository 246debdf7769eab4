// What the definition says, as document blocks: the parts of the approved script that both
// the plan and the report show in the same words (roles, tokens, credentials, each step's
// instructions and who performs and witnesses it), so that they read side by side.
import type { Definition, Step } from '../definition/definition.js';
import { defaultTitle, isSensitive, producedFiles, specOf } from '../steps/index.js';
import type { ScriptRowKit } from '../steps/spec-types.js';
import { code, sectionNumber, table, type Content, type Inline, type SectionKey, type TableBlock } from './document.js';
import { fingerprintLines, formatDn, formatKeySpec } from './format.js';
import { messages, type Lang, type Messages } from './i18n.js';
import { declaredName } from '../util/key-algorithm.js';
import { roleTitles } from '../definition/built-in-roles.js';

export interface Script {
  definition: Definition;
  lang: Lang;
  t: Messages;
}

export function script(definition: Definition, lang: Lang): Script {
  return { definition, lang, t: messages(lang) };
}

type Row = readonly [string, Content];

export function stepTitle(step: Step, lang: Lang): string {
  return (step.title ?? defaultTitle(step.type))[lang];
}

/** 1-based, as the run prints it (`[3/12] init`) and as both documents number it. */
export function stepNumber(definition: Definition, stepId: string | null): number | undefined {
  if (stepId === null) return undefined;
  const index = definition.steps.findIndex((s) => s.id === stepId);
  return index < 0 ? undefined : index + 1;
}

export function stepAnchor(stepId: string): string {
  return `step-${stepId}`;
}

/** `step 3 (init)`, for references from other sections. */
export function stepRef(s: Script, stepId: string | null): string {
  if (stepId === null) return s.t.none;
  const n = stepNumber(s.definition, stepId);
  return n === undefined ? stepId : s.t.stepRef(n, stepId);
}

/** `§4 Steps`, for references from the criteria table. */
export function sectionRef(s: Script, key: SectionKey): string {
  return `§${sectionNumber(key)} ${s.t.sections[key]}`;
}

export function roleTitle(s: Script, role: string): string {
  return s.definition.roles[role]?.title?.[s.lang] ?? s.t.defaultRoleTitles[role] ?? '';
}

/**
 * A role as the text names it: in Traditional Chinese by its title (the role ids are English
 * codes; issue 22 item 16), the built-in title of a known id when the definition gives none,
 * else the id marked as one (角色代號「ops」); in English by its id. The English roles table
 * keeps id and title side by side.
 */
export function roleName(s: Script, role: string): string {
  if (s.lang !== 'zh-TW') return role;
  return roleTitles(s.definition.roles, role)?.[s.lang] ?? s.t.untitledRole(role);
}

export function sensitiveCount(definition: Definition): number {
  return definition.steps.filter((step) => isSensitive(step.type)).length;
}

export function ceremonyRows(s: Script): Row[] {
  const { definition: d, t } = s;
  const rows: Row[] = [
    [t.ceremonyId, code(d.ceremony)],
    [t.title, s.lang === 'en' ? [d.title.en, d.title['zh-TW']] : [d.title['zh-TW'], d.title.en]],
  ];
  if (d.description) rows.push([t.description, d.description[s.lang]]);
  rows.push([t.definitionSha256, fingerprintLines(d.sha256)]);
  rows.push([t.steps, t.stepCount(d.steps.length, sensitiveCount(d))]);
  rows.push([t.timeZone, d.timeZone ? t.timeZoneDeclared(d.timeZone) : t.timeZoneNotDeclared]);
  return rows;
}

/** Where the script has people type values (date, place, serials): listed up front. */
export function recordedFieldsSummary(s: Script): Inline[] {
  return s.definition.steps.flatMap((step) => {
    const fields = specOf(step).typedFields?.(step);
    return fields ? [`${stepRef(s, step.id)}${s.t.colon}${fields.map((f) => fieldLabel(s, step, f.id)).join(s.t.listSeparator)}`] : [];
  });
}

export function fieldLabel(s: Script, step: Step, fieldId: string): string {
  const fields = specOf(step).typedFields?.(step);
  if (fields === undefined) return s.t.valueLabels[fieldId] ?? fieldId;
  const field = fields.find((f) => f.id === fieldId);
  if (field?.label) return field.label[s.lang];
  // An unlabelled field the catalogue knows (hsm-serial) is named in words in Chinese; English keeps the id the answers file uses.
  return s.lang === 'zh-TW' ? (s.t.valueLabels[fieldId] ?? fieldId) : fieldId;
}

/** A typed value as the record shows it: as typed, except one that says there is nothing to report (an exception step's "none"), said in the document's language. */
export function valueText(s: Script, step: Step, fieldId: string, value: string): string {
  return specOf(step).saysNothing?.(fieldId, value) === true ? s.t.noDeviationTyped : value;
}

/** A token fact recorded at the opening (PIN flags), labelled and with yes/no, in the document's language. */
export function tokenFactText(s: Script, key: string, value: string): string {
  const said = value === 'true' ? s.t.yes : value === 'false' ? s.t.no : value;
  return `${s.t.tokenFactLabels[key] ?? key}${s.t.colon}${said}`;
}

/** A PKCS#11 module's description string, translated when it is one the catalogue knows. */
export function moduleDescriptionText(s: Script, description: string): string {
  return s.t.moduleDescriptions[description] ?? description;
}

export function rolesTable(s: Script): TableBlock {
  const { definition: d, t } = s;
  const stepsWhere = (pick: (step: Step) => boolean): string =>
    d.steps
      .map((step, i) => (pick(step) ? String(i + 1) : ''))
      .filter((n) => n !== '')
      .join(t.listSeparator) || t.none;
  const conflictsOf = (role: string): string[] => d.conflicts.flatMap(([a, b]) => (a === role ? [b] : b === role ? [a] : []));
  const common = (role: string, min: number) =>
    [
      String(min),
      conflictsOf(role)
        .map((other) => roleName(s, other))
        .join(t.listSeparator) || t.none,
      stepsWhere((step) => step.by === role),
      stepsWhere((step) => step.witness === role),
    ] as const;
  // In Traditional Chinese a role is its title throughout the record, here too (issue 16);
  // in English the id, which the journal records, stands beside its description.
  if (s.lang === 'zh-TW') {
    return table(
      [t.role, t.minimum, t.conflictsWith, t.performs, t.witnesses],
      Object.entries(d.roles).map(([role, spec]) => [roleName(s, role), ...common(role, spec.min)] as const),
    );
  }
  return table(
    [t.role, t.roleTitle, t.minimum, t.conflictsWith, t.performs, t.witnesses],
    Object.entries(d.roles).map(([role, spec]) => [code(role), roleTitle(s, role) || t.none, ...common(role, spec.min)] as const),
  );
}

export function credentialsTable(s: Script): TableBlock | undefined {
  const { definition: d, t } = s;
  const entries = Object.entries(d.credentials);
  if (entries.length === 0) return undefined;
  return table(
    [t.credential, t.token, t.pinType, t.minimum, t.custodianRole, t.pinLength],
    entries.map(
      ([name, c]) =>
        [
          code(name),
          code(c.token),
          pinType(s, c),
          t.threshold(c.threshold, c.of),
          s.lang === 'zh-TW' ? roleName(s, c.custodians) : code(c.custodians),
          c.kek ? t.kekLength : t.pinLengthValue(c.pinLength),
        ] as const,
    ),
  );
}

/** What the credentials table's PINs (and key-encryption keys) are, and where they exist: only as shares. */
export function materialsIntro(s: Script): string {
  const hasKek = Object.values(s.definition.credentials).some((c) => c.kek);
  return hasKek ? `${s.t.materialsIntro}${s.lang === 'en' ? ' ' : ''}${s.t.materialsIntroKek}` : s.t.materialsIntro;
}

export function declaredKeysTable(s: Script): TableBlock | undefined {
  const entries = Object.entries(s.definition.keys);
  if (entries.length === 0) return undefined;
  return table(
    [s.t.key, s.t.token, s.t.algorithm],
    entries.map(([label, k]) => [code(label), code(k.token), declaredName(k.algorithm)] as const),
  );
}

/** The witness role and how many, or undefined for steps nobody witnesses. */
function witnessText(s: Script, step: Step): string | undefined {
  if (!step.witness) return undefined;
  return s.t.witnessRole(roleName(s, step.witness), step.witnesses ?? 1);
}

/**
 * What the script says about one step, in the same rows for the plan and the report: the
 * record adds its own rows after these.
 */
export function scriptRows(s: Script, step: Step): Row[] {
  const { t } = s;
  const rows: Row[] = [
    [t.stepId, code(step.id)],
    [t.stepType, code(step.type)],
    [t.sensitive, isSensitive(step.type) ? t.sensitiveYes : t.sensitiveNo],
  ];
  if (step.by) rows.push([t.performedByRole, s.lang === 'zh-TW' ? roleName(s, step.by) : code(step.by)]);
  const witness = witnessText(s, step);
  if (witness) rows.push([t.witnessedByRole, s.lang === 'zh-TW' ? witness : code(witness)]);
  rows.push(...typeRows(s, step));
  if (step.instructions) rows.push([t.instructions, step.instructions[s.lang]]);
  if (step.webtrust && step.webtrust.length > 0) rows.push([t.webtrustCriteria, step.webtrust.map((letter) => `(${letter})`).join(' ')]);
  return rows;
}

/** A credential is the user PIN, the SO PIN, or (kek: true) a key-encryption key for backups. */
function pinType(s: Script, c: Script['definition']['credentials'][string]): string {
  return c.kek ? s.t.kekCredential : c.user === 'so' ? s.t.pinSo : s.t.pinUser;
}

function credentialText(s: Script, name: string): Inline[] {
  const c = s.definition.credentials[name];
  if (!c) return [code(name)];
  return [code(name), s.t.aside(`${s.t.token} ${c.token} · ${pinType(s, c)} · ${s.t.threshold(c.threshold, c.of)}`, roleName(s, c.custodians))];
}

/** The rows particular to a step type (the key, the subject, the credential, the fields): its spec's `scriptRows`. */
function typeRows(s: Script, step: Step): Row[] {
  return specOf(step).scriptRows?.(step, rowKit(s, step)) ?? [];
}

/** The report's words and formatters, lent to a spec for its rows. */
function rowKit(s: Script, step: Step): ScriptRowKit {
  return {
    lang: s.lang,
    t: s.t,
    code,
    credential: (name) => credentialText(s, name),
    stepRef: (stepId) => stepRef(s, stepId),
    dn: formatDn,
    fieldLabel: (fieldId) => fieldLabel(s, step, fieldId),
  };
}

/** The keys a script generates, as (step, label, token, algorithm). */
export function keysToGenerate(s: Script): Array<{ step: Step; label: string; token: string; algorithm: string }> {
  return s.definition.steps.flatMap((step) => {
    const made = specOf(step).generates?.(step);
    return made?.algorithm ? [{ step, label: made.label, token: made.token, algorithm: formatKeySpec(made.algorithm) }] : [];
  });
}

/** The files a script writes to outputs/, as (step, file name): every file its steps' specs produce. */
export function outputsToWrite(s: Script): Array<{ step: Step; name: string }> {
  return producedFiles(s.definition).map(({ step, name }) => ({ step, name }));
}
