// After a step made a key or a file: its fingerprint, as hex and as words, for the
// witnesses to read aloud and write on the paper log before the ceremony goes on. One
// fingerprint per page, so each fits an 80x24 screen.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { Fingerprint } from '../components/fingerprint.js';
import { useLineInput } from '../components/line-input.js';
import { Tone } from '../components/tone.js';
import type { ReadoutEntry } from '../model/record.js';
import { useText } from '../providers.js';

export function ReadoutScreen({ title, entries, onDone, width }: { title: string; entries: readonly ReadoutEntry[]; onDone: () => void; width: number }) {
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
  return (
    <Box flexDirection="column">
      <Text>
        <Tone kind="accent">{t('readout.title', { step: title })}</Tone>
        {entries.length > 1 ? <Tone kind="muted">{`  ${t('readout.page', { k: page + 1, n: entries.length })}`}</Tone> : null}
      </Text>
      {entry ? (
        <Box flexDirection="column" marginTop={1}>
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
      <Box marginTop={1}>
        <Tone kind="accent">{page + 1 < entries.length ? t('readout.next') : t('readout.ack')}</Tone>
      </Box>
    </Box>
  );
}
