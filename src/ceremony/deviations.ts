// Everything in a ceremony's journal that did not go by the script: interruptions (who
// stopped it, or a signal), crashes (a resume with no interruption before it), share cards
// made void by a stop or crash before the token was set (who destroys which sets), refused
// shares, failed steps, pauses, exceptions, the abort, and a sign-off saying the script was
// not followed (with its note). The closing screen and the deviations step list them all,
// so nothing that happened is left for the report alone.
import type { Definition } from '../definition/definition.js';
import type { JournalRecord } from '../journal/record.js';
import { JOURNAL_EVENTS } from '../journal/events.js';
import { stepOnScreenAtEnd } from './resume-readout.js';
import { resumptionOf } from './resumption.js';
import { deviationWrittenBy } from '../steps/index.js';

export type DeviationKind = 'interrupted' | 'crashed' | 'shares-voided' | 'share-refused' | 'failed' | 'paused' | 'exception' | 'aborted' | 'not-followed';

export interface Deviation {
  seq: number;
  time: string;
  kind: DeviationKind;
  step: string | null;
  /** Participant ids the record names (who stopped, the custodian, who wrote the exception). */
  who: string[];
  /** The record's own words: the signal, the refusal, the reason, the text. */
  detail: string;
  /** The refusal's or failure's code, when the record has one: a screen in another language names it by that. */
  code?: string;
  /** The facts the refusal's words name (share number, custodian), when the record keeps them. */
  details?: Record<string, string | number>;
  /**
   * A crash after the seal, on the closing read-aloud: no record says it (nothing is written
   * after the seal), so `seq` and `time` are the seal's, and the line says it is not in the journal.
   */
  afterSeal?: true;
  /** Voided share cards: the sets whose cards the custodians (`who`) destroy, with their credentials. */
  sets?: Array<{ setId: string; credential: string }>;
}

/** Every kind, in the order counts name them: the one list the screens, the report and the letter count by. */
export const DEVIATION_KINDS: readonly DeviationKind[] = [
  'interrupted',
  'crashed',
  'shares-voided',
  'share-refused',
  'failed',
  'paused',
  'exception',
  'aborted',
  'not-followed',
];

// Not String(): a journal value that is an object would read "[object Object]"; JSON prints numbers and booleans as String does.
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));

/** A refusal's or failure's code and details, as far as its record has them. */
function codeAndDetails(data: { code?: unknown; details?: unknown }): Pick<Deviation, 'code' | 'details'> {
  const details = data.details;
  return {
    ...(typeof data.code === 'string' ? { code: data.code } : {}),
    ...(typeof details === 'object' && details !== null && !Array.isArray(details)
      ? {
          details: Object.fromEntries(
            Object.entries(details).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'),
          ),
        }
      : {}),
  };
}

/** The crash on the closing read-aloud that a resume of the sealed journal found: after `seal`, in no record. */
export function afterSealCrash(seal: JournalRecord): Deviation {
  return { seq: seal.seq, time: seal.time, kind: 'crashed', step: null, who: [], detail: '', afterSeal: true };
}

/**
 * `definition`: with it, a crash names the step as the resume notice did (resumptionOf: the
 * read-aloud screen the process died on, else the step of the last record), not the step of
 * the record before the resume, which after a finished step is already the next one's.
 */
export function deviationsOf(records: readonly JournalRecord[], definition?: Pick<Definition, 'steps'>): Deviation[] {
  const found: Deviation[] = [];
  let previous: JournalRecord | undefined;
  records.forEach((record, at) => {
    const base = { seq: record.seq, time: record.time, step: record.step, who: record.who };
    const data = record.data;
    switch (record.event) {
      case JOURNAL_EVENTS.interrupted:
        // Stopped at the terminal: the people are the record; else the signal that stopped it.
        // Its step is the one on screen: the runner records a read-aloud's step, not the next one's.
        found.push({ ...base, kind: 'interrupted', detail: data.stoppedBy ? '' : text(data.signal) });
        break;
      case JOURNAL_EVENTS.resumed:
        // A resume that no interruption preceded: the process ended without saying so.
        if (previous?.event !== JOURNAL_EVENTS.interrupted && previous?.event !== JOURNAL_EVENTS.resumeRefused) {
          const before = records.slice(0, at);
          found.push({
            ...base,
            step: resumptionOf(before, onScreenAt(before, definition))?.step ?? null,
            kind: 'crashed',
            detail: `#${previous?.seq ?? '?'}`,
          });
        }
        break;
      case JOURNAL_EVENTS.sharesDiscarded:
        found.push({ ...base, kind: 'shares-voided', ...voidedCards(records.slice(0, at), record) });
        break;
      case JOURNAL_EVENTS.shareRefused:
        found.push({ ...base, kind: 'share-refused', detail: text(data.message), ...codeAndDetails(data) });
        break;
      case JOURNAL_EVENTS.stepFailed:
        found.push({ ...base, kind: 'failed', detail: text(data.message), ...codeAndDetails(data) });
        break;
      case JOURNAL_EVENTS.paused:
        found.push({ ...base, kind: 'paused', detail: text(data.reason) });
        break;
      case JOURNAL_EVENTS.exceptionRecorded:
        found.push({ ...base, kind: 'exception', detail: text(data.text) });
        break;
      case JOURNAL_EVENTS.stepCompleted: {
        // A step where the witness writes the deviations down (the deviations step): what they
        // wrote is an exception as much as one recorded with ^E; "none" is none.
        const written = deviationWrittenBy(data.type, data.values);
        if (written !== undefined) found.push({ ...base, kind: 'exception', detail: written });
        break;
      }
      case JOURNAL_EVENTS.aborted:
        found.push({ ...base, kind: 'aborted', detail: text(data.reason) });
        break;
      case JOURNAL_EVENTS.participantSignedOff:
        // A participant who signs off saying the script was not followed: their note says how.
        if (data.followedScript === false) found.push({ ...base, kind: 'not-followed', detail: text(data.note) });
        break;
    }
    // A checkpoint signed before the logout of an orderly stop comes after ceremony.interrupted.
    if (record.event !== JOURNAL_EVENTS.checkpoint) previous = record;
  });
  return found;
}

/** The step whose read-aloud screen was on screen when these records ended (needs the definition). */
function onScreenAt(records: readonly JournalRecord[], definition: Pick<Definition, 'steps'> | undefined): string | undefined {
  return definition ? stepOnScreenAtEnd(definition, records) : undefined;
}

/**
 * The cards a shares.discarded record makes void: the sets (with their credentials, from the
 * shares.prepared record that made them) and the custodians who were handed a card of them
 * (all the sets' custodians when no hand-over was recorded: a card on screen may be written).
 */
function voidedCards(before: readonly JournalRecord[], discarded: JournalRecord): Pick<Deviation, 'who' | 'detail' | 'sets'> {
  const setIds = Array.isArray(discarded.data.sets) ? discarded.data.sets.filter((s): s is string => typeof s === 'string') : [];
  const preparedAt = before.findLastIndex((r) => r.event === JOURNAL_EVENTS.sharesPrepared && r.step === discarded.step);
  const prepared = preparedAt < 0 ? [] : asSets(before[preparedAt]!.data.sets);
  const sets = setIds.map((setId) => ({ setId, credential: prepared.find((p) => p.setId === setId)?.credential ?? '' }));
  const handedOver = before
    .slice(preparedAt + 1)
    .filter((r) => r.event === JOURNAL_EVENTS.shareHandedOver && r.step === discarded.step)
    .flatMap((r) => r.who);
  const custodians = handedOver.length > 0 ? handedOver : prepared.filter((p) => setIds.includes(p.setId)).flatMap((p) => p.custodians);
  return { who: [...new Set(custodians)], detail: setIds.join(', '), sets };
}

function asSets(value: unknown): Array<{ setId: string; credential: string; custodians: string[] }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((set: unknown) => {
    if (typeof set !== 'object' || set === null) return [];
    const setId = 'setId' in set ? set.setId : undefined;
    const credential = 'credential' in set ? set.credential : undefined;
    const custodians = 'custodians' in set ? set.custodians : undefined;
    if (typeof setId !== 'string' || typeof credential !== 'string') return [];
    return [{ setId, credential, custodians: Array.isArray(custodians) ? custodians.filter((c): c is string => typeof c === 'string') : [] }];
  });
}
