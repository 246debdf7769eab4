// What a command may touch of the process: its streams and whether a person is at a
// terminal. Commands get this instead of reaching for `process`, so tests can drive them.
import { escapeControlCharacters } from '../util/control-characters.js';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
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
