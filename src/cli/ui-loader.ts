// The terminal UI is loaded only when a ceremony runs on a terminal: importing ink and
// React costs about 0.6 s, which `--version`, `validate` and headless runs never pay.
import type { InteractiveUi } from '../ceremony/runner.js';
import type { CliIo } from './io.js';

export async function loadInteractiveUi(io: CliIo): Promise<InteractiveUi> {
  const { interactiveUi } = await import('../ui/run-ui.js');
  return interactiveUi(io);
}
