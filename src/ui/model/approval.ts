// What people type to approve a step (the values its spec `asks`, then the people), and the
// step.submit event it becomes: the same event the answers driver sends
// (src/ceremony/driver.ts), typed instead of read.
import type { Step } from '../../definition/definition.js';
import type { CeremonyEvent } from '../../ceremony/types.js';
import { saysNone, specOf } from '../../steps/index.js';
import type { ApprovalKit } from '../../steps/spec-types.js';
import { hsmIdentity } from './hsm-identity.js';
import type { FieldSpec, Values } from './fields.js';
import { findParticipant, peopleFields, performerOf, roleName, witnessesOf } from './people.js';
import type { ScreenContext } from './screen-context.js';
import { tokenTitle } from './token-names.js';
import { stepName } from './closing.js';
import { valueLabel } from './record.js';
import { listNumbers } from '../i18n/index.js';
import { groupedHex } from '../../util/fingerprint.js';

/** Field names of step values carry a prefix, so a record field can never pass for a person. */
const VALUE = 'v:';
/** The field naming who receives new share sets: typed as text, submitted as a list. */
const CUSTODIANS = 'custodians';
const hexOnly = (text: string) => text.replace(/[\s:]/g, '').toLowerCase();
const MIN_HEX = 16;

/**
 * A fingerprint typed back is shown once accepted as it is read aloud and written on the
 * paper log: in groups of four, in capitals. Typed in lower case, the screen says so, as it
 * does for a bag number (record.upperCased); the comparison ignores case.
 */
function inCapitals(sc: ScreenContext): Pick<FieldSpec, 'shownAs' | 'describe'> {
  return {
    shownAs: (value) => groupedHex(hexOnly(value)),
    describe: (value) => (/[a-f]/.test(value) ? sc.t('fingerprint.inCapitals') : undefined),
  };
}
const WHOLE_HEX = 64;

function fingerprintField(sc: ScreenContext, name: string, label: string, expected: string | undefined, mismatch: string): FieldSpec {
  return {
    name: VALUE + name,
    label,
    help: sc.t('fingerprint.help', { n: MIN_HEX }),
    ...inCapitals(sc),
    check: (value) => {
      const typed = hexOnly(value);
      if (!/^[0-9a-f]*$/.test(typed) || typed.length < MIN_HEX) return sc.t('fingerprint.short', { n: MIN_HEX });
      if (expected !== undefined && !expected.startsWith(typed)) return mismatch;
      return undefined;
    },
  };
}

/**
 * The whole fingerprint of a result, typed back from the paper log (confirm-result): all 64
 * digits, and the groups of four that differ named, so the witness knows where to look.
 */
function wholeFingerprintField(sc: ScreenContext, name: string, expected: string | undefined): FieldSpec {
  return {
    name: VALUE + name,
    label: sc.t('confirmResult.fingerprint'),
    help: sc.t('confirmResult.help'),
    ...inCapitals(sc),
    check: (value) => {
      const typed = hexOnly(value);
      if (!/^[0-9a-f]*$/.test(typed) || typed.length !== WHOLE_HEX) return sc.t('confirmResult.length', { n: typed.length });
      if (expected === undefined || typed === expected) return undefined;
      const groups = [...Array(WHOLE_HEX / 4).keys()].filter((g) => typed.slice(g * 4, g * 4 + 4) !== expected.slice(g * 4, g * 4 + 4)).map((g) => g + 1);
      // Sixteen group numbers say nothing a witness can use: another result's fingerprint was copied.
      if (groups.length === WHOLE_HEX / 4) return sc.t('confirmResult.noGroupMatches');
      // "in group 16" for one group, "in groups 3, 7 and 16" for more (issue 16: it said "in these groups: 16").
      return groups.length === 1
        ? sc.t('confirmResult.groupDiffers', { group: groups[0]! })
        : sc.t('confirmResult.groupsDiffer', { groups: listNumbers(sc.t, groups) });
    },
  };
}

/**
 * The deviations step's text. With deviations on record (listed above it, from the journal)
 * it asks for anything else, and a typed "none" is recorded as "none besides the n on
 * record", so the record never says none under a list of deviations.
 */
function deviationTextField(sc: ScreenContext, name: string): FieldSpec {
  const { t } = sc;
  const onRecord = sc.deviations?.() ?? [];
  if (onRecord.length === 0) return { name: VALUE + name, label: t('exception.text'), help: t('exception.textHelp') };
  const noneBeyond = t('exception.noneBeyond', { n: onRecord.length, seqs: onRecord.map((d) => `#${d.seq}`).join(t('list.separator')) });
  const submitted = (value: string) => (saysNone(value) ? noneBeyond : value);
  return {
    name: VALUE + name,
    label: t('exception.textBeyond'),
    help: t('exception.textBeyondHelp', { n: onRecord.length }),
    submitted,
    describe: (value) => (saysNone(value) ? t('exception.recordedAs', { text: noneBeyond }) : undefined),
  };
}

/** The credentials a step splits, with how many custodians each needs. */
export function splitCredentials(sc: ScreenContext, step: Step): Array<{ credential: string; role: string; of: number; threshold: number }> {
  return (specOf(step).splits?.(step, sc.definition) ?? []).map(({ credential, threshold, of }) => ({
    credential,
    role: sc.definition.credentials[credential]!.custodians,
    of,
    threshold,
  }));
}

export function defaultCustodians(sc: ScreenContext, role: string): string[] {
  return sc.context.participants.filter((p) => p.roles.includes(role)).map((p) => p.id);
}

/**
 * The new set's custodians when they go without saying: the holders of the role, when they are
 * exactly as many as the shares; undefined when the form has to name them (custodianFields).
 */
export function implicitCustodians(sc: ScreenContext, split: { role: string; of: number }): string[] | undefined {
  const holders = defaultCustodians(sc, split.role);
  return holders.length === split.of ? holders : undefined;
}

/** Custodians are named only when the holders of the role are not exactly as many as the shares. */
function custodianFields(sc: ScreenContext, step: Step): FieldSpec[] {
  const splits = splitCredentials(sc, step);
  const needsNaming = splits.some((s) => implicitCustodians(sc, s) === undefined);
  const first = splits[0];
  if (!needsNaming || !first) return [];
  return [
    {
      name: VALUE + CUSTODIANS,
      label: sc.t('custodians.label'),
      help: sc.t('custodians.help', { n: first.of, ids: defaultCustodians(sc, first.role).join(sc.t('list.separator')) }),
      check: (value) => {
        const ids = value.split(/[\s,]+/).filter(Boolean);
        for (const id of ids) {
          if (!findParticipant(sc.context, id)?.roles.includes(first.role))
            return sc.t('people.notInRole', { id, role: roleName(sc.definition, first.role, sc.lang) });
        }
        if (new Set(ids).size !== ids.length) return sc.t('custodians.twice');
        if (ids.length !== first.of) return sc.t('custodians.count', { n: first.of });
        return undefined;
      },
    },
  ];
}

/**
 * Before C_InitToken erases a token, the witness types the label it will get. Checked here
 * only (not a step value): it stops the hands on the keyboard, the machine needs nothing.
 * Without the HSM's answer (frame tests), the definition's token name is typed instead.
 */
function tokenLabelField(sc: ScreenContext, step: Step, token: string): FieldSpec {
  const identity = hsmIdentity(sc, step);
  const label = identity?.willBeLabelled ?? identity?.label ?? token;
  return {
    name: 'confirm:token-label',
    label: sc.t('initToken.typeLabel'),
    // Not the label itself: typed from the token's tag and the plan, or it is mere copying.
    help: sc.t('initToken.typeLabelHelp'),
    // A wrong attempt does not print the label either (review16s item 4): then a second try
    // could copy it from the screen, and the witness's check would check nothing.
    // A label is case sensitive (PKCS#11 compares bytes): right letters in the wrong case say so, not "read it again" (review at 80x24, C5).
    check: (value) =>
      value === label ? undefined : value.toUpperCase() === label.toUpperCase() ? sc.t('initToken.labelCase') : sc.t('initToken.labelMismatch'),
  };
}

function valueFields(sc: ScreenContext, step: Step): FieldSpec[] {
  const { context } = sc;
  // A step that shows values to type back (confirm-result: the fingerprint of a result).
  const shown = specOf(step).shown?.(step, context);
  if (shown) return Object.entries(shown).map(([name, expected]) => wholeFingerprintField(sc, name, expected));
  return specOf(step).asks?.(step, approvalKit(sc, step)) ?? [];
}

/** The screen's words and fields, lent to the step's spec for what it asks. */
function approvalKit(sc: ScreenContext, step: Step): ApprovalKit {
  return {
    lang: sc.lang,
    t: sc.t,
    definition: sc.definition,
    context: sc.context,
    valueName: (name) => VALUE + name,
    fingerprint: (name, label, expected, mismatch) => fingerprintField(sc, name, label, expected, mismatch),
    custodians: () => custodianFields(sc, step),
    deviationText: (name) => deviationTextField(sc, name),
    token: (name) => tokenTitle(sc, name),
    recordedAt: (stepId, fieldId) => {
      const earlier = sc.definition.steps.find((s) => s.id === stepId);
      return { step: stepName(sc.t, sc.definition, sc.lang, stepId), field: earlier ? valueLabel(sc, earlier, fieldId) : fieldId };
    },
  };
}

/** Everything typed to approve `step`: its values first, then performer and witnesses. */
export function approvalFields(sc: ScreenContext, step: Step): FieldSpec[] {
  const initialises = specOf(step).initialises?.(step);
  // Who the witness is comes first, then the label they type before the erase.
  return [...valueFields(sc, step), ...peopleFields(sc, step), ...(initialises ? [tokenLabelField(sc, step, initialises)] : [])];
}

/** The step.submit event for what was typed. */
export function approvalEvent(step: Step, values: Values): CeremonyEvent {
  const stepValues: Record<string, string> = {};
  let custodians: string[] | undefined;
  for (const [name, value] of Object.entries(values)) {
    if (!name.startsWith(VALUE)) continue;
    const key = name.slice(VALUE.length);
    if (key === CUSTODIANS) custodians = value.split(/[\s,]+/).filter(Boolean);
    else stepValues[key] = key === 'csr-sha256' || key === 'spki-sha256' || key === 'result-sha256' ? hexOnly(value) : value;
  }
  const performer = performerOf(values);
  return {
    type: 'step.submit',
    step: step.id,
    ...(performer ? { performer } : {}),
    witnesses: witnessesOf(values),
    values: stepValues,
    ...(custodians ? { custodians } : {}),
  };
}
