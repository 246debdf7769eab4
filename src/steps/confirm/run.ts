// confirm has no effects: it completes with what the people submit (spec.ts `result`).
import type { StepRun } from '../run-types.js';
import type { ConfirmStep } from './spec.js';

export const confirmRun: StepRun<ConfirmStep> = {};
