// Resume reconciles, never repeats blindly (DESIGN principle 6). After a crash the last
// saved state may be behind the journal (a step finished and was journaled, but the state
// was not saved: rebuild.ts takes it from the journal) and the journal may be behind the HSM
// and outputs folder (work done, not journaled: found here).
import type { Definition, Step } from '../definition/definition.js';
import type { Hsm } from '../hsm/hsm.js';
import type { JournalRecord } from '../journal/record.js';
import type { JournalEventWrite, JournalIntent } from '../journal/events.js';
import type { StepAnswer } from './answers.js';
import { producedBy } from '../steps/index.js';
import { runOf } from '../steps/run-registry.js';
import type { OutputStore } from './outputs.js';
import type { TokenSessions } from './token-sessions.js';
import type { CeremonyContext, CeremonyEvent } from './types.js';
import { JOURNAL_NOTES } from '../util/journal-notes.js';
import { JOURNAL_EVENTS } from '../journal/events.js';

/**
 * What the journal recorded after the last saved state (the process stopped before saving
 * it): sign-ins, completed steps and single sign-offs. Resume rebuilds all of it from the
 * journal anyway; these records say, for the auditor, that it was adopted and not done again.
 */
export function adoptionNotes(records: JournalRecord[], afterSeq: number): JournalIntent[] {
  const tail = records.filter((r) => r.seq > afterSeq && r.step !== null);
  // A sign-off step the journal has as completed is adopted whole, by its step.completed record.
  const completed = new Set(tail.filter((r) => r.event === JOURNAL_EVENTS.stepCompleted).map((r) => r.step));
  return tail.flatMap((r): JournalIntent[] => {
    if (r.event === JOURNAL_EVENTS.participantSignedOff && !completed.has(r.step)) {
      return [
        {
          step: r.step,
          event: JOURNAL_EVENTS.stepReconciled,
          who: [],
          data: { from: 'journal', seq: r.seq, participant: r.who[0], note: JOURNAL_NOTES.signOffFromJournal },
        },
      ];
    }
    if (r.event === JOURNAL_EVENTS.stepCompleted || r.event === JOURNAL_EVENTS.participantsSignedIn) {
      return [
        { step: r.step, event: JOURNAL_EVENTS.stepReconciled, who: [], data: { from: 'journal', seq: r.seq, note: JOURNAL_NOTES.reconciledFromJournal } },
      ];
    }
    return [];
  });
}

export interface HsmFinding {
  /** Journal record to write about what was found. */
  record: JournalEventWrite;
  /** Nothing was found: the key the step makes is not on its token (the resume notice says so). */
  absent?: { token: string; label: string };
  /** Event that adopts the finding into the machine, when the witnesses decided so. */
  adopt?: CeremonyEvent;
}

export interface ReconcileOptions {
  definition: Definition;
  context: CeremonyContext;
  answer: StepAnswer | undefined;
  sessions: TokenSessions;
  hsm: Hsm;
  outputs: OutputStore;
  /** The workdir, for the inputs a step's reconcile reads (restore-key's backup file). */
  workdir: string;
  stamp: string;
}

/**
 * What the interrupted step may have left behind: a key with its label that the journal
 * does not know (shown to the witnesses, who decide), or an output file the journal does
 * not know (moved aside and recorded, so the step can run again).
 */
export function reconcileStep(options: ReconcileOptions & { step: Step | undefined }): HsmFinding[] {
  const { step, context, outputs } = options;
  if (!step) return [];
  const findings: HsmFinding[] = [...(runOf(step).reconcile?.(step, options) ?? [])];
  // An output the witnesses adopted (backup-key's file) stays where it is.
  const adopted = new Set(findings.flatMap((f) => (f.adopt?.type === 'step.recovered' ? (f.adopt.result.outputs ?? []).map((o) => o.name) : [])));
  const produced = producedBy(step)
    .map((file) => file.name)
    .filter((name) => !adopted.has(name));
  for (const name of produced) {
    // A write the crash cut short leaves its temporary file: moved aside and recorded too.
    for (const temporary of !context.outputs[name] ? outputs.leftovers(name) : []) {
      const moved = outputs.moveAside(temporary, options.stamp);
      findings.push({
        record: {
          event: JOURNAL_EVENTS.outputUnrecorded,
          data: {
            name: temporary,
            sha256: moved.sha256,
            movedTo: moved.movedTo,
            note: `a temporary file of ${name} that the interrupted write left behind; moved aside`,
          },
        },
      });
    }
    if (!context.outputs[name] && outputs.exists(name)) {
      const moved = outputs.moveAside(name, options.stamp);
      findings.push({
        record: { event: JOURNAL_EVENTS.outputUnrecorded, data: { name, sha256: moved.sha256, movedTo: moved.movedTo, note: JOURNAL_NOTES.outputMovedAside } },
      });
    }
  }
  return findings;
}
