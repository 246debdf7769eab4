// Keystrokes of a one-line input, as intentions: text typed, Enter, erase, clear. A terminal
// may deliver typed text and Enter in one chunk (a paste, or tmux send-keys), so the text is
// reported before the Enter, and callers keep what was typed in a ref, not only in state.
import type { Key } from 'ink';
import { useKeys } from '../keyboard.js';
import { useInputActive } from '../providers.js';

export interface LineInputHandlers {
  onText?(text: string): void;
  onEnter?(): void;
  onErase?(): void;
  onClear?(): void;
  /** Keys that are not text: arrows, Esc, Tab, Page Up/Down. */
  onKey?(key: Key): void;
}

/** Printable characters only: control characters never reach a field. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
}

/**
 * A chunk of several keystrokes (typed ahead, pasted, or sent by tmux) arrives as one
 * string: replay it key by key, so Enter, Ctrl+U and Backspace inside it still act.
 */
export function replayChunk(input: string, h: LineInputHandlers): void {
  let text = '';
  const flush = () => {
    if (text !== '') h.onText?.(text);
    text = '';
  };
  for (const char of input.replace(/\r\n/g, '\r')) {
    if (char === '\r' || char === '\n') {
      flush();
      h.onEnter?.();
    } else if (char === '\u0015') {
      text = '';
      h.onClear?.();
    } else if (char === '\u007F' || char === '\b') {
      if (text !== '') text = Array.from(text).slice(0, -1).join('');
      else h.onErase?.();
    } else text += printable(char);
  }
  flush();
}

const isNavigation = (key: Key) =>
  key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end || key.tab || key.escape;

export function useLineInput(handlers: LineInputHandlers, focus = true): void {
  const active = useInputActive() && focus;
  useKeys((input, key) => {
    const h = handlers;
    if (key.return) return h.onEnter?.();
    if (key.backspace || key.delete) return h.onErase?.();
    if (isNavigation(key)) return h.onKey?.(key);
    if (key.ctrl) {
      if (input === 'u') h.onClear?.();
      return;
    }
    if (key.meta) return;
    replayChunk(input, h);
  }, active);
}

/** `text` without its last character (a whole code point, so 王 is erased in one go). */
export function eraseLast(text: string): string {
  return Array.from(text).slice(0, -1).join('');
}
