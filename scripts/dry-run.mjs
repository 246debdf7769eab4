#!/usr/bin/env node
// npm run dry-run [-- --out <dir>]
// node scripts/dry-run.mjs --out <dir>      (in an unpacked release: runs its ./keyceremony)
//
// The Healthcare CA's new-generation certificate chain, rehearsed end to end on throwaway
// SoftHSM tokens, headless, from the ceremony files and their dry-run answers:
//
//   dryrun-root-init       stand-in government root: token, RSA-4096 key, self-signed root
//   hca-token-init         Healthcare CA token; SO and user PINs split 3-of-5
//   dryrun-hca-g2-standin  a stand-in for the previous generation's (G2) key
//   hca-g3-keygen          HCA G3 RSA-4096 key and CSR
//   grca-issue-hca-g3      the root issues the HCA G3 certificate
//   hca-g3-accept          the HCA checks and accepts it
//   grca-crl               the root's CRL
//   dryrun-root-link       stand-in root generation change: new root key, old<->new link certificates
//   hca-custodian-change   the HCA user PIN rotated to a new 3-of-5 set
//   hca-g2-final-crl       the G2 key signs its last CRL
//   hca-g2-destroy         the G2 key destroyed (unlocked with the new shares)
//
// and then `keyceremony history` over all of them (written to <out>/history.md).
//
// Each ceremony runs in its own workdir <out>/<ceremony id>/, outputs feed forward, and the
// chain is then checked with openssl and pkcs11-tool. Share files exist only because the
// HSM profile says dryRun: true; they live in each workdir's dry-run-shares/ folder.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/bin.js');
// In an unpacked release (npm run release; it has SHA256SUMS) this driver runs the release's
// launcher, which checks the Node version; in a checkout, the compiled dist/.
const installed = existsSync(join(root, 'SHA256SUMS'));
const [keyceremony, ...keyceremonyArgs] = installed ? [join(root, 'keyceremony')] : [process.execPath, bin];
const argOut = process.argv.indexOf('--out');
const out = resolve(argOut > 0 ? process.argv[argOut + 1] : join(root, 'dry-run-output'));
const MARKER = '.keyceremony-dry-run';
const MODULE = process.env.KEYCEREMONY_PKCS11_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export const CHAIN = [
  'dryrun-root-init',
  'hca-token-init',
  'dryrun-hca-g2-standin',
  'hca-g3-keygen',
  'grca-issue-hca-g3',
  'hca-g3-accept',
  'grca-crl',
  'dryrun-root-link',
  'hca-custodian-change',
  'hca-g2-final-crl',
  'hca-g2-destroy',
];

function fail(message, hint) {
  console.error(`dry-run: error: ${message}`);
  if (hint) console.error(`dry-run: hint: ${hint}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const input = typeof options.input === 'string' && options.encoding === 'buffer' ? Buffer.from(options.input) : options.input;
  const result = spawnSync(command, args, { encoding: 'utf8', env: process.env, ...options, input });
  if (result.error) fail(`${command}: ${result.error.message}`);
  return result;
}

if (!existsSync(bin)) fail('dist/ is missing', 'run `npm ci` (it builds) or `npm run build` first');
// An output folder inside the release would be extra files to `keyceremony self-check`.
if (installed && argOut < 0) fail('no --out folder given', `give one outside the installed release: node ${join(root, 'scripts/dry-run.mjs')} --out /tmp/rehearsal`);
if (existsSync(out) && readdirSync(out).length > 0) {
  if (!existsSync(join(out, MARKER))) fail(`${out} exists and is not a dry-run output folder`, 'give an empty or new folder with -- --out <dir>');
  rmSync(out, { recursive: true, force: true });
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, MARKER), 'made by npm run dry-run; deleted by the next dry run\n');

// A throwaway token store, used only through SOFTHSM2_CONF.
const setup = run(join(root, 'scripts/softhsm-setup.sh'), ['--store', join(out, 'softhsm')]);
if (setup.status !== 0) fail(`softhsm-setup.sh failed: ${setup.stderr.trim()}`);
process.env.SOFTHSM2_CONF = join(out, 'softhsm', 'softhsm2.conf');

const profile = join(out, 'hsm-dry-run.yaml');
writeFileSync(profile, `# Rehearsal tokens in ${join(out, 'softhsm')}\nmodule: ${MODULE}\ndryRun: true\ntokens:\n  root: { label: ROOT-DRYRUN }\n  hca: { label: HCA-DRYRUN }\n`);

const started = Date.now();
for (const id of CHAIN) {
  copyFileSync(join(root, 'ceremonies', `${id}.answers.yaml`), join(out, `${id}.answers.yaml`));
  console.log(`\n== ${id}`);
  const result = run(keyceremony, [...keyceremonyArgs, 'run', join(root, 'ceremonies', `${id}.yaml`), '--hsm', profile, '--workdir', join(out, id), '--answers', join(out, `${id}.answers.yaml`)], { stdio: 'inherit' });
  if (result.status !== 0) fail(`ceremony ${id} exited ${result.status}`, `its journal is in ${join(out, id)}`);
}

// Independent checks of what the chain produced.
const file = (...parts) => join(out, ...parts);
const checks = [];
const check = (name, ok, detail) => {
  checks.push({ name, ok, detail });
  if (!ok) console.error(`dry-run: check failed: ${name}: ${detail}`);
};
const rootCert = file('dryrun-root-init', 'outputs', 'root-dryrun.crt');
const g3Cert = file('grca-issue-hca-g3', 'outputs', 'hca-g3.crt');
const csr = file('hca-g3-keygen', 'outputs', 'hca-g3.csr');

const verify = run('openssl', ['verify', '-x509_strict', '-CAfile', rootCert, g3Cert]);
check('openssl verify -x509_strict: HCA G3 certificate against the root', verify.status === 0, (verify.stdout + verify.stderr).trim());

const certKey = run('openssl', ['x509', '-in', g3Cert, '-noout', '-pubkey']).stdout;
const certKeyDer = run('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: certKey, encoding: 'buffer' }).stdout;
const exported = file('hca-g3-public-key.der');
const p11 = run('pkcs11-tool', ['--module', MODULE, '--token-label', 'HCA-DRYRUN', '--read-object', '--type', 'pubkey', '--label', 'HCA-G3', '--output-file', exported]);
check('HCA G3 certificate key = HCA-G3 on the HCA token (pkcs11-tool export)', p11.status === 0 && readFileSync(exported).equals(certKeyDer), p11.stderr.trim() || 'compared DER SubjectPublicKeyInfo');

const subjectOf = (args) => run('openssl', [...args, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb']).stdout.trim().replace(/^subject=/, '');
const csrSubject = subjectOf(['req', '-in', csr]);
check('certificate subject = CSR subject', subjectOf(['x509', '-in', g3Cert]) === csrSubject, csrSubject);

const crl = run('openssl', ['crl', '-in', file('grca-crl', 'outputs', 'root.crl'), '-CAfile', rootCert, '-noout', '-verify']);
check('openssl crl -verify: root CRL', crl.status === 0 && /verify OK/.test(crl.stdout + crl.stderr), (crl.stdout + crl.stderr).trim());

const strictly = (name, caFile, certificate) => {
  const result = run('openssl', ['verify', '-x509_strict', '-CAfile', caFile, certificate]);
  check(`openssl verify -x509_strict: ${name}`, result.status === 0, (result.stdout + result.stderr).trim());
};
const newRoot = file('dryrun-root-link', 'outputs', 'root-new-dryrun.crt');
strictly('new stand-in root (self-signed)', newRoot, newRoot);
strictly('link certificate old -> new against the old root', rootCert, file('dryrun-root-link', 'outputs', 'root-old-to-new.crt'));
strictly('link certificate new -> old against the new root', newRoot, file('dryrun-root-link', 'outputs', 'root-new-to-old.crt'));
const g2Cert = file('dryrun-hca-g2-standin', 'outputs', 'hca-g2-standin.crt');
strictly('stand-in HCA G2 certificate (self-signed)', g2Cert, g2Cert);

const g2Crl = run('openssl', ['crl', '-in', file('hca-g2-final-crl', 'outputs', 'hca-g2-final.crl'), '-CAfile', file('dryrun-hca-g2-standin', 'outputs', 'hca-g2-standin.crt'), '-noout', '-verify']);
check('openssl crl -verify: HCA G2 final CRL', g2Crl.status === 0 && /verify OK/.test(g2Crl.stdout + g2Crl.stderr), (g2Crl.stdout + g2Crl.stderr).trim());

const g2 = run('pkcs11-tool', ['--module', MODULE, '--token-label', 'HCA-DRYRUN', '--list-objects', '--type', 'pubkey']);
check('HCA-G2 is gone from the HCA token (pkcs11-tool)', g2.status === 0 && !/label:\s+HCA-G2/.test(g2.stdout) && /label:\s+HCA-G3/.test(g2.stdout), 'listed public keys');

const journals = CHAIN.map((id) => ({ id, result: run(keyceremony, [...keyceremonyArgs, 'journal', 'verify', file(id)]) }));
for (const { id, result } of journals) check(`journal of ${id} verifies`, result.status === 0, result.stdout.split('\n')[0] ?? '');

// The history across all the workdirs (issue 20): every input an earlier output, keys,
// share sets, tokens and the HSM's bag numbers in order. Written beside the workdirs.
const history = run(keyceremony, [...keyceremonyArgs, 'history', out]);
if (history.status === 0 || history.status === 1) writeFileSync(file('history.md'), history.stdout);
check('keyceremony history over all workdirs: nothing flagged', history.status === 0, history.stderr.trim() || `written to ${file('history.md')}`);

// The summary.
const sha256 = (path) => run('openssl', ['dgst', '-sha256', '-r', path]).stdout.split(' ')[0];
console.log(`\n== dry-run summary (${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`ceremonies: ${CHAIN.length} run, in ${out}/<ceremony id>/ (journal.jsonl, outputs/, state.json)`);
console.log(`HCA G3 key SPKI sha256     ${run('openssl', ['dgst', '-sha256', '-r'], { input: certKeyDer, encoding: 'buffer' }).stdout.toString().split(' ')[0]}`);
console.log(`HCA G3 CSR sha256          ${sha256(csr)}  (${csr})`);
console.log(`HCA G3 certificate sha256  ${sha256(g3Cert)}  (${g3Cert})`);
console.log(`dry-run root sha256        ${sha256(rootCert)}  (${rootCert})`);
console.log(`subject                    ${csrSubject}`);
for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`);
if (checks.some((c) => !c.ok)) process.exit(1);
console.log('\nall checks passed; token store: SOFTHSM2_CONF=' + process.env.SOFTHSM2_CONF);
