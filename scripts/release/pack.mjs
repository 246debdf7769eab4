// The last steps of a release: fixed file modes, SHA256SUMS, and a tarball that is the same
// byte for byte whenever the same files are packed (GNU tar with sorted names, one mtime,
// owner 0, gzip without name and time).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SUMS_FILE = 'SHA256SUMS';

/** Every file under `dir`, as sorted relative paths with `/`. */
export function filesUnder(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(dir, path) : [path];
    })
    .sort();
}

/** Folders 0755, files 0644, the `executables` 0755: the same whatever the build's umask. */
export function fixModes(top, executables) {
  const walk = (path) => {
    chmodSync(join(top, path), 0o755);
    for (const entry of readdirSync(join(top, path), { withFileTypes: true })) {
      const child = path ? `${path}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else chmodSync(join(top, child), executables.includes(child) ? 0o755 : 0o644);
    }
  };
  walk('');
}

/** Writes SHA256SUMS (`sha256sum -c` format, sorted) over every other file; returns its text. */
export function writeSums(top) {
  const lines = filesUnder(top)
    .filter((file) => file !== SUMS_FILE)
    .map(
      (file) =>
        `${createHash('sha256')
          .update(readFileSync(join(top, file)))
          .digest('hex')}  ${file}\n`,
    );
  const text = lines.join('');
  writeFileSync(join(top, SUMS_FILE), text);
  return text;
}

function check(result, what) {
  if (result.error || result.status !== 0) throw new Error(`${what} failed: ${result.error?.message ?? result.stderr.toString().trim()}`);
  return result.stdout;
}

/** Packs `<parent>/<folder>` into `tarball` (written to a temp name, then renamed). */
export function packTarball({ parent, folder, tarball, mtime }) {
  const tar = check(
    spawnSync('tar', ['--sort=name', `--mtime=@${mtime}`, '--owner=0', '--group=0', '--numeric-owner', '--format=gnu', '-C', parent, '-cf', '-', folder], {
      maxBuffer: 1 << 30,
    }),
    'tar',
  );
  const gz = check(spawnSync('gzip', ['-9', '-n'], { input: tar, maxBuffer: 1 << 30 }), 'gzip');
  writeFileSync(`${tarball}.partial`, gz);
  renameSync(`${tarball}.partial`, tarball);
  return gz;
}
