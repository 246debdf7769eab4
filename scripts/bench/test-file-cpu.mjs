// CPU seconds and wall time of each test file's process, for BENCHMARKS.md ("Test suite time").
//
//   node scripts/bench/test-file-cpu.mjs [files…]        run tap on the files (default: all of
//                                                         `npm test`'s) and print the table
//   node scripts/bench/test-file-cpu.mjs --from LOG [N]  print the table of a recorded run
//
// Each test process records itself at exit (scripts/bench/test-cpu-recorder.mjs, preloaded
// with tap's other node-args): its own CPU and that of the children it waited for (the CLIs,
// openssl and pkcs11-tool it spawned). To record a whole `npm test` the same way:
//   KEYCEREMONY_TEST_CPU_LOG=/tmp/cpu.jsonl npm test -- \
//     --node-arg=--import=./test/helpers/tsx-loader.mjs \
//     --node-arg=--import=./test/helpers/children-without-processinfo.mjs \
//     --node-arg=--import=./scripts/bench/test-cpu-recorder.mjs
// (tap's --node-arg replaces package.json's list, so its two entries are repeated.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const args = process.argv.slice(2);

function table(log, top) {
  const records = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const cpu = (r) => r.self + r.children;
  records.sort((a, b) => cpu(b) - cpu(a));
  const total = records.reduce((sum, r) => sum + cpu(r), 0);
  const lines = [
    '| file | CPU s (process + children) | process | children | wall s |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...records
      .slice(0, top)
      .map(
        (r) =>
          `| \`${relative(ROOT, r.file)}\` | ${cpu(r).toFixed(1)} | ${r.self.toFixed(1)} | ${r.children.toFixed(1)} | ${r.wall.toFixed(1)} |`,
      ),
  ];
  lines.push(`| all ${records.length} test processes | ${total.toFixed(1)} | | | |`);
  return lines.join('\n');
}

if (args[0] === '--from') {
  console.log(table(args[1], Number(args[2] ?? 30)));
} else {
  const log = join(mkdtempSync(join(tmpdir(), 'test-file-cpu-')), 'cpu.jsonl');
  const started = new Date().toISOString();
  const loadBefore = loadavg().map((n) => n.toFixed(2));
  const nodeArgs = ['./test/helpers/tsx-loader.mjs', './test/helpers/children-without-processinfo.mjs', './scripts/bench/test-cpu-recorder.mjs'];
  const run = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'tap'),
    ['--disable-coverage', ...nodeArgs.map((file) => `--node-arg=--import=${file}`), ...args],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KEYCEREMONY_TEST_CPU_LOG: log } },
  );
  console.log(`${started}, load average before ${loadBefore.join(' ')}, after ${loadavg().map((n) => n.toFixed(2)).join(' ')}; tap exit ${run.status}`);
  console.log(table(log, Number(process.env.TOP ?? 30)));
}
