// RFC 8785 (JSON Canonicalization Scheme) through the `canonicalize` package: sorted keys,
// ES number formatting, minimal string escapes, no whitespace. The journal hashes this
// form, so the same record always gives the same bytes in any language that implements JCS.
//
// `canonicalize` follows JSON.stringify where JSON has no answer: it turns a Map into `{}`,
// a Date into a string and drops functions. In an audit record that would lose data
// without a word, so only plain JSON values are accepted here.
import canonicalize from 'canonicalize';

/** The canonical JSON text of `value`; throws a TypeError naming the path of anything that is not plain JSON. */
export function canonicalJson(value: unknown): string {
  const problem = plainJsonProblem(value, '$');
  if (problem !== undefined) throw new TypeError(`canonical JSON: ${problem}`);
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // Lone UTF-16 surrogates cannot be written as UTF-8; RFC 8785 requires refusing them.
    throw new TypeError(`canonical JSON: ${error instanceof Error ? error.message.toLowerCase() : String(error)}`, { cause: error });
  }
  if (text === undefined) throw new TypeError('canonical JSON: the value has no JSON form');
  return text;
}

/** Why `value` is not plain JSON (null, booleans, finite numbers, strings, arrays, plain objects), or undefined. */
export function plainJsonProblem(value: unknown, path: string): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${String(value)}, which JSON cannot represent`;
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = plainJsonProblem(value[i], `${path}[${i}]`);
          if (problem !== undefined) return problem;
        }
        return undefined;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
        return `${path} is a ${typeof name === 'string' ? name : 'non-plain object'}, not a plain object`;
      }
      for (const [key, member] of Object.entries(value)) {
        // An undefined member is left out, as JSON.stringify does: `{ note: maybe }` is a common idiom.
        if (member === undefined) continue;
        const problem = plainJsonProblem(member, `${path}.${key}`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'undefined':
      return `${path} is undefined, which JSON cannot represent`;
    default:
      return `${path} is a ${typeof value}, which JSON cannot represent`;
  }
}
