// backup-key (issue 18): the key, generated with backup: true, wrapped with
// CKM_AES_KEY_WRAP_PAD under the KEK a load-kek step put on its token, written to outputs as
// a versioned backup file (docs/backup-format.md) with a MAC under the KEK; then the session
// KEK is destroyed. The token must be unlocked as user (after load-kek, in the same session).
import { z } from 'zod';
import { keyLogin } from '../shared/keys.js';
import { common, id, keyLabel } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('backup-key'), key: keyLabel, kek: id(), output: z.string(), certificate: z.string().optional() });
export type BackupKeyStep = z.infer<typeof schema>;

export const backupKeySpec = {
  type: 'backup-key',
  schema,
  screen: { busy: 'busy.backupKey' },
  sensitive: true,
  title: { en: 'Back up the key under the key-encryption key', 'zh-TW': '以金鑰加密金鑰備份金鑰' },
  governedBy: ['key-storage'],
  login: keyLogin,
  backsUp: (step) => step.key,
  produces: (step) => [{ name: step.output, kind: 'key-backup', field: ['output'] }],
  works: true,
  check: (step, scan) => {
    const key = scan.useKey(scan.at('key'), step.key);
    if (key) scan.needLogin(scan.at('key'), key.token, step.type);
    const credential = scan.data.credentials[step.kek];
    if (!credential) scan.problem(scan.at('kek'), `names credential "${step.kek}", which is not in credentials`);
    else if (credential.kek !== true) scan.problem(scan.at('kek'), `credential "${step.kek}" is a PIN; a key-encryption key is a credential with kek: true`);
    if (step.certificate !== undefined) scan.fileReference(scan.at('certificate'), step.certificate, ['certificate']);
  },
  scriptRows: (step, { t, code, credential }) => [
    [t.credential, credential(step.kek)],
    [t.key, code(step.key)],
    ...(step.certificate !== undefined ? [[t.certificate, code(step.certificate)] as const] : []),
    [t.output, code(step.output)],
  ],
} satisfies StepSpec<BackupKeyStep>;
