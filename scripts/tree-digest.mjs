// The SHA-256 of a set of files and folders, as the caches of the build and the tests key
// what they made (scripts/build-dist.mjs, test/helpers/test-bundle.mjs): each file's path
// (relative to `root`) and content, in path order, so a renamed, changed, added or removed
// file changes the digest.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir`, in sorted order. */
export function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** Feeds `hash` the path and content of every file in `paths` (files or folders). */
export function hashTree(hash, root, paths) {
  for (const path of paths) {
    const files = statSync(path).isDirectory() ? filesUnder(path) : [path];
    for (const file of files)
      hash
        .update(`${relative(root, file)}\0`)
        .update(readFileSync(file))
        .update('\0');
  }
  return hash;
}
