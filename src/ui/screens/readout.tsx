// After a step made a key or a file: its fingerprint, as hex and as words, for the
// witnesses to read aloud and write on the paper log before the ceremony goes on. One
// fingerprint per page, so each fits an 80x24 screen.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { Fingerprint, fingerprintRows } from '../components/fingerprint.js';
import { wrapDisplay } from '../../util/text-width.js';
import { useLineInput } from '../components/line-input.js';
import { Tone } from '../components/tone.js';
import type { ReadoutEntry } from '../model/record.js';
import { useText } from '../providers.js';

/**
 * The rows a page takes with its two blank lines (after the title, before "press Enter"). A
 * page that does not fit `rows` goes without them: after a resume the notice of how the last
 * run ended takes three rows, and the page came to the terminal's full height. Ink redraws a
 * frame that tall in a way that erased the last line of the record above it, the fingerprint
 * of the step that made the key (issue 16, close16j item 19).
 */
function pageRows(title: string, entry: ReadoutEntry | undefined, ack: string, width: number): number {
  const what = entry ? wrapDisplay(entry.what, width).length + (entry.sha256 ? fingerprintRows(entry.sha256, entry.words, width) : 0) : 0;
  return wrapDisplay(title, width).length + 1 + what + 1 + wrapDisplay(ack, width).length;
}

export function ReadoutScreen({
  title,
  entries,
  onDone,
  width,
  rows = Infinity,
}: {
  title: string;
  entries: readonly ReadoutEntry[];
  onDone: () => void;
  width: number;
  /** The rows the screen may take: the blank lines go first when it does not fit. */
  rows?: number;
}) {
  const { t } = useText();
  const [page, setPage] = useState(0);
  const live = useRef(page);
  useLineInput({
    onEnter: () => {
      if (live.current + 1 >= entries.length) return onDone();
      live.current += 1;
      setPage(live.current);
    },
  });
  const entry = entries[Math.min(page, entries.length - 1)];
  const heading = t('readout.title', { step: title }) + (entries.length > 1 ? `  ${t('readout.page', { k: page + 1, n: entries.length })}` : '');
  const ack = page + 1 < entries.length ? t('readout.next') : t('readout.ack');
  const gap = pageRows(heading, entry, ack, width) <= rows ? 1 : 0;
  return (
    <Box flexDirection="column">
      <Text>
        <Tone kind="accent">{t('readout.title', { step: title })}</Tone>
        {entries.length > 1 ? <Tone kind="muted">{`  ${t('readout.page', { k: page + 1, n: entries.length })}`}</Tone> : null}
      </Text>
      {entry ? (
        <Box flexDirection="column" marginTop={gap}>
          <Text bold>{entry.what}</Text>
          {(entry.facts ?? []).map((f) => (
            <Text key={f.label}>
              <Tone kind="muted">{f.label}</Tone> {f.value}
            </Text>
          ))}
          {entry.sha256 ? (
            <Fingerprint sha256={entry.sha256} words={entry.words} width={width} hexLabel={t('readout.hex')} wordsLabel={t('readout.words')} />
          ) : null}
        </Box>
      ) : null}
      <Box marginTop={gap}>
        <Tone kind="accent">{ack}</Tone>
      </Box>
    </Box>
  );
}
