// split() and combine() over whole share sets: every quorum rebuilds the secret, every
// smaller subset is refused, the payload is a plain secrets.js-grempe share, and split
// checks what it is asked to do.
import t from 'tap';
import secrets from 'secrets.js-grempe';
import { combine } from '../../src/quorum/combine.js';
import { decodeEnvelope } from '../../src/quorum/envelope.js';
import { parseManifest, secretVerifier, serializeManifest, shareCommitment } from '../../src/quorum/manifest.js';
import { isSecretBuffer } from '../../src/quorum/secret-buffer.js';
import { payloadToShareString } from '../../src/quorum/shamir.js';
import { newSecret, split } from '../../src/quorum/split.js';
import { caught } from '../helpers/errors.js';
import { assertNoSecrets } from './helpers/secrets.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `custodian-${i + 1}`);

/** Every subset of {0..n-1} as index lists, in increasing order. */
function subsets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) out.push(Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i)));
  return out;
}

for (const [threshold, of] of [
  [2, 3],
  [3, 5],
  [5, 9],
] as const) {
  t.test(`${threshold}-of-${of}: every subset of ${threshold} or more rebuilds the secret, every smaller one is refused`, async (t) => {
    const secret = newSecret();
    const expected = secret.toString('hex');
    const { shares, manifest } = split(secret, { threshold, of, custodians: names(of), label: 'hca-user-pin' });
    t.equal(shares.length, of);
    let combined = 0;
    let refused = 0;
    for (const subset of subsets(of)) {
      const texts = subset.map((i) => shares[i]!.text);
      if (subset.length >= threshold) {
        // In the given order and reversed: order does not matter.
        const forward = combine(texts, manifest);
        const backward = combine([...texts].reverse(), manifest);
        if (forward.toString('hex') !== expected || backward.toString('hex') !== expected) t.fail(`subset ${subset.join(',')} did not rebuild the secret`);
        combined++;
      } else {
        const error = await caught(() => combine(texts, manifest));
        if (error.code !== 'share.too-few') t.fail(`subset ${subset.join(',')} was not refused as too few: ${error.code}`);
        refused++;
      }
    }
    let expectedCombined = 0;
    for (let k = threshold; k <= of; k++) expectedCombined += binomial(of, k);
    t.equal(combined, expectedCombined, `all ${expectedCombined} quorums rebuilt the secret`);
    t.equal(refused, 2 ** of - 1 - expectedCombined, `all ${refused} smaller subsets were refused`);
  });
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

t.test('the payload inside an envelope is a plain secrets.js-grempe share', async (t) => {
  const secret = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  const { shares } = split(Buffer.from(secret), { threshold: 3, of: 5, custodians: names(5) });
  const plain = shares.map((s) => payloadToShareString(decodeEnvelope(s.text).payload));
  for (const [i, share] of plain.entries()) {
    const parts = secrets.extractShareComponents(share);
    t.equal(parts.bits, 8, `share ${i + 1} is an 8-bit secrets.js share`);
    t.equal(parts.id, i + 1, `its secrets.js id is its index`);
  }
  // secrets.js-grempe alone, no keyceremony code: any three of them give the secret.
  t.equal(secrets.combine([plain[0]!, plain[2]!, plain[4]!]), secret.toString('hex'));
  t.equal(secrets.combine([plain[3]!, plain[1]!, plain[0]!]), secret.toString('hex'));
  // ...and two give a wrong secret without complaint, which is why combine() verifies.
  t.not(secrets.combine([plain[0]!, plain[1]!]), secret.toString('hex'));
});

t.test('the manifest describes the set: ids, custodians, commitments and verifier', async (t) => {
  const secret = newSecret();
  const now = new Date('2025-03-01T09:30:00+08:00');
  const { shares, manifest } = split(secret, { threshold: 2, of: 3, custodians: ['alice', 'bob', '陳醫師'], label: 'hca-user-pin', now });
  t.equal(manifest.format, 'keyceremony-share-set');
  t.equal(manifest.version, 1);
  t.match(manifest.setId, /^[0-9A-HJKMNP-TV-Z]{8}$/);
  t.equal(manifest.label, 'hca-user-pin');
  t.equal(manifest.createdAt, '2025-03-01T01:30:00.000Z');
  t.equal(manifest.threshold, 2);
  t.equal(manifest.count, 3);
  t.same(
    manifest.shares.map((s) => [s.index, s.custodian]),
    [
      [1, 'alice'],
      [2, 'bob'],
      [3, '陳醫師'],
    ],
  );
  t.same(
    shares.map((s) => [s.index, s.custodian]),
    [
      [1, 'alice'],
      [2, 'bob'],
      [3, '陳醫師'],
    ],
  );
  for (const share of shares) {
    const decoded = decodeEnvelope(share.text);
    t.equal(decoded.setId, manifest.setId, `share ${share.index} carries the set id`);
    t.equal(decoded.threshold, 2);
    t.equal(manifest.shares[share.index - 1]!.commitment, shareCommitment(decoded.body), `share ${share.index}'s commitment is over its envelope`);
    t.equal(share.text.slice(0, 4) + share.text.slice(6, 10), manifest.setId, 'groups 1 and 2 show the set id');
  }
  t.equal(manifest.verifier, secretVerifier(manifest.setId, secret));
  t.equal(manifest.replaces, undefined);
  // What is written is what is read back.
  t.same(parseManifest(JSON.parse(serializeManifest(manifest)), 'manifest.json'), manifest);
  assertNoSecrets(t, manifest, { shares: shares.map((s) => s.text), buffers: [secret] }, 'the manifest');
  assertNoSecrets(t, serializeManifest(manifest), { shares: shares.map((s) => s.text), buffers: [secret] }, 'the manifest file');
  assertNoSecrets(t, shares, { shares: shares.map((s) => s.text), buffers: [secret] }, 'the issued shares');
});

t.test('two splits of the same secret share nothing: new set id, new shares', async (t) => {
  const secret = newSecret();
  const a = split(Buffer.from(secret), { threshold: 2, of: 2, custodians: ['alice', 'bob'] });
  const b = split(Buffer.from(secret), { threshold: 2, of: 2, custodians: ['alice', 'bob'] });
  t.not(a.manifest.setId, b.manifest.setId);
  t.not(a.shares[0]!.text, b.shares[0]!.text);
  t.not(a.manifest.verifier, b.manifest.verifier, 'the verifier is bound to the set id');
});

t.test('newSecret makes 32 random bytes marked secret', async (t) => {
  const a = newSecret();
  const b = newSecret();
  t.equal(a.length, 32);
  t.ok(isSecretBuffer(a));
  t.not(a.toString('hex'), b.toString('hex'));
  t.equal(String(a), '[secret, 32 bytes]');
});

t.test('split refuses what would make a weak or unusable set, in plain words', async (t) => {
  const secret = newSecret();
  const cases: Array<[string, Parameters<typeof split>[1], string]> = [
    [
      'threshold 1',
      { threshold: 1, of: 3, custodians: names(3) },
      'cannot split the secret: the threshold must be a whole number from 2 to 3 (the number of shares), not 1',
    ],
    [
      'threshold above count',
      { threshold: 4, of: 3, custodians: names(3) },
      'cannot split the secret: the threshold must be a whole number from 2 to 3 (the number of shares), not 4',
    ],
    [
      'fractional threshold',
      { threshold: 2.5, of: 3, custodians: names(3) },
      'cannot split the secret: the threshold must be a whole number from 2 to 3 (the number of shares), not 2.5',
    ],
    ['one share', { threshold: 2, of: 1, custodians: names(1) }, 'cannot split the secret: the number of shares must be a whole number from 2 to 255, not 1'],
    [
      '256 shares',
      { threshold: 2, of: 256, custodians: names(256) },
      'cannot split the secret: the number of shares must be a whole number from 2 to 255, not 256',
    ],
    ['too few custodians', { threshold: 2, of: 3, custodians: names(2) }, 'cannot split the secret: 3 shares need 3 custodians, 2 were named'],
    [
      'duplicate custodian',
      { threshold: 2, of: 3, custodians: ['alice', 'bob', 'Alice'] },
      'cannot split the secret: custodian "Alice" is named for shares 1 and 3',
    ],
    ['empty custodian', { threshold: 2, of: 2, custodians: ['alice', ''] }, "cannot split the secret: custodian 2's name must not be empty"],
    [
      'padded custodian',
      { threshold: 2, of: 2, custodians: ['alice', ' bob'] },
      "cannot split the secret: custodian 2's name must be 1 to 64 characters without control characters or spaces at either end",
    ],
    [
      'control character',
      { threshold: 2, of: 2, custodians: ['alice', 'bo\u0007b'] },
      "cannot split the secret: custodian 2's name must be 1 to 64 characters without control characters or spaces at either end",
    ],
  ];
  for (const [what, options, message] of cases) {
    const error = await caught(() => split(secret, options));
    t.equal(error.message, message, what);
    t.equal(error.code, 'split.invalid', what);
    t.equal(error.exitCode, 2, what);
    t.ok(error.hint, `${what} has a hint`);
  }
  const short = await caught(() => split(Buffer.alloc(8, 1), { threshold: 2, of: 2, custodians: names(2) }));
  t.equal(short.message, 'cannot split the secret: the secret must be 16 to 64 random bytes');
  t.equal(secret.length, 32, 'the secret is untouched by a refused split');
  const max = split(newSecret(), { threshold: 255, of: 255, custodians: names(255) });
  t.equal(max.shares.length, 255, '255 shares are allowed');
  t.equal(max.manifest.shares[254]!.index, 255);
});

t.test('secrets.js-grempe re-initialised with other settings is refused, not used', async (t) => {
  const secret = newSecret();
  const { shares, manifest } = split(Buffer.from(secret), { threshold: 2, of: 2, custodians: names(2) });
  secrets.init(3, 'nodeCryptoRandomBytes');
  try {
    t.throws(() => split(secret, { threshold: 2, of: 2, custodians: names(2) }), { message: /^secrets\.js-grempe is configured with 3 bits/ });
    t.throws(
      () =>
        combine(
          shares.map((s) => s.text),
          manifest,
        ),
      { message: /^secrets\.js-grempe is configured with 3 bits/ },
    );
  } finally {
    secrets.init(8, 'nodeCryptoRandomBytes');
  }
  t.equal(
    combine(
      shares.map((s) => s.text),
      manifest,
    ).toString('hex'),
    secret.toString('hex'),
    'works again once restored',
  );
});
