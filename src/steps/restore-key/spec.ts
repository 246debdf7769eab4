// restore-key (issue 18): a backup file (docs/backup-format.md) restored onto another token,
// standing in for the disaster-recovery site's HSM. The file, the KEK's share set and verifier
// and the MAC are checked before the token sees anything; C_UnwrapKey then restores the key as
// sensitive with the header's label and CKA_ID (the step names the label it expects), under the
// KEK a load-kek step put on this token; a test signature must verify under the header's public
// key, which the header's certificate carries. It stays non-extractable unless `backup: true`.
// A token that already holds the label is refused.
import { z } from 'zod';
import { common, id, keyLabel } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({
  ...common,
  type: z.literal('restore-key'),
  token: id(),
  kek: id(),
  from: z.string(),
  key: keyLabel,
  backup: z.boolean().optional(),
});
export type RestoreKeyStep = z.infer<typeof schema>;

export const restoreKeySpec = {
  type: 'restore-key',
  schema,
  screen: { busy: 'busy.restoreKey' },
  sensitive: true,
  title: { en: 'Restore the key from its backup', 'zh-TW': '由備份還原金鑰' },
  governedBy: ['key-storage'],
  login: (step) => ({ token: step.token, userType: 'user' }),
  generates: (step) => ({ label: step.key, token: step.token }),
  restoresFrom: (step) => ({ backup: step.from, kek: step.kek }),
  works: true,
  check: (step, scan) => {
    scan.needToken(scan.at('token'), step.token);
    scan.needLogin(scan.at('token'), step.token, step.type);
    const credential = scan.data.credentials[step.kek];
    if (!credential) scan.problem(scan.at('kek'), `names credential "${step.kek}", which is not in credentials`);
    else if (credential.kek !== true) scan.problem(scan.at('kek'), `credential "${step.kek}" is a PIN; a key-encryption key is a credential with kek: true`);
    scan.fileReference(scan.at('from'), step.from, ['key-backup']);
    const earlier = scan.keys.get(step.key);
    if (earlier)
      scan.problem(
        scan.at('key'),
        earlier.step ? `key "${step.key}" is already made by step "${earlier.step}"` : `key "${step.key}" is declared in keys as existing already`,
      );
    scan.keys.set(step.key, { token: step.token, step: step.id });
  },
  scriptRows: (step, { t, code, credential }) => [
    [t.credential, credential(step.kek)],
    [t.token, code(step.token)],
    [t.key, code(step.key)],
  ],
} satisfies StepSpec<RestoreKeyStep>;
