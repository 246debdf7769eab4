// lock: log out of one token (`token`), or of every logged-in token.
import { z } from 'zod';
import { common, id } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('lock'), token: id().optional() });
export type LockStep = z.infer<typeof schema>;

export const lockSpec = {
  type: 'lock',
  schema,
  screen: { busy: 'busy.lock', goAhead: 'lock.goAhead' },
  sensitive: false,
  title: { en: 'Lock the token', 'zh-TW': '登出載具' },
  evidences: ['c'],
  answerOptional: true,
  works: true,
  check: (step, scan) => {
    if (step.token !== undefined) {
      if (!(step.token in scan.data.tokens)) scan.problem(scan.at('token'), `names token "${step.token}", which is not in tokens`);
      else if (!scan.unlocked.has(step.token)) scan.problem(scan.at('token'), `token "${step.token}" is not unlocked at this point`);
      scan.unlocked.delete(step.token);
    } else scan.unlocked.clear();
  },
  scriptRows: (step, { t, code }) => [[t.token, step.token ? code(step.token) : t.lockAll]],
  screenFacts: (step, { t, context, token }) => {
    const tokens = step.token ? [step.token] : [...new Set([...Object.keys(context.sessions), ...Object.keys(context.relogin)])];
    return [
      {
        label: t(tokens.length === 1 ? 'facts.token' : 'facts.tokens'),
        value: tokens.map((tk) => token(tk)).join(t('list.separator')) || t('facts.noneLoggedIn'),
      },
    ];
  },
} satisfies StepSpec<LockStep>;
