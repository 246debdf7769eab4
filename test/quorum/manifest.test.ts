// The manifest file: written and read back exactly, read strictly, every error naming the file.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest, manifestFingerprint, serializeManifest, type ShareSetManifest } from '../../src/quorum/manifest.js';
import { newSecret, split } from '../../src/quorum/split.js';
import { caught } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kc-manifest-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const { manifest } = split(newSecret(), { threshold: 2, of: 3, custodians: ['alice', 'bob', 'carol'], label: 'hca-user-pin' });

function write(name: string, content: string | object): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

t.test('a manifest written by serializeManifest loads back the same', async (t) => {
  const file = write('good.json', serializeManifest(manifest));
  t.same(loadManifest(file), manifest);
  t.match(serializeManifest(manifest), /^\{\n {2}"format": "keyceremony-share-set",\n {2}"version": 1,\n {2}"setId": /);
  t.ok(serializeManifest(manifest).endsWith('}\n'));
});

t.test('the fingerprint does not depend on key order or layout', async (t) => {
  const reordered = Object.fromEntries(Object.entries(manifest).reverse()) as unknown as ShareSetManifest;
  const fp = manifestFingerprint(manifest);
  t.match(fp.sha256, /^[0-9a-f]{64}$/);
  t.equal(manifestFingerprint(reordered).sha256, fp.sha256);
  t.equal(fp.words.split(' ').length, 32);
  t.not(manifestFingerprint({ ...manifest, threshold: 3 }).sha256, fp.sha256);
});

t.test('unreadable files and bad JSON are usage errors naming the file', async (t) => {
  const missing = await caught(() => loadManifest(join(dir, 'nope.json')));
  t.equal(missing.message, `cannot read share-set manifest ${join(dir, 'nope.json')}: ENOENT`);
  t.equal(missing.exitCode, 2);
  const file = write('broken.json', '{ "format": ');
  const broken = await caught(() => loadManifest(file));
  t.match(broken.message, new RegExp(`^${file.replace(/[.]/g, '\\.')}: not valid JSON: `));
  t.equal(broken.code, 'manifest.json');
  t.equal(broken.exitCode, 2);
});

t.test('the schema is strict and every problem names its field', async (t) => {
  const cases: Array<[string, object, string]> = [
    ['unknown key', { ...manifest, extra: 1 }, 'extra is not a known key'],
    ['missing verifier', { ...manifest, verifier: undefined }, 'verifier is required'],
    ['wrong format', { ...manifest, format: 'something-else' }, 'format must be "keyceremony-share-set"'],
    ['newer version', { ...manifest, version: 2 }, 'version must be 1 (the manifest version this keyceremony reads)'],
    ['bad set id', { ...manifest, setId: 'ABCDEFGU' }, 'setId must be 8 Crockford base32 characters (0-9, A-Z without I, L, O, U)'],
    ['threshold above count', { ...manifest, threshold: 4 }, 'threshold must not be more than count (3)'],
    ['threshold of one', { ...manifest, threshold: 1 }, 'threshold must be a whole number from 2 to 255'],
    ['count mismatch', { ...manifest, count: 4 }, 'shares must list 4 shares (count), not 3'],
    [
      'misordered',
      { ...manifest, shares: [manifest.shares[1], manifest.shares[0], manifest.shares[2]] },
      'shares[0].index must be 1 (shares are listed in index order)',
    ],
    [
      'same custodian twice',
      { ...manifest, shares: manifest.shares.map((s, i) => ({ ...s, custodian: i === 2 ? 'Alice' : s.custodian })) },
      'shares[2].custodian names a custodian who already holds a share',
    ],
    [
      'bad commitment',
      { ...manifest, shares: manifest.shares.map((s, i) => ({ ...s, commitment: i === 1 ? 'ABC' : s.commitment })) },
      'shares[1].commitment must be 64 lower-case hex characters (SHA-256)',
    ],
    ['fractional count', { ...manifest, count: 2.5 }, 'count must be a whole number from 2 to 255'],
    [
      'text index',
      { ...manifest, shares: manifest.shares.map((s, i) => ({ ...s, index: i === 0 ? '1' : s.index })) },
      'shares[0].index must be a whole number from 1 to 255',
    ],
    ['not an object', [manifest], 'is not a share-set manifest: a JSON object is expected'],
    ['missing format', { ...manifest, format: undefined }, 'format is required'],
    ['bad date', { ...manifest, createdAt: 'yesterday' }, 'createdAt must be an ISO 8601 date and time'],
  ];
  for (const [what, content, problem] of cases) {
    const file = write(`${what.replace(/ /g, '-')}.json`, content);
    const error = await caught(() => loadManifest(file));
    t.equal(error.message.split('\n')[0], `${file}: ${problem}`, what);
    t.equal(error.code, 'manifest.invalid', what);
    t.equal(error.exitCode, 2, what);
    t.match(error.hint, 'share-set manifest', what);
  }
  const many = await caught(() => loadManifest(write('many.json', { ...manifest, threshold: 9, extra: true })));
  t.equal(many.message.split('\n').length, 2, 'all problems are listed');
});
