// Waiting for something asynchronous in a test without betting on how long it takes. A fixed
// sleep (20 ms, 300 ms) passes on a quiet machine and fails on a loaded one (CI, the full
// suite on two cores); polling with a long limit costs time only when the test fails anyway.

/** How long a test waits for something that normally takes milliseconds before it fails. */
export const PATIENCE_MS = 20_000;

/** Resolves once `ready()` holds; throws naming `what` if it does not within `timeoutMs`. */
export async function until(ready: () => boolean, what: string, timeoutMs = PATIENCE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
