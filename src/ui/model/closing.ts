// The closing read-aloud (issue 16 item 2): the final journal hash in whole groups of four,
// two lines of eight that no 80-column screen splits, its PGP words, and every deviation
// the journal holds, before the UI exits, so the witnesses write it down from this screen.
import { DEVIATION_KINDS, type Deviation, type DeviationKind } from '../../ceremony/deviations.js';
import type { SealedEarlier } from '../../ceremony/sealed-closing.js';
import { SIGNAL_AT_TERMINAL, SIGNAL_UNKNOWN } from '../../util/journal-notes.js';
import { fingerprintLines } from '../components/fingerprint.js';
import { wrapDisplay } from '../../util/text-width.js';
import { screenTime } from './clock.js';
import type { Block } from './blocks.js';
import { problemText } from '../problem-text.js';
import type { Translate } from '../i18n/index.js';
import { stepIndex, stepTitle, type Definition } from '../../definition/definition.js';
import type { Lang } from '../../util/lang.js';

export interface Seal {
  hash: string;
  words: string;
  /** Sealed by an earlier run and shown again on resume (that run ended on this screen). */
  sealedEarlier?: SealedEarlier | undefined;
}

/** How a deviation line names the people and the step of the journal: by name and title, not id. */
export interface DeviationNames {
  person: (id: string) => string;
  step: (id: string) => string;
  role?: ((id: string) => string) | undefined;
  /** A credential's title (voided share cards name the credential each set splits). */
  credential?: ((id: string) => string) | undefined;
  /** A journal time as the screen shows it (screenTime in the header's zone); absent: as the journal wrote it. */
  time?: ((iso: string, shape?: 'date-time' | 'time') => string) | undefined;
}

/** "step 6, Generate the key" / 步驟 6「產製金鑰」: the number and title, the id only for a step the definition lacks. */
export function stepName(t: Translate, definition: Definition, lang: Lang, id: string): string {
  const index = stepIndex(definition, id);
  return index < 0 ? id : t('deviation.step', { n: index + 1, title: stepTitle(definition.steps[index]!, lang) });
}

/**
 * What stopped an interruption, in the screen's language: the journal records `unknown`
 * when no one was named and no signal came, or the signal's name (SIGINT, SIGTERM).
 */
function signalText(t: Translate, signal: string): string {
  if (signal === '') return '';
  if (signal === SIGNAL_UNKNOWN) return t('deviation.signalUnknown');
  if (signal === SIGNAL_AT_TERMINAL) return t('deviation.atTerminal');
  return t('deviation.signal', { signal });
}

/** One deviation on one line (wrapped when long, its continuation lines indented under it): record, time, step, what, who, its own words. */
export function deviationText(t: Translate, lang: Lang, d: Deviation, names: DeviationNames): string {
  const time = names.time?.(d.time) ?? screenTime(d.time, undefined, 'time');
  // A crash on the closing screen after the seal: no record holds it, and the line says so.
  if (d.afterSeal) return t('deviation.afterSeal', { seq: d.seq, time, what: t(`deviation.${d.kind}`) });
  // A stop at the terminal names who stopped it and who confirmed, as the resume notice does
  // (review17: "interrupted (王大明, 林秀英)" did not say who did which).
  const stoppedAtTerminal = d.kind === 'interrupted' && d.who.length >= 2;
  const who = stoppedAtTerminal
    ? t('deviation.stoppedBy', { by: names.person(d.who[0]!), confirmed: d.who.slice(1).map(names.person).join(t('list.separator')) })
    : d.who.length
      ? t('deviation.who', { who: d.who.map(names.person).join(t('list.separator')) })
      : '';
  // An interruption's signal in the screen's words; a refusal or failure with a known code
  // in the screen's language (problemText), from the facts its record keeps.
  const own =
    d.kind === 'interrupted'
      ? signalText(t, d.detail)
      : d.kind === 'shares-voided'
        ? t('deviation.setsVoid', { sets: voidedSets(t, d, names) })
        : d.detail && d.kind !== 'crashed'
          ? problemText(t, lang, { step: d.step, code: d.code, message: d.detail, hint: undefined, details: d.details }, names)
          : '';
  // A crash says what happened and when it was resumed, and names the last record before it
  // as that: a bare "crashed (resumed with no orderly stop): #24" read as a riddle (review16s).
  const detail = d.kind === 'crashed' ? t('deviation.crashResumed', { time, record: d.detail }) : own ? t('deviation.detail', { detail: own }) : '';
  return (
    t('deviation.line', {
      seq: d.seq,
      time,
      step: d.step === null ? '—' : names.step(d.step),
      what: t(`deviation.${d.kind}`),
    }) +
    who +
    detail
  );
}

/** "7G31XAQV (user PIN), Z1R0NPN9 (SO PIN)": the set ids the custodians find on their cards, with the credential each splits. */
function voidedSets(t: Translate, d: Deviation, names: DeviationNames): string {
  const sets = d.sets ?? d.detail.split(', ').map((setId) => ({ setId, credential: '' }));
  return sets
    .map(({ setId, credential }) => (credential && names.credential ? t('deviation.setOf', { set: setId, credential: names.credential(credential) }) : setId))
    .join(t('list.separator'));
}

/** How many of each kind, in words ("crashes: 1, refused shares: 1"): the sign-off counts every kind, not only exceptions. */
export function deviationCounts(t: Translate, kinds: readonly DeviationKind[]): string {
  return (
    DEVIATION_KINDS.map((kind) => ({ kind, n: kinds.filter((k) => k === kind).length }))
      .filter(({ n }) => n > 0)
      // "1 refused share, 2 exceptions": the noun agrees with its count.
      .map(({ kind, n }) => t('deviation.kindCount', { what: t(n === 1 ? `deviation.kind.${kind}` : `deviation.kinds.${kind}`), n }))
      .join(t('list.separator'))
  );
}

export function deviationBlocks(t: Translate, lang: Lang, deviations: readonly Deviation[], names: DeviationNames): Block[] {
  if (deviations.length === 0) return [{ kind: 'text', text: t('deviation.none'), tone: 'ok' }];
  return [
    { kind: 'text', text: t('deviation.count', { n: deviations.length }), tone: 'warn' },
    ...deviations.map((d): Block => ({ kind: 'text', text: `  ${deviationText(t, lang, d, names)}`, tone: 'plain', hang: 4 })),
  ];
}

/**
 * On a resume of a sealed journal: what this screen is (after the hash and words, which come
 * first to be read aloud), and, last, just above the field, what the acknowledgement is.
 * Nothing is written after the seal, so it is on this screen and the paper log only (as at a
 * normal end, where the seal also comes before it); the screen says so rather than let the
 * room think the journal takes it.
 */
function sealedEarlierBlocks(t: Translate, earlier: SealedEarlier | undefined, names: DeviationNames): { before: Block[]; after: Block[] } {
  if (!earlier) return { before: [], after: [] };
  // In the header's zone, as every other time on screen: the journal's own time was UTC here (review17).
  const params = { seq: earlier.seq, time: names.time?.(earlier.time, 'date-time') ?? screenTime(earlier.time, undefined) };
  return {
    before: [{ kind: 'text', text: t(earlier.crashed ? 'closing.resumedAfterCrash' : 'closing.resumedSealed', params), tone: 'warn' }],
    after: [{ kind: 'text', text: t('closing.ackOnPaper'), tone: 'plain' }],
  };
}

export function closingBlocks(t: Translate, lang: Lang, seal: Seal, deviations: readonly Deviation[], names: DeviationNames, width: number): Block[] {
  const earlier = sealedEarlierBlocks(t, seal.sealedEarlier, names);
  // An aborted ceremony says so first, with its reason: the closing of an abort is no completion (issue 16 item 4).
  const aborted = deviations.findLast((d) => d.kind === 'aborted');
  return [
    aborted
      ? { kind: 'text', text: t('closing.titleAborted', { reason: aborted.detail }), tone: 'bad' }
      : { kind: 'text', text: t('closing.title'), tone: 'accent' },
    { kind: 'pre', title: t('closing.hash'), lines: fingerprintLines(seal.hash).map((line) => `    ${line}`) },
    { kind: 'pre', title: t('closing.words'), lines: wrapDisplay(seal.words, width - 4).map((line) => `    ${line}`) },
    ...earlier.before,
    ...deviationBlocks(t, lang, deviations, names),
    ...earlier.after,
  ];
}
