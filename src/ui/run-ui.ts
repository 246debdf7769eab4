// The terminal UI of `run` and `resume` (loaded lazily by src/cli/ui-loader.ts, so ink and
// React are only imported when a ceremony runs on a terminal). It renders the ceremony app
// on the CLI's streams and settles when the ceremony is completed or aborted, when the
// officers stop (or stop at a failure), or when a signal asked the run to stop.
import { render } from 'ink';
import { createElement } from 'react';
import type { InteractiveUi } from '../ceremony/runner.js';
import type { CliIo } from '../cli/io.js';
import { CeremonyApp, type UiOutcome } from './app.js';
import { assertUiCanDraw, colorsWanted } from './terminal.js';

/** `afterFirstFrame` runs once ink has drawn the first frame (render draws it synchronously). */
export function interactiveUi(io: CliIo, { afterFirstFrame }: { afterFirstFrame?: () => void } = {}): InteractiveUi {
  return async (session) => {
    assertUiCanDraw(io.env);
    let settle!: (outcome: UiOutcome) => void;
    let fail!: (error: unknown) => void;
    const outcome = new Promise<UiOutcome>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    const instance = render(createElement(CeremonyApp, { session, colors: colorsWanted(io.env), onOutcome: (o) => settle(o), onError: (e) => fail(e) }), {
      stdin: io.stdin as NodeJS.ReadStream,
      stdout: io.stdout as NodeJS.WriteStream,
      stderr: io.stderr as NodeJS.WriteStream,
      // Ctrl+C is the officers' "stop for now" key (confirmed on screen), not an instant exit.
      exitOnCtrlC: false,
      patchConsole: true,
    });
    afterFirstFrame?.();
    instance.waitUntilExit().catch((error: unknown) => fail(error));
    try {
      const result = await outcome;
      // Let the last frame (completed, aborted, stopped) reach the terminal before closing.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return result;
    } finally {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    }
  };
}
