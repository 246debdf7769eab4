// `keyceremony hsm info|check`: the two looks at an HSM that need no login and no PIN.
import { InputError } from '../../errors.js';
import type { CliIo } from '../io.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check') return (await import('./hsm-check.js')).check(rest, io);
  if (sub === 'info') return (await import('./hsm-info.js')).info(rest, io);
  throw new InputError(`hsm: unknown subcommand "${sub ?? ''}"`, {
    hint: 'use `keyceremony hsm info --hsm <profile.yaml>` or `keyceremony hsm check <definition.yaml> --hsm <profile.yaml>`',
  });
}
