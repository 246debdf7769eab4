// A quorum login: the shares collected are combined, checked against the manifest's
// verifier, and only then is the PIN derived and C_Login called. unlock's work, and the
// login again that a step needs after a restart (the machine's `relogin` actor).
import { manifestFor } from '../../ceremony/manifests.js';
import { shareCollection } from '../../ceremony/phase.js';
import { checkShareSetBound } from '../../ceremony/share-binding.js';
import type { StepResult } from '../../ceremony/types.js';
import type { Step } from '../../definition/definition.js';
import type { TokenInfo } from '../../hsm/types.js';
import type { CeremonyDeps, StepEffect } from '../run-types.js';

const loginSecretName = (step: string, credential: string) => `login:${step}:${credential}`;

export function tokenSummary(token: TokenInfo): Record<string, unknown> {
  return { label: token.label, serial: token.serial, manufacturer: token.manufacturer, model: token.model, firmware: token.firmware };
}

/** Verified quorum -> secret (checked against the manifest's verifier) -> PIN -> C_Login. */
export function quorumLogin(deps: CeremonyDeps): StepEffect<Step, StepResult> {
  const { definition, sessions, secrets } = deps;
  return async ({ step, context, credential }) => {
    const spec = definition.credentials[credential!]!;
    const manifest = manifestFor(deps.workdir, context, credential!);
    // The token must still record this share set for the credential: nothing else reaches C_Login.
    const session = sessions.session(spec.token);
    checkShareSetBound(definition, session, context.shareSets[credential!]!);
    const secretName = loginSecretName(step.id, credential!);
    secrets.combine(shareCollection(step.id, credential!), manifest, secretName);
    try {
      secrets.withPin(secretName, spec.pinLength, (pin) => session.login(spec.user, pin, { allowFinalTry: context.finalTryApproved }));
      const origin = context.relogin[spec.token]?.step ?? step.id;
      return {
        session: { token: spec.token, userType: spec.user, credential: credential!, setId: manifest.setId, step: origin },
        details: { token: tokenSummary(session.token) },
      } satisfies StepResult;
    } finally {
      secrets.deleteSecret(secretName);
    }
  };
}
