// Checks that nothing secret shows in what people or logs could see: error messages and
// hints, util.inspect, JSON and string conversion of any object.
import { inspect } from 'node:util';
import { decodeEnvelope } from '../../../src/quorum/envelope.js';
import { payloadToShareString } from '../../../src/quorum/shamir.js';
import { normaliseShareText } from '../../../src/quorum/share-text.js';

interface Assert {
  ok(value: unknown, message: string): unknown;
  notOk(value: unknown, message: string): unknown;
}

export interface Secrets {
  /** Share texts as issued (groups with dashes). */
  shares?: readonly string[];
  /** Secret values: shared secrets and PINs. */
  buffers?: readonly Buffer[];
}

/** The strings that must never appear: whole shares, their payload groups, payloads, secrets. */
export function forbiddenStrings(secrets: Secrets): string[] {
  const out: string[] = [];
  for (const text of secrets.shares ?? []) {
    const canonical = normaliseShareText(text)
      .map((s) => s.char)
      .join('');
    out.push(text, canonical, canonical.toLowerCase());
    // Groups 1 to 3 are the public header (set id, version, length); every later group
    // carries payload bits.
    for (let i = 15; i + 5 <= canonical.length; i += 5) out.push(canonical.slice(i, i + 5));
    try {
      const decoded = decodeEnvelope(text);
      const share = payloadToShareString(decoded.payload);
      out.push(share, share.slice(3), decoded.payload.toString('hex').slice(2));
    } catch {
      // a deliberately broken share: its text is still forbidden
    }
  }
  for (const buffer of secrets.buffers ?? []) {
    const hex = buffer.toString('hex');
    out.push(hex, hex.toUpperCase(), buffer.toString('base64'), buffer.toString('latin1'));
    // Node prints buffers as `<Buffer 00 01 ...>`: also look for that spelling.
    out.push(hex.slice(0, 24).replace(/(..)(?!$)/g, '$1 '));
  }
  return out.filter((s) => s.length >= 4);
}

/** Every way a value might be shown. */
export function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: Infinity }), inspect(value, { depth: Infinity, showHidden: true })];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch (error) {
    out.push(String(error));
  }
  try {
    out.push(String(value));
    out.push(`${value as string}`);
  } catch {
    // objects without a string form are fine
  }
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '');
    const extra = value as Error & { hint?: unknown; cause?: unknown };
    if (typeof extra.hint === 'string') out.push(extra.hint);
    if (extra.cause !== undefined) out.push(inspect(extra.cause));
  }
  return out;
}

/** Asserts no forbidden string appears in any rendering of `value`. */
export function assertNoSecrets(t: Assert, value: unknown, secrets: Secrets, what = 'value'): void {
  // Set ids are public and printed by design. One of them can contain, by chance, a 5-character
  // run equal to a payload group of some share (about once in 3,000 sets here), which is no leak:
  // they are blanked before the search.
  const shown = publicSetIds(secrets).reduce((text, setId) => text.replaceAll(setId, '<set id>'), renderings(value).join('\n'));
  const leaked = forbiddenStrings(secrets).filter((s) => shown.includes(s));
  t.ok(leaked.length === 0, `${what} shows nothing secret`);
}

/** The set ids of the given shares, as the envelopes' public headers carry them. */
function publicSetIds(secrets: Secrets): string[] {
  const ids = new Set<string>();
  for (const text of secrets.shares ?? []) {
    try {
      ids.add(decodeEnvelope(text).setId);
    } catch {
      // a deliberately broken share has no set id to blank
    }
  }
  return [...ids];
}
