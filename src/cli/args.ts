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
    // Node's own words, in English; the option they name lets the catch say it in Chinese too.
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    const nodeCode = (error as { code?: string }).code;
    const key =
      nodeCode === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? 'usage.unknownOption'
        : nodeCode === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? 'usage.optionValue'
          : undefined;
    throw new InputError(`${command}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, {
      hint: `run \`keyceremony ${command} --help\``,
      says: key && option ? { key, params: { command, option } } : undefined,
    });
  }
  if (parsed.positionals.length !== positionals.length) {
    const expected = positionals.map((p) => `<${p}>`).join(' ');
    throw new InputError(`${command}: expected ${expected || 'no arguments'}, got ${parsed.positionals.length} arguments`, {
      hint: `run \`keyceremony ${command} --help\``,
      says: expected
        ? { key: 'usage.positionals', params: { command, expected, got: parsed.positionals.length } }
        : { key: 'usage.noPositionals', params: { command, got: parsed.positionals.length } },
    });
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

export function requireOption(command: string, value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${command}: --${name} is required`, {
      hint: `run \`keyceremony ${command} --help\``,
      says: { key: 'usage.required', params: { command, name } },
    });
  }
  return value;
}
