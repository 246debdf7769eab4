#!/usr/bin/env node
// The `keyceremony` executable: nothing but the call into main and its one catch.
import { exitCodeFor, main } from './main.js';
import { processIo } from './io.js';

const io = processIo();
main(process.argv.slice(2), io).then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = exitCodeFor(error, io)),
);
