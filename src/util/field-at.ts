// Reading untrusted parsed JSON (journal data, state.json, token records) one field at a time,
// without asserting its type: a missing field, or a step of the path that is not an object,
// reads as undefined, and the caller checks what it got.

/** The value at `path` inside `value`, or undefined. Own data fields only: no getters, no prototype. */
export function fieldAt(value: unknown, ...path: string[]): unknown {
  let here: unknown = value;
  for (const key of path) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = Object.getOwnPropertyDescriptor(here, key)?.value;
  }
  return here;
}
