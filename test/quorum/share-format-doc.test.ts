// docs/share-format.md's worked example is real: its shares, manifest, byte breakdown and
// PINs are what the code reads and derives. If the format changes, this fails until the
// document is updated.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { base32crockford } from '@scure/base';
import secrets from 'secrets.js-grempe';
import { shareChecksum } from '../../src/quorum/checksum.js';
import { combine } from '../../src/quorum/combine.js';
import { decodeEnvelope } from '../../src/quorum/envelope.js';
import { manifestFingerprint, parseManifest } from '../../src/quorum/manifest.js';
import { derivePin } from '../../src/quorum/pin.js';
import { readShare } from '../../src/quorum/read-share.js';
import { payloadToShareString } from '../../src/quorum/shamir.js';
import { formatForPaper } from '../../src/quorum/share-text.js';

const doc = readFileSync(new URL('../../docs/share-format.md', import.meta.url), 'utf8');

/** The fenced block or inline code that follows `<!-- example:name -->`. */
function example(name: string): string {
  const at = doc.indexOf(`<!-- example:${name} -->`);
  if (at < 0) throw new Error(`docs/share-format.md has no example "${name}"`);
  const rest = doc.slice(at);
  const fenced = /^<!-- example:[a-z-]+ -->\s*\n```[a-z]*\n([\s\S]*?)\n```/.exec(rest);
  if (fenced) return fenced[1]!;
  const inline = /^<!-- example:[a-z-]+ --> `([^`]+)`/.exec(rest);
  if (inline) return inline[1]!;
  throw new Error(`example "${name}" is not followed by code`);
}

const secretHex = example('secret');
const manifest = parseManifest(JSON.parse(example('manifest')), 'docs/share-format.md');
const shares = example('shares')
  .split('\n')
  .map((line) => {
    const [index, custodian, text] = line.split(/\s+/);
    return { index: Number(index), custodian: custodian!, text: text! };
  });

t.test('every example share reads as its index and custodian', async (t) => {
  t.equal(shares.length, 3);
  for (const share of shares) t.same(readShare(share.text, manifest, share.custodian), { index: share.index, custodian: share.custodian });
});

t.test('any two example shares give the example secret', async (t) => {
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [2, 1],
  ] as const) {
    t.equal(combine([shares[a]!.text, shares[b]!.text], manifest).toString('hex'), secretHex);
  }
});

t.test('the manifest fingerprint, byte breakdown and plain share are what the code computes', async (t) => {
  t.equal(manifestFingerprint(manifest).sha256, example('fingerprint'));
  const decoded = decodeEnvelope(shares[0]!.text);
  t.equal(decoded.body.toString('hex'), example('body').replace(/ /g, ''));
  t.equal(shareChecksum(decoded.body).toString('hex'), example('checksum'));
  const plain = payloadToShareString(decoded.payload);
  t.equal(plain, example('plain-share'));
  t.equal(base32crockford.encode(decoded.body.subarray(0, 5)), manifest.setId, 'the body starts with the set id');
  const symbols = example('symbols');
  t.equal(base32crockford.encode(Buffer.concat([decoded.body, shareChecksum(decoded.body)])), symbols);
  t.equal(shares[0]!.text.replace(/-/g, '').replace(/(.{4})./g, '$1'), symbols, 'the share is the symbols with a check character after every four');
  // secrets.js-grempe alone combines the documented plain share with another share's payload.
  t.equal(secrets.combine([plain, payloadToShareString(decodeEnvelope(shares[2]!.text).payload)]), secretHex);
  t.match(doc, formatForPaper(shares[0]!.text), 'the paper layout at the top is share 1');
});

t.test('the documented PINs are derived from the example secret', async (t) => {
  const secret = Buffer.from(secretHex, 'hex');
  const pins = Object.fromEntries(
    example('pins')
      .split('\n')
      .map((line) => {
        const [label, value] = line.split(/:\s+/);
        return [label!, value!];
      }),
  );
  t.equal(derivePin(secret, 16).toString('latin1'), pins['alphanumeric 16']);
  t.equal(derivePin(secret, 4).toString('latin1'), pins['alphanumeric 4']);
  t.equal(derivePin(secret, 8, 'digits').toString('latin1'), pins['digits 8']);
});
