// The machine's and the HSM's refusals are English sentences naming the step, person or
// share (they also go into the journal). The screen leads with a sentence in the terminal's
// language where the code is known, and keeps the original for the record.
import type { Problem } from '../ceremony/types.js';
import { CATALOGUES, type MessageKey, type Translate } from './i18n/index.js';

function knownKey(code: string | undefined): MessageKey | undefined {
  if (!code) return undefined;
  const key = `code.${code}`;
  return key in CATALOGUES.en ? (key as MessageKey) : undefined;
}

/** One line: the translated gist (when known) and the machine's own words. */
export function problemText(t: Translate, problem: Problem): string {
  const key = knownKey(problem.code);
  const gist = key ? t(key) : undefined;
  return gist && gist !== problem.message ? `${gist} (${problem.message})` : problem.message;
}
