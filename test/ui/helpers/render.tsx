// Frame tests: render UI pieces with ink-testing-library (every frame is kept), type into
// them, and read what the terminal would show.
import { render } from 'ink-testing-library';
import type { ReactNode } from 'react';
import stringWidth from 'string-width';
import { keysHandled, UNCHANGED_MS } from '../../../src/ui/keyboard.js';
import { UiProviders } from '../../../src/ui/providers.js';
import type { Lang } from '../../../src/ui/i18n/index.js';
import { PATIENCE_MS } from '../../helpers/until.js';

export const KEYS = {
  enter: '\r',
  up: '\u001B[A',
  left: '\u001B[D',
  right: '\u001B[C',
  home: '\u001B[H',
  end: '\u001B[F',
  escape: '\u001B',
  backspace: '\u007F',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  ctrlU: '\u0015',
  ctrlE: '\u0005',
  ctrlP: '\u0010',
  ctrlX: '\u0018',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
} as const;

export const tick = (ms = 15) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * After a key whose only effect is a callback (nothing redrawn), the next key is held back
 * for a moment (src/ui/keyboard.tsx): wait that out.
 */
export const settle = () => tick(UNCHANGED_MS + 50);

export interface Rendered {
  /** Every frame written so far. */
  frames: string[];
  frame(): string;
  type(text: string): Promise<void>;
  press(key: keyof typeof KEYS): Promise<void>;
  /** Types each answer and presses Enter after it. */
  answer(...answers: string[]): Promise<void>;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  unmount: () => void;
}

export function renderUi(node: ReactNode, options: { lang?: Lang; colors?: boolean } = {}): Rendered {
  const r = render(
    <UiProviders lang={options.lang ?? 'en'} colors={options.colors ?? false}>
      {node}
    </UiProviders>,
  );
  // Ink starts listening to the keyboard in an effect after the first frame.
  const listening = tick(20);
  const write = async (text: string) => {
    await listening;
    r.stdin.write(text);
    // An Escape alone is held back by Ink until it is sure no sequence follows.
    if (text === KEYS.escape) await tick(30);
    await keysHandled();
    await tick(5);
  };
  const self: Rendered = {
    frames: r.frames,
    frame: () => r.lastFrame() ?? '',
    type: write,
    press: (key) => write(KEYS[key]),
    answer: async (...answers) => {
      for (const a of answers) {
        await write(a);
        await write(KEYS.enter);
      }
    },
    waitFor: async (pattern, timeoutMs = PATIENCE_MS) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frame = self.frame();
        if (typeof pattern === 'string' ? frame.includes(pattern) : pattern.test(frame)) return frame;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; the last frame:\n${frame}`);
        await tick(10);
      }
    },
    unmount: () => r.unmount(),
  };
  return self;
}

/** Lines of a frame wider than `columns` (display width, so CJK counts double). */
export function overWide(frame: string, columns = 80): string[] {
  return frame.split('\n').filter((line) => stringWidth(line) > columns);
}

/** The column where `needle` starts on each line that has it (display width). */
export function columnOf(frame: string, needle: string): number[] {
  return frame
    .split('\n')
    .filter((line) => line.includes(needle))
    .map((line) => stringWidth(line.slice(0, line.indexOf(needle))));
}
