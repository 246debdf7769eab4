// sign-in has no effects: it completes with the participants who sign in (its own event).
import type { StepRun } from '../run-types.js';
import type { SignInStep } from './spec.js';

export const signInRun: StepRun<SignInStep> = {};
