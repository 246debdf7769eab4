// Finished steps and recorded exceptions, printed once above the live screen (<Static>) so
// they stay as a record. After a share was shown and the screen and scrollback were wiped,
// the log is printed again (a new `generation` remounts <Static>).
import { Box, Static, Text } from 'ink';
import type { RecordItem } from '../model/record.js';
import { useText } from '../providers.js';
import { wrapDisplay } from '../../util/text-width.js';
import { Tone } from './tone.js';

/** Wrapped, never cut: a record on screen says all of what it says (issue 16 item 10). */
function wrapped(text: string, width: number, indent = 3): string {
  return wrapDisplay(text, width).join(`\n${' '.repeat(indent)}`);
}

function Item({ item, width }: { item: RecordItem; width: number }) {
  const { t } = useText();
  if (item.kind === 'exception') {
    return (
      <Box flexDirection="column">
        <Text>
          <Tone kind="warn">{' ! '}</Tone>
          {wrapped(t('record.exception', { n: item.number, by: item.by, text: item.text }), width - 3)}
        </Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>
        <Tone kind="ok">{' ✓ '}</Tone>
        {wrapped(`${item.number}/${item.total} ${item.id}  ${item.title}${item.who ? `  · ${item.who}` : ''}`, width - 3)}
      </Text>
      {item.details.map((line, i) => (
        <Tone key={i} kind="muted">
          {`     ${wrapped(line, width - 5, 5)}`}
        </Tone>
      ))}
    </Box>
  );
}

export function RecordLog({ items, generation, width }: { items: RecordItem[]; generation: number; width: number }) {
  return (
    <Static key={generation} items={items}>
      {(item) => <Item key={item.key} item={item} width={width} />}
    </Static>
  );
}
