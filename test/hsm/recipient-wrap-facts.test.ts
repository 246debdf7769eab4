// Issue 18, "wrapping to a recipient": what SoftHSM 2.6.1 can do, measured through pkcs11js
// alone (no keyceremony code between the test and the module), so that a module that behaves
// otherwise shows here first. SoftHSM.md "Key wrapping" carries the same figures.
//
// The outcome: SoftHSM has no CKM_RSA_AES_KEY_WRAP (0x1054) at all, so keyceremony does not
// offer a recipient backup (a path no test could run). What SoftHSM can do is the same two
// parts by hand: a trusted, extractable ephemeral AES key that the SO makes wraps the key with
// CKM_AES_KEY_WRAP_PAD, and CKM_RSA_PKCS_OAEP (SHA-1 only) wraps that AES key to the
// recipient's public key; the recipient's token unwraps both. That is recorded here as a fact
// for a later design, not built.
import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { softhsm, type TokenPins } from '../helpers/softhsm.js';

const CKM_RSA_AES_KEY_WRAP = 0x1054;
/** pkcs11js has no constant for it (PKCS#11: the OAEP label source is given data). */
const CKZ_DATA_SPECIFIED = 1;
const P384 = Buffer.from('06052b81040022', 'hex');

const p = pkcs11js;
const fx = softhsm(t);
const pins: Record<string, TokenPins> = { SRC: fx.initToken('SRC'), DR: fx.initToken('DR') };
const lib = new p.PKCS11();
lib.load(fx.modulePath);
lib.C_Initialize({ flags: p.CKF_OS_LOCKING_OK });
t.teardown(() => {
  lib.C_Finalize();
  lib.close();
});

const slotOf = (label: string) => lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.replace(/[\s\0]+$/, '') === label)!;
const ckr = (fn: () => unknown) => {
  try {
    fn();
    return 'CKR_OK';
  } catch (error) {
    return (error as Error).message.split(/[\s:]/)[0];
  }
};
const open = (label: string, user: 'so' | 'user') => {
  const session = lib.C_OpenSession(slotOf(label), p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
  lib.C_Login(session, user === 'so' ? p.CKU_SO : p.CKU_USER, (user === 'so' ? pins[label]!.soPin : pins[label]!.userPin).toString('utf8'));
  return session;
};
const OAEP_SHA1 = {
  mechanism: p.CKM_RSA_PKCS_OAEP,
  parameter: { type: p.CK_PARAMS_RSA_OAEP, hashAlg: p.CKM_SHA_1, mgf: p.CKG_MGF1_SHA1, source: CKZ_DATA_SPECIFIED },
};
const OAEP_SHA256 = {
  mechanism: p.CKM_RSA_PKCS_OAEP,
  parameter: { type: p.CK_PARAMS_RSA_OAEP, hashAlg: p.CKM_SHA256, mgf: p.CKG_MGF1_SHA256, source: CKZ_DATA_SPECIFIED },
};

t.test('SoftHSM 2.6.1 has no CKM_RSA_AES_KEY_WRAP; it has the two mechanisms it is made of', async (t) => {
  const slot = slotOf('SRC');
  const listed = lib.C_GetMechanismList(slot);
  t.notOk(listed.includes(CKM_RSA_AES_KEY_WRAP), 'not in C_GetMechanismList');
  t.equal(
    ckr(() => lib.C_GetMechanismInfo(slot, CKM_RSA_AES_KEY_WRAP)),
    'CKR_MECHANISM_INVALID',
    'C_GetMechanismInfo refuses it',
  );
  for (const [name, mechanism] of [
    ['CKM_AES_KEY_WRAP_PAD', p.CKM_AES_KEY_WRAP_PAD],
    ['CKM_RSA_PKCS_OAEP', p.CKM_RSA_PKCS_OAEP],
  ] as const) {
    const { flags } = lib.C_GetMechanismInfo(slot, mechanism);
    t.ok(flags & p.CKF_WRAP && flags & p.CKF_UNWRAP, `${name} wraps and unwraps`);
  }
});

t.test('a recipient wrap by hand: ephemeral AES key (trusted, from the SO) + RSA-OAEP to the recipient', async (t) => {
  // The recipient: an RSA key pair on the DR token whose private key never leaves it.
  const dr = open('DR', 'user');
  const recipient = lib.C_GenerateKeyPair(
    dr,
    { mechanism: p.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      { type: p.CKA_TOKEN, value: false },
      { type: p.CKA_MODULUS_BITS, value: 2048 },
      { type: p.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      { type: p.CKA_WRAP, value: true },
    ],
    [
      { type: p.CKA_TOKEN, value: false },
      { type: p.CKA_PRIVATE, value: true },
      { type: p.CKA_SENSITIVE, value: true },
      { type: p.CKA_EXTRACTABLE, value: false },
      { type: p.CKA_UNWRAP, value: true },
    ],
  );
  const stranger = lib.C_GenerateKeyPair(
    dr,
    { mechanism: p.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      { type: p.CKA_TOKEN, value: false },
      { type: p.CKA_MODULUS_BITS, value: 2048 },
      { type: p.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
    ],
    [
      { type: p.CKA_TOKEN, value: false },
      { type: p.CKA_PRIVATE, value: true },
      { type: p.CKA_SENSITIVE, value: true },
      { type: p.CKA_UNWRAP, value: true },
    ],
  );
  const [modulus, exponent] = lib.C_GetAttributeValue(dr, recipient.publicKey, [{ type: p.CKA_MODULUS }, { type: p.CKA_PUBLIC_EXPONENT }]).map((a) => a.value);

  // The source: a backup-enabled EC P-384 key, as generate-key makes it with backup: true (a
  // token object: a user's private session object goes with the user's logout).
  const src = open('SRC', 'user');
  const source = lib.C_GenerateKeyPair(
    src,
    { mechanism: p.CKM_EC_KEY_PAIR_GEN },
    [
      { type: p.CKA_TOKEN, value: true },
      { type: p.CKA_LABEL, value: 'CA-KEY' },
      { type: p.CKA_EC_PARAMS, value: P384 },
      { type: p.CKA_VERIFY, value: true },
    ],
    [
      { type: p.CKA_TOKEN, value: true },
      { type: p.CKA_LABEL, value: 'CA-KEY' },
      { type: p.CKA_PRIVATE, value: true },
      { type: p.CKA_SENSITIVE, value: true },
      { type: p.CKA_EXTRACTABLE, value: true },
      { type: p.CKA_WRAP_WITH_TRUSTED, value: true },
      { type: p.CKA_SIGN, value: true },
    ],
  );
  lib.C_Logout(src);
  // The SO makes the recipient's public key a trusted session object, and the ephemeral key.
  lib.C_Login(src, p.CKU_SO, pins.SRC!.soPin.toString('utf8'));
  const recipientOnSource = lib.C_CreateObject(src, [
    { type: p.CKA_CLASS, value: p.CKO_PUBLIC_KEY },
    { type: p.CKA_KEY_TYPE, value: p.CKK_RSA },
    { type: p.CKA_TOKEN, value: false },
    { type: p.CKA_PRIVATE, value: false },
    { type: p.CKA_TRUSTED, value: true },
    { type: p.CKA_WRAP, value: true },
    { type: p.CKA_MODULUS, value: modulus },
    { type: p.CKA_PUBLIC_EXPONENT, value: exponent },
  ]);
  const ephemeral = lib.C_GenerateKey(src, { mechanism: p.CKM_AES_KEY_GEN }, [
    { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
    { type: p.CKA_KEY_TYPE, value: p.CKK_AES },
    { type: p.CKA_VALUE_LEN, value: 32 },
    { type: p.CKA_TOKEN, value: false },
    { type: p.CKA_PRIVATE, value: false },
    { type: p.CKA_TRUSTED, value: true },
    { type: p.CKA_WRAP, value: true },
    { type: p.CKA_SENSITIVE, value: true },
    { type: p.CKA_EXTRACTABLE, value: true },
  ]);
  lib.C_Logout(src);
  lib.C_Login(src, p.CKU_USER, pins.SRC!.userPin.toString('utf8'));
  // A private key's handle does not outlive a logout on SoftHSM (SoftHSM.md): find it again.
  lib.C_FindObjectsInit(src, [
    { type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY },
    { type: p.CKA_LABEL, value: 'CA-KEY' },
  ]);
  const [privateKey] = lib.C_FindObjects(src, 1);
  lib.C_FindObjectsFinal(src);

  t.equal(
    ckr(() => lib.C_WrapKey(src, { mechanism: CKM_RSA_AES_KEY_WRAP }, recipientOnSource, privateKey!, Buffer.alloc(4096))),
    'CKR_MECHANISM_INVALID',
    'the one-step mechanism is refused',
  );
  t.equal(
    ckr(() => lib.C_WrapKey(src, OAEP_SHA1, recipientOnSource, privateKey!, Buffer.alloc(4096))),
    'CKR_KEY_NOT_WRAPPABLE',
    'RSA-OAEP does not wrap a private key',
  );
  t.equal(
    ckr(() => lib.C_WrapKey(src, OAEP_SHA256, recipientOnSource, ephemeral, Buffer.alloc(4096))),
    'CKR_ARGUMENTS_BAD',
    'RSA-OAEP with SHA-256 is refused: SoftHSM wraps with SHA-1 OAEP only',
  );
  const wrappedKey = lib.C_WrapKey(src, { mechanism: p.CKM_AES_KEY_WRAP_PAD }, ephemeral, privateKey!, Buffer.alloc(4096));
  const wrappedEphemeral = lib.C_WrapKey(src, OAEP_SHA1, recipientOnSource, ephemeral, Buffer.alloc(4096));
  t.equal(wrappedEphemeral.length, 256, 'the AES key wrapped to a 2048-bit recipient: one RSA block');

  const aesTemplate = [
    { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
    { type: p.CKA_KEY_TYPE, value: p.CKK_AES },
    { type: p.CKA_TOKEN, value: false },
    { type: p.CKA_UNWRAP, value: true },
    { type: p.CKA_SENSITIVE, value: true },
    { type: p.CKA_EXTRACTABLE, value: false },
  ];
  const byStranger = ckr(() => lib.C_UnwrapKey(dr, OAEP_SHA1, stranger.privateKey, wrappedEphemeral, aesTemplate));
  t.not(byStranger, 'CKR_OK', `another recipient key cannot unwrap it (${byStranger})`);
  const unwrappedEphemeral = lib.C_UnwrapKey(dr, OAEP_SHA1, recipient.privateKey, wrappedEphemeral, aesTemplate);
  const restored = lib.C_UnwrapKey(dr, { mechanism: p.CKM_AES_KEY_WRAP_PAD }, unwrappedEphemeral, wrappedKey, [
    { type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY },
    { type: p.CKA_KEY_TYPE, value: p.CKK_EC },
    { type: p.CKA_TOKEN, value: false },
    { type: p.CKA_PRIVATE, value: true },
    { type: p.CKA_SENSITIVE, value: true },
    { type: p.CKA_EXTRACTABLE, value: false },
    { type: p.CKA_SIGN, value: true },
  ]);
  const digest = createHash('sha384').update(randomBytes(32)).digest();
  lib.C_SignInit(dr, { mechanism: p.CKM_ECDSA }, restored);
  const signature = lib.C_Sign(dr, digest, Buffer.alloc(128));
  lib.C_VerifyInit(src, { mechanism: p.CKM_ECDSA }, source.publicKey);
  t.ok(lib.C_Verify(src, digest, signature), 'the restored key signs, and the source public key verifies it');

  lib.C_Logout(src);
  lib.C_CloseSession(src);
  lib.C_Logout(dr);
  lib.C_CloseSession(dr);
});
