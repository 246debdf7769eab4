// The terminal UI is loaded only when a ceremony runs on a terminal: importing ink and
// React costs about 0.6 s, which `--version`, `validate` and headless runs never pay.
// Whether the UI can work at all is checked here, before `run` creates a workdir.
import type { InteractiveUi } from '../ceremony/runner.js';
// terminal.ts imports nothing but errors.ts: the check does not load ink.
import { assertUiCanDraw } from '../ui/terminal.js';
import type { CliIo } from './io.js';

export async function loadInteractiveUi(io: CliIo): Promise<InteractiveUi> {
  assertUiCanDraw(io.env);
  // React's production build: its development checks cost a third of the first frame.
  process.env.NODE_ENV ??= 'production';
  const { interactiveUi } = await import('../ui/run-ui.js');
  return interactiveUi(io);
}
