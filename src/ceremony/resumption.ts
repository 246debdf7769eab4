// How the last run ended, read off the journal as it stood before a resume: stopped at the
// terminal (who stopped it, who confirmed), stopped by a signal, or ended with no orderly
// stop at all (a crash, a kill -9, a power cut: the last record is whatever came before).
// The first screen after a resume says it (issue 16 item 3), so nobody at the terminal has to
// remember, or read the report, to know the ceremony was interrupted.
import type { JournalRecord } from '../journal/record.js';
import { JOURNAL_EVENTS } from '../journal/events.js';
import { SIGNAL_AT_TERMINAL } from '../util/journal-notes.js';

export interface Resumption {
  /** The step it stopped at (null: before any step). */
  step: string | null;
  /** The interruption's record time, or, after a crash, the time of the last record written. */
  time: string;
  how: 'stopped' | 'signal' | 'crashed';
  /** Who stopped it at the terminal, then who confirmed (participant ids). */
  who: string[];
  /** The signal (how 'signal'), or the last record's number (how 'crashed'). */
  detail: string;
  /** Keys the step at hand makes that this restart searched its token for and did not find (hsm.key-absent). */
  keysAbsent?: Array<{ token: string; label: string }>;
}

/** An interruption record of a stop at the terminal (Ctrl+C, who stopped and who confirmed), not a signal from outside. */
export function stoppedAtTerminal(record: JournalRecord): boolean {
  return record.data.signal === SIGNAL_AT_TERMINAL || record.who.length > 0;
}

/**
 * The journal's records before this resume: undefined when there is nothing to resume from.
 * `onScreen`: the step whose read-aloud screen the last process ended on (resume-readout.ts),
 * which a crash leaves no record of: the journal's last record is already the next step's.
 */
export function resumptionOf(records: readonly JournalRecord[], onScreen?: string): Resumption | undefined {
  // A refused resume attempt and the checkpoints of an orderly stop say nothing of how it ended.
  const ending = records.filter((r) => r.event !== JOURNAL_EVENTS.checkpoint && r.event !== JOURNAL_EVENTS.resumeRefused);
  const last = ending.at(-1);
  if (!last) return undefined;
  if (last.event === JOURNAL_EVENTS.interrupted) {
    const signal = typeof last.data.signal === 'string' ? last.data.signal : '';
    const atTerminal = stoppedAtTerminal(last);
    return { step: last.step, time: last.time, how: atTerminal ? 'stopped' : 'signal', who: last.who, detail: atTerminal ? '' : signal };
  }
  // A resume or a note that names no step: the step is the last one a record named.
  const step = onScreen ?? last.step ?? ending.findLast((r) => r.step !== null)?.step ?? null;
  return { step, time: last.time, how: 'crashed', who: [], detail: `#${last.seq}` };
}
