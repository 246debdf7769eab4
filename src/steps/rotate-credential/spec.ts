// rotate-credential: a quorum of the old set, a new random PIN, a new share set typed back
// by every new custodian, then C_SetPIN. Afterwards the old shares open nothing. `to`
// gives the new set another shape (threshold/of) than the credential's.
import { z } from 'zod';
import { tooManyQuorums } from '../../util/quorum-shape.js';
import { manifestName } from '../shared/keys.js';
import { common, id } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({
  ...common,
  type: z.literal('rotate-credential'),
  credential: id(),
  to: z.strictObject({ threshold: z.number().int(), of: z.number().int() }).optional(),
});
export type RotateCredentialStep = z.infer<typeof schema>;

export const rotateCredentialSpec = {
  type: 'rotate-credential',
  schema,
  screen: { busy: 'busy.setPin' },
  sensitive: true,
  title: { en: 'Change the PIN and its custodians', 'zh-TW': '變更 PIN 碼及保管人' },
  evidences: ['c'],
  governedBy: ['activation-data'],
  collects: (step) => step.credential,
  splits: (step, definition) => {
    const spec = definition.credentials[step.credential]!;
    return [{ credential: step.credential, ...(step.to ? step.to : { threshold: spec.threshold, of: spec.of }), replaces: true }];
  },
  produces: (step) => [{ name: manifestName(step.credential, step.id), kind: 'share-manifest', field: ['credential'] }],
  works: true,
  check: (step, scan) => {
    const credential = scan.data.credentials[step.credential];
    if (!credential) scan.problem(scan.at('credential'), `names credential "${step.credential}", which is not in credentials`);
    else {
      if (!scan.credentialsWithManifest.has(step.credential))
        scan.problem(scan.at('credential'), `credential "${step.credential}" has no share-set manifest: declare an input of kind share-manifest for it`);
      if (scan.unlocked.has(credential.token)) scan.problem(scan.at('credential'), `rotate-credential logs in itself: lock token "${credential.token}" first`);
      if (step.to && (step.to.threshold < 2 || step.to.threshold > step.to.of)) scan.problem(scan.at('to'), 'threshold must be at least 2 and at most of');
      const tooMany = step.to && tooManyQuorums(step.to.threshold, step.to.of);
      if (tooMany) scan.problem(scan.at('to'), tooMany);
    }
  },
  scriptRows: (step, { t, credential }) => [
    [t.credential, credential(step.credential)],
    ...(step.to ? [[t.newThreshold, t.threshold(step.to.threshold, step.to.of)] as const] : []),
  ],
  screenFacts: (step, { credential, newShares }) => [...credential(step.credential), ...newShares()],
  asks: (_step, { custodians }) => custodians(),
} satisfies StepSpec<RotateCredentialStep>;
