// The one top-level catch: an error becomes one message and an exit code. Its own module, so
// that both entries of the command line (bin.ts and the start-up snapshot's) share it without
// loading every command.
import { ExitCode, KeyceremonyError, formatError } from '../errors.js';
import { println, type CliIo } from './io.js';

export function exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof KeyceremonyError) {
    println(io.stderr, formatError(error));
    return error.exitCode;
  }
  // A bug: say so plainly, with the stack for the report, and never a secret (we hold none here).
  println(io.stderr, `keyceremony: error: internal error: ${error instanceof Error ? error.message : String(error)}`);
  println(io.stderr, 'keyceremony: hint: this is a bug in keyceremony; the journal is intact, report it with the output above');
  if (error instanceof Error && error.stack && io.env.KEYCEREMONY_DEBUG) println(io.stderr, error.stack);
  return ExitCode.failed;
}
