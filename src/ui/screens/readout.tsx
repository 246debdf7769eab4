// After a step made a key or a file: its fingerprint, as hex and as words, for the
// witnesses to read aloud and write on the paper log before the ceremony goes on. One
// fingerprint per page. At 80x24, with a notice under it (the crash notice after a resume),
// the page is laid out compactly and scrolls rather than push the header off the top of
// the terminal (review16s); the line that says what Enter does stays under it.
import { Box } from 'ink';
import { useRef, useState } from 'react';
import { fingerprintLines } from '../components/fingerprint.js';
import { useLineInput } from '../components/line-input.js';
import { Scroll } from '../components/scroll.js';
import { Tone } from '../components/tone.js';
import type { Translate } from '../i18n/index.js';
import { blockLines, type Line } from '../model/blocks.js';
import type { ReadoutEntry } from '../model/record.js';
import { useText } from '../providers.js';
import { displayWidth, wrapDisplay } from '../../util/text-width.js';

/** The title, and the page count after it whole ("1 of 2" is never split over two lines). */
function titleLines(title: string, page: string, width: number): Line[] {
  const lines = wrapDisplay(title, width);
  const last = lines.at(-1) ?? '';
  if (page !== '') {
    if (displayWidth(last) + 2 + displayWidth(page) <= width) lines[lines.length - 1] = `${last}  ${page}`;
    else lines.push(page);
  }
  return lines.map((text) => ({ text, tone: 'accent' }));
}

/** One page: the title, what was made, its fingerprint as hex and as words; blank lines between them when they fit `rows`. */
export function readoutLines(t: Translate, title: string, entry: ReadoutEntry | undefined, page: string, width: number, rows: number): Line[] {
  const head = titleLines(t('readout.title', { step: title }), page, width);
  if (!entry) return head;
  const what: Line = { text: entry.what, tone: 'title' };
  // What a signing step signed, beside its fingerprint (a CRL's issuer, number and dates).
  const facts = (entry.facts ?? []).map((f) => ({ label: f.label, value: f.value }));
  const print = entry.sha256
    ? blockLines(
        [
          {
            kind: 'facts',
            facts: [
              ...facts,
              { label: t('readout.hex'), value: fingerprintLines(entry.sha256).join('\n'), tone: 'title' },
              { label: t('readout.words'), value: entry.words },
            ],
          },
        ],
        width,
      )
    : facts.length > 0
      ? blockLines([{ kind: 'facts', facts }], width)
      : [];
  const spaced = [...head, { text: '', tone: 'plain' as const }, ...wrapDisplay(what.text, width).map((text) => ({ ...what, text })), ...print];
  return spaced.length <= rows ? spaced : spaced.filter((line) => line.text !== '');
}

export function ReadoutScreen({
  title,
  entries,
  onDone,
  width,
  rows = 22,
}: {
  title: string;
  entries: readonly ReadoutEntry[];
  onDone: () => void;
  width: number;
  /** Rows the screen may take (the app's body rows). */
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
  const pageText = entries.length > 1 ? t('readout.page', { k: page + 1, n: entries.length }) : '';
  const ack = wrapDisplay(page + 1 < entries.length ? t('readout.next') : t('readout.ack'), width);
  // The acknowledgement and the blank line above it stay; the page takes the rest.
  const room = Math.max(3, rows - ack.length - 1);
  return (
    <Box flexDirection="column">
      <Scroll key={page} lines={readoutLines(t, title, entry, pageText, width, room)} height={room} />
      <Box marginTop={1} flexDirection="column">
        {ack.map((line, i) => (
          <Tone key={i} kind="accent">
            {line}
          </Tone>
        ))}
      </Box>
    </Box>
  );
}
