// sign-off: the last step. Every participant confirms the record, saying whether the
// ceremony followed the script (a note is required if not); then the journal is sealed.
// Driven by its own event (signoff.submit): the compiler builds its state from run.ts.
import { z } from 'zod';
import { common } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('sign-off') });
export type SignOffStep = z.infer<typeof schema>;

export const signOffSpec = {
  type: 'sign-off',
  schema,
  sensitive: false,
  title: { en: 'Sign off', 'zh-TW': '簽署確認' },
  evidences: ['g'],
  flow: 'sign-offs',
  answerOptional: true,
  position: {
    where: 'last',
    misplaced: 'sign-off must be the last step',
    missing: 'the last step must be sign-off: every participant confirms the record',
  },
} satisfies StepSpec<SignOffStep>;
