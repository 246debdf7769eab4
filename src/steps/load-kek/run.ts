// load-kek's effect: quorum -> KEK (checked against the manifest's verifier) -> trusted
// session object in the SO session -> SO logout. The session stays open (not logged in).
import { requireWrapping } from '../../backup/key-backup.js';
import type { Definition } from '../../definition/definition.js';
import { KeyceremonyError } from '../../errors.js';
import { manifestFor } from '../../ceremony/manifests.js';
import { shareCollection } from '../../ceremony/phase.js';
import type { StepResult } from '../../ceremony/types.js';
import { loadedKekSecretName, loadedKeks } from '../shared/kek-run.js';
import { tokenSummary } from '../shared/login-run.js';
import type { StepRun } from '../run-types.js';
import { hsmNeeds, type HsmNeed } from '../hsm-needs.js';
import type { LoadKekStep } from './spec.js';

/** What the definition wraps (backup-key) or unwraps (restore-key) on the token. */
function wrapNeedsOn(definition: Definition, token: string): Array<Extract<HsmNeed, { kind: 'wrap' }>> {
  return hsmNeeds(definition).filter((need): need is Extract<HsmNeed, { kind: 'wrap' }> => need.kind === 'wrap' && need.token === token);
}

export const loadKekRun: StepRun<LoadKekStep> = {
  work:
    ({ definition, hsm, sessions, secrets, workdir }) =>
    async ({ step, context }) => {
      const session = sessions.loggedIn(step.token);
      if (session.loggedInAs !== 'so') {
        throw new KeyceremonyError(`step ${step.id}: token "${step.token}" is unlocked as user, not as the SO`, {
          code: 'kek.needs-so',
          hint: 'only the SO can mark the KEK trusted; unlock the token with the SO credential first',
        });
      }
      // Before the quorum's KEK is rebuilt or put on the token: the steps that use it here must
      // find the wrapping mechanism (a token this ceremony initialises was not in the pre-flight).
      try {
        for (const need of wrapNeedsOn(definition, step.token))
          requireWrapping(hsm, { label: session.token.label, serial: session.token.serial }, need.use, need.step);
      } catch (error) {
        // The shares typed for this step are wiped, as a refused combination wipes them.
        secrets.discard(shareCollection(step.id, step.kek));
        throw error;
      }
      const manifest = manifestFor(workdir, context, step.kek);
      const secretName = loadedKekSecretName(step.token, step.kek);
      secrets.combine(shareCollection(step.id, step.kek), manifest, secretName);
      try {
        const kek = secrets.withSecret(secretName, (secret) => session.createSessionKek(`keyceremony-kek-${step.kek}`, secret));
        loadedKeks.set(session, { kek, set: { credential: step.kek, setId: manifest.setId, verifier: manifest.verifier }, secretName });
      } catch (error) {
        secrets.deleteSecret(secretName);
        throw error;
      }
      session.logout();
      return {
        lockedTokens: [step.token],
        details: { kek: step.kek, setId: manifest.setId, sessionObject: true, trusted: true, token: tokenSummary(session.token) },
      } satisfies StepResult;
    },
};
