import { InputError } from '../../errors.js';
import type { CliIo } from '../io.js';

export async function command(_args: string[], _io: CliIo): Promise<number> {
  throw new InputError('plan is not available yet in this build', { hint: 'see README.md for what works' });
}
