// Preloaded with `--import` by ui-profile.mjs into a UI start: when the text in
// KEYCEREMONY_PROBE_TEXT (the first frame's header) is first written to stdout, it writes the
// process's CPU time (user, sys) and its monotonic clock at that moment to
// KEYCEREMONY_PROBE_OUT, then ends the process, so that a --cpu-prof profile covers the
// start up to the first frame and nothing after it. Bench-only.
import { writeFileSync } from 'node:fs';

const text = process.env.KEYCEREMONY_PROBE_TEXT;
const out = process.env.KEYCEREMONY_PROBE_OUT;
if (text && out) {
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    const result = write.call(this, chunk, ...rest);
    if (String(chunk).includes(text)) {
      const cpu = process.cpuUsage();
      // hrtime is CLOCK_MONOTONIC, the clock of V8's profile timestamps (microseconds).
      writeFileSync(out, JSON.stringify({ userMs: cpu.user / 1000, sysMs: cpu.system / 1000, uptimeMs: process.uptime() * 1000, atUs: Number(process.hrtime.bigint() / 1000n) }));
      process.exit(0);
    }
    return result;
  };
}
