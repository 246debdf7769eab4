// The terminal's size (followed on resize) and the clock for the header.
import { useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { formatClock, formatElapsed } from './model/clock.js';
import { terminalSize, type TerminalSize } from './terminal.js';

export function useTerminalSize(fixed: TerminalSize | undefined): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => fixed ?? terminalSize(stdout));
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(terminalSize(stdout));
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
