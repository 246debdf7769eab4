// Helpers of `npm run bench` (scripts/bench.mjs): timing child processes, statistics, the
// machine and tool versions. Bench-only: nothing in src/ imports this.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'dist/cli/bin.js');
export const MODULE = process.env.KEYCEREMONY_PKCS11_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';
export const RSS_PROBE = join(import.meta.dirname, 'rss-probe.mjs');

/** min / median / max (and the runs) of a list of numbers. */
export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n === 0 ? NaN : n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  // The median of an even count is a mean of two: keep it to the precision of the values.
  const digits = Math.max(0, ...sorted.map((v) => (String(v).split('.')[1] ?? '').length));
  const median = Number.isFinite(mid) ? Math.round(mid * 10 ** Math.min(digits + 1, 6)) / 10 ** Math.min(digits + 1, 6) : mid;
  return { min: sorted[0], median, max: sorted[n - 1], runs: values.length, values };
}

export const round = (x, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** Environment for children: CI unset (ink would draw only its last frame), no inherited NODE_OPTIONS. */
export function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'NODE_OPTIONS', 'NODE_V8_COVERAGE', 'NO_COLOR']) if (!(name in extra)) delete env[name];
  return env;
}

/**
 * Runs a command to its end; resolves with the wall time in ms from spawn to exit (what an
 * officer waits for), the exit code and the output. Throws when `check` and it failed.
 * With `pollRss`, VmHWM (peak RSS) of the process is read from /proc every 10 ms while it
 * runs; `rssKiB` is the last value read before it exited (a read of a /proc file costs a few
 * microseconds of the bench's own CPU, and nothing in the child).
 */
export function timeCommand(command, args, { env = childEnv(), cwd = ROOT, check = true, input, pollRss = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let rssKiB;
    const poller = pollRss
      ? setInterval(() => {
          const v = peakRssKiB(child.pid);
          if (v !== undefined && !Number.isNaN(v)) rssKiB = v;
        }, 10)
      : undefined;
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (poller) clearInterval(poller);
      // 'close' follows once the pipes drained; the time is taken at exit.
      child.on('close', () => {
        const result = { ms, code, signal, rssKiB, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
        if (check && code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}:\n${result.stderr || result.stdout}`));
        else resolvePromise(result);
      });
    });
  });
}

/** Output of a command, or undefined when it cannot run. */
export function capture(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', env: childEnv(), ...options });
  if (r.error || r.status !== 0) return undefined;
  return (r.stdout + r.stderr).trim();
}

export function machineInfo() {
  const cpus = os.cpus();
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? NaN);
  const loadavg = os.loadavg().map((x) => round(x, 2));
  let disk;
  const df = capture('df', ['-T', ROOT]);
  if (df) disk = df.split('\n').at(-1).split(/\s+/).slice(0, 2).join(' ');
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryMiB: Math.round(os.totalmem() / 1048576),
    memoryAvailableMiB: Number.isFinite(kb('MemAvailable')) ? Math.round(kb('MemAvailable') / 1024) : undefined,
    kernel: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    os: osRelease(),
    loadAverageAtStart: loadavg,
    filesystem: disk,
  };
}

function osRelease() {
  try {
    return /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

export function versions() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dep = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  const dpkg = (name) => capture('dpkg-query', ['-W', '-f', '${Version}', name]);
  const git = capture('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
  const dirty = capture('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src']);
  return {
    node: process.version,
    keyceremony: pkg.version,
    gitCommit: git === undefined ? undefined : `${git}${dirty ? ' (src/ has uncommitted changes)' : ''}`,
    softhsm: capture('softhsm2-util', ['--version']) ?? dpkg('softhsm2'),
    openssl: capture('openssl', ['version']),
    opensc: /OpenSC-([\d.]+)/.exec(capture('pkcs11-tool', ['--help']) ?? '')?.[1] ?? dpkg('opensc'),
    libp11Engine: dpkg('libengine-pkcs11-openssl'),
    tmux: capture('tmux', ['-V']),
    dependencies: Object.fromEntries(['ink', 'react', 'xstate', 'zod', 'yaml', '@peculiar/x509', 'pkcs11js', 'secrets.js-grempe'].map((n) => [n, dep(n)])),
  };
}

/** The direct children of a process (Linux /proc). */
export function childPids(pid) {
  const pids = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) pids.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return pids;
}

/** VmHWM (peak resident set) of a live process in KiB, or undefined. */
export function peakRssKiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
  } catch {
    return undefined;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * write(400 bytes) + fsync latency of the file system under `dir`, in ms: the journal fsyncs
 * every record (and state.json is renamed into place and fsynced), so this is part of what a
 * ceremony costs on this machine.
 */
export function fsyncLatency(dir, count = 100) {
  const file = join(dir, `fsync-probe-${process.pid}`);
  const fd = openSync(file, 'w');
  const times = [];
  try {
    for (let i = 0; i < count; i++) {
      writeSync(fd, `${'x'.repeat(399)}\n`);
      const start = process.hrtime.bigint();
      fsyncSync(fd);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return times;
}

/** The table printed at the end: rows of cells, first row the header. */
export function table(rows) {
  const width = (s) => [...String(s)].length;
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c ?? '').padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
