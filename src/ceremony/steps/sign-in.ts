// sign-in and sign-off are driven by their own events (participants.submit, signoff.submit);
// their kinds are empty and the compiler builds their states directly.
import type { StepOf } from '../../definition/definition.js';
import type { StepKind } from './kind.js';

export const signIn: StepKind<StepOf<'sign-in'>> = {};
export const signOff: StepKind<StepOf<'sign-off'>> = {};
