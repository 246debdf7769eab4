// load-kek (issue 18): the recovery custodians' quorum rebuilds the key-encryption key, and in
// the SO session an earlier unlock opened, the KEK goes onto the token as a trusted,
// non-extractable session object (only the SO can mark a key trusted). The SO then logs out;
// the session, and the KEK in it, stay open for the user's unlock and the backup-key step
// that follow. A lock in between closes the session, and the KEK with it.
import { z } from 'zod';
import { common, id } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('load-kek'), kek: id(), token: id() });
export type LoadKekStep = z.infer<typeof schema>;

export const loadKekSpec = {
  type: 'load-kek',
  schema,
  screen: { busy: 'busy.loadKek' },
  sensitive: true,
  title: { en: 'Put the key-encryption key on the token', 'zh-TW': '將金鑰加密金鑰載入載具' },
  governedBy: ['key-storage'],
  login: (step) => ({ token: step.token, userType: 'so' }),
  collects: (step) => step.kek,
  works: true,
  check: (step, scan) => {
    scan.needToken(scan.at('token'), step.token);
    const credential = scan.data.credentials[step.kek];
    if (!credential) scan.problem(scan.at('kek'), `names credential "${step.kek}", which is not in credentials`);
    else if (credential.kek !== true) scan.problem(scan.at('kek'), `credential "${step.kek}" is a PIN; a key-encryption key is a credential with kek: true`);
    else if (!scan.credentialsWithManifest.has(step.kek))
      scan.problem(scan.at('kek'), `credential "${step.kek}" is neither split by an earlier step nor has a share-manifest input`);
    if (scan.unlocked.get(step.token) !== 'so') scan.problem(scan.at('token'), `load-kek needs token "${step.token}" unlocked as SO by an earlier unlock step`);
    // The SO logs out at the end of the step: the user's unlock comes next.
    scan.unlocked.delete(step.token);
  },
  scriptRows: (step, { t, code, credential }) => [
    [t.credential, credential(step.kek)],
    [t.token, code(step.token)],
  ],
} satisfies StepSpec<LoadKekStep>;
