// Resume of a sealed journal at a terminal (issue 16 items 2 and 3): the process was killed on
// the closing read-aloud, after the seal and before a witness acknowledged. The officers get
// the same closing screen as at a normal end, rebuilt from the journal alone: the hash in
// groups with its PGP words, every deviation of the ceremony, and this crash, which the
// journal cannot hold (the seal is its last record). Nothing touches the HSM and nothing is
// written to the journal: the machine is restored in its final state, where it takes no event.
//
// The acknowledgement: at a normal end the seal comes first (the sign-off's or the abort's
// record seals the journal) and the witness acknowledges the closing screen after it, so the
// acknowledgement was never a journal record; it is the witness's signature on the paper log.
// The resumed screen says so in words, since here nobody can have missed that the journal was
// closed before.
import { createActor } from 'xstate';
import { KeyceremonyError } from '../errors.js';
import type { JournalRecord } from '../journal/record.js';
import { parseDefinition } from '../definition/loader.js';
import type { SecretStore } from '../quorum/index.js';
import { compileCeremony } from './compile.js';
import { afterSealCrash, deviationsOf } from './deviations.js';
import type { DriverOutcome } from './driver.js';
import { ShareHandouts } from './handouts.js';
import { readHeader } from './journal-header.js';
import { rebuildFromJournal } from './rebuild.js';
import type { InteractiveStop, InteractiveUi } from './runner.js';
import { readRecordedCopy } from './workdir-checks.js';
import type { Workdir } from './workdir.js';
import type { Lang } from '../util/lang.js';

/** A seal written by an earlier run, shown again: its record, and whether that run ended on the closing screen with no orderly end. */
export interface SealedEarlier {
  seq: number;
  time: string;
  /** The run that sealed it ended before its closing was acknowledged (a crash): it is listed with the deviations. */
  crashed: boolean;
}

export interface SealedClosingOptions {
  workdir: Workdir;
  /** The verified journal, its seal last. */
  records: readonly JournalRecord[];
  words: string;
  crashed: boolean;
  lang: Lang;
  ui: InteractiveUi;
  secrets: SecretStore;
  /** SIGINT/SIGTERM heard while the screen is up. */
  stopRequested: () => string | undefined;
}

/** The closing read-aloud of a sealed journal, until a witness acknowledges it (or a signal stops it). */
export async function showSealedClosing(options: SealedClosingOptions): Promise<DriverOutcome | InteractiveStop> {
  const { workdir, records } = options;
  const seal = records.at(-1)!;
  const header = readHeader(records[0]!, workdir.journalFile);
  // The definition the journal recorded, checked against it as every resume does.
  const definition = parseDefinition(
    workdir.definitionFile,
    readRecordedCopy(workdir.dir, workdir.definitionFile, header.definition.sha256, 'definition.changed'),
    { checkFiles: false },
  );
  const input = { inputs: header.inputs, shareSets: header.shareSets };
  const rebuilt = rebuildFromJournal(definition, input, records, workdir.journalFile);
  const machine = compileCeremony(definition).provide({
    actions: {
      journal: () => {
        throw new KeyceremonyError(`journal ${workdir.journalFile} is sealed at record ${seal.seq}: nothing can be recorded after the seal`, {
          code: 'journal.sealed',
        });
      },
    },
  });
  // The final state (completed or aborted) runs nothing and takes no event.
  const actor = createActor(machine, { input, snapshot: machine.resolveState({ value: rebuilt.value, context: rebuilt.context }) });
  actor.start();
  const earlier: SealedEarlier = { seq: seal.seq, time: seal.time, crashed: options.crashed };
  const deviations = [...deviationsOf(records, definition), ...(options.crashed ? [afterSealCrash(seal)] : [])];
  try {
    return await options.ui({
      actor,
      definition,
      secrets: options.secrets,
      handouts: new ShareHandouts(options.secrets),
      workdir: workdir.dir,
      lang: options.lang,
      dryRun: header.hsm.profile.dryRun,
      stopRequested: options.stopRequested,
      // The HSM is not opened: nothing on this screen reads a token.
      tokenIdentity: () => undefined,
      deviations: () => deviations,
      seal: () => ({ hash: seal.hash, words: options.words, sealedEarlier: earlier }),
      openedAt: new Date(records[0]!.time),
      readoutFrom: undefined,
    });
  } finally {
    actor.stop();
  }
}
