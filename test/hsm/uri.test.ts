import t from 'tap';
import { formatPkcs11Uri, parsePkcs11Uri } from '../../src/hsm/uri.js';

t.test('formats keys with the id percent-encoded and round-trips', async (t) => {
  const uri = { token: 'HCA', object: '醫事 G3', id: '00ff3a', type: 'private' as const };
  const text = formatPkcs11Uri(uri);
  t.equal(text, 'pkcs11:token=HCA;object=%e9%86%ab%e4%ba%8b%20G3;id=%00%ff%3a;type=private');
  t.same(parsePkcs11Uri(text), uri);
});

t.test('parses RFC 7512 examples', async (t) => {
  t.same(
    parsePkcs11Uri(
      'pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91%0E;serial=',
    ),
    {
      token: 'The Software PKCS#11 Softtoken',
      manufacturer: 'Snake Oil, Inc.',
      model: '1.0',
      object: 'my-certificate',
      type: 'cert',
      id: '69953e5cf4bdec910e',
      serial: '',
    },
  );
  t.same(parsePkcs11Uri('pkcs11:'), {});
});

t.test('refuses PINs, unknown attributes, duplicates and bad encodings', async (t) => {
  t.throws(() => parsePkcs11Uri('pkcs11:token=A?pin-value=1234'), /must not carry a PIN/);
  t.throws(() => parsePkcs11Uri('pkcs11:token=A?module-path=/x&pin-source=file:/p'), /must not carry a PIN/);
  t.throws(() => parsePkcs11Uri('http://x'), /must start with "pkcs11:"/);
  t.throws(() => parsePkcs11Uri('pkcs11:slot-id=3'), /unsupported PKCS#11 URI attribute "slot-id"/);
  t.throws(() => parsePkcs11Uri('pkcs11:token=A;token=B'), /appears twice/);
  t.throws(() => parsePkcs11Uri('pkcs11:id=%zz'), /bad percent-encoding/);
  t.throws(() => parsePkcs11Uri('pkcs11:type=secret'), /type "secret" is not one of/);
  t.throws(() => parsePkcs11Uri('pkcs11:token'), /malformed PKCS#11 URI attribute/);
});
