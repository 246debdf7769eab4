// The CLI in the test's own process: main(argv, io) with the one top-level catch, as
// src/cli/bin.ts calls it, but without starting a node process (0.3 to 0.5 s each). For
// tests that run many commands whose point is what keyceremony says and does, not how a
// process behaves; exit codes through the real executable, signals and crashes stay with
// helpers/cli.ts and helpers/faults.ts.
//
// What a command may take from the process is set per call and put back afterwards:
// SOFTHSM2_CONF in the real environment (SoftHSM reads it at C_Initialize; every command
// finalizes the module when it ends), the working directory, and no signal listener may be
// left behind.
import { Readable, Writable } from 'node:stream';
import { exitCodeFor, main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { RunResult } from './softhsm.js';

/** A stream that keeps what is written to it, at once (no buffering between write and text()). */
function collect(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** `keyceremony <args>` in this process; stdin is a pipe holding `input` (or nothing), like run() gives a child. */
export async function keyceremonyInProcess(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<RunResult> {
  const env = options.env ?? process.env;
  const stdout = collect();
  const stderr = collect();
  const io: CliIo = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.input === undefined || options.input === '' ? [] : [Buffer.from(options.input)]),
    env,
  };
  const saved = { conf: process.env.SOFTHSM2_CONF, cwd: process.cwd(), listeners: SIGNALS.map((s) => process.listenerCount(s)) };
  if (env.SOFTHSM2_CONF === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
  if (options.cwd) process.chdir(options.cwd);
  let code: number;
  try {
    code = await main(args, io);
  } catch (error) {
    code = exitCodeFor(error, io, args);
  } finally {
    process.chdir(saved.cwd);
    if (saved.conf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = saved.conf;
  }
  const left = SIGNALS.filter((s, i) => process.listenerCount(s) !== saved.listeners[i]);
  if (left.length > 0) throw new Error(`keyceremony ${args.join(' ')} left ${left.join(' and ')} listeners behind`);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
