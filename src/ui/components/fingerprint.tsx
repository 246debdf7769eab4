// A SHA-256 fingerprint as people compare it: hex in groups of four, two lines of eight
// groups (the read-aloud screen puts the PGP words under them: a dropped or swapped word is heard).
import { groupedHex } from '../../util/fingerprint.js';

export function fingerprintLines(sha256: string): string[] {
  const groups = groupedHex(sha256).split(' ');
  return [groups.slice(0, 8).join(' '), groups.slice(8).join(' ')].filter((l) => l !== '');
}
