import { Text } from 'ink';

/** The caret of the field being typed into: an inverse space, visible without colour. */
export function Cursor({ shown }: { shown: boolean }) {
  return shown ? <Text inverse> </Text> : null;
}
