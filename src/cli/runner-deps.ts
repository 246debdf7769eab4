// The composition root of `run` and `resume`: the one place that decides what a ceremony
// works with in production (the system clock, the PKCS#11 module through pkcs11js, a fresh
// SecretStore, the journal on disk, the process's SIGINT/SIGTERM, the report). The runner
// receives these and builds none, so a test gives its own only where a fault needs one.
import { Pkcs11Hsm } from '../hsm/pkcs11-hsm.js';
import { moduleOptions } from '../hsm/profile.js';
import { Journal } from '../journal/journal.js';
import { SecretStore } from '../quorum/index.js';
import { renderWorkdirReport } from '../report/workdir-report.js';
import type { JournalFactory, OpenHsm, RunnerDeps } from '../ceremony/runner.js';

const systemClock = (): Date => new Date();

const openPkcs11: OpenHsm = (modulePath, file, profile) => Pkcs11Hsm.open(modulePath, { file, ...moduleOptions(profile) });

/** The journal on disk, its record times from `clock`. */
function journalsOn(clock: () => Date): JournalFactory {
  return {
    create: (file, header) => Journal.create(file, header, { clock }),
    open: (file, options) => Journal.open(file, { ...options, clock }),
  };
}

function listenForProcessStop(onStop: (signal: NodeJS.Signals) => void): () => void {
  process.on('SIGINT', onStop);
  process.on('SIGTERM', onStop);
  return () => {
    process.off('SIGINT', onStop);
    process.off('SIGTERM', onStop);
  };
}

/**
 * What a ceremony runs with; `replace` swaps single parts (a fixed clock, an HSM that fails
 * on cue). The journal follows the clock given, so every time the ceremony records comes
 * from one source.
 */
export function runnerDeps(replace: Partial<RunnerDeps> = {}): RunnerDeps {
  const clock = replace.clock ?? systemClock;
  return {
    clock,
    openHsm: replace.openHsm ?? openPkcs11,
    newSecretStore: replace.newSecretStore ?? (() => new SecretStore()),
    journals: replace.journals ?? journalsOn(clock),
    listenForStop: replace.listenForStop ?? listenForProcessStop,
    renderReport: replace.renderReport ?? ((workdir, format, lang) => renderWorkdirReport(workdir, format, lang, 'run')),
    serialSource: replace.serialSource,
  };
}
