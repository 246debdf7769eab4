#!/usr/bin/env node
// npm run dry-run [-- --out <dir>] [-- --hsm softhsm|nss]
// node scripts/dry-run.mjs --out <dir>      (in an unpacked release: runs its ./keyceremony)
//
// The Healthcare CA's new-generation certificate chain, rehearsed end to end on throwaway
// SoftHSM tokens, headless, from the ceremony files and their dry-run answers:
//
//   dryrun-root-init       stand-in government root: token, RSA-4096 key, self-signed root
//   hca-token-init         Healthcare CA token; SO and user PINs split 3-of-5
//   dryrun-hca-g2-standin  a stand-in for the previous generation's (G2) key, certificate and CA ledger
//   hca-g3-keygen          HCA G3 RSA-4096 key and CSR
//   grca-issue-hca-g3      the root issues the HCA G3 certificate
//   hca-g3-accept          the HCA checks and accepts it
//   hca-g3-ocsp-crl        HCA G3 issues its OCSP responder certificate and its first CRL (opens its CA ledger)
//   hca-kek-init           the key-encryption key for key backup, split 3-of-5 among recovery custodians
//   hca-g3-backup          the HCA G3 key wrapped under the KEK into a backup file
//   hca-g3-restore-dr      the backup restored onto the DR site's HSM (token HCA-DR); it signs a test CRL
//   grca-crl               the root's CRL
//   dryrun-root-link       stand-in root generation change: new root key, old<->new link certificates
//   hca-custodian-change   the HCA user PIN rotated to a new 3-of-5 set
//   hca-g2-final-crl       the G2 key signs its last CRL, numbered from the G2 ledger
//   hca-g2-destroy         the G2 key destroyed (unlocked with the new shares)
//
// and then `keyceremony history` over all of them (written to <out>/history.md).
//
// hca-g3-backup and hca-g3-restore-dr pin the SHA-256 of the KEK's share-set manifest, which
// only exists once hca-kek-init has run: as at a real CA, where the definitions are completed
// and approved after the KEK ceremony, the chain runs copies of them (<out>/<id>.pinned.yaml) with the
// hash this run's hca-kek-init made in place of the zeros the files in ceremonies/ carry.
//
// Each ceremony runs in its own workdir <out>/<ceremony id>/, outputs feed forward, and the
// chain is then checked with openssl and pkcs11-tool. Share files exist only because the
// HSM profile says dryRun: true; they live in each workdir's dry-run-shares/ folder.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/bin.js');
// In an unpacked release (npm run release; it has SHA256SUMS) this driver runs the release's
// launcher, which checks the Node version; in a checkout, the compiled dist/.
const installed = existsSync(join(root, 'SHA256SUMS'));
const [keyceremony, ...keyceremonyArgs] = installed ? [join(root, 'keyceremony')] : [process.execPath, bin];
const argOut = process.argv.indexOf('--out');
const out = resolve(argOut > 0 ? process.argv[argOut + 1] : join(root, 'dry-run-output'));
const MARKER = '.keyceremony-dry-run';
const argHsm = process.argv.indexOf('--hsm');
// --hsm nss: the same chain on NSS softoken (issue 19; HSM.md "The dry-run chain on NSS softoken").
const HSM = argHsm > 0 ? process.argv[argHsm + 1] : 'softhsm';
const MODULE =
  HSM === 'nss'
    ? (process.env.KEYCEREMONY_NSS_MODULE ?? '/usr/lib/x86_64-linux-gnu/libsoftokn3.so')
    : (process.env.KEYCEREMONY_PKCS11_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so');

export const CHAIN = [
  'dryrun-root-init',
  'hca-token-init',
  'dryrun-hca-g2-standin',
  'hca-g3-keygen',
  'grca-issue-hca-g3',
  'hca-g3-accept',
  'hca-g3-ocsp-crl',
  'hca-kek-init',
  'hca-g3-backup',
  'hca-g3-restore-dr',
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

if (HSM !== 'softhsm' && HSM !== 'nss') fail(`--hsm ${HSM}: unknown`, 'give --hsm softhsm (the default) or --hsm nss');
if (!existsSync(bin)) fail('dist/ is missing', 'run `npm ci` (it builds) or `npm run build` first');
// An output folder inside the release would be extra files to `keyceremony self-check`.
if (installed && argOut < 0)
  fail('no --out folder given', `give one outside the installed release: node ${join(root, 'scripts/dry-run.mjs')} --out /tmp/rehearsal`);
if (existsSync(out) && readdirSync(out).length > 0) {
  if (!existsSync(join(out, MARKER))) fail(`${out} exists and is not a dry-run output folder`, 'give an empty or new folder with -- --out <dir>');
  rmSync(out, { recursive: true, force: true });
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, MARKER), 'made by npm run dry-run; deleted by the next dry run\n');

const profile = join(out, 'hsm-dry-run.yaml');
// NSS softoken: its tokens are named by C_Initialize's parameters, each in its own database
// folder, and labelled by them (src/hsm/nss.ts). A blank database is the blank token that
// init-token takes: NSS's own "vendor tool" step is making the folder.
const nssDir = join(out, 'nss');
const nssInitArgs = () => {
  const tokens = ['ROOT-DRYRUN', 'HCA-DRYRUN'].map(
    (label, i) => `0x${(4 + i).toString(16).padStart(2, '0')}=[configdir='sql:${join(nssDir, label)}' tokenDescription='${label}']`,
  );
  return `configdir='sql:${nssDir}' certPrefix='' keyPrefix='' secmod='secmod.db' flags=noModDB tokens=<${tokens.join(' ')}>`;
};
if (HSM === 'nss') {
  for (const label of ['ROOT-DRYRUN', 'HCA-DRYRUN']) mkdirSync(join(nssDir, label), { recursive: true });
  writeFileSync(
    profile,
    `# Rehearsal tokens in ${nssDir} (NSS softoken; HSM.md)\nmodule: ${MODULE}\ninitArgs: "${nssInitArgs()}"\ndryRun: true\n` +
      'capabilities: { initToken: true, initTokenLabel: false, soPin: false, uniqueSerials: false, dataObjects: false, ckaLocal: false, keyCopy: false }\n' +
      'tokens:\n  root: { label: ROOT-DRYRUN }\n  hca: { label: HCA-DRYRUN }\n',
  );
} else {
  // A throwaway token store, used only through SOFTHSM2_CONF.
  const setup = run(join(root, 'scripts/softhsm-setup.sh'), ['--store', join(out, 'softhsm')]);
  if (setup.status !== 0) fail(`softhsm-setup.sh failed: ${setup.stderr.trim()}`);
  process.env.SOFTHSM2_CONF = join(out, 'softhsm', 'softhsm2.conf');
  writeFileSync(
    profile,
    `# Rehearsal tokens in ${join(out, 'softhsm')}\nmodule: ${MODULE}\ndryRun: true\ntokens:\n  root: { label: ROOT-DRYRUN }\n  hca: { label: HCA-DRYRUN }\n  hca-dr: { label: HCA-DR }\n`,
  );
}

// The KEK manifest's SHA-256, pinned in a copy of each definition that names it (see above).
const KEK_MANIFEST = join(out, 'hca-kek-init', 'outputs', 'hca-backup-kek.make-kek.manifest.json');
const UNPINNED = `sha256: "${'0'.repeat(64)}"`;
const PINS_KEK = new Set(['hca-g3-backup', 'hca-g3-restore-dr']);
// On NSS softoken the backup ceremonies cannot run: they need an SO login (hca-kek-init) and a
// trusted KEK (CKA_TRUSTED), which NSS softoken has not. The NSS chain skips them.
const NSS_SKIPS = ['hca-kek-init', 'hca-g3-backup', 'hca-g3-restore-dr'];
const runs = (id) => HSM !== 'nss' || !NSS_SKIPS.includes(id);
// hca-kek-init and hca-g3-backup would open the HCA HSM's bag TB100005 and seal it in TB100007; without them the
// next ceremony on that HSM opens TB100005, or history rightly flags the gap.
const NSS_ANSWERS = { 'hca-custodian-change': ['hsm-bag-in: TB100007', 'hsm-bag-in: TB100005'] };
function copyAnswers(id) {
  const answers = readFileSync(join(root, 'ceremonies', `${id}.answers.yaml`), 'utf8');
  const change = HSM === 'nss' ? NSS_ANSWERS[id] : undefined;
  if (change && !answers.includes(change[0]))
    fail(`ceremonies/${id}.answers.yaml no longer has "${change[0]}"`, 'update NSS_ANSWERS in scripts/dry-run.mjs to match');
  writeFileSync(join(out, `${id}.answers.yaml`), change ? answers.replace(change[0], change[1]) : answers);
}

/**
 * The definition a ceremony runs from. On SoftHSM, the reviewed file in ceremonies/. On NSS
 * softoken, a copy in <out>/definitions/ (beside a copy of ceremonies/profiles/) adapted as a
 * site with such tokens would write it, and as `hsm check` demands of the originals: an
 * init-token step splits no SO PIN (the token has none; its SO credential goes when no other
 * step names it), and every share-set manifest brought in is pinned by its SHA-256 (the token
 * cannot record share sets), from the earlier ceremony's output the answers name.
 */
function definitionFor(id) {
  const original = join(root, 'ceremonies', `${id}.yaml`);
  if (HSM !== 'nss') {
    if (!PINS_KEK.has(id)) return original;
    const text = readFileSync(original, 'utf8');
    if (!text.includes(UNPINNED)) fail(`${original} no longer carries the unpinned KEK manifest hash`, `update scripts/dry-run.mjs to match`);
    const sha256 = createHash('sha256').update(readFileSync(KEK_MANIFEST)).digest('hex');
    const copy = join(out, `${id}.pinned.yaml`);
    writeFileSync(
      copy,
      `# DRY-RUN COPY of ceremonies/${id}.yaml, the KEK manifest of this run's hca-kek-init pinned (scripts/dry-run.mjs)\n${text.replace(UNPINNED, `sha256: "${sha256}"`)}`,
    );
    return copy;
  }
  const dir = join(out, 'definitions');
  if (!existsSync(dir)) {
    mkdirSync(dir);
    cpSync(join(root, 'ceremonies', 'profiles'), join(dir, 'profiles'), { recursive: true });
  }
  let text = readFileSync(original, 'utf8');
  const dropped = [];
  text = text.replace(/^(\s+)so: ([a-z0-9-]+)\n/gm, (_, indent, credential) => (dropped.push(credential), ''));
  for (const credential of dropped) {
    text = text.replace(new RegExp(`^\\s+${credential}: \\{[^\\n]*\\}\\n`, 'm'), '');
    if (text.includes(credential)) fail(`${id}: the SO credential ${credential} is named by another step, which NSS softoken (no SO PIN) cannot run`);
  }
  const answers = readFileSync(join(out, `${id}.answers.yaml`), 'utf8');
  text = text.replace(/^(\s+)([a-z0-9-]+): \{ kind: share-manifest,/gm, (line, indent, name) => {
    const path = new RegExp(`^\\s+${name}: (\\S+)$`, 'm').exec(answers)?.[1];
    if (!path) fail(`${id}: the answers name no file for input ${name}`);
    const sha256 = createHash('sha256')
      .update(readFileSync(join(out, path)))
      .digest('hex');
    return `${indent}${name}: { kind: share-manifest, sha256: "${sha256}",`;
  });
  const adapted = join(dir, `${id}.yaml`);
  writeFileSync(
    adapted,
    `# Adapted for NSS softoken by scripts/dry-run.mjs from ceremonies/${id}.yaml${dropped.length ? ` (SO credential dropped: ${dropped.join(', ')})` : ''}\n${text}`,
  );
  return adapted;
}

const started = Date.now();
if (HSM === 'nss')
  console.log(`skipped on NSS softoken: ${NSS_SKIPS.join(', ')}, because they need an SO login and a trusted KEK (CKA_TRUSTED), which NSS softoken has not`);
for (const id of CHAIN.filter(runs)) {
  copyAnswers(id);
  console.log(`\n== ${id}`);
  const result = run(
    keyceremony,
    [...keyceremonyArgs, 'run', definitionFor(id), '--hsm', profile, '--workdir', join(out, id), '--answers', join(out, `${id}.answers.yaml`)],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) fail(`ceremony ${id} exited ${result.status}`, `its journal is in ${join(out, id)}`);
}

/**
 * The PIN of `credential`, rebuilt from the dry-run share files of `workdir` and the set's
 * manifest in its outputs, with the tool's own quorum code in dist/ (a checkout only; an
 * installed release has it bundled into the command line): undefined there.
 */
async function dryRunPin(workdir, credential) {
  const quorum = join(root, 'dist', 'quorum', 'index.js');
  if (!existsSync(quorum)) return undefined;
  const { combine, derivePin, parseManifest } = await import(pathToFileURL(quorum).href);
  const shares = readdirSync(join(workdir, 'dry-run-shares')).flatMap((name) =>
    readFileSync(join(workdir, 'dry-run-shares', name), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith(`${credential} `))
      .map((line) => line.split(' ').slice(2).join(' ')),
  );
  const manifestFile = readdirSync(join(workdir, 'outputs')).find((name) => name.startsWith(`${credential}.`) && name.endsWith('.manifest.json'));
  if (!manifestFile) fail(`no manifest of ${credential} in ${join(workdir, 'outputs')}`);
  const manifest = parseManifest(JSON.parse(readFileSync(join(workdir, 'outputs', manifestFile), 'utf8')), manifestFile);
  const secret = combine(shares.slice(0, manifest.threshold), manifest);
  const pin = derivePin(secret, 32); // the definitions' PINs have the default length
  secret.fill(0);
  return pin.toString('latin1');
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
// pkcs11-tool cannot open NSS softoken: it calls C_Initialize without the library parameters
// NSS needs (CKR_ARGUMENTS_BAD; NSS 3.87 reads none from the environment). OpenSSL's pkcs11
// engine (libp11, package libengine-pkcs11-openssl) passes them (INIT_ARGS): on NSS it reads
// the public key object instead.
const opensslConf = file('openssl-nss.cnf');
if (HSM === 'nss') {
  writeFileSync(
    opensslConf,
    `openssl_conf = openssl_init\n[openssl_init]\nengines = engine_section\n[engine_section]\npkcs11 = pkcs11_section\n[pkcs11_section]\nengine_id = pkcs11\n` +
      `MODULE_PATH = ${MODULE}\nINIT_ARGS = "${nssInitArgs()}"\ninit = 0\n`,
  );
}
const enginePublicKey = (label) =>
  run(
    'openssl',
    ['pkey', '-engine', 'pkcs11', '-inform', 'engine', '-pubin', '-in', `pkcs11:token=HCA-DRYRUN;object=${label};type=public`, '-pubout', '-outform', 'DER'],
    { env: { ...process.env, OPENSSL_CONF: opensslConf }, encoding: 'buffer' },
  );
if (HSM === 'nss') {
  const exportedKey = enginePublicKey('HCA-G3');
  check(
    'HCA G3 certificate key = HCA-G3 on the HCA token (openssl pkcs11 engine export)',
    exportedKey.status === 0 && exportedKey.stdout.equals(certKeyDer),
    exportedKey.stderr.toString().trim() || 'compared DER SubjectPublicKeyInfo',
  );
} else {
  const p11 = run('pkcs11-tool', [
    '--module',
    MODULE,
    '--token-label',
    'HCA-DRYRUN',
    '--read-object',
    '--type',
    'pubkey',
    '--label',
    'HCA-G3',
    '--output-file',
    exported,
  ]);
  check(
    'HCA G3 certificate key = HCA-G3 on the HCA token (pkcs11-tool export)',
    p11.status === 0 && readFileSync(exported).equals(certKeyDer),
    p11.stderr.trim() || 'compared DER SubjectPublicKeyInfo',
  );
}

const subjectOf = (args) =>
  run('openssl', [...args, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'])
    .stdout.trim()
    .replace(/^subject=/, '');
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

const g2Crl = run('openssl', [
  'crl',
  '-in',
  file('hca-g2-final-crl', 'outputs', 'hca-g2-final.crl'),
  '-CAfile',
  file('dryrun-hca-g2-standin', 'outputs', 'hca-g2-standin.crt'),
  '-noout',
  '-verify',
]);
check('openssl crl -verify: HCA G2 final CRL', g2Crl.status === 0 && /verify OK/.test(g2Crl.stdout + g2Crl.stderr), (g2Crl.stdout + g2Crl.stderr).trim());

if (HSM === 'nss') {
  const [g2, g3] = [enginePublicKey('HCA-G2'), enginePublicKey('HCA-G3')];
  check(
    'HCA-G2 is gone from the HCA token (openssl pkcs11 engine)',
    g2.status !== 0 && /not found/.test(g2.stderr.toString()) && g3.status === 0,
    'HCA-G2 not found, HCA-G3 found',
  );
} else {
  const g2 = run('pkcs11-tool', ['--module', MODULE, '--token-label', 'HCA-DRYRUN', '--list-objects', '--type', 'pubkey']);
  check(
    'HCA-G2 is gone from the HCA token (pkcs11-tool)',
    g2.status === 0 && !/label:\s+HCA-G2/.test(g2.stdout) && /label:\s+HCA-G3/.test(g2.stdout),
    'listed public keys',
  );
}

// Skipped on NSS softoken, with the backup ceremonies that make the DR copy.
if (runs('hca-g3-restore-dr')) {
  // The disaster-recovery copy (issue 18): the restored key signs a CRL that verifies under the
  // G3 certificate, and sits on HCA-DR as hca-g3-restore-dr says: sensitive, not extractable (no
  // backup: true there), sign only, with the CKA_ID of the original, and no KEK left behind.
  const drCrl = run('openssl', ['crl', '-in', file('hca-g3-restore-dr', 'outputs', 'hca-g3-dr-test.crl'), '-CAfile', g3Cert, '-noout', '-verify']);
  check(
    'openssl crl -verify: test CRL signed by the restored key on HCA-DR, under the G3 certificate',
    drCrl.status === 0 && /verify OK/.test(drCrl.stdout + drCrl.stderr),
    (drCrl.stdout + drCrl.stderr).trim(),
  );
  const drPin = await dryRunPin(file('hca-g3-restore-dr'), 'hca-dr-user-pin');
  if (drPin === undefined) {
    console.log(
      "note: the restored key's attributes on HCA-DR are checked from a checkout only (the PIN is rebuilt from the dry-run shares with dist/quorum, which a release bundles away)",
    );
  } else {
    // By slot, not --token-label: pkcs11-tool matches a label by prefix, and HCA-DR is a prefix
    // of HCA-DRYRUN (whichever slot came first got the DR PIN: an intermittent failure).
    const slots = run('pkcs11-tool', ['--module', MODULE, '--list-token-slots']).stdout;
    const drSlot = /^Slot \d+ \((0x[0-9a-f]+)\):[^\n]*\n(?:  [^\n]*\n)*?  token label\s+: HCA-DR\n/m.exec(slots)?.[1] ?? '';
    const listed = run('pkcs11-tool', ['--module', MODULE, '--slot', drSlot, '--login', '--pin', 'env:KC_DRY_RUN_PIN', '--list-objects'], {
      env: { ...process.env, KC_DRY_RUN_PIN: drPin },
    });
    const drKey = listed.stdout.split(/\n(?=\S)/).find((entry) => entry.startsWith('Private Key Object') && /label:\s+HCA-G3\n/.test(entry)) ?? '';
    const g3Ski =
      run('openssl', ['x509', '-in', g3Cert, '-noout', '-ext', 'subjectKeyIdentifier']).stdout.split('\n')[1]?.trim().replace(/:/g, '').toLowerCase() ?? '';
    check(
      'restored HCA-G3 on HCA-DR: sensitive, not extractable, sign only, CKA_ID of the G3 key, no KEK left (pkcs11-tool)',
      listed.status === 0 &&
        /Access:\s+sensitive$/m.test(drKey) &&
        /Usage:\s+sign$/m.test(drKey) &&
        new RegExp(`ID:\\s+${g3Ski}$`, 'm').test(drKey) &&
        g3Ski.length === 40 &&
        !/Secret Key Object/.test(listed.stdout),
      listed.stderr.trim() || drKey.trim().replace(/\s+/g, ' '),
    );
  }
}

// The root keys' CA ledgers (issue 17 item 5), checked without keyceremony as
// docs/ledger-format.md says: each line's prev is the SHA-256 of the line before it, seq counts
// up, no serial twice, CRL numbers 1, 2, …; each ledger belongs to its root's key; every serial
// the root key signed in the chain is in it (openssl x509 -serial), and the CRL's number is the
// ledger's (openssl crl -crlnumber). The last ledger of each chain keeps the earlier ones byte
// for byte.
const spkiSha256 = (certificate) => {
  const pem = run('openssl', ['x509', '-in', certificate, '-noout', '-pubkey']).stdout;
  return createHash('sha256')
    .update(run('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pem, encoding: 'buffer' }).stdout)
    .digest('hex');
};
const serialOf = (certificate) =>
  run('openssl', ['x509', '-in', certificate, '-noout', '-serial'])
    .stdout.trim()
    .replace(/^serial=/, '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
function ledgerProblem(path, certificate, serials, crls) {
  const text = readFileSync(path, 'utf8');
  if (!text.endsWith('\n')) return 'does not end with a newline';
  const lines = text.slice(0, -1).split('\n');
  const entries = lines.map((line) => JSON.parse(line));
  if (entries[0].spkiSha256 !== spkiSha256(certificate)) return `belongs to another key than ${certificate}'s`;
  const seen = new Set();
  let crlNumber = 0;
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i];
    if (
      e.seq !== i ||
      e.prev !==
        createHash('sha256')
          .update(lines[i - 1])
          .digest('hex')
    )
      return `entry ${i + 1}: the chain is broken`;
    if (e.entry === 'certificate') {
      if (seen.has(e.serial)) return `serial ${e.serial} twice`;
      seen.add(e.serial);
    } else if (Number(e.crlNumber) !== ++crlNumber) return `CRL number ${e.crlNumber} after ${crlNumber - 1}`;
  }
  for (const c of serials) if (!seen.has(serialOf(c))) return `no entry for ${c} (serial ${serialOf(c)})`;
  for (const [crlFile, number] of crls) {
    const shown = run('openssl', ['crl', '-in', crlFile, '-noout', '-crlnumber']).stdout.trim();
    if (shown !== `crlNumber=0x${number.toString(16).toUpperCase().padStart(2, '0')}`) return `${crlFile}: openssl shows ${shown}, the ledger number ${number}`;
  }
  return undefined;
}
const ledgers = [
  ['dryrun-root-init', 'root-ca.init.ledger'],
  ['grca-issue-hca-g3', 'root-ca.issue-hca-g3.ledger'],
  ['grca-crl', 'root-ca.crl.ledger'],
  ['dryrun-root-link', 'root-ca.link.ledger'],
].map(([id, name]) => file(id, 'outputs', name));
const oldRootLedger = ledgerProblem(
  ledgers.at(-1),
  rootCert,
  [rootCert, g3Cert, file('dryrun-root-link', 'outputs', 'root-old-to-new.crt')],
  [[file('grca-crl', 'outputs', 'root.crl'), 1]],
);
const prefixes = ledgers.every(
  (path, i) =>
    i === 0 ||
    readFileSync(path)
      .subarray(0, readFileSync(ledgers[i - 1]).length)
      .equals(readFileSync(ledgers[i - 1])),
);
check(
  "CA ledger of the root key: chain, key, every serial it signed, CRL number 1 (openssl); each ceremony's ledger keeps the previous one",
  !oldRootLedger && prefixes,
  oldRootLedger ?? (prefixes ? ledgers.map((l) => l.slice(out.length + 1)).join(' -> ') : 'a ledger does not begin with the previous one'),
);
const newRootLedger = ledgerProblem(
  file('dryrun-root-link', 'outputs', 'root-ca-new.link.ledger'),
  newRoot,
  [newRoot, file('dryrun-root-link', 'outputs', 'root-new-to-old.crt')],
  [],
);
check(
  'CA ledger of the new root key: chain, key, both serials it signed (openssl)',
  !newRootLedger,
  newRootLedger ?? 'root-ca-new.init.ledger -> root-ca-new.link.ledger',
);
// The G2 key's ledger: the stand-in opens it with its own certificate, and the final CRL is
// numbered from it (1, its first), never from the clock; the final ledger keeps the first.
const g2Ledgers = [file('dryrun-hca-g2-standin', 'outputs', 'hca-g2.standin.ledger'), file('hca-g2-final-crl', 'outputs', 'hca-g2.final-crl.ledger')];
const g2Ledger = ledgerProblem(g2Ledgers[1], g2Cert, [g2Cert], [[file('hca-g2-final-crl', 'outputs', 'hca-g2-final.crl'), 1]]);
const g2Prefix = readFileSync(g2Ledgers[1]).subarray(0, readFileSync(g2Ledgers[0]).length).equals(readFileSync(g2Ledgers[0]));
check(
  "CA ledger of the HCA G2 key: chain, key, its certificate's serial, final CRL number 1 (openssl crl -crlnumber); it keeps the stand-in's ledger",
  !g2Ledger && g2Prefix,
  g2Ledger ?? (g2Prefix ? 'hca-g2.standin.ledger -> hca-g2.final-crl.ledger' : "the final ledger does not begin with the stand-in's"),
);

// HCA G3 as an issuing CA (issue 17 item 6): its OCSP responder certificate verifies under the
// chain and says what a delegated responder's must (openssl); its CRLs verify and count 1, 2
// (the DR test CRL continues the ledger; the NSS chain skips it); HCA G3's ledger checks.
const ocspCert = file('hca-g3-ocsp-crl', 'outputs', 'hca-g3-ocsp-1.crt');
const chainPem = file('hca-g3-chain.pem');
writeFileSync(chainPem, readFileSync(rootCert, 'utf8') + readFileSync(g3Cert, 'utf8'));
const ocspVerify = run('openssl', ['verify', '-x509_strict', '-CAfile', rootCert, '-untrusted', g3Cert, '-purpose', 'ocsphelper', ocspCert]);
check(
  'openssl verify -x509_strict: HCA G3 OCSP responder certificate under HCA G3 and the root',
  ocspVerify.status === 0,
  (ocspVerify.stdout + ocspVerify.stderr).trim(),
);
const ocspText = run('openssl', ['x509', '-in', ocspCert, '-noout', '-ext', 'extendedKeyUsage,keyUsage,noCheck', '-enddate', '-startdate']).stdout;
const ocspDays = (Date.parse(/notAfter=(.*)/.exec(ocspText)?.[1] ?? '') - Date.parse(/notBefore=(.*)/.exec(ocspText)?.[1] ?? '')) / 86_400_000;
check(
  'HCA G3 OCSP responder certificate: EKU OCSP Signing only, keyUsage digitalSignature, OCSP No Check, at most 90 days (openssl x509)',
  /Extended Key Usage:\s*\n\s*OCSP Signing\s*\n/.test(ocspText) &&
    /Key Usage: critical\s*\n\s*Digital Signature\s*\n/.test(ocspText) &&
    /OCSP No Check/.test(ocspText) &&
    ocspDays > 0 &&
    ocspDays <= 91,
  ocspText.trim().replace(/\s+/g, ' '),
);
const g3Crls = [
  [file('hca-g3-ocsp-crl', 'outputs', 'hca-g3.crl'), 1],
  ...(runs('hca-g3-restore-dr') ? [[file('hca-g3-restore-dr', 'outputs', 'hca-g3-dr-test.crl'), 2]] : []),
];
for (const [crlFile] of g3Crls) {
  const v = run('openssl', ['crl', '-in', crlFile, '-CAfile', chainPem, '-noout', '-verify']);
  check(
    `openssl crl -verify: ${crlFile.slice(out.length + 1)} under HCA G3`,
    v.status === 0 && /verify OK/.test(v.stdout + v.stderr),
    (v.stdout + v.stderr).trim(),
  );
}
const g3Ledger = ledgerProblem(
  runs('hca-g3-restore-dr') ? file('hca-g3-restore-dr', 'outputs', 'hca-g3.restore-dr.ledger') : file('hca-g3-ocsp-crl', 'outputs', 'hca-g3.crl.ledger'),
  g3Cert,
  [ocspCert],
  g3Crls,
);
check(
  `CA ledger of the HCA G3 key: chain, key, the OCSP responder serial, CRL numbers ${g3Crls.map(([, n]) => n).join(', ')} (openssl crl -crlnumber)`,
  !g3Ledger,
  g3Ledger ?? 'counting up by one',
);

const journals = CHAIN.filter(runs).map((id) => ({ id, result: run(keyceremony, [...keyceremonyArgs, 'journal', 'verify', file(id)]) }));
for (const { id, result } of journals) check(`journal of ${id} verifies`, result.status === 0, result.stdout.split('\n')[0] ?? '');

// The history across all the workdirs (issue 20): every input an earlier output, keys,
// share sets, tokens and the HSM's bag numbers in order. Written beside the workdirs.
const history = run(keyceremony, [...keyceremonyArgs, 'history', out]);
if (history.status === 0 || history.status === 1) writeFileSync(file('history.md'), history.stdout);
check('keyceremony history over all workdirs: nothing flagged', history.status === 0, history.stderr.trim() || `written to ${file('history.md')}`);

// The summary.
const sha256 = (path) => run('openssl', ['dgst', '-sha256', '-r', path]).stdout.split(' ')[0];
console.log(`\n== dry-run summary (${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`ceremonies: ${CHAIN.filter(runs).length} run, in ${out}/<ceremony id>/ (journal.jsonl, outputs/, state.json)`);
console.log(
  `HCA G3 key SPKI sha256     ${run('openssl', ['dgst', '-sha256', '-r'], { input: certKeyDer, encoding: 'buffer' }).stdout.toString().split(' ')[0]}`,
);
console.log(`HCA G3 CSR sha256          ${sha256(csr)}  (${csr})`);
console.log(`HCA G3 certificate sha256  ${sha256(g3Cert)}  (${g3Cert})`);
console.log(`dry-run root sha256        ${sha256(rootCert)}  (${rootCert})`);
if (runs('hca-g3-backup'))
  console.log(`HCA G3 backup sha256       ${sha256(file('hca-g3-backup', 'outputs', 'hca-g3.backup'))}  (restored on HCA-DR by hca-g3-restore-dr)`);
console.log(`subject                    ${csrSubject}`);
for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`);
if (checks.some((c) => !c.ok)) process.exit(1);
console.log(
  `\nall checks passed; token store: ${HSM === 'nss' ? `NSS softoken databases in ${nssDir} (initArgs in ${profile})` : `SOFTHSM2_CONF=${process.env.SOFTHSM2_CONF}`}`,
);
