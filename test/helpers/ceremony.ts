// Running whole ceremonies in tests: a throwaway SoftHSM, a profile, a workdir, the CLI.
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyJournal } from '../../src/journal/verify.js';
import type { JournalRecord } from '../../src/journal/record.js';
import { keyceremony } from './cli.js';
import type { RunResult, SoftHsmFixture } from './softhsm.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
export const CEREMONIES = new URL('../../ceremonies/', import.meta.url).pathname;

export function newWorkdir(fx: SoftHsmFixture, name = 'work'): string {
  return join(mkdtempSync(join(fx.dir, 'wd-')), name);
}

export function runCeremony(
  fx: SoftHsmFixture,
  args: { definition: string; profile: string; workdir: string; answers: string; extra?: string[] },
): Promise<RunResult> {
  return keyceremony(['run', args.definition, '--hsm', args.profile, '--workdir', args.workdir, '--answers', args.answers, ...(args.extra ?? [])], {
    env: fx.env,
  });
}

export function journalRecords(workdir: string): JournalRecord[] {
  const result = verifyJournal(readFileSync(join(workdir, 'journal.jsonl')));
  if (!result.ok) throw new Error(`journal of ${workdir} does not verify: ${result.problem.message}`);
  return result.records;
}
