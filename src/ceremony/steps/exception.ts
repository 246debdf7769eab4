// exception (as a planned step): the witness writes down any deviation so far, or "none".
import type { StepOf } from '../../definition/definition.js';
import { refusal, type StepKind } from './kind.js';

export const exception: StepKind<StepOf<'exception'>> = {
  check: (step, submission) =>
    (submission.values.text ?? '').trim() === '' ? refusal(step.id, 'values.missing', `step ${step.id}: write the deviation, or "none"`) : undefined,
  result: (_step, submission) => ({ values: { text: submission.values.text!.trim() } }),
};
