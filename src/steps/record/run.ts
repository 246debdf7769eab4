// record: completes with what the people submit (spec.ts `result`). A field declared as a
// token's serial needs the token's own answer first: prepare reads it (C_GetTokenInfo, no
// login), and the pure check compares the typed value with it.
import { InputError } from '../../errors.js';
import type { StepRun } from '../run-types.js';
import { serialTokens, type RecordStep } from './spec.js';

export const recordRun: StepRun<RecordStep> = {
  prepare:
    (deps) =>
    async ({ step }) => {
      const tokenSerials: Record<string, string> = {};
      for (const token of serialTokens(step)) {
        const ref = deps.profile.tokens[token];
        if (!ref)
          throw new InputError(`step ${step.id}: the HSM profile ${deps.profile.file} has no token "${token}"`, {
            hint: `add tokens.${token}: { label: … } to the profile`,
            code: 'profile.token-missing',
            details: { token },
          });
        tokenSerials[token] = deps.hsm.findToken(ref.label, ref.serial).serial;
      }
      return { tokenSerials };
    },
};
