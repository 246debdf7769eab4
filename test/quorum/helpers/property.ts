// Runs a fast-check property as one tap assertion, with fast-check's report on failure.
import fc from 'fast-check';

interface Assert {
  ok(value: unknown, message: string): unknown;
}

export function holds<T>(t: Assert, property: fc.IProperty<T>, params: fc.Parameters<T> = {}): void {
  const details = fc.check(property, params);
  t.ok(!details.failed, details.failed ? (fc.defaultReportMessage(details) ?? 'property failed') : `held for ${details.numRuns} generated cases`);
}
