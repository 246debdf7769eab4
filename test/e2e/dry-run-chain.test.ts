// Issue 7 end to end: the whole Healthcare CA G3 chain (npm run dry-run) on throwaway
// SoftHSM tokens, then independent checks of its outputs and the refusals that matter:
// a tampered CSR, a certificate for another key, and old shares after a rotation.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derFromDerOrPem, toPem, verifyCsr, describeCertificate, createCsr, throwawaySigner, nameAttributesFrom } from '../../src/x509/index.js';
import { readCertificate } from '../../src/x509/certificate.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords } from '../helpers/ceremony.js';
import { dryRunOutput } from '../helpers/dry-run.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'kc-chain-'));
t.teardown(() => rmSync(parent, { recursive: true, force: true }));
// `npm run dry-run`, run once per test run and shared with the secret canary (helpers/dry-run.ts).
// The refusals below run in this process through main(argv, io) (helpers/in-process.ts): what
// they test is what keyceremony says and records. The impostor CSR's run stays a process of its
// own: its issuing step starts the RSA-4096 lint key in the background (src/x509/signer.ts),
// which a refused process's exit ends, and which here would go on using this process's CPU.
const dryRun = await dryRunOutput(join(parent, 'out'));
const { out, env } = dryRun;
const at = (...parts: string[]) => join(out, ...parts);
const profile = at('hsm-dry-run.yaml');

/** An answers file beside the chain's workdirs, so its relative paths resolve the same way. */
function answers(name: string, text: string): string {
  const file = at(name);
  writeFileSync(file, text);
  return file;
}

t.test('npm run dry-run: fifteen ceremonies, every check passes', async (t) => {
  const result = dryRun.result;
  t.equal(result.code, 0, result.stderr + result.stdout.slice(-3000));
  for (const check of [
    'openssl verify -x509_strict: HCA G3 certificate against the root',
    'HCA G3 certificate key = HCA-G3 on the HCA token (pkcs11-tool export)',
    'certificate subject = CSR subject',
    'openssl crl -verify: root CRL',
    'HCA-G2 is gone from the HCA token (pkcs11-tool)',
    'openssl verify -x509_strict: new stand-in root (self-signed)',
    'openssl verify -x509_strict: link certificate old -> new against the old root',
    'openssl verify -x509_strict: link certificate new -> old against the new root',
    'openssl verify -x509_strict: stand-in HCA G2 certificate (self-signed)',
    'openssl crl -verify: HCA G2 final CRL',
    // Issue 17 item 5: the G2 final CRL numbered from the G2 key's ledger, not the clock.
    "CA ledger of the HCA G2 key: chain, key, its certificate's serial, final CRL number 1 (openssl crl -crlnumber); it keeps the stand-in's ledger",
    'journal of hca-g2-destroy verifies',
    // Issue 18: the G3 key backed up, restored at the DR site, and signing there.
    'openssl crl -verify: test CRL signed by the restored key on HCA-DR, under the G3 certificate',
    'restored HCA-G3 on HCA-DR: sensitive, not extractable, sign only, CKA_ID of the G3 key, no KEK left (pkcs11-tool)',
    'journal of hca-kek-init verifies',
    'journal of hca-g3-backup verifies',
    'journal of hca-g3-restore-dr verifies',
    // Issue 17: the CA ledgers, and HCA G3 as an issuing CA (its CRL numbers count 1, 2).
    "CA ledger of the root key: chain, key, every serial it signed, CRL number 1 (openssl); each ceremony's ledger keeps the previous one",
    'CA ledger of the new root key: chain, key, both serials it signed (openssl)',
    'openssl verify -x509_strict: HCA G3 OCSP responder certificate under HCA G3 and the root',
    'HCA G3 OCSP responder certificate: EKU OCSP Signing only, keyUsage digitalSignature, OCSP No Check, at most 90 days (openssl x509)',
    'openssl crl -verify: hca-g3-ocsp-crl/outputs/hca-g3.crl under HCA G3',
    'openssl crl -verify: hca-g3-restore-dr/outputs/hca-g3-dr-test.crl under HCA G3',
    'CA ledger of the HCA G3 key: chain, key, the OCSP responder serial, CRL numbers 1, 2 (openssl crl -crlnumber)',
    'journal of hca-g3-ocsp-crl verifies',
    'keyceremony history over all workdirs: nothing flagged',
  ])
    t.match(result.stdout, `ok   ${check}`);
  t.match(result.stdout, 'subject                    CN=醫事憑證管理中心 - G3,O=行政院,C=TW');
});

t.test('the G3 certificate carries the CSR subject bytes and the HSM key, under the subordinate CA profile', async (t) => {
  const csr = verifyCsr(derFromDerOrPem(readFileSync(at('hca-g3-keygen/outputs/hca-g3.csr')), 'CERTIFICATE REQUEST', 'csr'));
  const certDer = derFromDerOrPem(readFileSync(at('grca-issue-hca-g3/outputs/hca-g3.crt')), 'CERTIFICATE', 'cert');
  const cert = readCertificate(certDer, 'cert');
  t.ok(cert.subject.equals(csr.subject), 'subject bytes identical to the CSR');
  t.ok(cert.spki.equals(csr.spki), 'public key identical to the CSR');
  const root = readCertificate(derFromDerOrPem(readFileSync(at('dryrun-root-init/outputs/root-dryrun.crt')), 'CERTIFICATE', 'root'), 'root');
  t.ok(cert.issuer.equals(root.subject), 'issuer bytes identical to the root subject');
  const described = describeCertificate(certDer);
  t.same(
    described.extensions.map((e) => `${e.name}${e.critical ? ' critical' : ''}`),
    [
      'authorityKeyIdentifier',
      'subjectKeyIdentifier',
      'keyUsage critical',
      'crlDistributionPoints',
      'authorityInfoAccess',
      'basicConstraints critical',
      'certificatePolicies',
    ],
    'extensions in the GRCA order, with its criticality',
  );
  t.match(described.serial, /^[0-9A-F]{32}$/, '16-byte serial');
  t.match(described.notAfter.taipei, /23:59:59/);
  // The keygen journal records the key whose fingerprint the certificate carries.
  const keygen = journalRecords(at('hca-g3-keygen')).find((r) => r.event === 'step.completed' && r.step === 'keygen')!;
  t.equal((keygen.data as { keys: Array<{ spkiSha256: string }> }).keys[0]!.spkiSha256, described.spkiSha256.sha256);
  // The journal says which PKCS#11 mechanism signed the CSR and the certificate (issue 19).
  const signedWith = (workdir: string, step: string) =>
    (journalRecords(at(workdir)).find((r) => r.event === 'step.completed' && r.step === step)!.data as { details: { signedWith: unknown } }).details.signedWith;
  t.same(signedWith('hca-g3-keygen', 'csr'), [{ hash: 'SHA-256', mechanism: 'CKM_SHA256_RSA_PKCS', hashedBy: 'token' }]);
  t.same(signedWith('grca-issue-hca-g3', 'issue'), [{ hash: 'SHA-256', mechanism: 'CKM_SHA256_RSA_PKCS', hashedBy: 'token' }]);
});

t.test('a tampered CSR (one byte) is refused by the issuing ceremony', async (t) => {
  const der = derFromDerOrPem(readFileSync(at('hca-g3-keygen/outputs/hca-g3.csr')), 'CERTIFICATE REQUEST', 'csr');
  const tampered = Buffer.from(der);
  tampered[tampered.length - 10]! ^= 0x01;
  writeFileSync(at('tampered.csr'), toPem('CERTIFICATE REQUEST', tampered));
  const text = readFileSync(at('grca-issue-hca-g3.answers.yaml'), 'utf8').replace('hca-g3-csr: hca-g3-keygen/outputs/hca-g3.csr', 'hca-g3-csr: tampered.csr');
  const result = await keyceremonyInProcess(
    [
      'run',
      join(ROOT, 'ceremonies/grca-issue-hca-g3.yaml'),
      '--hsm',
      profile,
      '--workdir',
      at('issue-tampered'),
      '--answers',
      answers('tampered.answers.yaml', text),
    ],
    { env },
  );
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr, /keyceremony: error: input "hca-g3-csr" \(.*tampered\.csr\).*signature/);
});

t.test("a valid CSR that is not the subscriber's is refused at the fingerprint read aloud", async (t) => {
  // RSA-4096 like the real one: a request for another key is refused before sign-in by csrKey
  // (test/x509/csr-key-binding.test.ts); only the fingerprint read aloud tells this one apart.
  const signer = await throwawaySigner({ type: 'RSA', bits: 4096 });
  const { pem } = await createCsr({ signer, subject: nameAttributesFrom({ C: 'TW', O: '行政院', CN: '醫事憑證管理中心 - G3' }) });
  writeFileSync(at('impostor.csr'), pem);
  // The root ledger as the chain left it (dryrun-root-link carried it on last): an older copy
  // is refused at prepare by the token's anchor, before the fingerprint is ever read aloud.
  const text = readFileSync(at('grca-issue-hca-g3.answers.yaml'), 'utf8')
    .replace('hca-g3-csr: hca-g3-keygen/outputs/hca-g3.csr', 'hca-g3-csr: impostor.csr')
    .replace('root-ledger: dryrun-root-init/outputs/root-ca.init.ledger', 'root-ledger: dryrun-root-link/outputs/root-ca.link.ledger');
  const workdir = at('issue-impostor');
  const result = await keyceremony(
    ['run', join(ROOT, 'ceremonies/grca-issue-hca-g3.yaml'), '--hsm', profile, '--workdir', workdir, '--answers', answers('impostor.answers.yaml', text)],
    { env },
  );
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr, 'step issue: the CSR fingerprint typed does not match the CSR brought to the ceremony');
  const records = journalRecords(workdir);
  t.ok(
    records.some((r) => r.event === 'event.refused' && (r.data as { code: string }).code === 'csr.fingerprint-mismatch'),
    'the refusal is in the journal',
  );
  t.notOk(
    records.some((r) => r.event === 'step.completed' && r.step === 'issue'),
    'nothing was issued',
  );
});

t.test('a certificate for another key is rejected by the acceptance ceremony', async (t) => {
  const wrongCert = 'hca-g3-certificate: dryrun-root-init/outputs/root-dryrun.crt';
  const base = readFileSync(at('hca-g3-accept.answers.yaml'), 'utf8').replace('hca-g3-certificate: grca-issue-hca-g3/outputs/hca-g3.crt', wrongCert);
  const accept = await keyceremonyInProcess(
    [
      'run',
      join(ROOT, 'ceremonies/hca-g3-accept.yaml'),
      '--hsm',
      profile,
      '--workdir',
      at('accept-wrong'),
      '--answers',
      answers('accept-wrong.answers.yaml', base),
    ],
    { env },
  );
  t.equal(accept.code, 2, accept.stderr);
  t.match(accept.stderr, /step accept: the certificate cannot be accepted: the certificate's public key is not key "HCA-G3"/);
  const reject = base.replace(
    'accept: { by: wang, witness: lin, decision: accept }',
    'accept: { by: wang, witness: lin, decision: reject, reason: not our key }',
  );
  const workdir = at('reject-wrong');
  const rejected = await keyceremonyInProcess(
    ['run', join(ROOT, 'ceremonies/hca-g3-accept.yaml'), '--hsm', profile, '--workdir', workdir, '--answers', answers('reject-wrong.answers.yaml', reject)],
    { env },
  );
  t.equal(rejected.code, 0, rejected.stderr);
  const record = JSON.parse(readFileSync(join(workdir, 'outputs', 'hca-g3-certificate.acceptance.json'), 'utf8')) as { decision: string; revocation: string };
  t.equal(record.decision, 'reject');
  t.match(record.revocation, 'must request its revocation');
});

t.test('after the custodian change the old shares open nothing and the new ones work', async (t) => {
  const definition = fileURLToPath(new URL('../fixtures/chain/hca-unlock-check.yaml', import.meta.url));
  const people = `participants:\n  - { id: wang, name: Wang, roles: [administrator] }\n  - { id: lin, name: Lin, roles: [witness] }\n  - { id: c1, name: C1, roles: [custodian] }\n  - { id: c2, name: C2, roles: [custodian] }\n  - { id: c3, name: C3, roles: [custodian] }\n`;
  const unlockWith = (manifest: string, dir: string, custodians: string[]) =>
    `ceremony: hca-unlock-check\n${people}inputs:\n  hca-user-pin-manifest: ${manifest}\nsteps:\n  unlock:\n    by: wang\n    witness: lin\n    shares:\n${custodians.map((c, i) => `      c${i + 1}: { file: ${dir}/dry-run-shares/${c} }`).join('\n')}\n`;
  // Each share is entered by the custodian the manifest names (hc… for the old set, hn…
  // for the new one), so nothing but the PIN itself can refuse the old shares.
  const oldAnswers = unlockWith('hca-token-init/outputs/hca-user-pin.init.manifest.json', 'hca-token-init', ['hc1', 'hc2', 'hc3'])
    .replace(/c(\d): \{ file/g, 'hc$1: { file')
    .replace(/id: c(\d), name: C\d/g, 'id: hc$1, name: HC$1');
  // The old set is no longer the one the token records: refused before any share is typed,
  // so not even a wrong PIN reaches the token.
  const old = await keyceremonyInProcess(
    ['run', definition, '--hsm', profile, '--workdir', at('old-shares'), '--answers', answers('old.answers.yaml', oldAnswers)],
    {
      env,
    },
  );
  t.equal(old.code, 2, old.stderr);
  t.match(
    old.stderr,
    /keyceremony: error: the share-set manifest inputs\/hca-user-pin-manifest of hca-user-pin \(set \w{8}, SHA-256 [0-9a-f]{64}\) is not the share set of hca-user-pin on token "HCA-DRYRUN", which records set \w{8}/,
  );
  t.match(old.stderr, 'an older set stops working when the credential is rotated');
  const newAnswers = unlockWith('hca-custodian-change/outputs/hca-user-pin.rotate.manifest.json', 'hca-custodian-change', ['hn2', 'hn4', 'hn5'])
    .replace(/c(\d): \{ file/g, (_m, n: string) => `hn${['2', '4', '5'][Number(n) - 1]}: { file`)
    .replace(/id: c(\d), name: C\d/g, (_m, n: string) => `id: hn${['2', '4', '5'][Number(n) - 1]}, name: HN${n}`);
  const fresh = await keyceremonyInProcess(
    ['run', definition, '--hsm', profile, '--workdir', at('new-shares'), '--answers', answers('new.answers.yaml', newAnswers)],
    {
      env,
    },
  );
  t.equal(fresh.code, 0, fresh.stderr);
  t.match(fresh.stdout, 'DRY RUN [2/4] unlock (unlock) done: by wang, lin; token hca unlocked');
});
