// unlock's effect: the quorum login (shared with the login again after a restart).
import { quorumLogin } from '../shared/login-run.js';
import type { StepRun } from '../run-types.js';
import type { UnlockStep } from './spec.js';

export const unlockRun: StepRun<UnlockStep> = {
  work: (deps) => {
    const login = quorumLogin(deps);
    return (input) => login({ ...input, credential: input.credential ?? input.step.credential });
  },
};
