// destroy-key's effects: before approval, the key on the token is found and shown; after,
// it is destroyed only if it is still the one the witnesses confirmed, and proven gone.
import { KeyceremonyError } from '../../errors.js';
import type { StepResult } from '../../ceremony/types.js';
import { describeAlgorithm } from '../../hsm/types.js';
import type { StepRun } from '../run-types.js';
import { earlyDestructionExceptions, type DestroyKeyStep, type InspectedKey } from './spec.js';

export const destroyKeyRun: StepRun<DestroyKeyStep> = {
  prepare:
    ({ definition, sessions, clock }) =>
    async ({ step, context }) => {
      const now = clock();
      const token = context.keys[step.key]?.token ?? definition.keys[step.key]!.token;
      const key = sessions.loggedIn(token).findKeyPair(step.key);
      if (!key)
        throw new KeyceremonyError(`step ${step.id}: there is no key "${step.key}" on token "${token}"`, {
          code: 'hsm.key-not-found',
          hint: 'check the token with `keyceremony hsm info`; record an exception if the key is already gone',
        });
      const early = step.notBefore !== undefined && now.getTime() < Date.parse(step.notBefore);
      return {
        label: key.label,
        token,
        spkiSha256: key.fingerprint.sha256,
        words: key.fingerprint.words,
        algorithm: describeAlgorithm(key.algorithm),
        uri: key.uri,
        id: key.id,
        inspectedAt: now.toISOString(),
        early,
      } satisfies InspectedKey;
    },
  work:
    ({ sessions }) =>
    async ({ step, context }) => {
      const inspected = context.prepared as unknown as InspectedKey;
      const session = sessions.loggedIn(inspected.token);
      const now = session.findKeyPair(step.key);
      if (!now || now.fingerprint.sha256 !== inspected.spkiSha256) {
        throw new KeyceremonyError(`step ${step.id}: the key "${step.key}" on the token is not the one the witnesses confirmed`, {
          code: 'destroy.changed',
          hint: 'stop and investigate; nothing was destroyed',
        });
      }
      session.destroyKeyPair(step.key);
      const gone = session.findKeyPair(step.key) === undefined;
      if (!gone) throw new KeyceremonyError(`step ${step.id}: key "${step.key}" is still on the token after destruction`, { code: 'destroy.survived' });
      const guard = step.notBefore
        ? { destroyNotBefore: step.notBefore, ...(inspected.early ? { beforeNotBeforeBy: earlyDestructionExceptions(step, context.exceptions) } : {}) }
        : {};
      return {
        destroyedKeys: [step.key],
        details: { spkiSha256: inspected.spkiSha256, words: inspected.words, provenGone: true, ...guard },
      } satisfies StepResult;
    },
};
