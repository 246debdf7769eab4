// create-csr: a certificate request signed inside the HSM with a key on a logged-in token,
// checked (proof of possession) and written as one PEM output.
import { z } from 'zod';
import { keyLogin } from '../shared/keys.js';
import { common, hash, keyLabel, subject } from '../shared/step-schema.js';
import type { CeremonyContext } from '../../ceremony/types.js';
import type { Definition } from '../../definition/definition.js';
import { defaultHash } from '../../util/key-algorithm.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('create-csr'), key: keyLabel, subject, hash: hash.optional(), output: z.string() });
export type CreateCsrStep = z.infer<typeof schema>;

/**
 * The hash the CSR will be signed with, as the screen must say it: the step's own, else the
 * key's default (x509 algorithms.ts: SHA-256 for RSA, the curve's size for EC).
 */
function csrHash(step: CreateCsrStep, context: CeremonyContext, definition: Definition): string {
  if (step.hash) return step.hash;
  const algorithm = context.keys[step.key]?.algorithm ?? definition.keys[step.key]?.algorithm;
  return algorithm ? defaultHash(algorithm) : 'SHA-256';
}

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
  scriptRows: (step, { t, code, dn }) => [
    [t.key, code(step.key)],
    [t.subject, dn(step.subject)],
    ...(step.hash ? [[t.hash, step.hash] as const] : []),
    [t.output, code(step.output)],
  ],
  screenNotes: (_step, { t }) => [{ kind: 'text', text: t('signing.readAloud'), tone: 'muted' }],
  screenFacts: (step, { t, dn, key, context, definition }) => [
    { label: t('facts.subject'), value: dn(step.subject) },
    ...key(step.key),
    { label: t('facts.hash'), value: csrHash(step, context, definition) },
    { label: t('facts.output'), value: step.output },
  ],
} satisfies StepSpec<CreateCsrStep>;
