// What the UI needs to know about the terminal and does to it directly.
import { InputError } from '../errors.js';

/**
 * Wipe a shown share from the terminal: erase the scrollback (ESC[3J), the screen (ESC[2J),
 * the scrollback again, and put the cursor home (ESC[H). The second ESC[3J is not a slip:
 * terminals that keep a cleared screen in their history (tmux's scroll-on-clear, VTE)
 * push the screen, share and all, into the scrollback on ESC[2J.
 */
export const CLEAR_SCREEN_AND_SCROLLBACK = '\u001B[3J\u001B[2J\u001B[3J\u001B[H';

/** https://no-color.org: colour is off when NO_COLOR is set to anything but the empty string. */
export function colorsWanted(env: NodeJS.ProcessEnv): boolean {
  const value = env.NO_COLOR;
  return value === undefined || value === '';
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** The screen every layout is designed for: the ceremony terminal may be no larger. */
export const DESIGN_SIZE: TerminalSize = { columns: 80, rows: 24 };

export function terminalSize(stream: { columns?: number; rows?: number }): TerminalSize {
  return { columns: stream.columns || DESIGN_SIZE.columns, rows: stream.rows || DESIGN_SIZE.rows };
}

/**
 * Ink (through is-in-ci) draws only a last frame when CI or CONTINUOUS_INTEGRATION is set
 * to anything but 0 or false: a ceremony screen would stay blank. Same rule, checked first.
 */
export function inkThinksItIsInCi(env: NodeJS.ProcessEnv): boolean {
  const set = (name: string) => name in env && env[name] !== '0' && env[name] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/**
 * Refuses to start the UI where Ink would draw only its last frame. The CLI checks this
 * before a workdir is created (src/cli/ui-loader.ts), and the UI again when it starts.
 */
export function assertUiCanDraw(env: NodeJS.ProcessEnv): void {
  if (inkThinksItIsInCi(env)) {
    throw new InputError('the terminal UI cannot run while CI is set: it would draw only its last screen', {
      hint: 'unset CI and CONTINUOUS_INTEGRATION at the ceremony terminal, or run a dry run with --answers <file>',
      code: 'usage.ci-terminal',
    });
  }
}
