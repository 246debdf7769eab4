// create-csr: a certificate request signed inside the HSM with a key on a logged-in token,
// checked (proof of possession) and written as one PEM output.
import { z } from 'zod';
import { keyLogin } from '../shared/keys.js';
import { common, hash, keyLabel, subject } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('create-csr'), key: keyLabel, subject, hash: hash.optional(), output: z.string() });
export type CreateCsrStep = z.infer<typeof schema>;

export const createCsrSpec = {
  type: 'create-csr',
  schema,
  screen: { busy: 'busy.sign' },
  sensitive: true,
  title: { en: 'Create the certificate request', 'zh-TW': '產製憑證申請檔' },
  governedBy: ['key-generation'],
  login: keyLogin,
  produces: (step) => [{ name: step.output, kind: 'csr', field: ['output'] }],
  works: true,
  x509: (step) => ({ subject: { at: 'subject', name: step.subject } }),
  check: (step, scan) => {
    const key = scan.useKey(scan.at('key'), step.key);
    if (key) scan.needLogin(scan.at('key'), key.token, step.type);
  },
} satisfies StepSpec<CreateCsrStep>;
