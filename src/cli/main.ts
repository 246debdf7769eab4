// The composition root of the command line: parse the command, load only the module it
// needs (ink and React are loaded by `run` on a terminal, never by `--version`), and turn
// every error into one message and an exit code here, in the one top-level catch.
import { toolVersion } from '../util/tool-version.js';
import { ExitCode, InputError } from '../errors.js';
import { println, type CliIo } from './io.js';

import { exitCodeFor as exitCodeLaidOut } from './exit-code.js';
import { wrapForTerminal } from './terminal-wrap.js';

/**
 * The one top-level catch, as bin.ts runs it: lines wrapped at a terminal. The catch lives in
 * its own module (exit-code.ts), which the start-up snapshot shares without the wrap.
 */
export const exitCodeFor = (error: unknown, io: CliIo, argv: readonly string[] = []): number => exitCodeLaidOut(error, io, argv, wrapForTerminal);

export type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  run: () => import('./commands/run.js'),
  resume: () => import('./commands/resume.js'),
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  journal: () => import('./commands/journal.js'),
  report: () => import('./commands/report.js'),
  shares: () => import('./commands/shares.js'),
  hsm: () => import('./commands/hsm.js'),
  'self-check': () => import('./commands/self-check.js'),
  bundle: () => import('./commands/bundle.js'),
  history: () => import('./commands/history.js'),
};

export const USAGE = `keyceremony — HSM key ceremonies under multiple person control (多人控管)

usage:
  keyceremony run <definition.yaml> --hsm <profile.yaml> --workdir <dir> [--answers <answers.yaml>] [--lang en|zh-TW]
      [--approved-by <approver> --approval <reference> --approved-sha256 <hex>] [--allow-software-token]
  keyceremony resume <workdir> [--answers <answers.yaml>] [--lang en|zh-TW]
  keyceremony validate <definition.yaml>
  keyceremony plan <definition.yaml> [--format md|html] [--lang en|zh-TW]
  keyceremony plan <definition.yaml> --cards [--lang en|zh-TW]
  keyceremony journal verify <workdir> [--audit-key <file>]… [--lang en|zh-TW]
  keyceremony report <workdir> [--letter] [--format md|html] [--lang en|zh-TW] [--out <file>] [--audit-key <file>]…
  keyceremony shares check --manifest <file>
  keyceremony hsm info --hsm <profile.yaml> [--lang en|zh-TW]
  keyceremony hsm check <definition.yaml> --hsm <profile.yaml> [--lang en|zh-TW]
  keyceremony bundle <workdir> [--out <archive>]
  keyceremony bundle verify <archive>
  keyceremony history <folder of workdirs> [--format md|html] [--lang en|zh-TW]
  keyceremony self-check
  keyceremony --version | --help

exit codes: 0 completed, 1 ceremony failed or aborted (recorded), 2 bad usage or input,
3 interrupted and resumable (run \`keyceremony resume <workdir>\`)
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    println(io.stdout, `keyceremony ${toolVersion()}`);
    return ExitCode.completed;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? ExitCode.badInput : ExitCode.completed;
  }
  const load = COMMANDS[name];
  if (!load)
    throw new InputError(`unknown command "${name}"`, {
      hint: 'run `keyceremony --help` for the list of commands',
      says: { key: 'usage.command', params: { name } },
    });
  const { command } = await load();
  return command(rest, io);
}
