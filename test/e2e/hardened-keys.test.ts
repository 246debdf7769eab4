// Issue 17 item 3: hardened keys on the token. After the Healthcare CA chain (EC P-384
// keys, helpers/chain.ts) the acceptance ceremony puts the HCA G3 certificate on the token
// beside its key. Checked with pkcs11-tool and openssl, not with keyceremony: the private
// key's CKA_ID is the certificate's subject key identifier, it signs and nothing else (no
// sign-recover), its CKA_ID cannot be changed (CKA_MODIFIABLE false), the certificate object
// has the key's label and CKA_ID and holds the accepted certificate, and the PEM chain and
// the certs-only PKCS#7 bundle hold the certificate and the root.
import t from 'tap';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { derFromDerOrPem } from '../../src/x509/index.js';
import { buildCanary } from '../helpers/canary.js';
import { CEREMONIES, journalRecords } from '../helpers/ceremony.js';
import { HCA_LABEL, prepareChain } from '../helpers/chain.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { openssl } from '../helpers/openssl.js';
import { pkcs11Tool, run, SOFTHSM_MODULE } from '../helpers/softhsm.js';

const chain = await prepareChain(t, 'grca-issue-hca-g3', { keys: 'ec-p384' });
const { env } = chain.store;
const hcaPin = buildCanary(Object.values(chain.workdirs)).pinOf('hca-user-pin');
if (!hcaPin) throw new Error('no HCA user PIN in the dry-run shares');

// The acceptance ceremony as written, with the chain's EC key and its subordinate profile copy.
const doc = parseDocument(readFileSync(join(CEREMONIES, 'hca-g3-accept.yaml'), 'utf8'));
doc.setIn(['keys', 'HCA-G3', 'algorithm'], 'EC-P-384');
doc.setIn(['profiles', 'subordinate-ca'], 'subordinate-ca.yaml');
const definition = join(chain.dir, 'ec-p384', 'hca-g3-accept.yaml');
writeFileSync(definition, doc.toString());
const answers = join(chain.dir, 'hca-g3-accept.answers.yaml');
copyFileSync(join(CEREMONIES, 'hca-g3-accept.answers.yaml'), answers);
const workdir = join(chain.dir, 'hca-g3-accept');
const certificateFile = join(chain.workdirs['grca-issue-hca-g3']!, 'outputs', 'hca-g3.crt');
const rootFile = join(chain.workdirs['dryrun-root-init']!, 'outputs', 'root-dryrun.crt');

/** pkcs11-tool logged in to the HCA token; the PIN goes in its environment, never on its command line. */
const loggedIn = (args: string[]) =>
  run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', HCA_LABEL, '--pin', 'env:KC_CHECK_PIN', ...args], {
    env: { ...env, KC_CHECK_PIN: hcaPin.toString('utf8') },
  });

/** The entry of object `label` in a pkcs11-tool listing. */
function entry(listing: string, heading: string, label: string): string {
  const found = listing.split(heading).find((part) => new RegExp(`label:\\s+${label}\\n`).test(part));
  if (!found) throw new Error(`no ${heading} "${label}" in:\n${listing}`);
  return found;
}

const ski = async (file: string) => {
  const text = await openssl(() => ['x509', '-in', file, '-noout', '-ext', 'subjectKeyIdentifier']);
  return /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(text.stdout)![1]!.replace(/:/g, '').toLowerCase();
};

t.test('the accepted certificate goes onto the token beside its key, and its chain into the outputs', async (t) => {
  const result = await keyceremony(['run', definition, '--hsm', chain.store.profile, '--workdir', workdir, '--answers', answers], { env });
  t.equal(result.code, 0, result.stderr);
  const certificateSki = await ski(certificateFile);
  t.match(certificateSki, /^[0-9a-f]{40}$/);

  const keys = await loggedIn(['--list-objects', '--type', 'privkey']);
  t.equal(keys.code, 0, keys.stderr);
  const key = entry(keys.stdout, 'Private Key Object', 'HCA-G3');
  t.match(key, new RegExp(`ID:\\s+${certificateSki}\\n`), "the private key's CKA_ID is the certificate's subject key identifier");
  t.match(key, /Usage:\s+sign\n/, 'sign only: no sign_recover, decrypt, unwrap or derive');
  // hca-g3-keygen generates the G3 key with backup: true (issue 18): extractable, under a trusted key only.
  t.match(key, /Access:\s+sensitive, always sensitive, extractable, local/);

  const certificates = await pkcs11Tool({ modulePath: SOFTHSM_MODULE, env }, ['--token-label', HCA_LABEL, '--list-objects', '--type', 'cert']);
  t.equal(certificates.code, 0, certificates.stderr);
  const object = entry(certificates.stdout, 'Certificate Object', 'HCA-G3');
  t.match(object, /type = X\.509 cert/);
  t.match(object, new RegExp(`ID:\\s+${certificateSki}\\n`), 'the certificate object has the same CKA_ID');
  const read = join(chain.dir, 'on-token.der');
  const exported = await pkcs11Tool({ modulePath: SOFTHSM_MODULE, env }, [
    '--token-label',
    HCA_LABEL,
    '--read-object',
    '--type',
    'cert',
    '--id',
    certificateSki,
    '--output-file',
    read,
  ]);
  t.equal(exported.code, 0, exported.stderr);
  t.same(readFileSync(read), derFromDerOrPem(readFileSync(certificateFile), 'CERTIFICATE', 'certificate'), 'the object holds the accepted certificate');

  const outputs = join(workdir, 'outputs');
  const printed = await openssl(() => ['pkcs7', '-in', join(outputs, 'hca-g3-certificate.p7b'), '-print_certs', '-noout']);
  t.equal(printed.code, 0, printed.stderr);
  const subjectOf = async (file: string) => (await openssl(() => ['x509', '-in', file, '-noout', '-subject'])).stdout.trim().replace(/^subject=/, '');
  t.same(
    [...printed.stdout.matchAll(/^subject=(.*)$/gm)].map((m) => m[1]),
    [await subjectOf(certificateFile), await subjectOf(rootFile)],
    'the PKCS#7 bundle holds the certificate, then the root',
  );
  const pemChain = readFileSync(join(outputs, 'hca-g3-certificate.chain.pem'), 'utf8');
  t.equal(pemChain.match(/-----BEGIN CERTIFICATE-----/g)?.length, 2, 'the PEM chain holds two certificates');
  const verify = await openssl(() => ['verify', '-x509_strict', '-CAfile', rootFile, join(outputs, 'hca-g3-certificate.chain.pem')]);
  t.equal(verify.code, 0, verify.stderr);

  const completed = journalRecords(workdir).find((r) => r.event === 'step.completed' && r.step === 'accept')!;
  const data = completed.data as { details: { tokenCertificate: unknown }; outputs: Array<{ name: string; kind: string }> };
  t.same(data.details.tokenCertificate, { token: 'hca', label: 'HCA-G3', id: certificateSki, alreadyThere: false });
  t.same(
    data.outputs.map((o) => [o.name, o.kind]),
    [
      ['hca-g3-certificate.acceptance.json', 'acceptance'],
      ['hca-g3-certificate.chain.pem', 'certificate-chain'],
      ['hca-g3-certificate.p7b', 'certificate-chain'],
    ],
  );
  const verified = await keyceremonyInProcess(['journal', 'verify', workdir], { env });
  t.equal(verified.code, 0, verified.stderr);
});

t.test('attack: the private key cannot be given another CKA_ID (CKA_MODIFIABLE false)', async (t) => {
  const attempt = await loggedIn(['--set-id', '01', '--type', 'privkey', '--label', 'HCA-G3']);
  t.not(attempt.code, 0, 'pkcs11-tool --set-id fails');
  t.match(
    attempt.stdout + attempt.stderr,
    /C_SetAttributeValue|0x1b|CKR_ACTION_PROHIBITED|CKR_ATTRIBUTE_READ_ONLY/i,
    'refused by the token, not by pkcs11-tool',
  );
  const keys = await loggedIn(['--list-objects', '--type', 'privkey']);
  t.match(entry(keys.stdout, 'Private Key Object', 'HCA-G3'), new RegExp(`ID:\\s+${await ski(certificateFile)}\\n`), 'the CKA_ID is unchanged');
});
