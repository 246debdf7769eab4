// split-credential: the SO, logged in, sets a new user PIN from a fresh share set
// (C_InitPIN). Writes the new set's manifest.
import { z } from 'zod';
import { manifestName } from '../shared/keys.js';
import { common, id } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('split-credential'), credential: id() });
export type SplitCredentialStep = z.infer<typeof schema>;

export const splitCredentialSpec = {
  type: 'split-credential',
  schema,
  screen: { busy: 'busy.setPin' },
  sensitive: true,
  title: { en: 'Set and split a new PIN', 'zh-TW': '設定並分持新 PIN 碼' },
  evidences: ['c'],
  governedBy: ['activation-data'],
  login: (step, definition) => ({ token: definition.credentials[step.credential]!.token, userType: 'so' }),
  splits: (step, definition) => [
    { credential: step.credential, threshold: definition.credentials[step.credential]!.threshold, of: definition.credentials[step.credential]!.of },
  ],
  produces: (step) => [{ name: manifestName(step.credential, step.id), kind: 'share-manifest', field: ['credential'] }],
  works: true,
  check: (step, scan) => {
    const credential = scan.data.credentials[step.credential];
    if (!credential) scan.problem(scan.at('credential'), `names credential "${step.credential}", which is not in credentials`);
    else {
      if (credential.user !== 'user')
        scan.problem(scan.at('credential'), 'split-credential sets a user PIN; the SO PIN is split by init-token or changed by rotate-credential');
      if (scan.unlocked.get(credential.token) !== 'so')
        scan.problem(scan.at('credential'), `split-credential needs token "${credential.token}" unlocked as SO by an earlier unlock step`);
      scan.credentialsWithManifest.add(step.credential);
    }
  },
  scriptRows: (step, { t, credential }) => [[t.credential, credential(step.credential)]],
  screenFacts: (step, { credential, newShares }) => [...credential(step.credential), ...newShares()],
  asks: (_step, { custodians }) => custodians(),
} satisfies StepSpec<SplitCredentialStep>;
