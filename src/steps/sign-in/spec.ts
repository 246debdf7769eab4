// sign-in: the first step. Every participant signs in with their roles; nobody else may act
// later unless they join (participants.join), confirmed by two who signed in. Driven by its
// own event (participants.submit): the compiler builds its state from run.ts.
import { z } from 'zod';
import { common } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('sign-in') });
export type SignInStep = z.infer<typeof schema>;

export const signInSpec = {
  type: 'sign-in',
  schema,
  sensitive: false,
  title: { en: 'Sign in participants', 'zh-TW': '參與人員簽到' },
  evidences: ['a'],
  flow: 'participants',
  answerOptional: true,
  position: {
    where: 'first',
    misplaced: 'sign-in must be the first step (and the only one)',
    missing: 'the first step must be sign-in: participants sign in before anything happens',
  },
} satisfies StepSpec<SignInStep>;
