// A definition may pin the keyceremony release it was approved for (`tool: { sha256 }`, the
// bundle hash). Then only that release, intact, may run or resume it: a git checkout, a
// release with any changed, missing or extra file, or another release is refused before
// anything is written or the HSM is touched.
import type { Definition } from '../definition/definition.js';
import { InputError } from '../errors.js';
import { groupedHex } from '../util/fingerprint.js';
import { checkInstalledRelease, SUMS, type ReleaseCheck } from './installed-release.js';

export function checkToolPin(definition: Pick<Definition, 'file' | 'tool'>, release: ReleaseCheck = checkInstalledRelease()): void {
  const pinned = definition.tool?.sha256;
  if (pinned === undefined) return;
  const where = `${definition.file} pins keyceremony to the release with bundle hash ${groupedHex(pinned)}`;
  if (!release.installed) {
    throw new InputError(`${where}, but this keyceremony (${release.root}) is not an installed release: it has no ${SUMS}`, {
      hint: 'run the ceremony with the approved release, unpacked from its tarball (README: Offline install), and check it with `keyceremony self-check`',
      code: 'tool.not-release',
    });
  }
  if (release.problems.length > 0) {
    throw new InputError(
      `${where}, but the installed release in ${release.root} differs from its ${SUMS}: ${release.problems.slice(0, 5).join('; ')}${release.problems.length > 5 ? `; and ${release.problems.length - 5} more` : ''}`,
      {
        hint: 'do not use it for a ceremony: unpack the release again from a tarball whose SHA-256 was checked',
        code: 'tool.modified',
      },
    );
  }
  if (release.bundleSha256 !== pinned) {
    throw new InputError(`${where}, but this release's bundle hash is ${groupedHex(release.bundleSha256)}`, {
      hint: 'this is another keyceremony release than the one the script was approved for; use the approved one, or have the script approved again for this one',
      code: 'tool.other-release',
    });
  }
}
