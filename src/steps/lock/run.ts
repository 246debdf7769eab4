// lock's effect: close the sessions of one token, or of every token logged in (or waiting
// to be logged in again after a restart). A token that holds the audit key first signs a
// journal checkpoint (src/ceremony/checkpoints.ts).
import type { StepResult } from '../../ceremony/types.js';
import type { StepRun } from '../run-types.js';
import type { LockStep } from './spec.js';

export const lockRun: StepRun<LockStep> = {
  work:
    ({ sessions }) =>
    async ({ step, context }) => {
      const tokens = step.token ? [step.token] : [...new Set([...Object.keys(context.sessions), ...Object.keys(context.relogin)])];
      for (const token of tokens) await sessions.lock(token, step.id);
      return { lockedTokens: tokens } satisfies StepResult;
    },
};
