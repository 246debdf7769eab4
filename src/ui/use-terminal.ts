// The terminal's size (followed on resize) and the clock for the header.
import { useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { formatClock, formatElapsed } from './model/clock.js';
import { terminalSize, type TerminalSize } from './terminal.js';

/**
 * `beforeRedraw` runs on a resize before the new size is rendered: what it writes to the
 * terminal (a wipe) comes before the next frame, not after it.
 */
export function useTerminalSize(fixed: TerminalSize | undefined, beforeRedraw?: () => void): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => fixed ?? terminalSize(stdout));
  const before = useRef(beforeRedraw);
  before.current = beforeRedraw;
  useEffect(() => {
    if (fixed) return;
    const onResize = () => {
      before.current?.();
      setSize(terminalSize(stdout));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

export interface ClockOptions {
  now: () => Date;
  timeZone: string;
  /** Tick every second (off in frame tests, so frames are stable). */
  tick: boolean;
}

/** The wall clock, and the time elapsed since `since` (the ceremony's opening, across resumes), else since the UI started. */
export function useClock({ now, timeZone, tick }: ClockOptions, since?: Date): { clock: string; elapsed: string } {
  const [time, setTime] = useState(() => now());
  const started = useRef(since ?? time);
  useEffect(() => {
    if (!tick) return;
    const timer = setInterval(() => setTime(now()), 1000);
    return () => clearInterval(timer);
  }, [tick, now]);
  return { clock: formatClock(time, timeZone), elapsed: formatElapsed(time.getTime() - started.current.getTime()) };
}
