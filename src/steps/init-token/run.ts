// init-token's effect: C_InitToken with the new SO PIN, then C_InitPIN with the new user
// PIN, the share sets bound to the token, and their manifests written. Without an SO
// credential (a token with no SO PIN, HSM.md) the SO PIN is the empty one such a token takes.
// Then the user makes the token's audit key pair (sign only, sensitive, never extractable),
// whose public key is written as an output: later ceremonies bring it to check the journal
// checkpoints it signs (src/journal/checkpoint.ts).
import { createPublicKey } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { FileRecord, StepResult } from '../../ceremony/types.js';
import { auditKeyAlgorithm } from '../../hsm/profile.js';
import { AUDIT_KEY_LABEL } from '../../journal/checkpoint.js';
import { describeAlgorithm } from '../../util/key-algorithm.js';
import { tokenSummary } from '../shared/login-run.js';
import { newSecretName } from '../shared/share-sets-run.js';
import type { StepRun } from '../run-types.js';
import { auditKeyName, initTokenCredentials, type InitTokenStep } from './spec.js';

export const initTokenRun: StepRun<InitTokenStep> = {
  work:
    (deps) =>
    async ({ step }) => {
      const { definition, sessions, secrets, shareSets, outputs, profile } = deps;
      const ref = sessions.tokenRef(step.token);
      const user = definition.credentials[step.user]!;
      const credentials = initTokenCredentials(step);
      // Leaves the session open and logged in as the user: the audit key is a private object,
      // which only the user can make. The caller closes it.
      const initialise = (soPin: Buffer) => {
        const made = deps.hsm.initToken(ref.label, soPin);
        const session = sessions.session(step.token);
        session.login('so', soPin);
        secrets.withPin(newSecretName(step.id, step.user), user.pinLength, (userPin) => session.initUserPin(userPin));
        shareSets.bind(step, session, credentials);
        session.logout();
        secrets.withPin(newSecretName(step.id, step.user), user.pinLength, (userPin) => session.login('user', userPin));
        return made;
      };
      try {
        let auditKey: { file: FileRecord; details: Record<string, unknown> };
        let token: ReturnType<typeof deps.hsm.initToken>;
        try {
          const so = step.so === undefined ? undefined : definition.credentials[step.so]!;
          token = so === undefined ? initialise(Buffer.alloc(0)) : secrets.withPin(newSecretName(step.id, step.so!), so.pinLength, initialise);
          const algorithm = auditKeyAlgorithm(profile, step.token);
          const session = sessions.session(step.token);
          const key = await session.generateKeyPair(AUDIT_KEY_LABEL, algorithm);
          const pem = createPublicKey({ key: key.spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }) as string;
          const attributes = session.privateKeyAttributes(AUDIT_KEY_LABEL);
          auditKey = {
            file: outputs.write(auditKeyName(step.token), 'audit-key', pem, step.id),
            details: {
              label: AUDIT_KEY_LABEL,
              algorithm: describeAlgorithm(algorithm),
              spkiSha256: key.fingerprint.sha256,
              words: key.fingerprint.words,
              sensitive: attributes.sensitive,
              extractable: attributes.extractable,
              output: auditKeyName(step.token),
            },
          };
          // The first checkpoint: the token signs the journal so far, before the logout.
          await sessions.lock(step.token, step.id);
        } finally {
          sessions.close(step.token);
        }
        const finished = shareSets.finish(step, credentials);
        // The manifests first: confirm-result confirms a step's first output.
        return {
          ...finished,
          outputs: [...finished.outputs, auditKey.file],
          details: { token: tokenSummary(token), auditKey: auditKey.details },
        } satisfies StepResult;
      } finally {
        for (const credential of credentials) secrets.deleteSecret(newSecretName(step.id, credential));
      }
    },
  // A token initialised but not recorded cannot be adopted: nobody holds shares of its PINs.
  reconcile: (step, { sessions, hsm }) => {
    const ref = sessions.tokenRef(step.token);
    if (hsm.tokens().some((t) => t.initialized && t.label === ref.label)) {
      throw new InputError(`step ${step.id}: token "${ref.label}" exists but the journal does not record its initialisation`, {
        hint: 'the interruption came between C_InitToken and the record; it must be re-initialised with the HSM vendor tools (record why) and the ceremony run again in a new workdir',
        code: 'reconcile.unknown-token',
      });
    }
    return [];
  },
};
