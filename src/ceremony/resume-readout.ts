// After a crash or a stop on a read-aloud screen (a key's or a file's fingerprint), resume
// shows that screen again: the UI's "written down" is not journaled, so the journal is read
// for what came after the last completed step. Nothing a person did for the next step
// (an approval, a share, a sign-off) means the readout was done; restarts, notes of the
// resume and exceptions do not (issue 16 item 3).
import type { Definition } from '../definition/definition.js';
import type { JournalRecord } from '../journal/record.js';
import { JOURNAL_EVENTS } from '../journal/events.js';
import { stoppedAtTerminal } from './resumption.js';

/** Records that say nothing about the next step having begun. */
const NOT_PROGRESS: ReadonlySet<string> = new Set([
  JOURNAL_EVENTS.interrupted,
  JOURNAL_EVENTS.resumed,
  JOURNAL_EVENTS.restarted,
  JOURNAL_EVENTS.paused,
  JOURNAL_EVENTS.continued,
  JOURNAL_EVENTS.resumeRefused,
  JOURNAL_EVENTS.stepReconciled,
  // Written as the next step becomes the current one, before anyone does anything in it.
  JOURNAL_EVENTS.stepStarted,
  JOURNAL_EVENTS.stepPrepared,
  JOURNAL_EVENTS.outputUnrecorded,
  JOURNAL_EVENTS.hsmUnrecordedKey,
  JOURNAL_EVENTS.hsmKeyAbsent,
  JOURNAL_EVENTS.exceptionRecorded,
  JOURNAL_EVENTS.participantsJoined,
  JOURNAL_EVENTS.eventRefused,
  // Signed as a logout comes (lock, an orderly stop): nobody did anything for the next step.
  JOURNAL_EVENTS.checkpoint,
]);

/** The index of the step whose readout resume shows again, or undefined. */
export function readoutToRepeat(definition: Pick<Definition, 'steps'>, records: readonly JournalRecord[]): number | undefined {
  let lastStop: JournalRecord | undefined;
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i]!;
    if (record.event === JOURNAL_EVENTS.interrupted) lastStop ??= record;
    if (record.event === JOURNAL_EVENTS.stepCompleted) {
      // Stopped at the terminal on the next step's screen (Ctrl+C records the step on screen,
      // the readout's own step while it is shown): the readout had been acknowledged, and
      // showing it again would put the fingerprint before a witness who must now type it back
      // from paper (review at 80x24, M3). A signal from outside says nothing of the screen.
      if (lastStop && stoppedAtTerminal(lastStop) && lastStop.step !== record.step) return undefined;
      const index = definition.steps.findIndex((s) => s.id === record.step);
      return index >= 0 ? index : undefined;
    }
    if (!NOT_PROGRESS.has(record.event)) return undefined;
  }
  return undefined;
}

/** Whether a step.completed record made something the witnesses read aloud (a key, a file, a destroyed key). */
function madeSomething(record: JournalRecord): boolean {
  const listed = (name: string) => {
    const value = record.data[name];
    return Array.isArray(value) && value.length > 0;
  };
  return listed('keys') || listed('outputs') || listed('destroyedKeys');
}

/**
 * The step whose read-aloud screen the last process ended on, when it ended on one (a crash
 * leaves no record of it: the journal's last record is the next step's start). The resume
 * notice and the deviations both name it, so they say the same step (issue 16, room16f).
 */
export function stepOnScreenAtEnd(definition: Pick<Definition, 'steps'>, records: readonly JournalRecord[]): string | undefined {
  const index = readoutToRepeat(definition, records);
  const step = index === undefined ? undefined : definition.steps[index];
  const completed = step && records.findLast((r) => r.event === JOURNAL_EVENTS.stepCompleted && r.step === step.id);
  return completed && madeSomething(completed) ? step.id : undefined;
}
