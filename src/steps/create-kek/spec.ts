// create-kek: a key-encryption key for key backup (issue 18). 256 random bits, split M of N
// among the recovery custodians of a `kek: true` credential, each share handed out and typed
// back, never written anywhere; only the set's public manifest is written. The KEK touches no
// HSM here: backup-key and restore-key rebuild it from a quorum and put it on a token.
import { z } from 'zod';
import { manifestName } from '../shared/keys.js';
import { common, id } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('create-kek'), kek: id() });
export type CreateKekStep = z.infer<typeof schema>;

export const createKekSpec = {
  type: 'create-kek',
  schema,
  screen: { busy: 'busy.createKek' },
  sensitive: true,
  title: { en: 'Make and split the key-encryption key', 'zh-TW': '產製並分持金鑰加密金鑰' },
  governedBy: ['key-storage', 'activation-data'],
  splits: (step, definition) => [{ credential: step.kek, threshold: definition.credentials[step.kek]!.threshold, of: definition.credentials[step.kek]!.of }],
  produces: (step) => [{ name: manifestName(step.kek, step.id), kind: 'share-manifest', field: ['kek'] }],
  works: true,
  check: (step, scan) => {
    const credential = scan.data.credentials[step.kek];
    if (!credential) scan.problem(scan.at('kek'), `names credential "${step.kek}", which is not in credentials`);
    else if (credential.kek !== true) scan.problem(scan.at('kek'), `credential "${step.kek}" is a PIN; a key-encryption key is a credential with kek: true`);
    else scan.credentialsWithManifest.add(step.kek);
  },
  scriptRows: (step, { t, credential }) => [[t.credential, credential(step.kek)]],
  // As the other splitting steps: the new share set and who receives it before approval, and
  // the custodians named when the holders of the role are not exactly as many as the shares
  // (without the question, a sixth recovery custodian signed in made the split fail).
  screenFacts: (step, { credential, newShares }) => [...credential(step.kek), ...newShares()],
  asks: (_step, { custodians }) => custodians(),
} satisfies StepSpec<CreateKekStep>;
