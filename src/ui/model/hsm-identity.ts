// Which HSM token a step works on, as PKCS#11 reports it (C_GetTokenInfo): label, serial,
// model and firmware, so the witnesses can compare the screen with the device in front of
// them. The runner reads the tokens (src/ceremony/runner.ts `tokenIdentity`); the UI only
// shows what it is given.
import type { Step } from '../../definition/definition.js';
import { specOf } from '../../steps/index.js';
import type { TokenIdentity } from '../../ceremony/types.js';
import type { Translate } from '../i18n/index.js';
import type { ScreenContext } from './screen-context.js';

export type { TokenIdentity } from '../../ceremony/types.js';

/**
 * The token a step works on, read off its spec: the token it initialises, the token it logs
 * in to (key generation, signing, destroying), or the token of the credential it collects
 * (unlock). Steps on no token show none.
 */
export function tokenOfStep(sc: ScreenContext, step: Step): string | undefined {
  const spec = specOf(step);
  const collected = spec.collects?.(step);
  return spec.initialises?.(step) ?? spec.login?.(step, sc.definition)?.token ?? (collected ? sc.definition.credentials[collected]?.token : undefined);
}

/** The token the step works on, as PKCS#11 reports it (when the screen was given the HSM's answers). */
export function hsmIdentity(sc: ScreenContext, step: Step): TokenIdentity | undefined {
  const token = tokenOfStep(sc, step);
  return token ? sc.tokenIdentity?.(token) : undefined;
}

/** One line: label "…", serial …, manufacturer model, firmware …. */
export function identityText(t: Translate, identity: TokenIdentity): string {
  return t('hsm.identity', {
    label: identity.label || '—',
    serial: identity.serial || t('hsm.noSerial'),
    model: `${identity.manufacturer} ${identity.model}`.trim() || '—',
    firmware: identity.firmware || '—',
  });
}
