// issue-link-certificate: in a generation change, one root key certifies another root's key
// and name, taken from that root's self-signed certificate (the link-ca profile): old → new
// lets relying parties that trust only the old root reach the new one, new → old the
// reverse. The witness approves what the screen shows will be signed (issue 17 item 7).
import { z } from 'zod';
import { keyLogin } from '../shared/keys.js';
import { common, id, keyLabel, ledgerProduced, ledgerSpec, checkLedgerReferences } from '../shared/step-schema.js';
import type { StepSpec } from '../spec-types.js';

const schema = z.strictObject({
  ...common,
  type: z.literal('issue-link-certificate'),
  /** The signing root's key, and its own certificate. */
  key: keyLabel,
  issuer: z.string(),
  /** The self-signed certificate of the root whose key and name the link certifies. */
  certifies: z.string(),
  profile: id(),
  output: z.string(),
  /** The signing root key's CA ledger: the link certificate's serial is recorded in it. */
  ledger: ledgerSpec.optional(),
});
export type IssueLinkCertificateStep = z.infer<typeof schema>;

export const issueLinkCertificateSpec = {
  type: 'issue-link-certificate',
  schema,
  screen: { busy: 'busy.sign' },
  sensitive: true,
  title: { en: 'Issue the link certificate', 'zh-TW': '簽發串接憑證' },
  governedBy: ['key-usage'],
  login: keyLogin,
  produces: (step) => [{ name: step.output, kind: 'certificate', field: ['output'] }, ...ledgerProduced(step)],
  prepares: true,
  works: true,
  check: (step, scan) => {
    const key = scan.useKey(scan.at('key'), step.key);
    if (key) scan.needLogin(scan.at('key'), key.token, step.type);
    scan.fileReference(scan.at('issuer'), step.issuer, ['certificate']);
    scan.fileReference(scan.at('certifies'), step.certifies, ['certificate']);
    scan.needProfile(scan.at('profile'), step.profile);
    checkLedgerReferences(step.ledger, scan);
  },
  scriptRows: (step, { t, code }) => [
    [t.key, code(step.key)],
    [t.issuer, code(step.issuer)],
    [t.certificate, code(step.certifies)],
    [t.profile, code(step.profile)],
    [t.output, code(step.output)],
  ],
} satisfies StepSpec<IssueLinkCertificateStep>;
