// Multiple person control (多人控管), as pure checks over the definition and the context.
// The machine's guards call these; a refusal explains itself in words that name the step
// and the person, and is journaled. No one person may complete a sensitive step alone.
import type { Definition, Step } from '../definition/definition.js';
import { specOf } from '../steps/index.js';
import { controlCharacterProblem, escapeControlCharacters } from '../util/control-characters.js';
import { sameNameKey } from '../util/same-name.js';
import type { CeremonyContext, Participant, Problem, SignOff } from './types.js';

const refuse = (step: string | null, code: string, message: string, hint?: string, details?: Problem['details']): Problem => ({
  step,
  code,
  message,
  hint,
  ...(details ? { details } : {}),
});

export function participant(context: CeremonyContext, id: string): Participant | undefined {
  return context.participants.find((p) => p.id === id);
}

/** Sign-in: ids unique, names given, roles known, no one holds conflicting roles, minimums met. */
export function checkSignIn(definition: Definition, step: string, participants: Participant[]): Problem | undefined {
  if (participants.length === 0) return refuse(step, 'sign-in.empty', `step ${step}: no participants signed in`);
  const seen = new Set<string>();
  for (const [i, p] of participants.entries()) {
    const typed =
      checkTyped(step, `step ${step}: the id of participant ${i + 1}`, p.id) ?? checkTyped(step, `step ${step}: the name of participant ${i + 1}`, p.name);
    if (typed) return typed;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(p.id))
      return refuse(step, 'sign-in.id', `step ${step}: participant id "${p.id}" must be lower case letters, digits and dashes`);
    if (seen.has(p.id)) return refuse(step, 'sign-in.duplicate', `step ${step}: participant "${p.id}" signed in twice`);
    seen.add(p.id);
    if (p.name.trim() === '') return refuse(step, 'sign-in.name', `step ${step}: participant "${p.id}" has no name`);
    if (p.roles.length === 0) return refuse(step, 'sign-in.roles', `step ${step}: participant "${p.id}" has no role`);
    for (const role of p.roles) {
      if (!(role in definition.roles)) {
        return refuse(
          step,
          'sign-in.role',
          `step ${step}: participant "${p.id}" has role "${role}", which this ceremony does not define`,
          `roles: ${Object.keys(definition.roles).join(', ')}`,
        );
      }
    }
    for (const [a, b] of definition.conflicts) {
      if (p.roles.includes(a) && p.roles.includes(b)) {
        return refuse(
          step,
          'sign-in.conflict',
          `step ${step}: participant "${p.id}" cannot be both ${a} and ${b} (conflicting roles)`,
          'one person may not hold roles the ceremony declares as conflicting',
        );
      }
    }
  }
  const twice = samePerson(participants);
  if (twice) {
    const [a, b, what] = twice;
    return refuse(
      step,
      'sign-in.same-person',
      `step ${step}: participants "${a.id}" (${a.name.trim()}) and "${b.id}" (${b.name.trim()}) look like the same person: their ${what} cannot be told apart (Unicode width, case and look-alike letters aside)`,
      'each person signs in once; two people whose names look alike must be written so that they can be told apart',
    );
  }
  for (const [role, { min }] of Object.entries(definition.roles)) {
    const count = participants.filter((p) => p.roles.includes(role)).length;
    if (count < min)
      return refuse(step, 'sign-in.minimum', `step ${step}: the ceremony needs at least ${min} ${role}${min === 1 ? '' : 's'}, ${count} signed in`);
  }
  return undefined;
}

/**
 * Two sign-ins that are one person under two spellings (多人控管 needs two people, not two
 * entries): ids or names equal after NFKC, case folding and the TR 39 confusable skeleton.
 */
function samePerson(participants: Participant[]): [Participant, Participant, 'ids' | 'names'] | undefined {
  const ids = new Map<string, Participant>();
  const names = new Map<string, Participant>();
  for (const p of participants) {
    const byId = ids.get(sameNameKey(p.id));
    if (byId) return [byId, p, 'ids'];
    const byName = names.get(sameNameKey(p.name));
    if (byName) return [byName, p, 'names'];
    ids.set(sameNameKey(p.id), p);
    names.set(sameNameKey(p.name), p);
  }
  return undefined;
}

/**
 * Text people type (a record value, an exception, a note, a reason, a name) holds no control
 * character. `what` names the field and step; the text itself is never repeated.
 */
export function checkTyped(step: string | null, what: string, text: string | undefined): Problem | undefined {
  const problem = text === undefined ? undefined : controlCharacterProblem(text);
  if (!problem) return undefined;
  return refuse(
    step,
    'text.control',
    `${escapeControlCharacters(what)} ${problem}`,
    'type it again without control keys; a control character would reach the journal, the report and the terminal',
  );
}

/** Every value of a submission, checked by checkTyped. */
export function checkTypedValues(step: string, values: Record<string, string>): Problem | undefined {
  for (const [name, value] of Object.entries(values)) {
    const problem = checkTyped(step, `step ${step}: field "${name}"`, value);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A participant with each role once: `roles: [custodian, custodian]` in an answers file (or
 * any event) is one role, recorded once (issue 16; the UI already dropped a repeated role).
 */
export function rolesOnce(p: Participant): Participant {
  const roles = [...new Set(p.roles)];
  return roles.length === p.roles.length ? p : { ...p, roles };
}

/**
 * Someone joins after the sign-in: two different people already signed in confirm them, and
 * the participants with the newcomer must pass the sign-in checks (ids, roles, conflicts).
 */
export function checkJoin(
  definition: Definition,
  context: CeremonyContext,
  step: string | null,
  newcomer: Participant,
  confirmedBy: string[],
): Problem | undefined {
  const confirmed = checkTwoPeople(context, step, confirmedBy, `${newcomer.id} joining the ceremony`);
  if (confirmed) return confirmed;
  if (participant(context, newcomer.id)) return refuse(step, 'join.already', `"${newcomer.id}" has already signed in`);
  const signIn = definition.steps.find((s) => specOf(s).flow === 'participants');
  const problem = checkSignIn(definition, step ?? signIn?.id ?? '', [...context.participants, newcomer]);
  return problem && { ...problem, step };
}

/** Performer and witnesses of a step: signed in, in the right roles, all different people. */
export function checkPeople(
  definition: Definition,
  step: Step,
  context: CeremonyContext,
  performer: string | undefined,
  witnesses: string[],
): Problem | undefined {
  const id = step.id;
  const hasRole = (who: string, role: string) => participant(context, who)?.roles.includes(role) ?? false;
  for (const who of [performer, ...witnesses]) {
    if (who !== undefined && !participant(context, who))
      return refuse(id, 'people.unknown', `step ${id}: "${who}" has not signed in`, undefined, { person: who });
  }
  if (step.by) {
    if (performer === undefined) return refuse(id, 'people.performer-missing', `step ${id}: the performer (${step.by}) is missing`);
    if (!hasRole(performer, step.by))
      return refuse(id, 'people.performer-role', `step ${id}: ${performer} is not a ${step.by} and cannot perform this step`, undefined, {
        person: performer,
        role: step.by,
      });
  }
  if (step.witness) {
    const needed = step.witnesses ?? 1;
    if (witnesses.length < needed) {
      return refuse(
        id,
        'people.witness-missing',
        `step ${id}: ${needed === 1 ? 'a witness' : `${needed} witnesses`} (${step.witness}) must confirm, ${witnesses.length} did`,
        'no one person may complete a sensitive step alone (多人控管)',
        { needed, have: witnesses.length, role: step.witness },
      );
    }
    for (const w of witnesses) {
      if (w === performer)
        return refuse(
          id,
          'people.same-person',
          `step ${id}: ${w} cannot be both performer and witness`,
          'a different person must witness the step (多人控管)',
          { person: w },
        );
      if (!hasRole(w, step.witness))
        return refuse(id, 'people.witness-role', `step ${id}: ${w} is not a ${step.witness} and cannot witness this step`, undefined, {
          person: w,
          role: step.witness,
        });
    }
    const distinct = new Set(witnesses);
    if (distinct.size !== witnesses.length) return refuse(id, 'people.witness-twice', `step ${id}: the same witness is named twice`);
  }
  return undefined;
}

/**
 * Roles that observe the ceremony and take no part in its operations: an auditor watches
 * and reports, and so confirms neither an abort nor a stop (issue 16 item 4). Someone who
 * also holds another role (an operating role or a witness) may.
 */
export const OBSERVER_ROLES: readonly string[] = ['auditor'];

/** Whether a participant only observes (every role they signed in with is an observer's). */
export function onlyObserves(person: Participant): boolean {
  return person.roles.length > 0 && person.roles.every((role) => OBSERVER_ROLES.includes(role));
}

/**
 * Aborting takes two people who take part in the ceremony: neither may be an auditor alone.
 * Only a live abort is held to it (a journal written before the rule still replays).
 */
export function checkAbortPeople(context: CeremonyContext, step: string | null, by: string[]): Problem | undefined {
  const two = checkTwoPeople(context, step, by, 'aborting the ceremony');
  if (two) return two;
  const observer = by.map((id) => participant(context, id)).find((p) => p !== undefined && onlyObserves(p));
  if (observer)
    return refuse(
      step,
      'people.observer-only',
      `aborting the ceremony: "${observer.id}" signed in only as ${observer.roles.join(', ')}, who observes and takes no part`,
      'a participant with an operating role or a witness confirms an abort',
      { person: observer.id },
    );
  return undefined;
}

/** Pause, continue, abort and retry need two different signed-in people. */
export function checkTwoPeople(context: CeremonyContext, step: string | null, by: string[], what: string): Problem | undefined {
  for (const who of by)
    if (!participant(context, who)) return refuse(step, 'people.unknown', `${what}: "${who}" has not signed in`, undefined, { person: who });
  if (new Set(by).size < 2)
    return refuse(step, 'people.two-needed', `${what} needs two different people, ${new Set(by).size} confirmed`, 'no one person may do this alone (多人控管)');
  return undefined;
}

/** A sign-off: by a signed-in participant, once, with a note when the script was not followed. */
export function checkSignOff(context: CeremonyContext, step: string, signOff: SignOff): Problem | undefined {
  const who = signOff.participant;
  if (!participant(context, who)) return refuse(step, 'people.unknown', `step ${step}: "${who}" has not signed in`, undefined, { person: who });
  if (context.signOffs.some((s) => s.participant === who))
    return refuse(step, 'signoff.twice', `step ${step}: ${who} has already signed off`, undefined, { person: who });
  const typed = checkTyped(step, `step ${step}: the sign-off note of ${who}`, signOff.note);
  if (typed) return typed;
  if (!signOff.followedScript && (signOff.note ?? '').trim() === '')
    return refuse(step, 'signoff.note', `step ${step}: ${who} says the ceremony did not follow the script; a note saying how is required`, undefined, {
      person: who,
    });
  return undefined;
}

/** A share offered for an unlock or rotation: from a signed-in custodian, once per custodian. */
export function checkShareOffer(
  definition: Definition,
  context: CeremonyContext,
  step: string,
  credential: string,
  custodian: string,
  index: number,
): Problem | undefined {
  const role = definition.credentials[credential]?.custodians ?? 'custodian';
  const person = participant(context, custodian);
  if (!person) return refuse(step, 'share.unknown-custodian', `step ${step}: custodian "${custodian}" has not signed in`, undefined, { person: custodian });
  if (!person.roles.includes(role))
    return refuse(step, 'share.not-custodian', `step ${step}: ${custodian} is not a ${role} and cannot enter a share`, undefined, { person: custodian, role });
  const collected = context.shares?.accepted ?? [];
  if (collected.some((s) => s.custodian === custodian))
    return refuse(step, 'share.same-custodian', `step ${step}: ${custodian} has already entered a share`, 'each custodian enters only their own share', {
      person: custodian,
    });
  if (collected.some((s) => s.index === index))
    return refuse(step, 'share.duplicate-index', `step ${step}: share ${index} has already been entered`, undefined, { index });
  return undefined;
}
