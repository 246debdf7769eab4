// confirm-result has no effects: it completes with what the witness types back (spec.ts `result`).
import type { StepRun } from '../run-types.js';
import type { ConfirmResultStep } from './spec.js';

export const confirmResultRun: StepRun<ConfirmResultStep> = {};
