// Argument parsing over node:util parseArgs, with our error wording.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.js';
import { errorMessage } from '../util/storage.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = errorMessage(error)
      .replace(/\. To specify a positional.*$/s, '')
      .replace(/\.$/, '');
    throw new InputError(`${command}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, { hint: `run \`keyceremony ${command} --help\`` });
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new InputError(`${command}: expected ${positionals.map((p) => `<${p}>`).join(' ') || 'no arguments'}, got ${parsed.positionals.length} arguments`, {
      hint: `run \`keyceremony ${command} --help\``,
    });
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

export function requireOption(command: string, value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${command}: --${name} is required`, { hint: `run \`keyceremony ${command} --help\`` });
  }
  return value;
}
