// Bench-only: preloaded with NODE_OPTIONS=--import=<this file> into the keyceremony processes
// whose memory `npm run bench` measures. At exit it appends the process's argv and its peak
// resident set size (getrusage ru_maxrss, KiB) to the file named by KC_BENCH_RSS_LOG. It
// never reads anything else of the process.
import { appendFileSync } from 'node:fs';

const log = process.env.KC_BENCH_RSS_LOG;
if (log) {
  process.on('exit', (code) => {
    try {
      appendFileSync(log, `${JSON.stringify({ argv: process.argv.slice(1), code, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
    } catch {
      // a bench probe must never change how the process ends
    }
  });
}
