// Colour as emphasis only, never as the only carrier of meaning (every mark also has a
// symbol or a word), and none at all under NO_COLOR.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { useColors } from '../providers.js';

export type ToneKind = 'plain' | 'title' | 'ok' | 'bad' | 'warn' | 'muted' | 'accent' | 'secret';

const COLOURS: Record<ToneKind, string | undefined> = {
  plain: undefined,
  title: 'cyan',
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  muted: 'gray',
  accent: 'cyan',
  secret: 'magenta',
};

export function Tone({
  kind = 'plain',
  bold = false,
  children,
  wrap,
}: {
  kind?: ToneKind;
  bold?: boolean;
  children: ReactNode;
  wrap?: 'wrap' | 'truncate-end';
}) {
  const colors = useColors();
  const color = colors ? COLOURS[kind] : undefined;
  return (
    <Text {...(color ? { color } : {})} bold={bold || kind === 'title'} {...(wrap ? { wrap } : {})}>
      {children}
    </Text>
  );
}
