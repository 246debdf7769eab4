// exception has no effects: it completes with what the people submit (spec.ts `result`).
import type { StepRun } from '../run-types.js';
import type { ExceptionStep } from './spec.js';

export const exceptionRun: StepRun<ExceptionStep> = {};
