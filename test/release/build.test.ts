// npm run release: two builds of one checkout give the same tarball byte for byte, and what is
// inside is checked with the tools a verifier would use (gzip header, tar listing, sha256sum),
// plus the release's package.json, SBOM and licence notice.
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildRelease, RELEASE_FOLDER, ROOT, TARBALL, unpack, VERSION } from '../helpers/release.js';
import { run } from '../helpers/softhsm.js';

const commitTime = Number((await run('git', ['log', '-1', '--format=%ct'], { cwd: ROOT })).stdout.trim());
const first = await buildRelease(t);
const second = await buildRelease(t);
const bytes = readFileSync(first.tarball);
const top = await unpack(t, first.tarball);

/** name and version of every npm package whose code esbuild put into the bundle, plus pkcs11js. */
const shipped = [
  ...new Set(
    Object.values(first.metafile.outputs).flatMap((o) =>
      Object.keys(o.inputs)
        .map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
        .filter((d): d is string => d !== undefined),
    ),
  ),
  'node_modules/pkcs11js',
].map((dir) => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; version: string; license: string });

t.test('two builds of one checkout give byte-identical tarballs', async (t) => {
  t.ok(readFileSync(second.tarball).equals(bytes), `${first.tarball} and ${second.tarball} are the same bytes`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  t.equal(readFileSync(`${first.tarball}.sha256`, 'utf8'), `${sha256}  ${TARBALL}\n`);
  const coreutils = await run('sha256sum', ['--check', `${TARBALL}.sha256`], { cwd: first.out });
  t.equal(coreutils.code, 0, coreutils.stderr);
  t.same(readdirSync(first.out).sort(), [TARBALL, `${TARBALL}.sha256`, 'metafile.json'], 'nothing else is written');
});

t.test('gzip without a file name or time; tar entries sorted, owned by 0:0, dated at the last commit, fixed modes', async (t) => {
  t.equal(bytes.readUInt16BE(0), 0x1f8b, 'gzip magic');
  t.equal(bytes[3]! & 0x08, 0, 'no FNAME in the gzip header');
  t.equal(bytes.readUInt32LE(4), 0, 'no MTIME in the gzip header');
  const listing = await run('tar', ['--list', '--verbose', '--numeric-owner', '--full-time', '-zf', first.tarball], { env: { ...process.env, TZ: 'UTC' } });
  t.equal(listing.code, 0, listing.stderr);
  const entries = listing.stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [mode, owner, , date, time, name] = line.split(/\s+/);
      return { mode: mode!, owner: owner!, when: `${date}T${time}Z`, name: name! };
    });
  t.same([...new Set(entries.map((e) => e.owner))], ['0/0']);
  t.same([...new Set(entries.map((e) => e.when))], [new Date(commitTime * 1000).toISOString().replace('.000Z', 'Z')]);
  t.same(
    entries.map((e) => e.name),
    [...entries.map((e) => e.name)].sort(),
    'entries in name order',
  );
  t.ok(
    entries.every((e) => e.name.startsWith(`${RELEASE_FOLDER}/`)),
    `one top folder ${RELEASE_FOLDER}/`,
  );
  const modes = Object.fromEntries(entries.map((e) => [e.name.slice(RELEASE_FOLDER.length + 1), e.mode]));
  t.equal(modes['keyceremony'], '-rwxr-xr-x', 'the launcher is executable');
  t.equal(modes['scripts/softhsm-setup.sh'], '-rwxr-xr-x');
  t.same(
    [
      ...new Set(
        Object.entries(modes)
          .filter(([name]) => !['keyceremony', 'scripts/softhsm-setup.sh'].includes(name))
          .map(([name, mode]) => (name === '' || name.endsWith('/') ? `dir ${mode}` : mode)),
      ),
    ].sort(),
    ['-rw-r--r--', 'dir drwxr-xr-x'],
  );
});

t.test('the release holds the bundle, the addon, the guides, the ceremonies, NOTICE, SBOM and SHA256SUMS', async (t) => {
  for (const file of [
    'keyceremony',
    'dist/cli/bin.js',
    'node_modules/pkcs11js/build/Release/pkcs11.node',
    'node_modules/pkcs11js/index.js',
    'package.json',
    'README.md',
    'SoftHSM.md',
    'NOTICE',
    'sbom.cdx.json',
    'SHA256SUMS',
    'ceremonies/schema.json',
    'ceremonies/profiles/x509/subordinate-ca.yaml',
    'ceremonies/hca-g3-keygen.yaml',
    'scripts/dry-run.mjs',
    'docs/share-format.md',
  ]) {
    t.ok(statSync(join(top, file)).isFile(), file);
  }
  t.same(readdirSync(join(top, 'node_modules')), ['pkcs11js'], 'only the native addon is outside the bundle');
  t.equal(
    readFileSync(join(top, 'node_modules/pkcs11js/build/Release/pkcs11.node')).compare(
      readFileSync(join(ROOT, 'node_modules/pkcs11js/build/Release/pkcs11.node')),
    ),
    0,
    'the addon built by npm ci',
  );
  const pkg = JSON.parse(readFileSync(join(top, 'package.json'), 'utf8')) as Record<string, unknown>;
  const source = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  t.same(pkg, {
    name: source.name,
    version: source.version,
    description: source.description,
    license: source.license,
    type: 'module',
    private: true,
    engines: { node: '>=20.11' },
    os: ['linux'],
    cpu: ['x64'],
  });
  const elf = readFileSync(join(top, 'node_modules/pkcs11js/build/Release/pkcs11.node'));
  t.same(
    [elf.subarray(0, 4).toString('latin1'), elf[4], elf[5], elf.readUInt16LE(16), elf.readUInt16LE(18)],
    ['\x7fELF', 2, 1, 3, 0x3e],
    'an ELF 64-bit little-endian shared object for x86-64',
  );
});

t.test('the SBOM is CycloneDX, lists every shipped package and no dev-only one, and has no run-to-run fields', async (t) => {
  const sbom = JSON.parse(readFileSync(join(top, 'sbom.cdx.json'), 'utf8')) as {
    bomFormat: string;
    specVersion: string;
    serialNumber: string;
    metadata: { timestamp: string; component: { name: string; version: string } };
    components: Array<{ name: string; version: string }>;
  };
  t.equal(sbom.bomFormat, 'CycloneDX');
  t.match(sbom.specVersion, /^1\.\d+$/);
  t.match(sbom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.equal(sbom.metadata.timestamp, new Date(commitTime * 1000).toISOString(), 'dated at the last commit, not now');
  t.same({ name: sbom.metadata.component.name, version: sbom.metadata.component.version }, { name: 'keyceremony', version: VERSION });
  t.ok(shipped.length > 20, `${shipped.length} packages shipped`);
  // npm sbom --omit dev alone drops yaml, chalk and others also used by dev tools (npm/cli 7909).
  for (const p of shipped)
    t.ok(
      sbom.components.some((c) => c.name === p.name && c.version === p.version),
      `${p.name}@${p.version} is in the SBOM`,
    );
  for (const dev of ['tap', 'typescript', 'esbuild', 'fast-check', 'ink-testing-library'])
    t.notOk(
      sbom.components.some((c) => c.name === dev),
      `no ${dev}`,
    );
});

t.test('NOTICE carries the licence text of every shipped package', async (t) => {
  const notice = readFileSync(join(top, 'NOTICE'), 'utf8');
  t.match(notice, /^keyceremony \S+ is licensed under Apache-2\.0/);
  for (const p of shipped) t.match(notice, `  ${p.name} ${p.version} (${p.license})\n`, `${p.name} is listed`);
  for (const dir of ['node_modules/yaml', 'node_modules/pkcs11js', 'node_modules/zod', 'node_modules/xstate']) {
    const licence = readFileSync(join(ROOT, dir, 'LICENSE'), 'utf8').trimEnd();
    t.ok(notice.includes(licence), `${dir}/LICENSE in full`);
  }
  t.match(notice, /yoga-layout \S+ — MIT\n=+\n\n\(The package ships no licence file; its package.json declares MIT\.\)/);
});

t.test('SOURCE_DATE_EPOCH sets every file time; a malformed one is refused', async (t) => {
  const dated = await buildRelease(t, { SOURCE_DATE_EPOCH: '86400' });
  const listing = await run('tar', ['--list', '--verbose', '--full-time', '-zf', dated.tarball], { env: { ...process.env, TZ: 'UTC' } });
  t.same(
    [
      ...new Set(
        listing.stdout
          .trimEnd()
          .split('\n')
          .map((line) => line.split(/\s+/).slice(3, 5).join(' ')),
      ),
    ],
    ['1970-01-02 00:00:00'],
  );
  t.notOk(readFileSync(dated.tarball).equals(bytes), 'another date, another tarball');
  await t.rejects(buildRelease(t, { SOURCE_DATE_EPOCH: 'yesterday' }), /release: error: SOURCE_DATE_EPOCH is "yesterday", not a number of seconds/);
});
