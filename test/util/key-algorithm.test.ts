// Key algorithms as data: the definition's names parse into data and back, the journal's
// runtime schema takes exactly the algorithms the HSM makes, display text is one function.
import t from 'tap';
import {
  CURVES,
  declaredAlgorithm,
  declaredName,
  DECLARED_ALGORITHMS,
  describeAlgorithm,
  keyAlgorithmOf,
  keyAlgorithmSchema,
  RSA_BITS,
  type KeyAlgorithm,
} from '../../src/util/key-algorithm.js';

const ALL: KeyAlgorithm[] = [...RSA_BITS.map((bits): KeyAlgorithm => ({ type: 'RSA', bits })), ...CURVES.map((curve): KeyAlgorithm => ({ type: 'EC', curve }))];

t.test('every declared name is one algorithm, and back', async (t) => {
  t.same(
    DECLARED_ALGORITHMS.map((name) => declaredAlgorithm(name)),
    ALL,
  );
  for (const name of DECLARED_ALGORITHMS) t.equal(declaredName(declaredAlgorithm(name)), name);
});

t.test('the journal schema takes the algorithms the HSM makes and nothing else', async (t) => {
  for (const algorithm of ALL) t.same(keyAlgorithmSchema.parse(algorithm), algorithm, describeAlgorithm(algorithm));
  for (const bad of [
    'RSA-4096',
    { type: 'RSA', bits: 1024 },
    { type: 'EC', curve: 'P-999' },
    { type: 'EC', curve: 'P-384', bits: 384 },
    { type: 'DSA', bits: 2048 },
    null,
  ]) {
    t.notOk(keyAlgorithmSchema.safeParse(bad).success, JSON.stringify(bad));
  }
});

t.test('display text is made from the data', async (t) => {
  t.same(ALL.map(describeAlgorithm), ['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC P-256', 'EC P-384', 'EC P-521']);
});

t.test("a generate-key step's key as written in the definition, as data", async (t) => {
  t.same(keyAlgorithmOf({ algorithm: 'RSA', bits: 4096 }), { type: 'RSA', bits: 4096 });
  t.same(keyAlgorithmOf({ algorithm: 'EC', curve: 'P-384' }), { type: 'EC', curve: 'P-384' });
  t.throws(() => keyAlgorithmOf({ algorithm: 'RSA', bits: 1024 }), /not one the step schema allows/);
  t.throws(() => keyAlgorithmOf({ algorithm: 'EC', curve: 'P-999' }), /not one the step schema allows/);
});
