// Runs the built CLI (dist/, compiled by `npm test`'s pretest) as a child process.
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './softhsm.js';

export const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

export function keyceremony(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], options);
}
