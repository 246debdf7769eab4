// unlock: custodians enter shares until the threshold; the shares are checked against the
// manifest as they are typed, combined and verified, and only then is the PIN derived and
// C_Login called.
import { z } from 'zod';
import { common, id } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('unlock'), credential: id() });
export type UnlockStep = z.infer<typeof schema>;

export const unlockSpec = {
  type: 'unlock',
  schema,
  screen: { busy: 'busy.unlock' },
  sensitive: true,
  title: { en: 'Unlock the token with a quorum', 'zh-TW': '多人控管啟用載具' },
  evidences: ['c'],
  collects: (step) => step.credential,
  works: true,
  check: (step, scan) => {
    const credential = scan.data.credentials[step.credential];
    if (!credential) scan.problem(scan.at('credential'), `names credential "${step.credential}", which is not in credentials`);
    else {
      if (!scan.credentialsWithManifest.has(step.credential)) {
        scan.problem(scan.at('credential'), `credential "${step.credential}" is neither split by an earlier step nor has a share-manifest input`);
      }
      if (scan.unlocked.has(credential.token)) scan.problem(scan.at('credential'), `token "${credential.token}" is already unlocked; lock it first`);
      scan.unlocked.set(credential.token, credential.user);
    }
  },
  scriptRows: (step, { t, credential }) => [[t.credential, credential(step.credential)]],
  screenFacts: (step, { credential }) => credential(step.credential),
} satisfies StepSpec<UnlockStep>;
