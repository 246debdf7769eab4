// Making and finishing new share sets (init-token, split-credential, rotate-credential):
// new secrets split among custodians before approval's work, handed out and typed back,
// bound to the token in the session that sets them, and their manifests written after.
import { KeyceremonyError } from '../../errors.js';
import type { Definition, Step } from '../../definition/definition.js';
import type { HsmSession } from '../../hsm/hsm.js';
import { newSecret, serializeManifest, split, type ShareSetManifest } from '../../quorum/index.js';
import { sha256 } from '../../util/fingerprint.js';
import { manifestFor } from '../../ceremony/manifests.js';
import { shareCollection } from '../../ceremony/phase.js';
import { bindShareSet } from '../../ceremony/share-binding.js';
import { tokenCapabilities } from '../../hsm/profile.js';
import type { CeremonyContext, Distribution, FileRecord, ShareSetRecord, StepResult } from '../../ceremony/types.js';
import { specOf } from '../index.js';
import type { CeremonyDeps, StepEffect } from '../run-types.js';
import { manifestName } from './keys.js';

export const newSecretName = (step: string, credential: string) => `new:${step}:${credential}`;
export const oldSecretName = (step: string, credential: string) => `old:${step}:${credential}`;

/** The custodians who receive a new share set: named in the submission, or every holder of the role. */
function custodiansFor(definition: Definition, context: CeremonyContext, step: Step, credential: string, of: number): string[] {
  const role = definition.credentials[credential]!.custodians;
  const named = context.submission?.custodians;
  const custodians = named ?? context.participants.filter((p) => p.roles.includes(role)).map((p) => p.id);
  for (const custodian of custodians) {
    const person = context.participants.find((p) => p.id === custodian);
    if (!person?.roles.includes(role)) throw new KeyceremonyError(`step ${step.id}: ${custodian} is not a signed-in ${role}`, { code: 'split.custodian' });
  }
  if (custodians.length !== of) {
    throw new KeyceremonyError(`step ${step.id}: ${credential} is split into ${of} shares, but ${custodians.length} custodians would receive them`, {
      code: 'split.custodian-count',
      hint: `name exactly ${of} custodians (answers: steps.${step.id}.custodians)`,
    });
  }
  return custodians;
}

export interface ShareSetEffects {
  /** New secrets split among custodians; the shares wait in the SecretStore to be handed out. */
  prepare: StepEffect<Step, Distribution>;
  /** The token records which share sets now open its credentials, in the session that set them. */
  bind(step: Step, session: HsmSession, credentials: string[]): void;
  /** The manifests written, the handouts discarded: the step's outputs and share-set records. */
  finish(step: Step, credentials: string[]): Required<Pick<StepResult, 'outputs' | 'shareSets'>>;
}

export function shareSetEffects(deps: CeremonyDeps): ShareSetEffects {
  const { definition, secrets, handouts, outputs } = deps;
  const pending = new Map<string, ShareSetManifest>();
  const pendingManifest = (step: Step, credential: string): ShareSetManifest => {
    const manifest = pending.get(`${step.id}:${credential}`);
    if (!manifest)
      throw new KeyceremonyError(`step ${step.id}: the new share set of ${credential} is no longer in memory`, {
        code: 'split.lost',
        hint: 'resume the ceremony; the step starts again with a new share set',
      });
    return manifest;
  };

  const writeManifest = (step: Step, manifest: ShareSetManifest, credential: string): { record: ShareSetRecord; file: FileRecord } => {
    const name = manifestName(credential, step.id);
    const file = outputs.write(name, 'share-manifest', serializeManifest(manifest), step.id);
    const record: ShareSetRecord = {
      credential,
      setId: manifest.setId,
      threshold: manifest.threshold,
      count: manifest.count,
      custodians: manifest.shares.map((s) => s.custodian),
      file: `outputs/${name}`,
      sha256: file.sha256,
    };
    return { record, file };
  };

  return {
    prepare: async ({ step, context, credentials = [] }) => {
      const sets: Distribution['sets'] = [];
      const shapes = specOf(step).splits?.(step, definition) ?? [];
      for (const credential of credentials) {
        const to = shapes.find((s) => s.credential === credential)!;
        const rotates = to.replaces === true;
        const custodians = custodiansFor(definition, context, step, credential, to.of);
        if (rotates) {
          // The old set's quorum proves the old secret before anything new exists.
          secrets.combine(shareCollection(step.id, credential), manifestFor(deps.workdir, context, credential), oldSecretName(step.id, credential));
        }
        const secret = newSecret();
        // split() combines every threshold subset of the new shares and checks it against the
        // verifier before returning, so no share is shown until every quorum is known to work.
        const { shares, manifest, quorumsChecked } = split(secret, {
          threshold: to.threshold,
          of: to.of,
          custodians,
          label: credential,
          now: deps.clock(),
          ...(rotates ? { replaces: context.shareSets[credential]?.setId } : {}),
        });
        secrets.putSecret(newSecretName(step.id, credential), secret);
        for (const share of shares) handouts.put(step.id, credential, share.custodian, share.text);
        pending.set(`${step.id}:${credential}`, manifest);
        sets.push({ credential, setId: manifest.setId, custodians, quorumsChecked, confirmed: [] });
      }
      return { step: step.id, sets } satisfies Distribution;
    },
    bind: (step, session, credentials) => {
      const boundSecretName = (credential: string) => `bound-in-this-run:${credential}`;
      for (const credential of credentials) {
        // A token without data objects (NSS softoken) records nothing: the definitions that
        // use the set pin its manifest, which the journal records (share-binding.ts, HSM.md).
        if (!tokenCapabilities(deps.profile, definition.credentials[credential]!.token).dataObjects) continue;
        const manifest = pendingManifest(step, credential);
        const old = oldSecretName(step.id, credential);
        // A record on the token cannot be removed, so a later split of the same credential
        // must chain from it: the rotation's old quorum gives the old secret; for a set this
        // run bound itself (init-token, then split-credential under the SO), the run keeps
        // that set's secret in memory until it ends. After a restart it is gone, and a new
        // split of that credential is refused (docs/reliability.md).
        const earlier = secrets.hasSecret(old) ? old : secrets.hasSecret(boundSecretName(credential)) ? boundSecretName(credential) : undefined;
        secrets.withSecret(newSecretName(step.id, credential), (secret) => {
          const set = { setId: manifest.setId, manifestSha256: sha256(serializeManifest(manifest)).toString('hex'), secret };
          if (earlier === undefined) bindShareSet(session, credential, set);
          else secrets.withSecret(earlier, (previousSecret) => bindShareSet(session, credential, { ...set, previousSecret }));
          secrets.putSecret(boundSecretName(credential), Buffer.from(secret));
        });
      }
    },
    finish: (step, credentials) => {
      const result = { outputs: [] as FileRecord[], shareSets: [] as ShareSetRecord[] };
      for (const credential of credentials) {
        const manifest = pendingManifest(step, credential);
        const { record, file } = writeManifest(step, manifest, credential);
        result.outputs.push(file);
        result.shareSets.push(record);
        handouts.discard(step.id, credential, record.custodians);
        pending.delete(`${step.id}:${credential}`);
      }
      return result;
    },
  };
}
