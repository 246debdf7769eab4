// The HSM signer reports which PKCS#11 mechanism made each signature (the journal records it
// in the signing steps' details): CKM_ECDSA_SHA384 where the token has it (NSS softoken),
// CKM_ECDSA over a digest made by keyceremony where it does not (SoftHSM 2.6).
import t from 'tap';
import { createCsr, verifyCsr } from '../../src/x509/csr.js';
import { nameAttributesFrom } from '../../src/x509/index.js';
import { hsmSigner } from '../../src/x509/signer.js';
import { openssl, pem } from '../helpers/openssl.js';
import { IMPLEMENTATIONS } from '../helpers/token-stores.js';
import { join } from 'node:path';

const EXPECTED = {
  SoftHSM: { ec: { mechanism: 'CKM_ECDSA', hashedBy: 'node' }, rsa: { mechanism: 'CKM_SHA256_RSA_PKCS', hashedBy: 'token' } },
  'NSS softoken': { ec: { mechanism: 'CKM_ECDSA_SHA384', hashedBy: 'token' }, rsa: { mechanism: 'CKM_SHA256_RSA_PKCS', hashedBy: 'token' } },
} as const;

for (const { name, store } of IMPLEMENTATIONS) {
  t.test(`${name}: signedWith names the mechanism of each signature`, async (t) => {
    const fx = store(t);
    const pins = fx.initToken('SIGNER');
    const hsm = fx.open();
    t.teardown(() => hsm.finalize());
    const session = hsm.openSession('SIGNER');
    t.teardown(() => session.close());
    session.login('user', pins.userPin);
    await session.generateKeyPair('EC', { type: 'EC', curve: 'P-384' });
    await session.generateKeyPair('RSA', { type: 'RSA', bits: 2048 });

    for (const [label, kind, hash] of [
      ['EC', 'ec', 'SHA-384'],
      ['RSA', 'rsa', 'SHA-256'],
    ] as const) {
      const signer = hsmSigner(session, label);
      t.same(signer.signedWith, [], `${label}: nothing signed yet`);
      const { der } = await createCsr({ signer, subject: nameAttributesFrom({ CN: `signer ${label}` }) });
      verifyCsr(der);
      // openssl checks the request's self-signature independently.
      const checked = await openssl((d) => ['req', '-in', join(d, 'r.pem'), '-noout', '-verify'], { 'r.pem': pem('CERTIFICATE REQUEST', der) });
      t.match(checked.stdout + checked.stderr, /verify OK/i, `${label}: openssl verifies the CSR`);
      t.same(signer.signedWith, [{ hash, ...EXPECTED[name][kind] }], `${label}: ${EXPECTED[name][kind].mechanism}`);
    }
  });
}
