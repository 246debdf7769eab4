// What a command may touch of the process: its streams and whether a person is at a
// terminal. Commands get this instead of reaching for `process`, so tests can drive them.
import { escapeControlCharacters } from '../util/control-characters.js';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/**
 * One line (or several) on a terminal. A control character never reaches it as is: a value
 * in an old journal, or a file name, could otherwise move the cursor or reset the screen.
 */
export function println(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${escapeControlCharacters(line, { keepNewlines: true })}\n`);
}

/** True when both ends are a terminal: interactive prompts are allowed. */
export function isInteractive(io: CliIo): boolean {
  return Boolean(io.stdin.isTTY && io.stdout.isTTY);
}

/**
 * The width a line is wrapped to on `stream`: its columns when it is a terminal (80 when it
 * does not say), undefined for a pipe or file, where each message stays one line for grep.
 */
export function terminalColumns(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  if (!stream.isTTY) return undefined;
  return stream.columns && stream.columns > 0 ? stream.columns : 80;
}
