#!/usr/bin/env node
// The `keyceremony` executable: nothing but the call into main and its one catch.
import { main } from './main.js';
import { runAsProcess } from './process-entry.js';
import { wrapForTerminal } from './terminal-wrap.js';

runAsProcess(main, process.argv.slice(2), wrapForTerminal);
