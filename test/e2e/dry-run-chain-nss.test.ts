// Issue 19: the dry-run chain on the second PKCS#11 implementation, NSS softoken
// (`npm run dry-run -- --hsm nss`), run once here; its own checks are openssl's, the public
// keys read through OpenSSL's pkcs11 engine (pkcs11-tool cannot start NSS softoken). Then what
// NSS cannot do: the reviewed init ceremonies split an SO PIN, which NSS tokens do not have,
// and `hsm check` refuses them with that reason before anyone signs in; a share set brought
// to an NSS token unpinned is refused before any share is typed (the token records none).
// Those commands run in this process through main(argv, io) (helpers/in-process.ts), NSS
// softoken loaded and finalized by each as the CLI does; the chain itself is the script's own
// processes, run once for a given tree (helpers/dry-run.ts) and copied here.
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords } from '../helpers/ceremony.js';
import { nss } from '../helpers/nss.js';
import { dryRunOutputNss } from '../helpers/dry-run.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'kc-chain-nss-'));
t.teardown(() => rmSync(parent, { recursive: true, force: true }));
const { out, result: chain } = await dryRunOutputNss(join(parent, 'out'));
const at = (...parts: string[]) => join(out, ...parts);

t.test('npm run dry-run -- --hsm nss: twelve ceremonies on NSS softoken, every check passes', async (t) => {
  t.equal(chain.code, 0, chain.stderr + chain.stdout.slice(-3000));
  for (const check of [
    'openssl verify -x509_strict: HCA G3 certificate against the root',
    'HCA G3 certificate key = HCA-G3 on the HCA token (openssl pkcs11 engine export)',
    'certificate subject = CSR subject',
    'openssl crl -verify: root CRL',
    'HCA-G2 is gone from the HCA token (openssl pkcs11 engine)',
    'openssl verify -x509_strict: link certificate new -> old against the new root',
    'openssl crl -verify: HCA G2 final CRL',
    "CA ledger of the HCA G2 key: chain, key, its certificate's serial, final CRL number 1 (openssl crl -crlnumber); it keeps the stand-in's ledger",
    'journal of hca-g2-destroy verifies',
    // Issue 17: the root key's ledger, and HCA G3 as an issuing CA (CRL number 1; no DR test CRL here).
    "CA ledger of the root key: chain, key, every serial it signed, CRL number 1 (openssl); each ceremony's ledger keeps the previous one",
    'openssl verify -x509_strict: HCA G3 OCSP responder certificate under HCA G3 and the root',
    'openssl crl -verify: hca-g3-ocsp-crl/outputs/hca-g3.crl under HCA G3',
    'CA ledger of the HCA G3 key: chain, key, the OCSP responder serial, CRL numbers 1 (openssl crl -crlnumber)',
    'keyceremony history over all workdirs: nothing flagged',
  ])
    t.match(chain.stdout, `ok   ${check}`);
  t.notMatch(chain.stdout, /^FAIL/m);
  // The journals say which module and token they ran on, and what NSS signed with.
  const first = journalRecords(at('hca-g3-keygen'))[0]!;
  t.match(JSON.stringify(first.data), 'libsoftokn3.so');
  t.match(JSON.stringify(first.data), '0000000000000000', 'the serial every NSS token reports');
  const csr = journalRecords(at('hca-g3-keygen')).find((r) => r.event === 'step.completed' && r.step === 'csr')!;
  t.same((csr.data as { details: { signedWith: unknown } }).details.signedWith, [{ hash: 'SHA-256', mechanism: 'CKM_SHA256_RSA_PKCS', hashedBy: 'token' }]);
  // The SO PIN is not split on NSS: the init ceremony made the user PIN's set only.
  const init = journalRecords(at('hca-token-init')).find((r) => r.event === 'step.completed' && r.step === 'init')!;
  t.same(
    (init.data as { shareSets: Array<{ credential: string }> }).shareSets.map((s) => s.credential),
    ['hca-user-pin'],
  );
  // The adapted definitions pin the manifests they bring (NSS tokens cannot record them).
  t.match(readFileSync(at('definitions', 'hca-g2-destroy.yaml'), 'utf8'), /hca-user-pin-manifest: \{ kind: share-manifest, sha256: "[0-9a-f]{64}",/);
});

t.test('NSS softoken: the reviewed init ceremony (SO PIN split) is refused by hsm check; the adapted one passes', async (t) => {
  const fx = nss(t);
  fx.addBlankToken('HCA-DRYRUN');
  const profile = fx.profile({ hca: 'HCA-DRYRUN' });
  const original = await keyceremonyInProcess(['hsm', 'check', join(ROOT, 'ceremonies', 'hca-token-init.yaml'), '--hsm', profile, '--lang', 'en'], {
    env: fx.env,
  });
  t.equal(original.code, 1, original.stderr + original.stdout);
  t.match(original.stdout, 'an SO PIN (an SO PIN that keyceremony sets and logs in with): the HSM profile says soPin: false');
  t.match(original.stdout, 'a blank token for label "HCA-DRYRUN"', 'the blank token the module labels is found');
  t.match(original.stdout, 'the share set cannot be recorded on the token (dataObjects: false)', 'a warning, not a refusal');

  const adapted = await keyceremonyInProcess(['hsm', 'check', at('definitions', 'hca-token-init.yaml'), '--hsm', profile, '--lang', 'zh-TW'], { env: fx.env });
  t.equal(adapted.code, 0, adapted.stderr + adapted.stdout);
  t.match(adapted.stdout, '無SO PIN 碼：此載具沒有SO PIN 碼（soPin: false）');

  // An init-token without an SO credential on a token that has an SO PIN: refused, since the
  // SO PIN would be nobody's.
  const withSo = fx.profile({ hca: 'HCA-DRYRUN' }, { name: 'so.yaml', capabilities: { soPin: true } });
  const refused = await keyceremonyInProcess(['hsm', 'check', at('definitions', 'hca-token-init.yaml'), '--hsm', withSo, '--lang', 'en'], { env: fx.env });
  t.equal(refused.code, 1, refused.stderr + refused.stdout);
  t.match(refused.stdout, 'no SO PIN is split, but the token has one (soPin: true)');
});

t.test('NSS softoken: a share set brought unpinned is refused before sign-in (the token records no share set)', async (t) => {
  t.equal(chain.code, 0, 'the chain ran');
  t.match(
    readFileSync(at('hsm-dry-run.yaml'), 'utf8'),
    `configdir='sql:${join(out, 'nss', 'ROOT-DRYRUN')}'`,
    "this copy's profile names this copy's NSS databases",
  );
  const workdir = at('unpinned');
  mkdirSync(workdir);
  // The reviewed definition pins nothing; on SoftHSM the token's record binds the set.
  const result = await keyceremonyInProcess([
    'run',
    join(ROOT, 'ceremonies', 'grca-crl.yaml'),
    '--hsm',
    at('hsm-dry-run.yaml'),
    '--workdir',
    workdir,
    '--answers',
    at('grca-crl.answers.yaml'),
  ]);
  t.equal(result.code, 2, result.stderr);
  t.match(
    result.stderr,
    /keyceremony: error: .*is not bound to root-user-pin: token "ROOT-DRYRUN" records no share set for it, and the definition does not pin/,
  );
});
