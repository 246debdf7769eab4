// The keys that work now, and only those.
import { Text } from 'ink';
import { fitDisplay } from '../../util/text-width.js';
import { Tone } from './tone.js';

export interface KeyHint {
  keys: string;
  action: string;
}

export function Footer({ hints, width }: { hints: readonly KeyHint[]; width: number }) {
  const text = hints.map((h) => (h.keys ? `${h.keys} ${h.action}` : h.action)).join('  ');
  return (
    <Text>
      <Tone kind="muted">{fitDisplay(text, width)}</Tone>
    </Text>
  );
}

export function Rule({ width }: { width: number }) {
  return <Tone kind="muted">{'─'.repeat(width)}</Tone>;
}
