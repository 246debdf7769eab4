// The terminal UI figures of `npm run bench`: time to the first frame and peak RSS, in a
// pseudo terminal made by `script` (util-linux), 80x24, as an officer would start it:
// `keyceremony run <definition> --hsm <profile> --workdir <dir>` without --answers.
//
// First frame: from spawn until the header ("Step 1 of N") is on the terminal. The
// reference is `node -e 0` started the same way in the same pseudo terminal (to its exit).
// Peak RSS: VmHWM of the keyceremony process read from /proc after the first frame and one
// clock tick (the header's elapsed time redraws every second), just before it is stopped
// with SIGTERM (it journals the interruption and exits 3).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { BIN, childEnv, childPids, peakRssKiB, sleep } from './lib.mjs';

const quote = (arg) => `'${String(arg).replace(/'/g, `'\\''`)}'`;

/** Spawns `argv` in a fresh 80x24 pseudo terminal; output arrives on the returned child's stdout. */
function inPty(argv, env) {
  const shell = `stty cols 80 rows 24 2>/dev/null; exec ${argv.map(quote).join(' ')}`;
  return spawn('script', ['-qfec', shell, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves with ms from spawn until `pattern` is in the output (or rejects after `timeoutMs`). */
function untilOutput(child, started, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} on the terminal after ${timeoutMs} ms; it showed:\n${text.slice(0, 2000)}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      text += d.toString();
      if (text.includes(pattern)) {
        clearTimeout(timer);
        resolve(Number(process.hrtime.bigint() - started) / 1e6);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!text.includes(pattern)) reject(new Error(`exited ${code} before ${pattern} was on the terminal; it showed:\n${text.slice(0, 2000)}`));
    });
  });
}

const exited = (child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', resolve)));

/** `node -e 0` in the same kind of pseudo terminal: ms from spawn to exit. */
export async function ptyNodeBaseline() {
  const started = process.hrtime.bigint();
  const child = inPty([process.execPath, '-e', '0'], childEnv());
  child.stdout.resume();
  await exited(child);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * One UI start: time to the header of the first frame, and the peak RSS of the keyceremony
 * process after it (KiB). `fx` is a prepared fixture (ceremony.mjs prepare()).
 */
export async function uiFirstFrame(fx, definition, manifest, workdir, { title, holdMs = 1100, bin = BIN }) {
  const env = childEnv({ SOFTHSM2_CONF: fx.conf, LANG: 'C.UTF-8', TERM: 'xterm-256color' });
  const argv = [process.execPath, bin, 'run', definition, '--hsm', fx.profile, '--workdir', workdir, '--lang', 'en', '--input', `hca-user-pin-manifest=${manifest}`, '--input', `hca-audit-key=${join(dirname(manifest), 'hca-audit-key.pem')}`];
  const started = process.hrtime.bigint();
  const child = inPty(argv, env);
  child.stderr.resume();
  let ms;
  let rssKiB;
  try {
    ms = await untilOutput(child, started, title, 30_000);
    await sleep(holdMs);
  } finally {
    // script's child is the shell that exec'd node: that is the keyceremony process.
    const node = childPids(child.pid)[0];
    if (node !== undefined) {
      rssKiB = peakRssKiB(node);
      try {
        process.kill(node, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }
  return { ms, rssKiB };
}

export function uiWorkdir(fx, n) {
  return join(fx.dir, `ui-${n}`);
}
