// Placeholder until the Ink UI lands (issue 6): a terminal run without --answers says so.
import { InputError } from '../errors.js';
import type { InteractiveUi } from '../ceremony/runner.js';
import type { CliIo } from '../cli/io.js';

export function interactiveUi(_io: CliIo): InteractiveUi {
  return async () => {
    throw new InputError('the terminal UI is not in this build yet', { hint: 'run with --answers <file> for a scripted dry run' });
  };
}
