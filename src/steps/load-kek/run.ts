// load-kek's effect: quorum -> KEK (checked against the manifest's verifier) -> trusted
// session object in the SO session -> SO logout. The session stays open (not logged in).
import { KeyceremonyError } from '../../errors.js';
import { manifestFor } from '../../ceremony/manifests.js';
import { shareCollection } from '../../ceremony/phase.js';
import type { StepResult } from '../../ceremony/types.js';
import { loadedKekSecretName, loadedKeks } from '../shared/kek-run.js';
import { tokenSummary } from '../shared/login-run.js';
import type { StepRun } from '../run-types.js';
import type { LoadKekStep } from './spec.js';

export const loadKekRun: StepRun<LoadKekStep> = {
  work:
    ({ sessions, secrets, workdir }) =>
    async ({ step, context }) => {
      const session = sessions.loggedIn(step.token);
      if (session.loggedInAs !== 'so') {
        throw new KeyceremonyError(`step ${step.id}: token "${step.token}" is unlocked as user, not as the SO`, { code: 'kek.needs-so', hint: 'only the SO can mark the KEK trusted; unlock the token with the SO credential first' });
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
      return { lockedTokens: [step.token], details: { kek: step.kek, setId: manifest.setId, sessionObject: true, trusted: true, token: tokenSummary(session.token) } } satisfies StepResult;
    },
};
