// exception (as a planned step): the witness writes down any deviation so far, or "none".
// (An exception can also be recorded at any point, outside the steps: the `exception` event.)
import { z } from 'zod';
import { common } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('exception') });
export type ExceptionStep = z.infer<typeof schema>;

export const exceptionSpec = {
  type: 'exception',
  schema,
  sensitive: false,
  title: { en: 'Record deviations', 'zh-TW': '記錄異常事項' },
  checkSubmission: (step, submission) =>
    (submission.values.text ?? '').trim() === '' ? refusal(step.id, 'values.missing', `step ${step.id}: write the deviation, or "none"`) : undefined,
  result: (_step, submission) => ({ values: { text: submission.values.text!.trim() } }),
} satisfies StepSpec<ExceptionStep>;
