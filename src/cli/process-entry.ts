// Runs a command line as this process: the streams, the exit code, and the one top-level
// catch. Shared by the two entries: bin.ts (every command) and startup-snapshot.ts (the
// commands the release's start-up snapshot runs).
import { exitCodeFor } from './exit-code.js';
import { processIo, type CliIo } from './io.js';

export function runAsProcess(main: (argv: string[], io: CliIo) => Promise<number>, argv: string[]): void {
  // `keyceremony validate x | head -1`: a reader that goes away is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const io = processIo();
  main(argv, io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => (process.exitCode = exitCodeFor(error, io, argv)),
  );
}
