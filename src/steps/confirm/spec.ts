// confirm: performer and witness each confirm a statement (by typing their own id).
import { z } from 'zod';
import { bilingual, common } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('confirm'), statement: bilingual });
export type ConfirmStep = z.infer<typeof schema>;

export const confirmSpec = {
  type: 'confirm',
  schema,
  sensitive: false,
  title: { en: 'Confirm', 'zh-TW': '確認' },
  result: (step) => ({ details: { statement: step.statement } }),
  scriptRows: (step, { t, lang }) => [[t.statement, step.statement[lang]]],
  screenNotes: (step, { t, lang }) => [{ kind: 'text', text: t('confirm.statement', { text: step.statement[lang] }), tone: 'accent' }],
} satisfies StepSpec<ConfirmStep>;
