#!/usr/bin/env node
// The `keyceremony` executable: nothing but the call into main and its one catch.
import { exitCodeFor, main } from './main.js';
import { processIo } from './io.js';

// `keyceremony validate x | head -1`: a reader that goes away is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const io = processIo();
main(process.argv.slice(2), io).then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = exitCodeFor(error, io)),
);
