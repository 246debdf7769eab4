// The offline install, for real (npm run test:release; about a minute of RSA-4096 keys, so not
// part of `npm test`): the release tarball is unpacked into an empty folder inside a network
// namespace with no network, where the checkout is hidden under an empty tmpfs, and the whole
// dry-run chain runs from the release's own files with the system's Node. strace records
// every file the chain opened or looked for: nothing in the checkout, no node_modules but the
// release's own.
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelease, RELEASE_FOLDER, ROOT, VERSION } from '../../helpers/release.js';
import { run } from '../../helpers/softhsm.js';

// Root may make namespaces and mounts; anyone else needs a user namespace to be root in.
const UNSHARE = process.getuid?.() === 0 ? ['--net', '--mount'] : ['--map-root-user', '--net', '--mount'];
const probe = await run('unshare', [...UNSHARE, 'true']);
if (probe.code !== 0) throw new Error(`unshare ${UNSHARE.join(' ')} is not allowed here (${probe.stderr.trim()}); this test needs root or user namespaces`);

const release = await buildRelease(t);
const work = mkdtempSync(join(tmpdir(), 'kc-offline-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const install = join(work, 'install');
const home = join(work, 'home');
mkdirSync(install);
mkdirSync(home);
const top = join(install, RELEASE_FOLDER);
const out = join(work, 'dry-run');
const trace = join(work, 'strace.log');
const checkout = ROOT.replace(/\/$/, '');

// Everything below runs in the namespace. The checkout is hidden first, so nothing after can
// read it whatever the path. It starts from an empty environment (env -i): tap adds variables
// to every child's environment (NODE_OPTIONS with an --import from the checkout, among others),
// and no variable may name the checkout. NODE_PATH and NODE_OPTIONS are not set.
const script = `
set -eu
if env | grep -F "${checkout}" >&2; then echo 'the environment names the checkout' >&2; exit 91; fi
mount -t tmpfs -o size=64k,mode=0755 keyceremony-hidden-checkout "${checkout}"
if [ -e "${checkout}/node_modules" ] || [ -e "${checkout}/package.json" ]; then echo 'the checkout is still visible' >&2; exit 90; fi
echo "interfaces: $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' ')"
node -e "require('node:net').connect(53, '1.1.1.1').on('connect', () => { console.log('tcp 1.1.1.1:53 connected'); process.exit(0); }).on('error', (e) => { console.log('tcp 1.1.1.1:53 ' + e.code); process.exit(7); })" || echo "node exited $?"
tar -xzf "${release.tarball}" -C "${install}"
cd "${top}"
./keyceremony self-check
strace -f -qq -e trace=%file -o "${trace}" node scripts/dry-run.mjs --out "${out}"
./keyceremony self-check
`;

const env = {
  PATH: '/usr/bin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  ...(process.env.KEYCEREMONY_PKCS11_MODULE ? { KEYCEREMONY_PKCS11_MODULE: process.env.KEYCEREMONY_PKCS11_MODULE } : {}),
};
const envArgs = Object.entries(env).map(([name, value]) => `${name}=${value}`);
const result = await run('unshare', [...UNSHARE, '--', 'env', '-i', ...envArgs, 'sh', '-c', script], { cwd: work });

t.test('inside the namespace there is no network and no checkout', async (t) => {
  t.match(result.stdout, /^interfaces: lo $/m, 'only the loopback interface');
  t.match(result.stdout, /^tcp 1\.1\.1\.1:53 E(NETUNREACH|HOSTUNREACH|CONNREFUSED)\nnode exited 7$/m, 'a TCP connect to 1.1.1.1:53 fails');
  t.notMatch(result.stderr, 'the checkout is still visible');
  t.notMatch(result.stderr, 'the environment names the checkout');
});

t.test('the dry-run chain runs from the unpacked release, offline, and every check passes', async (t) => {
  if (result.code !== 0) t.comment(`${result.stderr}\n${result.stdout.slice(-4000)}`);
  t.equal(result.code, 0, 'the script in the namespace exited 0');
  // The driver's own independent checks (openssl, pkcs11-tool, history) and one journal
  // verification per ceremony it ran: all there, none failed. The number of ceremonies is the
  // driver's own count, so a ceremony added to the chain is checked here without a new figure.
  const checks = result.stdout.match(/^(ok {2}|FAIL) .+$/gm) ?? [];
  const ceremonies = Number(/^ceremonies: (\d+) run/m.exec(result.stdout)?.[1] ?? 0);
  t.ok(ceremonies >= 9, `${ceremonies} ceremonies in the chain`);
  t.equal(checks.filter((line) => /^ok {3}journal of \S+ verifies$/.test(line)).length, ceremonies, 'one journal verification per ceremony, each passed');
  t.ok(checks.length >= ceremonies + 6, `${checks.length} checks: the journals, five of the chain's artefacts and the history`);
  t.same(
    checks.filter((line) => line.startsWith('FAIL')),
    [],
    'no check failed',
  );
  t.match(result.stdout, 'ok   keyceremony history over all workdirs: nothing flagged');
  t.match(result.stdout, 'ok   openssl verify -x509_strict: HCA G3 certificate against the root');
  t.match(result.stdout, 'ok   HCA G3 certificate key = HCA-G3 on the HCA token (pkcs11-tool export)');
  t.match(result.stdout, 'all checks passed');
  // Each journal's first record names the tool that ran: the release's version.
  const header = JSON.parse(readFileSync(join(out, 'hca-g3-keygen', 'journal.jsonl'), 'utf8').split('\n')[0]!) as {
    data: { tool: { name: string; version: string; sha256: string } };
  };
  t.match(header.data.tool, { name: 'keyceremony', version: VERSION, sha256: /^[0-9a-f]{64}$/ });
  // self-check ran before and after the chain: the chain wrote nothing into the release.
  t.equal(result.stdout.match(new RegExp(`^keyceremony ${VERSION} in ${top}: all \\d+ files match SHA256SUMS, none missing, none extra$`, 'gm'))?.length, 2);
});

t.test("the chain opened and looked for nothing in the checkout, and no node_modules but the release's", async (t) => {
  const paths = [...readFileSync(trace, 'utf8').matchAll(/"(\/[^"]*)"/g)].map((m) => m[1]!);
  t.ok(paths.length > 1000, `${paths.length} file paths in the trace`);
  t.ok(
    paths.some((p) => p === join(top, 'node_modules/pkcs11js/build/Release/pkcs11.node')),
    "the release's addon was loaded",
  );
  t.ok(
    paths.some((p) => p.startsWith(join(top, 'dist/cli/'))),
    "the release's bundle was loaded",
  );
  t.same([...new Set(paths.filter((p) => p === checkout || p.startsWith(`${checkout}/`)))], [], 'nothing under the checkout');
  t.same([...new Set(paths.filter((p) => /\/node_modules(\/|$)/.test(p) && !p.startsWith(`${top}/`)))], [], 'no node_modules outside the release');
});
