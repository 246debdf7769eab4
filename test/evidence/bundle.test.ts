// The evidence bundle (issue 20): `keyceremony bundle <workdir>` on every workdir of the
// shared dry-run chain, checked with independent tools (GNU tar lists it, `sha256sum -c`
// checks SHA256SUMS), reproducible byte for byte, free of secrets (the canary), and
// `bundle verify` refusing each way an attacker could change the workdir or the archive.
import t from 'tap';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCanary, scanForSecrets } from '../helpers/canary.js';
import { dryRunOutput } from '../helpers/dry-run.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { run } from '../helpers/softhsm.js';

const scratch = t.testdir({});
const { out } = await dryRunOutput(join(scratch, 'chain'));
const workdirs = readdirSync(out)
  .filter((name) => existsSync(join(out, name, 'journal.jsonl')))
  .sort();
const bundles = join(scratch, 'bundles');
mkdirSync(bundles);

const bundle = (workdir: string, archive: string) => keyceremonyInProcess(['bundle', workdir, '--out', archive]);
const verify = (archive: string) => keyceremonyInProcess(['bundle', 'verify', archive]);

/** Unpacks an archive with GNU tar, lets `change` edit the folder, and packs it again with SHA256SUMS recomputed by sha256sum. */
async function repack(archive: string, name: string, change: (folder: string) => void, options: { keepSums?: boolean } = {}): Promise<string> {
  const dir = join(scratch, `repack-${name}`);
  mkdirSync(dir);
  t.equal((await run('tar', ['-xzf', archive, '-C', dir])).code, 0, `${name}: unpacked`);
  const [folder] = readdirSync(dir);
  change(join(dir, folder!));
  if (!options.keepSums) {
    const files = (await run('find', ['.', '-type', 'f', '!', '-name', 'SHA256SUMS'], { cwd: join(dir, folder!) })).stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.slice(2))
      .sort();
    const sums = await run('sha256sum', ['--', ...files], { cwd: join(dir, folder!) });
    writeFileSync(join(dir, folder!, 'SHA256SUMS'), sums.stdout);
  }
  const repacked = join(scratch, `${name}.tar.gz`);
  t.equal((await run('tar', ['-czf', repacked, '-C', dir, folder!])).code, 0, `${name}: packed`);
  return repacked;
}

t.ok(workdirs.length >= 9, `the chain has its ${workdirs.length} workdirs`);

t.test('every workdir of the chain bundles, verifies, and passes sha256sum -c', async (t) => {
  for (const name of workdirs) {
    const archive = join(bundles, `${name}.tar.gz`);
    const made = await bundle(join(out, name), archive);
    t.equal(made.code, 0, `${name}: bundled\n${made.stderr}`);
    t.match(made.stdout, /journal {3}final hash [0-9A-F]{4}( [0-9A-F]{4}){15}/, `${name}: prints the final hash`);
    const checked = await verify(archive);
    t.equal(checked.code, 0, `${name}: verifies\n${checked.stderr}`);
    t.match(checked.stdout, /reports {3}4, each the one the journal gives/, `${name}: reports rendered again and compared`);
    const journalHash = /final hash ([0-9A-F ]+)\n/.exec(made.stdout)?.[1];
    t.ok(journalHash && checked.stdout.includes(journalHash), `${name}: verify prints the same final hash`);

    const listing = await run('tar', ['-tzf', archive]);
    t.equal(listing.code, 0, `${name}: GNU tar reads it`);
    const entries = listing.stdout.split('\n').filter(Boolean);
    t.ok(
      entries.every((entry) => entry.startsWith(`${name.replace(/^.*\//, '')}`) || entry.includes('-evidence/')),
      `${name}: one folder`,
    );
    t.notOk(
      entries.some((entry) => /dry-run-shares|state\.json/.test(entry)),
      `${name}: no shares folder and no state.json`,
    );
    const dir = join(scratch, `unpacked-${name}`);
    mkdirSync(dir);
    await run('tar', ['-xzf', archive, '-C', dir]);
    const [folder] = readdirSync(dir);
    const sums = await run('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: join(dir, folder!) });
    t.equal(sums.code, 0, `${name}: sha256sum -c passes\n${sums.stdout}${sums.stderr}`);
    t.equal(
      readFileSync(join(dir, folder!, 'journal.jsonl')).compare(readFileSync(join(out, name, 'journal.jsonl'))),
      0,
      `${name}: the journal is the workdir's, byte for byte`,
    );
  }
});

t.test('the bundle holds no secret: the canary finds none of the shares, secrets or PINs', async (t) => {
  const canary = buildCanary(workdirs.map((name) => join(out, name)));
  t.ok(canary.shares > 0 && canary.pins > 0, `the canary knows ${canary.shares} shares and ${canary.pins} PINs`);
  const unpacked = readdirSync(scratch)
    .filter((name) => name.startsWith('unpacked-'))
    .map((name) => join(scratch, name));
  t.ok(unpacked.length >= 9, 'every bundle unpacked');
  t.same(scanForSecrets(canary, { roots: unpacked }), [], 'nothing secret in any bundle');
  // The canary is not blind: a share file, had it been bundled, is found.
  const shares = join(out, 'dryrun-root-init', 'dry-run-shares');
  const oneShare = readFileSync(join(shares, readdirSync(shares)[0]!), 'utf8');
  t.ok(scanForSecrets(canary, { streams: { share: oneShare } }).length > 0, 'a share is found when it is there');
});

t.test('two bundles of one workdir are the same bytes', async (t) => {
  const workdir = join(out, 'hca-g3-keygen');
  const a = join(scratch, 'same-a.tar.gz');
  const b = join(scratch, 'same-b.tar.gz');
  t.equal((await bundle(workdir, a)).code, 0);
  t.equal((await bundle(workdir, b)).code, 0);
  t.ok(readFileSync(a).equals(readFileSync(b)), 'byte-identical');
});

t.test('an existing archive is never overwritten', async (t) => {
  const archive = join(scratch, 'existing.tar.gz');
  writeFileSync(archive, 'keep me');
  const result = await bundle(join(out, 'hca-g3-keygen'), archive);
  t.equal(result.code, 2);
  t.match(result.stderr, `bundle: ${archive} already exists`);
  t.equal(readFileSync(archive, 'utf8'), 'keep me');
});

t.test('a workdir that does not match its journal is refused, and no archive is written', async (t) => {
  const cases: Array<{ name: string; change: (workdir: string) => void; error: RegExp; code?: number }> = [
    {
      name: 'an output changed after the ceremony',
      change: (w) => appendFileSync(join(w, 'outputs', 'hca-g3.csr'), ' '),
      error:
        /bundle: .*outputs\/hca-g3\.csr has SHA-256 [0-9a-f]{64}, but the journal records [0-9a-f]{64} \(record \d+ \(step\.completed, step csr\): output hca-g3\.csr\)/,
    },
    { name: 'an output removed', change: (w) => rmSync(join(w, 'outputs', 'hca-g3.csr')), error: /outputs\/hca-g3\.csr is missing; the journal records it/ },
    {
      name: 'an input swapped',
      change: (w) => writeFileSync(join(w, 'inputs', 'hca-user-pin-manifest'), '{}'),
      error: /inputs\/hca-user-pin-manifest has SHA-256/,
    },
    {
      name: 'the HSM profile copy edited',
      change: (w) => appendFileSync(join(w, 'hsm-profile.yaml'), '# '),
      error: /hsm-profile\.yaml has SHA-256 .* \(record 1 \(ceremony\.opened\): HSM profile\)/,
    },
    {
      name: 'an output replaced by a link',
      change: (w) => {
        rmSync(join(w, 'outputs', 'hca-g3.csr'));
        symlinkSync(join(out, 'hca-g3-keygen', 'outputs', 'hca-g3.csr'), join(w, 'outputs', 'hca-g3.csr'));
      },
      error: /is a symbolic link/,
      code: 2, // refused as a changed workdir is everywhere (workdir.symlink)
    },
    {
      name: 'the journal edited',
      change: (w) => writeFileSync(join(w, 'journal.jsonl'), readFileSync(join(w, 'journal.jsonl'), 'utf8').replace('"performer":"wang"', '"performer":"lin"')),
      error: /the journal does not verify/,
    },
  ];
  for (const { name, change, error, code } of cases) {
    const workdir = join(scratch, `changed-${cases.findIndex((c) => c.name === name)}`);
    await run('cp', ['-a', join(out, 'hca-g3-keygen'), workdir]);
    change(workdir);
    const archive = join(scratch, `changed-${cases.findIndex((c) => c.name === name)}.tar.gz`);
    const result = await bundle(workdir, archive);
    t.equal(result.code, code ?? 1, `${name}: exit ${code ?? 1}`);
    t.match(result.stderr, error, `${name}: names the file and the record`);
    t.notOk(existsSync(archive) || existsSync(`${archive}.partial`), `${name}: no archive, not even a partial one`);
    t.same(
      readdirSync(scratch).filter((entry) => entry.startsWith('.bundle-')),
      [],
      `${name}: no staging folder left`,
    );
  }
});

t.test('a file dropped into the workdir stays out, and is listed as left out', async (t) => {
  const workdir = join(scratch, 'planted');
  await run('cp', ['-a', join(out, 'hca-g3-keygen'), workdir]);
  writeFileSync(join(workdir, 'outputs', 'hca-g3-extra.crt'), 'not recorded');
  const archive = join(scratch, 'planted.tar.gz');
  const result = await bundle(workdir, archive);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, 'left out  outputs/hca-g3-extra.crt: not recorded by the journal');
  t.notMatch((await run('tar', ['-tzf', archive])).stdout, 'hca-g3-extra.crt');
});

t.test('bundle verify refuses an archive changed after it was made', async (t) => {
  const archive = join(bundles, 'hca-g3-keygen.tar.gz');
  const cases: Array<{ name: string; change: (folder: string) => void; error: RegExp; keepSums?: boolean }> = [
    {
      name: 'an output changed, SHA256SUMS recomputed',
      change: (f) => appendFileSync(join(f, 'outputs', 'hca-g3.csr'), ' '),
      error: /outputs\/hca-g3\.csr has SHA-256 .* but the journal records/,
    },
    {
      name: 'an output changed, SHA256SUMS kept',
      change: (f) => appendFileSync(join(f, 'outputs', 'hca-g3.csr'), ' '),
      error: /outputs\/hca-g3\.csr has SHA-256 .* but SHA256SUMS lists/,
      keepSums: true,
    },
    {
      name: 'a file added',
      change: (f) => writeFileSync(join(f, 'outputs', 'extra.crt'), 'x'),
      error: /outputs\/extra\.crt is not recorded by the bundled journal/,
    },
    {
      name: 'a share folder added',
      change: (f) => {
        mkdirSync(join(f, 'dry-run-shares'));
        writeFileSync(join(f, 'dry-run-shares', 'hc1'), 'x');
      },
      error: /dry-run-shares\/hc1 is not recorded by the bundled journal/,
    },
    {
      name: 'a report rewritten',
      change: (f) => appendFileSync(join(f, 'reports', 'report.zh-TW.md'), '\n全部正常\n'),
      error: /reports\/report\.zh-TW\.md is not the report the bundled journal gives/,
    },
    { name: 'a report removed', change: (f) => rmSync(join(f, 'reports', 'report.en.html')), error: /reports\/ holds .*, not the reports a bundle has/ },
    {
      name: 'bundle.json edited',
      change: (f) => writeFileSync(join(f, 'bundle.json'), readFileSync(join(f, 'bundle.json'), 'utf8').replace('"sealed": true', '"sealed": false')),
      error: /bundle\.json does not describe the bundled journal/,
    },
    {
      name: 'the journal edited',
      change: (f) => writeFileSync(join(f, 'journal.jsonl'), readFileSync(join(f, 'journal.jsonl'), 'utf8').replace('"performer":"wang"', '"performer":"lin"')),
      error: /the journal does not verify/,
    },
    {
      name: 'a recorded output removed',
      change: (f) => rmSync(join(f, 'outputs', 'hca-g3.csr')),
      error: /outputs\/hca-g3\.csr is missing; the journal records it/,
    },
    { name: 'SHA256SUMS removed', change: (f) => rmSync(join(f, 'SHA256SUMS')), error: /SHA256SUMS is missing/, keepSums: true },
    {
      name: 'an output replaced by a link',
      change: (f) => {
        rmSync(join(f, 'outputs', 'hca-g3.csr'));
        symlinkSync('/etc/passwd', join(f, 'outputs', 'hca-g3.csr'));
      },
      error: /is a SymbolicLink, not a plain file/,
      keepSums: true,
    },
  ];
  for (const [i, { name, change, error, keepSums }] of cases.entries()) {
    const changed = await repack(archive, `verify-${i}`, change, { keepSums });
    const result = await verify(changed);
    t.equal(result.code, 1, `${name}: exit 1\n${result.stderr}`);
    t.match(result.stderr, error, `${name}: says what and where`);
  }
});

t.test('bundle verify refuses what is not an evidence bundle', async (t) => {
  const notGzip = join(scratch, 'not-gzip.tar.gz');
  writeFileSync(notGzip, 'hello');
  let result = await verify(notGzip);
  t.equal(result.code, 1);
  t.match(result.stderr, /does not read as a gzip-compressed tar archive/);

  const twoFolders = join(scratch, 'two');
  mkdirSync(join(twoFolders, 'a'), { recursive: true });
  mkdirSync(join(twoFolders, 'b'));
  writeFileSync(join(twoFolders, 'a', 'x'), 'x');
  writeFileSync(join(twoFolders, 'b', 'y'), 'y');
  await run('tar', ['-czf', join(scratch, 'two.tar.gz'), '-C', twoFolders, 'a', 'b']);
  result = await verify(join(scratch, 'two.tar.gz'));
  t.equal(result.code, 1);
  t.match(result.stderr, /holds 2 top-level entries/);

  // A path that climbs out: GNU tar would strip the "../", so the entry is written by hand.
  const escaping = join(scratch, 'escaping.tar.gz');
  writeFileSync(escaping, (await import('node:zlib')).gzipSync(rawTar([{ name: 'evidence/../../etc/x', body: 'x' }])));
  result = await verify(escaping);
  t.equal(result.code, 1);
  t.match(result.stderr, /entry "evidence\/\.\.\/\.\.\/etc\/x" is not a plain relative path/);

  result = await verify(join(scratch, 'absent.tar.gz'));
  t.equal(result.code, 2);
  t.match(result.stderr, /bundle verify: cannot read .*absent\.tar\.gz: ENOENT/);
});

t.test('usage errors', async (t) => {
  let result = await keyceremonyInProcess(['bundle', join(scratch, 'no-such-workdir')]);
  t.equal(result.code, 2);
  t.match(result.stderr, /bundle: workdir .*no-such-workdir does not exist/);
  result = await keyceremonyInProcess(['bundle', 'verify']);
  t.equal(result.code, 2);
});

/** A minimal ustar archive, for entries GNU tar refuses to write. */
function rawTar(entries: Array<{ name: string; body: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const { name, body } of entries) {
    const header = Buffer.alloc(512);
    const field = (text: string, offset: number, length: number) => header.write(text, offset, length, 'ascii');
    field(name, 0, 100);
    field('0000644\0', 100, 8);
    field('0000000\0', 108, 8);
    field('0000000\0', 116, 8);
    field(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124, 12);
    field('00000000000\0', 136, 12);
    field('        ', 148, 8);
    field('0', 156, 1);
    field('ustar\0', 257, 6);
    field('00', 263, 2);
    let sum = 0;
    for (const byte of header) sum += byte;
    field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
    blocks.push(header);
    const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
    data.write(body);
    blocks.push(data);
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
