// The record log on screen (finished steps and exceptions) is only ever appended to, as
// Ink's <Static> needs. On a resume the whole log is built at once from the rebuilt context:
// appending every step first and every exception after put an exception recorded before key
// generation below the key's record (review17). An exception says how many steps were done
// when it was recorded (stepsDone), which places it; one without (a context saved by an
// earlier release) goes after the steps, as before.

export type RecordEntry = { kind: 'step' | 'exception'; index: number };

/** What to append after `shown` (steps and exceptions already in the log), in the order it happened. */
export function recordsToAppend(
  shown: { steps: number; exceptions: number },
  stepsDone: number,
  exceptions: ReadonlyArray<{ stepsDone?: number | undefined }>,
): RecordEntry[] {
  const entries: RecordEntry[] = [];
  let steps = shown.steps;
  let next = shown.exceptions;
  while (steps < stepsDone || next < exceptions.length) {
    const exception = exceptions[next];
    if (exception !== undefined && (steps >= stepsDone || (exception.stepsDone ?? Infinity) <= steps)) entries.push({ kind: 'exception', index: next++ });
    else entries.push({ kind: 'step', index: steps++ });
  }
  return entries;
}
