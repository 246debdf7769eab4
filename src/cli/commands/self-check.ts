// `keyceremony self-check`: are the installed files exactly the released ones? An unpacked
// release (npm run release) carries SHA256SUMS, listing every other file of it with its
// SHA-256. Every listed file must match, none may be missing, and no other file may exist
// (only SHA256SUMS itself is not listed). Then the bundle hash is printed: the SHA-256 of
// SHA256SUMS, which fixes the name and content of every file in one value that witnesses
// compare with the one printed on the approved ceremony script, and that `sha256sum
// SHA256SUMS` reproduces without trusting this code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, InputError, KeyceremonyError } from '../../errors.js';
import { checkInstalledRelease, SUMS } from '../../release/installed-release.js';
import { groupedHex, pgpWords } from '../../util/fingerprint.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  parseCommandArgs('self-check', args, {}, []);
  const check = checkInstalledRelease();
  if (!check.installed) {
    throw new InputError(`${check.root} is not an installed release: it has no ${SUMS}`, {
      hint: 'self-check checks an unpacked release (`npm run release` builds one); a git checkout is checked with `git status`',
    });
  }
  if (check.problems.length > 0) {
    throw new KeyceremonyError(`the installed release in ${check.root} differs from its ${SUMS}: ${check.problems.join('; ')}`, {
      exitCode: ExitCode.failed,
      code: 'release.modified',
      hint: 'do not use it for a ceremony: unpack the release again from a tarball whose SHA-256 was checked',
    });
  }
  const hash = Buffer.from(check.bundleSha256, 'hex');
  const { version } = JSON.parse(readFileSync(join(check.root, 'package.json'), 'utf8')) as { version: string };
  const hex = groupedHex(check.bundleSha256).split(' ');
  const words = pgpWords(hash).split(' ');
  println(io.stdout, `keyceremony ${version} in ${check.root}: all ${check.files} files match ${SUMS}, none missing, none extra`);
  println(io.stdout, `bundle hash (SHA-256 of ${SUMS}; \`sha256sum ${SUMS}\` prints the same):`);
  for (let i = 0; i < hex.length; i += 8) println(io.stdout, `  ${hex.slice(i, i + 8).join(' ')}`);
  for (let i = 0; i < words.length; i += 8) println(io.stdout, `  ${words.slice(i, i + 8).join(' ')}`);
  println(io.stdout, 'compare it with the bundle hash on the approved ceremony script');
  return ExitCode.completed;
}
