import { KeyceremonyError } from '../../src/errors.js';

/** Runs `fn` and returns what it threw (sync or async); fails if it did not throw. */
export async function caught(fn: () => unknown): Promise<KeyceremonyError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof KeyceremonyError) return error;
    throw new Error(`expected a KeyceremonyError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an error, nothing was thrown');
}
