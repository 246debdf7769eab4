// `keyceremony self-check`: are the installed files exactly the released ones? An unpacked
// release (npm run release) carries SHA256SUMS, listing every other file of it with its
// SHA-256. Every listed file must match, none may be missing, and no other file may exist
// (only SHA256SUMS itself is not listed). Then the bundle hash is printed: the SHA-256 of
// SHA256SUMS, which fixes the name and content of every file in one value that witnesses
// compare with the one printed on the approved ceremony script, and that `sha256sum
// SHA256SUMS` reproduces without trusting this code.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, InputError, KeyceremonyError } from '../../errors.js';
import { groupedHex, pgpWords, sha256 } from '../../util/fingerprint.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';

const SUMS = 'SHA256SUMS';
const SUMS_LINE = /^([0-9a-f]{64}) {2}(.+)$/;

/** The package folder of the running code: the nearest folder above it with a package.json, as Node finds it. */
function packageRoot(file: string): string {
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
      damaged.push(`${SUMS} line ${i + 1}`);
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

export async function command(args: string[], io: CliIo): Promise<number> {
  parseCommandArgs('self-check', args, {}, []);
  const root = packageRoot(fileURLToPath(import.meta.url));
  const sumsFile = join(root, SUMS);
  if (!existsSync(sumsFile)) {
    throw new InputError(`${root} is not an installed release: it has no ${SUMS}`, {
      hint: 'self-check checks an unpacked release (`npm run release` builds one); a git checkout is checked with `git status`',
    });
  }
  const sums = readFileSync(sumsFile);
  const { listed, damaged } = readSums(sums.toString('utf8'));
  const changed = [...damaged];
  const missing: string[] = [];
  for (const [path, expected] of listed) {
    const full = join(root, path);
    const stat = lstatSync(full, { throwIfNoEntry: false });
    if (!stat) missing.push(path);
    else if (!stat.isFile() || sha256(readFileSync(full)).toString('hex') !== expected) changed.push(path);
  }
  const extra = entriesUnder(root).filter((path) => path !== SUMS && !listed.has(path));
  if (changed.length + missing.length + extra.length > 0) {
    const named = [...changed.map((p) => `changed ${p}`), ...missing.map((p) => `missing ${p}`), ...extra.sort().map((p) => `extra ${p}`)];
    throw new KeyceremonyError(`the installed release in ${root} differs from its ${SUMS}: ${named.join('; ')}`, {
      exitCode: ExitCode.failed,
      code: 'release.modified',
      hint: 'do not use it for a ceremony: unpack the release again from a tarball whose SHA-256 was checked',
    });
  }
  const hash = sha256(sums);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const hex = groupedHex(hash.toString('hex')).split(' ');
  const words = pgpWords(hash).split(' ');
  println(io.stdout, `keyceremony ${version} in ${root}: all ${listed.size} files match ${SUMS}, none missing, none extra`);
  println(io.stdout, `bundle hash (SHA-256 of ${SUMS}; \`sha256sum ${SUMS}\` prints the same):`);
  for (let i = 0; i < hex.length; i += 8) println(io.stdout, `  ${hex.slice(i, i + 8).join(' ')}`);
  for (let i = 0; i < words.length; i += 8) println(io.stdout, `  ${words.slice(i, i + 8).join(' ')}`);
  println(io.stdout, 'compare it with the bundle hash on the approved ceremony script');
  return ExitCode.completed;
}
