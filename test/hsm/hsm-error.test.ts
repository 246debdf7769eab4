import t from 'tap';
import pkcs11js from 'pkcs11js';
import { HsmError, hasExplanation, hsmCall, toHsmError } from '../../src/hsm/hsm-error.js';
import { ckrName } from '../../src/hsm/pkcs11.js';
import { KeyceremonyError } from '../../src/errors.js';

// Codes SoftHSM cannot be made to return on demand; the mapping is checked with the
// Pkcs11Error objects pkcs11js itself throws.
const REQUIRED = [
  'CKR_PIN_INCORRECT',
  'CKR_PIN_LOCKED',
  'CKR_PIN_LEN_RANGE',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_DEVICE_REMOVED',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_MECHANISM_INVALID',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_KEY_NOT_WRAPPABLE',
  'CKR_KEY_UNEXTRACTABLE',
];

t.test('every required CKR has a plain message and a hint', async (t) => {
  for (const name of REQUIRED) {
    t.ok(hasExplanation(name), name);
    const code = (pkcs11js as unknown as Record<string, number>)[name]!;
    t.equal(ckrName(code), name);
    const error = toHsmError(new pkcs11js.Pkcs11Error(name, code, 'C_Sign'), 'signing with key "K"');
    t.type(error, HsmError);
    const hsmError = error as HsmError;
    t.equal(hsmError.ckr, name);
    t.equal(hsmError.method, 'C_Sign');
    t.equal(hsmError.code, name);
    t.match(hsmError.message, new RegExp(`^signing with key "K": [a-z].* \\(${name}\\)$`));
    t.ok(hsmError.hint && hsmError.hint.length > 10, `${name} has a hint`);
  }
});

t.test('unknown codes, plain errors and our own errors', async (t) => {
  const unknown = toHsmError(new pkcs11js.Pkcs11Error('CKR_VENDOR_DEFINED', 0x80000000, 'C_Login'), 'logging in') as HsmError;
  t.equal(unknown.message, 'logging in: the HSM returned an error (CKR_VENDOR_DEFINED)');
  t.match(unknown.hint, 'module logs');
  t.equal(ckrName(0x7fff1234), 'CKR_0x7FFF1234');
  const plain = toHsmError(new TypeError('Argument 1 has wrong type'), 'reading');
  t.equal(plain.message, 'reading: Argument 1 has wrong type');
  const ours = new KeyceremonyError('already explained');
  t.equal(toHsmError(ours, 'x'), ours, 'our own errors pass through unchanged');
  t.throws(
    () =>
      hsmCall('calling', () => {
        throw new pkcs11js.Pkcs11Error('CKR_DEVICE_REMOVED', pkcs11js.CKR_DEVICE_REMOVED, 'C_Sign');
      }),
    /calling: the HSM device was removed during the operation \(CKR_DEVICE_REMOVED\)/,
  );
  t.equal(
    hsmCall('calling', () => 42),
    42,
  );
});
