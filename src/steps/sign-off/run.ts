// sign-off has no effects: it completes when every participant has signed off (its own event).
import type { StepRun } from '../run-types.js';
import type { SignOffStep } from './spec.js';

export const signOffRun: StepRun<SignOffStep> = {};
