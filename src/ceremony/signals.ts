// Signals and the event loop: when a SIGINT/SIGTERM the kernel delivered is sure to have run
// its JavaScript handler.

/**
 * Whether a stop was asked, once every signal the kernel has already delivered has reached
 * its JavaScript handler. Node hears a signal only in the event loop's poll phase; a step
 * whose HSM call blocks and whose end resolves in promises can reach the next step without
 * passing one, so a SIGTERM sent during the signature went unheard on a loaded machine (CI,
 * stop 25). Two turns of setImmediate pass through at least one whole poll phase.
 */
export async function signalsHeard(stopRequested: () => string | undefined): Promise<boolean> {
  if (stopRequested()) return true;
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  return stopRequested() !== undefined;
}
