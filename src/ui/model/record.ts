// The record of what has happened, for the lines that stay on screen (<Static>) and for the
// read-aloud screen after a step that made a key or a file: fingerprints as hex groups and
// PGP words, exactly as the journal has them.
import { stepTitle, type Step } from '../../definition/definition.js';
import { specOf } from '../../steps/index.js';
import type { CeremonyContext } from '../../ceremony/types.js';
import { groupedHex } from '../../util/fingerprint.js';
import { describeAlgorithm } from '../../util/key-algorithm.js';
import { messages } from '../../report/i18n.js';
import { personName, roleName } from './people.js';
import type { ScreenContext } from './screen-context.js';
import { tokenTitle } from './token-names.js';
import type { Fact } from './blocks.js';
import { ceremonyTimeZone, formatClock } from './clock.js';

/** The spec's facts of step's result, times in the ceremony's zone. */
function resultFacts(sc: ScreenContext, step: Step): Fact[] {
  const result = sc.context.results[step.id];
  const zone = ceremonyTimeZone(sc.definition);
  return result ? (specOf(step).resultFacts?.(step, result, { t: sc.t, time: (iso) => formatClock(new Date(iso), zone) }) ?? []) : [];
}

export type RecordItem =
  | { kind: 'step'; key: string; number: number; total: number; id: string; title: string; who: string; details: string[] }
  | { kind: 'exception'; key: string; number: number; by: string; text: string; step: string | null };

export function titleOf(step: Step, lang: ScreenContext['lang']): string {
  return stepTitle(step, lang);
}

const short = (hex: string) => `${groupedHex(hex.slice(0, 16))} …`;

/**
 * A typed value's field as people call it: a record field by its label, another step's
 * value (a fingerprint typed back, a reason) by the name the report gives it, so the screen
 * and the report say the same; the id only when neither names it.
 */
export function valueLabel(sc: ScreenContext, step: Step, fieldId: string): string {
  const field = specOf(step)
    .typedFields?.(step)
    .find((f) => f.id === fieldId);
  if (field?.label) return field.label[sc.lang];
  return messages(sc.lang).valueLabels[fieldId] ?? fieldId;
}

/** A typed value that says there is nothing to report (an exception step's "none" or 無), said in the screen's language, as the report says it. */
function valueText(sc: ScreenContext, step: Step, fieldId: string, value: string): string {
  return specOf(step).saysNothing?.(fieldId, value) === true ? messages(sc.lang).noDeviationTyped : value;
}

/**
 * A record step's values in the order of its fields: the journal keeps them with sorted
 * keys (canonical JSON), so after a resume they came back in another order than typed.
 */
function inFieldOrder(step: Step, values: Array<[string, string]>): Array<[string, string]> {
  const fields = specOf(step).typedFields?.(step);
  if (!fields) return values;
  const order = fields.map((f) => f.id);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...values].sort(([a], [b]) => rank(a) - rank(b));
}

function stepDetails(sc: ScreenContext, step: Step): string[] {
  const { t, context } = sc;
  const result = context.results[step.id];
  if (!result) return [];
  const details: string[] = [];
  for (const key of result.keys ?? [])
    details.push(t('record.key', { label: key.label, algorithm: describeAlgorithm(key.algorithm), sha: short(key.spkiSha256) }));
  for (const file of result.outputs ?? []) details.push(t('record.file', { name: file.name, sha: short(file.sha256) }));
  const facts = resultFacts(sc, step);
  if (facts.length) details.push(facts.map((f) => t('record.value', { field: f.label, value: f.value })).join(t('list.separator')));
  if (result.session) details.push(t('record.unlocked', { token: tokenTitle(sc, result.session.token) }));
  if (result.lockedTokens?.length)
    details.push(t('record.locked', { tokens: result.lockedTokens.map((token) => tokenTitle(sc, token)).join(t('list.separator')) }));
  for (const label of result.destroyedKeys ?? []) details.push(t('record.destroyed', { label }));
  const values = inFieldOrder(step, Object.entries(result.values ?? {}));
  if (values.length)
    details.push(values.map(([k, v]) => t('record.value', { field: valueLabel(sc, step, k), value: valueText(sc, step, k, v) })).join(t('list.separator')));
  const participants = (result.details?.participants as CeremonyContext['participants'] | undefined) ?? undefined;
  const flow = specOf(step).flow;
  if (flow === 'participants' && participants)
    details.push(
      participants
        .map((p) =>
          t('record.participant', { id: p.id, name: p.name, roles: p.roles.map((r) => roleName(sc.definition, r, sc.lang)).join(t('list.separator')) }),
        )
        .join(t('record.participantSeparator')),
    );
  if (flow === 'sign-offs')
    details.push(
      // By name, as the sign-off screen shows them (issue 16); the id only for someone not signed in.
      context.signOffs
        .map(
          (s) =>
            `${context.participants.find((p) => p.id === s.participant)?.name ?? s.participant} ${s.followedScript ? '✓' : '✗'}${s.note ? ` ${s.note}` : ''}`,
        )
        .join(t('record.participantSeparator')),
    );
  return details;
}

export function stepItem(sc: ScreenContext, index: number): RecordItem | undefined {
  const step = sc.definition.steps[index];
  const result = step ? sc.context.results[step.id] : undefined;
  if (!step || !result) return undefined;
  const who = [result.performer, ...result.witnesses].filter((w): w is string => !!w).map((id) => personName(sc.context, id));
  return {
    kind: 'step',
    key: `step:${step.id}`,
    number: index + 1,
    total: sc.definition.steps.length,
    id: step.id,
    title: titleOf(step, sc.lang),
    who: who.join(sc.t('list.separator')),
    details: stepDetails(sc, step),
  };
}

export function exceptionItem(sc: ScreenContext, number: number): RecordItem | undefined {
  const e = sc.context.exceptions[number];
  return e ? { kind: 'exception', key: `exception:${number}`, number: number + 1, by: personName(sc.context, e.by), text: e.text, step: e.step } : undefined;
}

export interface ReadoutEntry {
  what: string;
  /** What the result says besides its fingerprint (a CRL's number, issuer and dates). */
  facts?: Fact[];
  sha256: string;
  words: string;
}

/** The SHA-256 values of step `id`'s results that later steps have a witness type back. */
function confirmedLater(sc: ScreenContext, id: string): Set<string> {
  return new Set(
    sc.definition.steps.flatMap((s) => {
      const confirms = specOf(s).confirms?.(s, sc.context);
      return confirms?.of === id ? [confirms.sha256] : [];
    }),
  );
}

/** What the witnesses read aloud after step `index`, or undefined when it made nothing. */
export function readoutOf(sc: ScreenContext, index: number): { step: Step; entries: ReadoutEntry[] } | undefined {
  const step = sc.definition.steps[index];
  const result = step ? sc.context.results[step.id] : undefined;
  if (!step || !result) return undefined;
  const { t } = sc;
  // When a later step has the witness type back one of the step's manifests (init-token's
  // result), every manifest the step wrote is read aloud: the user-PIN manifest, which later
  // ceremonies bring as an input, was otherwise only a summary line (brief crl16u item 5).
  const confirmed = confirmedLater(sc, step.id);
  const manifestsRead = (result.outputs ?? []).some((f) => f.kind === 'share-manifest' && confirmed.has(f.sha256));
  const entries: ReadoutEntry[] = [
    ...(result.keys ?? []).map((k) => ({
      what: t('readout.key', { label: k.label, algorithm: describeAlgorithm(k.algorithm), token: tokenTitle(sc, k.token) }),
      sha256: k.spkiSha256,
      words: k.words,
    })),
    // Share-set manifests are otherwise public bookkeeping (their hashes are in the record and
    // the journal); what witnesses read aloud are keys, requests, certificates and CRLs, and the
    // manifests of a step whose manifest a later step has the witness type back: unread, the
    // witness would have nothing on the paper log to type and the ceremony would block.
    ...(result.outputs ?? [])
      .filter((f) => f.kind !== 'share-manifest' || manifestsRead)
      .map((f) => ({ what: t('readout.file', { name: f.name }), sha256: f.sha256, words: f.words })),
  ];
  // What the result says is read with the first file it wrote (a CRL's number and dates with the CRL).
  const facts = resultFacts(sc, step);
  const first = entries.findIndex((e) => e.what === t('readout.file', { name: result.outputs?.[0]?.name ?? '' }));
  if (facts.length && first >= 0) entries[first] = { ...entries[first]!, facts };
  const destroyed = result.details as { spkiSha256?: string; words?: string } | undefined;
  for (const label of result.destroyedKeys ?? [])
    entries.push({ what: t('readout.destroyed', { label }), sha256: destroyed?.spkiSha256 ?? '', words: destroyed?.words ?? '' });
  return entries.length ? { step, entries } : undefined;
}
