#!/usr/bin/env node
// npm run release [-- --out <dir>] [--metafile <file>]
//
// --out: where the tarball goes (default release/, which git ignores). --metafile: also write
// esbuild's metafile there (which source went into which chunk; the tests read it).
//
// The offline release: release/keyceremony-<version>-linux-x64.tar.gz holding one folder,
// keyceremony-<version>/, that runs on a ceremony terminal with the system's Node.js and no
// npm and no network:
//
//   keyceremony                 POSIX sh launcher: finds Node >= 20.11 on PATH, runs dist/cli/bin.js
//   dist/cli/                   the CLI bundled by esbuild; the UI, x509 and each command are lazy chunks;
//                               startup.cjs: `validate` as one script, for a start-up snapshot
//   node_modules/pkcs11js/      the PKCS#11 native addon, loaded at run time
//   package.json                name, version, type, engines (no dependencies: they are bundled)
//   README.md SoftHSM.md docs/  the guides; ceremonies/ the example ceremonies, profiles, schema.json
//   scripts/                    dry-run.mjs and softhsm-setup.sh: the rehearsal chain from these files
//   NOTICE                      the licences of the bundled third-party packages
//   sbom.cdx.json               CycloneDX SBOM of the production dependencies
//   SHA256SUMS                  every other file (`sha256sum -c SHA256SUMS`); its own SHA-256 is
//                               the bundle hash that `keyceremony self-check` prints
//
// Reproducible: the same commit and node_modules give the same tarball, byte for byte. File
// times are SOURCE_DATE_EPOCH (default: the last commit's time), modes are fixed, owners 0,
// and the SBOM's serial number and timestamp are derived, not random or now.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleCli, bundledPackageDirs, bundleStartupSnapshot } from './release/bundle.mjs';
import { noticeText } from './release/notice.mjs';
import { fixModes, packTarball, writeSums } from './release/pack.mjs';
import { copyPkcs11Addon, PKCS11_PACKAGE_DIR } from './release/pkcs11-addon.mjs';
import { sbomText } from './release/sbom.mjs';

const root = resolve(import.meta.dirname, '..');
/** Tracked files copied as they are (only files git knows, so no stray local file ships). */
const DOCUMENTS = ['README.md', 'SoftHSM.md', 'docs', 'ceremonies', 'scripts/dry-run.mjs', 'scripts/softhsm-setup.sh'];
const LAUNCHER = 'keyceremony';
const EXECUTABLES = [LAUNCHER, 'scripts/softhsm-setup.sh'];

class ReleaseError extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

function fail(message, hint) {
  throw new ReleaseError(message, hint);
}

function git(args) {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (result.error || result.status !== 0)
    fail(`git ${args.join(' ')}: ${result.error?.message ?? result.stderr.trim()}`, 'build the release from a git checkout');
  return result.stdout;
}

/** Seconds since 1970 for every file time: SOURCE_DATE_EPOCH, else the last commit's time. */
function sourceDateEpoch() {
  const given = process.env.SOURCE_DATE_EPOCH;
  if (given !== undefined && !/^\d+$/.test(given)) fail(`SOURCE_DATE_EPOCH is "${given}", not a number of seconds`);
  return Number(given ?? git(['log', '-1', '--format=%ct']).trim());
}

function copyDocuments(top) {
  for (const path of DOCUMENTS) {
    const files = git(['ls-files', '-z', '--', path]).split('\0').filter(Boolean);
    if (files.length === 0) fail(`${path} is not tracked by git`, 'commit it, or drop it from DOCUMENTS in scripts/release.mjs');
    for (const file of files) {
      mkdirSync(dirname(join(top, file)), { recursive: true });
      copyFileSync(join(root, file), join(top, file));
    }
  }
}

/** The release's package.json: what Node and a reader need; the dependencies are bundled. */
function releasePackageJson(pkg) {
  const { name, version, description, license, engines } = pkg;
  return `${JSON.stringify({ name, version, description, license, type: 'module', private: true, engines, os: ['linux'], cpu: ['x64'] }, null, 2)}\n`;
}

async function main({ out: outOption, metafile: metafileOut }) {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    fail(`this is ${process.platform}-${process.arch}`, 'the release carries the pkcs11js addon built here, and is made for linux-x64');
  const out = resolve(outOption ?? join(root, 'release'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const folder = `${pkg.name}-${pkg.version}`;
  const tarball = join(out, `${folder}-linux-x64.tar.gz`);
  const mtime = sourceDateEpoch();
  if (git(['status', '--porcelain', '--untracked-files=no']).trim() !== '') {
    console.error('release: warning: the checkout has uncommitted changes: this release is not the build of a commit');
  }

  const staging = mkdtempSync(join(tmpdir(), 'keyceremony-release-'));
  try {
    const top = join(staging, folder);
    const metafile = await bundleCli({ root, top });
    // The snapshot's script holds a subset of the same sources: its packages are in the notice anyway.
    const snapshotMetafile = await bundleStartupSnapshot({ root, top });
    copyPkcs11Addon({ root, top });
    copyDocuments(top);
    copyFileSync(join(root, 'scripts/release/keyceremony.sh'), join(top, LAUNCHER));
    writeFileSync(join(top, 'package.json'), releasePackageJson(pkg));

    const packageDirs = [...new Set([...bundledPackageDirs(metafile), ...bundledPackageDirs(snapshotMetafile)])].sort().concat(PKCS11_PACKAGE_DIR);
    writeFileSync(join(top, 'NOTICE'), noticeText({ root, name: pkg.name, version: pkg.version, licence: pkg.license, packageDirs }));
    const required = packageDirs.map((dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')));
    writeFileSync(join(top, 'sbom.cdx.json'), sbomText({ root, name: pkg.name, sourceDate: new Date(mtime * 1000), required }));

    fixModes(top, EXECUTABLES);
    writeSums(top);
    // The release checks itself with its own self-check before it is packed.
    const selfCheck = spawnSync(process.execPath, [join(top, 'dist/cli/bin.js'), 'self-check'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    if (selfCheck.status !== 0) fail(`the built release fails its self-check (exit ${selfCheck.status}): ${selfCheck.stderr.trim()}`);

    mkdirSync(out, { recursive: true });
    const bytes = packTarball({ parent: staging, folder, tarball, mtime });
    const tarballSha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(`${tarball}.sha256`, `${tarballSha256}  ${folder}-linux-x64.tar.gz\n`);
    if (metafileOut) writeFileSync(metafileOut, JSON.stringify(metafile));

    console.log(`${tarball}\n  sha256 ${tarballSha256}  (${bytes.length} bytes, files dated ${new Date(mtime * 1000).toISOString()})`);
    console.log(selfCheck.stdout.trimEnd().replace(/^/gm, '  '));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

Promise.resolve()
  .then(() => main(parseArgs({ options: { out: { type: 'string' }, metafile: { type: 'string' } } }).values))
  .catch((error) => {
    console.error(`release: error: ${error.message}`);
    if (error.hint) console.error(`release: hint: ${error.hint}`);
    process.exitCode = 1;
  });
