// Who may answer a field: the same rules the machine enforces (src/ceremony/people-rules.ts),
// checked while the id is typed so the screen says at once "wendy is not a custodian"
// instead of after the whole form was sent. The machine still has the last word.
import type { Definition } from '../../definition/definition.js';
import type { CeremonyContext, Participant } from '../../ceremony/types.js';
import { roleTitles } from '../../definition/built-in-roles.js';
import { pick, translator } from '../i18n/index.js';
import type { FieldSpec, Values } from './fields.js';
import { onlyObserves } from '../../ceremony/people-rules.js';
import type { ScreenContext } from './screen-context.js';

export function findParticipant(context: CeremonyContext, id: string): Participant | undefined {
  return context.participants.find((p) => p.id === id);
}

/** "alice (王小明 Alice)", 「alice（王小明 Alice）」 in zh-TW, or the id alone for someone not signed in. */
export function personLabel(sc: Pick<ScreenContext, 'context' | 't'>, id: string): string {
  const p = findParticipant(sc.context, id);
  return p ? sc.t('common.aside', { text: p.id, aside: p.name }) : id;
}

export function personName(context: CeremonyContext, id: string): string {
  return findParticipant(context, id)?.name ?? id;
}

/**
 * A share holder as the unlock screen lists them: by name once signed in; before that the
 * definition knows only the role, so the role's title, marked as not signed in, rather than
 * the bare id a second time (issue 16).
 */
export function custodianName(sc: ScreenContext, credential: string, id: string): string {
  const person = findParticipant(sc.context, id);
  if (person) return person.name;
  return sc.t('people.custodianAbsent', { role: roleName(sc.definition, sc.definition.credentials[credential]?.custodians ?? 'custodian', sc.lang) });
}

/**
 * A role as people call it: the definition's title, else the built-in title of a known id
 * (administrator, custodian, …), else the id marked as one (role id "ops", 角色代號「ops」),
 * so an untitled role never passes for a word of the sentence around it.
 */
export function roleName(definition: Definition, role: string, lang: ScreenContext['lang']): string {
  const titles = roleTitles(definition.roles, role);
  return titles ? pick(titles, lang) : translator(lang)('role.untitled', { id: role });
}

/** The definition's roles as the sign-in lists them: id, title in the language, minimum. */
export function roleLines(definition: Definition, lang: ScreenContext['lang']): Array<{ id: string; title: string; titles: string[]; min: number }> {
  return Object.entries(definition.roles).map(([id, r]) => {
    const titles = roleTitles(definition.roles, id);
    return { id, title: roleName(definition, id, lang), titles: titles ? [titles.en, titles['zh-TW']] : [], min: r.min };
  });
}

/** What is wrong with `id` for a field that needs someone signed in, in `role`, not already named. */
export function personProblem(sc: ScreenContext, id: string, options: { role?: string | undefined; notAmong?: readonly string[] } = {}): string | undefined {
  const { t, context } = sc;
  const person = findParticipant(context, id);
  if (!person) return t('people.notSignedIn', { id });
  if (options.role && !person.roles.includes(options.role)) return t('people.notInRole', { id, role: roleName(sc.definition, options.role, sc.lang) });
  if (options.notAmong?.includes(id)) return t('people.samePerson', { id });
  return undefined;
}

/**
 * The help under an id field, with this ceremony's own people who may answer it as the
 * examples. A field the form asks of one person alone (who records an exception, the one
 * performer) says so: "each person types their own id" is for forms that name several.
 */
function ownIdHelp(sc: ScreenContext, role: string | undefined, alone: boolean): string {
  const ids = sc.context.participants.filter((p) => !role || p.roles.includes(role)).map((p) => p.id);
  if (ids.length === 0) return sc.t(alone ? 'people.typeYourId' : 'people.typeOwnId');
  const shown = ids.length > 4 ? [...ids.slice(0, 4), '…'] : ids;
  return sc.t(alone ? 'people.typeYourIdOf' : 'people.typeOwnIdOf', { ids: shown.join(sc.t('list.separator')) });
}

/** A field for one person's id. `others` names the fields whose people must be someone else. */
export function personField(
  sc: ScreenContext,
  name: string,
  label: string,
  options: { role?: string | undefined; others?: readonly string[]; alone?: boolean } = {},
): FieldSpec {
  return {
    name,
    label,
    help: ownIdHelp(sc, options.role, options.alone === true),
    check: (value: string, values: Values) =>
      personProblem(sc, value, { role: options.role, notAmong: (options.others ?? []).map((f) => values[f]?.trim() ?? '').filter((v) => v !== '') }),
    describe: (value: string) => personName(sc.context, value),
  };
}

export interface PeopleRule {
  by?: string | undefined;
  witness?: string | undefined;
  witnesses?: number | undefined;
}

/** Performer and witness fields of a step (multiple person control: all different people). */
export function peopleFields(sc: ScreenContext, rule: PeopleRule): FieldSpec[] {
  const fields: FieldSpec[] = [];
  const named: string[] = [];
  if (rule.by) {
    const alone = !rule.witness;
    fields.push(personField(sc, 'performer', sc.t('people.performer', { role: roleName(sc.definition, rule.by, sc.lang) }), { role: rule.by, alone }));
    named.push('performer');
  }
  if (rule.witness) {
    const count = rule.witnesses ?? 1;
    for (let i = 1; i <= count; i++) {
      const role = roleName(sc.definition, rule.witness, sc.lang);
      // A role titled as the field is (見證人, Witness) is not said twice: 見證人（見證人）.
      const sameWord = role.toLowerCase() === sc.t('people.witnessWord').toLowerCase();
      const label =
        count === 1
          ? sameWord
            ? sc.t('people.witnessWord')
            : sc.t('people.witness', { role })
          : sameWord
            ? sc.t('people.witnessNWord', { n: i })
            : sc.t('people.witnessN', { n: i, role });
      fields.push(personField(sc, `witness-${i}`, label, { role: rule.witness, others: [...named], alone: !rule.by && count === 1 }));
      named.push(`witness-${i}`);
    }
  }
  return fields;
}

/** Two different signed-in people (pause, continue, abort, retry). */
export function twoPeopleFields(sc: ScreenContext): FieldSpec[] {
  return [personField(sc, 'first', sc.t('people.first')), personField(sc, 'second', sc.t('people.second'), { others: ['first'] })];
}

/**
 * The two who abort, or stop and confirm the stop: people who take part in the ceremony. An
 * auditor alone observes and is refused by name with the roles they signed in with (issue 16
 * item 4: an auditor was accepted as the second person of an abort).
 */
export function twoTakingPartFields(sc: ScreenContext): FieldSpec[] {
  return twoPeopleFields(sc).map((field) => ({
    ...field,
    check: (value: string, values: Values) => {
      const problem = field.check?.(value, values);
      if (problem) return problem;
      const person = findParticipant(sc.context, value.trim());
      if (!person || !onlyObserves(person)) return undefined;
      return sc.t('people.observerOnly', {
        id: personLabel(sc, person.id),
        roles: person.roles.map((role) => roleName(sc.definition, role, sc.lang)).join(sc.t('list.separator')),
      });
    },
  }));
}

export function performerOf(values: Values): string | undefined {
  return values.performer || undefined;
}

export function witnessesOf(values: Values): string[] {
  return Object.keys(values)
    .filter((k) => k.startsWith('witness-'))
    .sort()
    .map((k) => values[k]!)
    .filter((v) => v !== '');
}

/**
 * The roles whose people witness this ceremony: its `witness` role, else every role its steps
 * take their witnesses from. Empty only for a ceremony that names no witness at all.
 */
export function witnessRoles(definition: Definition): string[] {
  if (Object.hasOwn(definition.roles, 'witness')) return ['witness'];
  return [...new Set(definition.steps.flatMap((step) => (step.witness ? [step.witness] : [])))];
}

/**
 * The field where a witness acknowledges the closing read-aloud: someone signed in who holds a
 * witness role of the ceremony. A custodian or an administrator is refused by name, with the
 * roles they signed in with, so the room knows why (review of issue 16: a custodian was accepted).
 */
export function closingWitnessField(sc: ScreenContext, label: string): FieldSpec {
  const roles = witnessRoles(sc.definition);
  const titles = (ids: readonly string[]) => ids.map((role) => roleName(sc.definition, role, sc.lang)).join(sc.t('list.separator'));
  const witnesses = sc.context.participants.filter((p) => roles.length === 0 || p.roles.some((r) => roles.includes(r))).map((p) => p.id);
  const shown = witnesses.length > 4 ? [...witnesses.slice(0, 4), '…'] : witnesses;
  return {
    name: 'witness',
    label,
    help: witnesses.length ? sc.t('people.typeYourIdOf', { ids: shown.join(sc.t('list.separator')) }) : sc.t('people.typeYourId'),
    check: (id: string) => {
      const person = findParticipant(sc.context, id);
      if (!person) return sc.t('people.notSignedIn', { id });
      if (roles.length === 0 || person.roles.some((r) => roles.includes(r))) return undefined;
      return sc.t('closing.notWitness', { person: personLabel(sc, id), roles: titles(person.roles), witness: titles(roles) });
    },
    describe: (id: string) => personName(sc.context, id),
  };
}
