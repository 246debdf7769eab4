// The one top-level catch: an error becomes one message and an exit code. Its own module, so
// that both entries of the command line (bin.ts and the start-up snapshot's) share it without
// loading every command.
import { ExitCode, KeyceremonyError } from '../errors.js';
import { errorLines, langOfArgs } from './error-text.js';
import { println, terminalColumns, type CliIo } from './io.js';

/** How a line is laid out at a terminal of `columns` columns (terminal-wrap.ts; one line when not given). */
export type TerminalWrap = (line: string, columns: number) => string[];

/**
 * `argv` is the command line the error came from: its --lang says the language of the
 * message. `wrap` lays lines out at a terminal: bin.ts gives terminal-wrap.ts's; the start-up
 * snapshot's entry gives none (its bundle cannot hold string-width), and the terminal wraps.
 */
export function exitCodeFor(error: unknown, io: CliIo, argv: readonly string[] = [], wrap: TerminalWrap = (line) => [line]): number {
  const lang = langOfArgs(argv, io.env);
  const columns = terminalColumns(io.stderr);
  const print = (line: string) => {
    for (const part of columns === undefined ? [line] : wrap(line, columns)) println(io.stderr, part);
  };
  if (error instanceof KeyceremonyError) {
    for (const line of errorLines(error, lang)) print(line);
    return error.exitCode;
  }
  // A bug: say so plainly, with the stack for the report, and never a secret (we hold none here).
  const message = error instanceof Error ? error.message : String(error);
  if (lang === 'zh-TW') {
    print(`keyceremony: 錯誤：內部錯誤（英文原文）：${message}`);
    print('keyceremony: 提示：這是 keyceremony 的程式錯誤；日誌完好無損，請連同以上輸出回報');
  } else {
    print(`keyceremony: error: internal error: ${message}`);
    print('keyceremony: hint: this is a bug in keyceremony; the journal is intact, report it with the output above');
  }
  if (error instanceof Error && error.stack && io.env.KEYCEREMONY_DEBUG) println(io.stderr, error.stack);
  return ExitCode.failed;
}
