// Preloaded (node --import) into the processes of a test run by scripts/bench/test-file-cpu.mjs.
// When a test file's process exits, it appends one JSON line to $KEYCEREMONY_TEST_CPU_LOG: the
// file, its wall time, and its CPU from /proc/self/stat, both its own (utime, stime) and that of
// the child processes it has waited for (cutime, cstime: the CLIs, openssl and pkcs11-tool it
// spawned, with their own children). Processes that are not test files (spawned CLIs) record
// nothing themselves; their CPU is counted in the test file that waited for them.
import { appendFileSync, readFileSync } from 'node:fs';

const log = process.env.KEYCEREMONY_TEST_CPU_LOG;
const file = process.argv[1] ?? '';
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

if (log !== undefined && /\.test\.tsx?$/.test(file)) {
  process.on('exit', (code) => {
    try {
      // Fields after the ")" that closes the command name: state is field 3, utime 14.
      const stat = readFileSync('/proc/self/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [utime, stime, cutime, cstime] = fields.slice(11, 15).map((n) => Number(n) / TICKS_PER_SECOND);
      const record = { file, code, wall: process.uptime(), self: utime + stime, children: cutime + cstime, user: utime + cutime, sys: stime + cstime };
      appendFileSync(log, `${JSON.stringify(record)}\n`);
    } catch {
      // A benchmark aid: never change how a test exits.
    }
  });
}
