// A SHA-256 fingerprint as people compare it: hex in groups of four, two lines of eight
// groups, and the PGP words to read aloud (a dropped or swapped word is heard).
import { Box, Text } from 'ink';
import { groupedHex } from '../../util/fingerprint.js';
import { wrapDisplay } from '../../util/text-width.js';
import { Tone } from './tone.js';

export function fingerprintLines(sha256: string): string[] {
  const groups = groupedHex(sha256).split(' ');
  return [groups.slice(0, 8).join(' '), groups.slice(8).join(' ')].filter((l) => l !== '');
}

/** The rows <Fingerprint> takes at `width`: a label, the hex lines, a label, the words wrapped. */
export function fingerprintRows(sha256: string, words: string, width: number): number {
  return 2 + fingerprintLines(sha256).length + wrapDisplay(words, width - 4).length;
}

export function Fingerprint({
  sha256,
  words,
  width,
  hexLabel,
  wordsLabel,
}: {
  sha256: string;
  words: string;
  width: number;
  hexLabel: string;
  wordsLabel: string;
}) {
  const indent = 4;
  const wrapped = wrapDisplay(words, width - indent);
  return (
    <Box flexDirection="column">
      <Tone kind="muted">{`  ${hexLabel}`}</Tone>
      {fingerprintLines(sha256).map((line, i) => (
        <Text key={`h${i}`} bold>
          {' '.repeat(indent)}
          {line}
        </Text>
      ))}
      <Tone kind="muted">{`  ${wordsLabel}`}</Tone>
      {wrapped.map((line, i) => (
        <Text key={`w${i}`}>
          {' '.repeat(indent)}
          {line}
        </Text>
      ))}
    </Box>
  );
}
