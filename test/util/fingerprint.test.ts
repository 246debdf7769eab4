import t from 'tap';
import { fingerprint, groupedHex, pgpWords } from '../../src/util/fingerprint.js';
import { EVEN_WORDS, ODD_WORDS } from '../../src/util/pgp-words.js';

t.test('the PGP word lists are complete and distinct', async (t) => {
  t.equal(EVEN_WORDS.length, 256);
  t.equal(ODD_WORDS.length, 256);
  t.equal(new Set([...EVEN_WORDS, ...ODD_WORDS].map((w) => w.toLowerCase())).size, 512);
});

t.test('known vectors', async (t) => {
  // From the PGP word list's published example: D1 D4 64 C0.
  t.equal(pgpWords(Buffer.from('d1d464c0', 'hex')), 'stairway souvenir flytrap recipe');
  t.equal(pgpWords(Buffer.from('00ff', 'hex')), 'aardvark Yucatan');
  // SHA-256("abc") is the FIPS 180-2 example.
  t.equal(fingerprint('abc').sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  t.equal(fingerprint('abc').words.split(' ')[0], 'shadow', 'byte 0xBA, even position');
  t.equal(groupedHex('ba7816bf8f01'), 'BA78 16BF 8F01');
});
