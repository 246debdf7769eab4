// Runs a command line as this process: the streams, the exit code, and the one top-level
// catch. Shared by the two entries: bin.ts (every command) and startup-snapshot.ts (the
// commands the release's start-up snapshot runs).
import { exitCodeFor, type TerminalWrap } from './exit-code.js';
import { processIo, type CliIo } from './io.js';

/** `wrap`: how the top-level catch lays its lines out at a terminal (bin.ts: terminal-wrap.ts's). */
export function runAsProcess(main: (argv: string[], io: CliIo) => Promise<number>, argv: string[], wrap?: TerminalWrap): void {
  // `keyceremony validate x | head -1`: a reader that goes away is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const io = processIo();
  main(argv, io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => (process.exitCode = exitCodeFor(error, io, argv, wrap)),
  );
}
