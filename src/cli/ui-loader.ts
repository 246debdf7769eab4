// The terminal UI is loaded only when a ceremony runs on a terminal: importing ink and
// React costs about 0.6 s, which `--version`, `validate` and headless runs never pay.
// Whether the UI can work at all is checked here, before `run` creates a workdir.
import { setFlagsFromString } from 'node:v8';
import type { InteractiveUi } from '../ceremony/runner.js';
// terminal.ts imports nothing but errors.ts: the check does not load ink.
import { assertUiCanDraw } from '../ui/terminal.js';
import type { CliIo } from './io.js';

export async function loadInteractiveUi(io: CliIo): Promise<InteractiveUi> {
  assertUiCanDraw(io.env);
  // React's production build: its development checks cost a third of the first frame.
  process.env.NODE_ENV ??= 'production';
  // V8's memory-saving heuristics for the long-lived, mostly idle UI process: its heap grew
  // between full collections to a peak RSS of about 155 MiB over a whole ceremony, and stays
  // near 128 MiB with them (BENCHMARKS.md). Set right after the first frame: set before ink
  // and React loaded, its eager collections and smaller heap cost about a sixth of the CPU
  // time to the first frame (BENCHMARKS.md, start21c); the headless runs keep V8's defaults.
  const { interactiveUi } = await withoutFetch(() => import('../ui/run-ui.js'));
  return interactiveUi(io, { afterFirstFrame: () => setFlagsFromString('--optimize-for-size') });
}

/**
 * Runs `load` with no global fetch, then puts fetch back as it was. ink's layout engine,
 * yoga-layout, carries its WebAssembly as a base64 data: URL and, while it is imported, reads
 * it with fetch() whenever fetch is a function: in Node that loads undici (the HTTP client,
 * some 300 KB of JavaScript) only to decode the data: URL, about a sixth of the time to the
 * first frame (BENCHMARKS.md, "UI first frame"). With no fetch it decodes the same bytes
 * itself (its own fallback), and the UI never uses the network.
 */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!fetch?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { configurable: true, enumerable: fetch.enumerable ?? false, writable: true, value: undefined });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', fetch);
  }
}
