// One listener on the keyboard for the whole app, handing each keystroke to the components
// that want keys now, one keystroke at a time.
//
// React draws asynchronously (and may split a long render into slices), so a key that
// arrives right after another — typed ahead, pasted, sent by tmux — could reach a screen
// that is about to go away and be lost. So keys are queued: the next is handed out only
// once a component that takes keys has drawn again (the sign that the last key's effect is
// on screen), or, if the last key changed nothing, after a short wait.
import { useInput, type Key } from 'ink';
import { createContext, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

interface Entry {
  handle: KeyHandler;
}

/** How long a key that changed nothing on screen holds back the next one. */
export const UNCHANGED_MS = 150;
/** Keys still queued after this long are stale (pressed while nothing took keys): dropped. */
const STALE_MS = 2000;

const keyboards = new Set<Keyboard>();

class Keyboard {
  readonly handlers = new Set<Entry>();

  constructor() {
    keyboards.add(this);
  }

  get idle(): boolean {
    return !this.waiting && this.queue.length === 0;
  }
  private readonly queue: Array<{ input: string; key: Key; at: number }> = [];
  private waiting = false;
  private timer: NodeJS.Timeout | undefined;

  receive(input: string, key: Key): void {
    this.queue.push({ input, key, at: Date.now() });
    this.pump();
  }

  /** A component that takes keys has drawn: the last key has had its effect. */
  drawn(): void {
    if (!this.waiting) return;
    this.release();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
    this.waiting = false;
    keyboards.delete(this);
  }

  private release(): void {
    clearTimeout(this.timer);
    this.waiting = false;
    // After the commit that called drawn() has finished (other layout effects included).
    setImmediate(() => this.pump());
  }

  private pump(): void {
    if (this.waiting) return;
    let next = this.queue.shift();
    while (next && Date.now() - next.at > STALE_MS) next = this.queue.shift();
    if (!next) return;
    // Nobody takes keys now (the HSM is working): the key changes nothing, do not wait.
    if (this.handlers.size === 0) return this.pump();
    this.waiting = true;
    this.timer = setTimeout(() => this.release(), UNCHANGED_MS);
    for (const entry of [...this.handlers]) if (this.handlers.has(entry)) entry.handle(next.input, next.key);
  }
}

/** For whatever drives the UI by program (frame tests): resolves once every key received so far has had its effect. */
export async function keysHandled(): Promise<void> {
  while ([...keyboards].some((k) => !k.idle)) await new Promise((resolve) => setTimeout(resolve, 5));
}

const KeyboardContext = createContext<Keyboard | undefined>(undefined);

/** The app's keyboard; inside another KeyboardProvider it is that one (one listener per app). */
export function KeyboardProvider({ children }: { children: ReactNode }) {
  return useContext(KeyboardContext) ? <>{children}</> : <KeyboardRoot>{children}</KeyboardRoot>;
}

function KeyboardRoot({ children }: { children: ReactNode }) {
  const keyboard = useMemo(() => new Keyboard(), []);
  useLayoutEffect(() => () => keyboard.stop(), [keyboard]);
  useInput((input, key) => keyboard.receive(input, key));
  return <KeyboardContext.Provider value={keyboard}>{children}</KeyboardContext.Provider>;
}

/** Calls `handler` for every keystroke while `active`. */
export function useKeys(handler: KeyHandler, active = true): void {
  const keyboard = useContext(KeyboardContext);
  const latest = useRef(handler);
  latest.current = handler;
  // Registered in a layout effect: in the same commit that draws the component.
  useLayoutEffect(() => {
    if (!active || !keyboard) return;
    const entry: Entry = { handle: (input, key) => latest.current(input, key) };
    keyboard.handlers.add(entry);
    return () => {
      keyboard.handlers.delete(entry);
    };
  }, [active, keyboard]);
  // Every commit of a component that takes keys lets the next key through.
  useLayoutEffect(() => keyboard?.drawn());
}
