// Which token a key lives on, read off the definition: pure, for the specs and the effects.
import type { Definition } from '../../definition/definition.js';
import type { TokenLogin } from '../spec-types.js';

/** The token a key lives on: generated earlier in this ceremony, or declared in `keys`. */
export function tokenOfKey(definition: Pick<Definition, 'steps' | 'keys'>, label: string): string {
  for (const step of definition.steps) {
    if (step.type === 'generate-key' && step.key.label === label) return step.token;
    if (step.type === 'restore-key' && step.key === label) return step.token;
  }
  const declared = definition.keys[label];
  if (!declared) throw new Error(`key ${label} is neither generated nor declared (the definition checks should have refused this)`);
  return declared.token;
}

/** The login of a step that signs or destroys with a key: its token, as user. */
export const keyLogin = (step: { key: string }, definition: Definition): TokenLogin => ({ token: tokenOfKey(definition, step.key), userType: 'user' });

/** The file name of a share set's manifest, written by the step that makes the set. */
export const manifestName = (credential: string, step: string): string => `${credential}.${step}.manifest.json`;

/** A fingerprint as typed: separators gone, lower case. */
export const typedHex = (value: string | undefined): string => (value ?? '').replace(/[\s:]/g, '').toLowerCase();
