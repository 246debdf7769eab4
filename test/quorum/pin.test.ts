// The HSM PIN derivation: reproducible from its documentation, printable, of the length
// asked for, and never shown by accident.
import t from 'tap';
import { createHmac } from 'node:crypto';
import { derivePin, PIN_ALPHABETS, type PinAlphabet } from '../../src/quorum/pin.js';
import { isSecretBuffer } from '../../src/quorum/secret-buffer.js';
import { newSecret } from '../../src/quorum/split.js';
import { caught } from '../helpers/errors.js';
import { assertNoSecrets } from './helpers/secrets.js';

const FIXED = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

/** RFC 5869 HKDF-SHA256 written out with HMAC, as docs/share-format.md describes the PIN. */
function documentedPin(secret: Buffer, length: number, alphabet: PinAlphabet): string {
  const prk = createHmac('sha256', 'keyceremony/hsm-pin/v1').update(secret).digest();
  const info = Buffer.from(`${alphabet}:${length}`);
  let okm = Buffer.alloc(0);
  let block = Buffer.alloc(0);
  for (let i = 1; okm.length < 256; i++) {
    block = createHmac('sha256', prk)
      .update(Buffer.concat([block, info, Buffer.of(i)]))
      .digest();
    okm = Buffer.concat([okm, block]);
  }
  const letters = PIN_ALPHABETS[alphabet];
  const limit = 256 - (256 % letters.length);
  let pin = '';
  for (const byte of okm.subarray(0, 256)) {
    if (pin.length === length) break;
    if (byte < limit) pin += letters[byte % letters.length];
  }
  return pin;
}

t.test('known answers for the fixed test secret (also in docs/share-format.md)', async (t) => {
  t.equal(derivePin(FIXED, 16).toString('latin1'), documentedPin(FIXED, 16, 'alphanumeric'));
  t.equal(derivePin(FIXED, 8, 'digits').toString('latin1'), documentedPin(FIXED, 8, 'digits'));
  t.equal(derivePin(FIXED, 16).toString('latin1'), 'F6UFR29Zz8ybEQWS');
  t.equal(derivePin(FIXED, 4).toString('latin1'), 'Zvn2');
  t.equal(derivePin(FIXED, 8, 'digits').toString('latin1'), '25513741');
});

t.test('the derivation matches its written description for random secrets, lengths and alphabets', async (t) => {
  let mismatches = 0;
  for (let run = 0; run < 200; run++) {
    const secret = newSecret();
    const length = 4 + (run % 61);
    const alphabet: PinAlphabet = run % 3 === 0 ? 'digits' : 'alphanumeric';
    if (derivePin(secret, length, alphabet).toString('latin1') !== documentedPin(secret, length, alphabet)) mismatches++;
  }
  t.equal(mismatches, 0);
});

t.test('PINs are printable, of the asked length, in their alphabet, and use all of it', async (t) => {
  const seen = new Set<string>();
  for (const length of [4, 6, 8, 16, 32, 64]) {
    const pin = derivePin(newSecret(), length).toString('latin1');
    t.equal(pin.length, length);
    t.match(pin, /^[0-9A-Za-z]+$/);
  }
  for (let i = 0; i < 100; i++) for (const c of derivePin(newSecret(), 64).toString('latin1')) seen.add(c);
  t.equal(seen.size, 62, 'all 62 characters occur');
  t.match(derivePin(newSecret(), 12, 'digits').toString('latin1'), /^[0-9]{12}$/);
});

t.test('the same secret gives the same PIN; another secret or length another PIN', async (t) => {
  const secret = newSecret();
  t.equal(derivePin(secret, 16).toString('latin1'), derivePin(Buffer.from(secret), 16).toString('latin1'));
  t.not(derivePin(secret, 16).toString('latin1'), derivePin(newSecret(), 16).toString('latin1'));
  t.not(derivePin(secret, 17).toString('latin1').slice(0, 16), derivePin(secret, 16).toString('latin1'), 'the length is bound in');
});

t.test('lengths outside 4..64 are refused', async (t) => {
  for (const length of [3, 65, 0, 8.5, Number.NaN]) {
    const error = await caught(() => derivePin(newSecret(), length));
    t.equal(error.code, 'pin.length');
    t.equal(error.message, `the PIN length must be a whole number from 4 to 64, not ${String(length)}`);
    t.equal(error.exitCode, 2);
  }
});

t.test('a PIN is a secret buffer: inspect, JSON and string conversion do not show it', async (t) => {
  const secret = newSecret();
  const pin = derivePin(secret, 16);
  t.ok(isSecretBuffer(pin));
  // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- a template literal is the accident this guards against
  t.equal(`${pin}`, '[secret, 16 bytes]');
  t.equal(pin.toString(), '[secret, 16 bytes]');
  t.match(pin.toString('utf8'), /^[0-9A-Za-z]{16}$/, 'an explicit encoding reads the PIN (what the HSM login does)');
  assertNoSecrets(t, pin, { buffers: [pin, secret] }, 'the PIN');
  assertNoSecrets(t, { pin }, { buffers: [pin, secret] }, 'an object holding the PIN');
});
