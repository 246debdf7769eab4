// Runs keyceremony as a child process: the test bundle of src/ (helpers/test-bundle.mjs says
// why), or dist/cli/bin.js itself (compiled by `npm test`'s pretest), which test/cli/main.test.ts
// spawns so that the executable as a checkout builds it stays under test.
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './softhsm.js';
import { testBundle } from './test-bundle.mjs';

/** dist/cli/bin.js, the executable package.json's `bin` names. */
export const DIST_BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
/** The same CLI bundled from the same sources, which starts with about a third less CPU. */
export const BIN = testBundle().bin;

type Options = { env?: NodeJS.ProcessEnv; input?: string; cwd?: string };

export function keyceremony(args: string[], options: Options = {}): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], options);
}

export function keyceremonyFromDist(args: string[], options: Options = {}): Promise<RunResult> {
  return run(process.execPath, [DIST_BIN, ...args], options);
}
