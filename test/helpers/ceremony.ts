// Running whole ceremonies in tests: a throwaway SoftHSM, a profile, a workdir, the CLI.
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyJournal } from '../../src/journal/verify.js';
import type { JournalRecord } from '../../src/journal/record.js';
import { keyceremonyInProcess } from './in-process.js';
import type { RunResult, SoftHsmFixture } from './softhsm.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
export const CEREMONIES = new URL('../../ceremonies/', import.meta.url).pathname;

export function newWorkdir(fx: SoftHsmFixture, name = 'work'): string {
  return join(mkdtempSync(join(fx.dir, 'wd-')), name);
}

/**
 * `keyceremony run` in the test's own process (main(argv, io), helpers/in-process.ts): a
 * ceremony's work is the same, without the 0.5 s of a new node process each time. Tests about
 * how the process behaves (signals, crashes, exit through the real executable) spawn it
 * (helpers/cli.ts, helpers/faults.ts).
 */
export function runCeremony(
  fx: SoftHsmFixture,
  args: { definition: string; profile: string; workdir: string; answers: string; extra?: string[] },
): Promise<RunResult> {
  return keyceremonyInProcess(['run', args.definition, '--hsm', args.profile, '--workdir', args.workdir, '--answers', args.answers, ...(args.extra ?? [])], {
    env: fx.env,
  });
}

export function journalRecords(workdir: string): JournalRecord[] {
  const result = verifyJournal(readFileSync(join(workdir, 'journal.jsonl')));
  if (!result.ok) throw new Error(`journal of ${workdir} does not verify: ${result.problem.message}`);
  return result.records;
}
