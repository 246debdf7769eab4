// Which HSM token a step works on, as PKCS#11 reports it (C_GetTokenInfo): label, serial,
// model and firmware, so the witnesses can compare the screen with the device in front of
// them. The runner reads the tokens (src/ceremony/runner.ts `tokenIdentity`); the UI only
// shows what it is given.
import type { Step } from '../../definition/definition.js';
import type { TokenIdentity } from '../../ceremony/types.js';
import type { Translate } from '../i18n/index.js';
import type { ScreenContext } from './screen-context.js';

export type { TokenIdentity } from '../../ceremony/types.js';

/** What a screen can ask about the tokens: the identity of a token of the definition, if it can be read. */
export type TokenIdentities = (token: string) => TokenIdentity | undefined;

function keyToken(sc: ScreenContext, label: string): string | undefined {
  return sc.context.keys[label]?.token ?? sc.definition.keys[label]?.token;
}

/** The token a step works on, for the steps whose screens name it: init, unlock, key generation, signing, destroy. */
export function tokenOfStep(sc: ScreenContext, step: Step): string | undefined {
  switch (step.type) {
    case 'init-token':
    case 'generate-key':
      return step.token;
    case 'unlock':
      return sc.definition.credentials[step.credential]?.token;
    case 'create-csr':
    case 'self-sign':
    case 'issue-certificate':
    case 'issue-crl':
    case 'destroy-key':
      return keyToken(sc, step.key);
    default:
      return undefined;
  }
}

/** The token the step works on, as PKCS#11 reports it (when the screen was given the HSM's answers). */
export function hsmIdentity(sc: ScreenContext, step: Step): TokenIdentity | undefined {
  const token = tokenOfStep(sc, step);
  return token ? sc.tokenIdentity?.(token) : undefined;
}

/** One line: label "…", serial …, manufacturer model, firmware …. */
export function identityText(t: Translate, identity: TokenIdentity): string {
  return t('hsm.identity', { label: identity.label || '—', serial: identity.serial || '—', model: `${identity.manufacturer} ${identity.model}`.trim() || '—', firmware: identity.firmware || '—' });
}
