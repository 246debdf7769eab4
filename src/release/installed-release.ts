// Is the running keyceremony an installed release, and is it intact? An unpacked release
// (npm run release) carries SHA256SUMS, listing every other file of it with its SHA-256.
// Every listed file must match, none may be missing, and no other file may exist (only
// SHA256SUMS itself is not listed). The bundle hash is the SHA-256 of SHA256SUMS: it fixes
// the name and content of every file in one value, which witnesses compare with the one
// printed on the approved ceremony script, and which `sha256sum SHA256SUMS` reproduces
// without trusting this code. Used by `self-check`, by the journal header, and by a
// definition that pins the tool (`tool: { sha256 }`).
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../util/fingerprint.js';

export const SUMS = 'SHA256SUMS';
const SUMS_LINE = /^([0-9a-f]{64}) {2}(.+)$/;

export type ReleaseCheck =
  | { installed: false; root: string }
  | {
      installed: true;
      root: string;
      /** How many files SHA256SUMS lists. */
      files: number;
      /** `changed <path>`, `changed SHA256SUMS line N`, `missing <path>`, `extra <path>`: empty when intact. */
      problems: string[];
      /** SHA-256 of SHA256SUMS, hex. */
      bundleSha256: string;
      /**
       * The SHA-256 (hex) of each listed regular file as it was read by this check, changed or
       * not, by its path in SHA256SUMS: the journal header's tool hash (src/ceremony/tool-info.ts)
       * takes them rather than reading and hashing dist/ a second time before the first frame.
       */
      digests: ReadonlyMap<string, string>;
    };

/** The package folder of the running code: the nearest folder above it with a package.json, as Node finds it. */
export function packageRoot(file = fileURLToPath(import.meta.url)): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** SHA256SUMS as path -> hash; a line that is not `<sha256>  <relative path>` is a change to the release. */
function readSums(text: string): { listed: Map<string, string>; damaged: string[] } {
  const listed = new Map<string, string>();
  const damaged: string[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const match = SUMS_LINE.exec(line);
    const path = match?.[2];
    if (!match || !path || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '.' || part === '') || listed.has(path)) {
      damaged.push(`changed ${SUMS} line ${i + 1}`);
    } else listed.set(path, match[1]!);
  });
  return { listed, damaged };
}

/** Every entry under `root` that is not a folder (files, symlinks, anything else), as relative paths. */
function entriesUnder(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? entriesUnder(root, path) : [path];
  });
}

/** Checks the release the running code belongs to (or `root`) against its SHA256SUMS. */
export function checkInstalledRelease(root = packageRoot()): ReleaseCheck {
  const sumsFile = join(root, SUMS);
  if (!existsSync(sumsFile)) return { installed: false, root };
  const sums = readFileSync(sumsFile);
  const { listed, damaged } = readSums(sums.toString('utf8'));
  const changed: string[] = [];
  const missing: string[] = [];
  const digests = new Map<string, string>();
  for (const [path, expected] of listed) {
    const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
    if (!stat) missing.push(`missing ${path}`);
    else if (!stat.isFile()) changed.push(`changed ${path}`);
    else {
      const digest = sha256(readFileSync(join(root, path))).toString('hex');
      digests.set(path, digest);
      if (digest !== expected) changed.push(`changed ${path}`);
    }
  }
  const extra = entriesUnder(root)
    .filter((path) => path !== SUMS && !listed.has(path))
    .sort()
    .map((path) => `extra ${path}`);
  return {
    installed: true,
    root,
    files: listed.size,
    problems: [...damaged, ...changed, ...missing, ...extra],
    bundleSha256: sha256(sums).toString('hex'),
    digests,
  };
}
