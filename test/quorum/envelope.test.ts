// The share envelope on its own: it round-trips, it is read forgivingly where that is safe
// (case, spaces, dashes, Crockford's look-alikes), and every single wrong character and
// every swap of two neighbouring characters is caught, in the group where it happened.
import t from 'tap';
import fc from 'fast-check';
import { base32crockford } from '@scure/base';
import { decodeEnvelope, encodeEnvelope, expectedShareLength, type EnvelopeFields } from '../../src/quorum/envelope.js';
import { ShareError } from '../../src/quorum/share-error.js';
import { ALPHABET, normaliseShareText, renderGroups } from '../../src/quorum/share-text.js';
import { shareChecksum } from '../../src/quorum/checksum.js';
import { checkShareTyping } from '../../src/quorum/typing-check.js';
import { caught } from '../helpers/errors.js';
import { holds } from './helpers/property.js';

const fields = (payloadLength: { min: number; max: number } = { min: 2, max: 66 }) =>
  fc
    .record({
      setId: fc.uint8Array({ minLength: 5, maxLength: 5 }).map((b) => base32crockford.encode(b)),
      threshold: fc.integer({ min: 2, max: 255 }),
      index: fc.integer({ min: 1, max: 255 }),
      data: fc.uint8Array({ minLength: payloadLength.min - 1, maxLength: payloadLength.max - 1 }),
    })
    .map(({ setId, threshold, index, data }): EnvelopeFields => ({ setId, threshold, index, payload: Buffer.concat([Buffer.of(index), data]) }));

/** The typed characters of an envelope without separators. */
const canonical = (text: string) =>
  normaliseShareText(text)
    .map((s) => s.char)
    .join('');
const groupOf = (position: number) => Math.floor(position / 5) + 1;

function decodes(text: string): boolean {
  try {
    decodeEnvelope(text);
    return true;
  } catch (error) {
    if (error instanceof ShareError) return false;
    throw error;
  }
}

function refusal(text: string): ShareError {
  try {
    decodeEnvelope(text);
  } catch (error) {
    if (error instanceof ShareError) return error;
    throw error;
  }
  throw new Error('the envelope was accepted');
}

t.test('a 32-byte secret share is 19 groups of five characters, starting with the set id', async (t) => {
  const payload = Buffer.alloc(34, 0xa5);
  payload[0] = 3;
  const text = encodeEnvelope({ setId: '2TGPJAKF', threshold: 3, index: 3, payload });
  t.match(text, /^([0-9A-HJKMNP-TV-Z]{5}-){18}[0-9A-HJKMNP-TV-Z]{5}$/);
  t.equal(canonical(text).length, expectedShareLength(34));
  t.equal(text.slice(0, 4), '2TGP', 'group 1 holds the first half of the set id');
  t.equal(text.slice(6, 10), 'JAKF', 'group 2 holds the second half');
});

t.test('encode then decode gives back every field (property)', async (t) => {
  holds(
    t,
    fc.property(fields(), (f) => {
      const back = decodeEnvelope(encodeEnvelope(f));
      return back.version === 1 && back.setId === f.setId && back.threshold === f.threshold && back.index === f.index && back.payload.equals(f.payload);
    }),
    { numRuns: 500 },
  );
});

t.test('reading ignores case, spaces, dashes and line breaks, and reads O as 0 and I, L as 1 (property)', async (t) => {
  holds(
    t,
    fc.property(fields(), fc.array(fc.constantFrom(' ', '-', '\n', '  ', '\t', ''), { minLength: 200, maxLength: 200 }), fc.boolean(), (f, gaps, lower) => {
      const plain = canonical(encodeEnvelope(f));
      let typed = '';
      [...plain].forEach((char, i) => {
        let c = char === '0' ? 'O' : char === '1' ? (i % 2 ? 'I' : 'L') : char;
        if (lower) c = c.toLowerCase();
        typed += c + (gaps[i] ?? '');
      });
      const back = decodeEnvelope(typed);
      return back.setId === f.setId && back.index === f.index && back.payload.equals(f.payload);
    }),
    { numRuns: 200 },
  );
});

t.test('EVERY single-character substitution is detected, in the group where it was made (property)', async (t) => {
  holds(
    t,
    fc.property(fields({ min: 2, max: 40 }), (f) => {
      const plain = canonical(encodeEnvelope(f));
      for (let i = 0; i < plain.length; i++) {
        for (const replacement of ALPHABET) {
          if (replacement === plain[i]) continue;
          const typo = plain.slice(0, i) + replacement + plain.slice(i + 1);
          const error = refusal(typo);
          if (error.problem !== 'checksum' || !error.groups.includes(groupOf(i))) return false;
          if (checkShareTyping(typo).groups[groupOf(i) - 1]?.state !== 'invalid') return false;
        }
      }
      return true;
    }),
    { numRuns: 25 },
  );
});

t.test('EVERY adjacent transposition is detected, in the groups it touches (property)', async (t) => {
  holds(
    t,
    fc.property(fields(), (f) => {
      const plain = canonical(encodeEnvelope(f));
      for (let i = 0; i + 1 < plain.length; i++) {
        if (plain[i] === plain[i + 1]) continue; // swapping equal characters changes nothing
        const swapped = plain.slice(0, i) + plain[i + 1] + plain[i] + plain.slice(i + 2);
        const error = refusal(swapped);
        if (error.problem !== 'checksum' || !error.groups.includes(groupOf(i))) return false;
        if (groupOf(i + 1) !== groupOf(i) && !error.groups.includes(groupOf(i + 1))) return false;
      }
      return true;
    }),
    { numRuns: 200 },
  );
});

t.test('a substitution or swap chosen by fast-check anywhere in a dashed envelope is detected (property)', async (t) => {
  holds(
    t,
    fc.property(fields(), fc.nat(), fc.integer({ min: 1, max: 31 }), fc.boolean(), (f, at, shift, swap) => {
      const text = encodeEnvelope(f);
      const symbolPositions = [...text].flatMap((c, i) => (c === '-' ? [] : [i]));
      const i = symbolPositions[at % symbolPositions.length] as number;
      let typo: string;
      if (swap) {
        // swap with the next symbol (across a dash if there is one)
        const j = symbolPositions[(at % symbolPositions.length) + 1];
        if (j === undefined || text[i] === text[j]) return true;
        const chars = [...text];
        [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
        typo = chars.join('');
      } else {
        const replacement = ALPHABET[(ALPHABET.indexOf(text[i] as string) + shift) % 32] as string;
        typo = text.slice(0, i) + replacement + text.slice(i + 1);
      }
      return !decodes(typo);
    }),
    { numRuns: 2000 },
  );
});

t.test('characters outside the alphabet are refused, naming their group, never guessed', async (t) => {
  const payload = Buffer.alloc(34, 7);
  payload[0] = 1;
  const plain = canonical(encodeEnvelope({ setId: 'ABCDEFGH', threshold: 2, index: 1, payload }));
  for (const bad of ['U', 'u', '*', '#', '.', '_', 'Ö', 'ß', '零']) {
    const typo = plain.slice(0, 42) + bad + plain.slice(43);
    const error = await caught(() => decodeEnvelope(typo, { who: 'alice' }));
    t.equal(error.code, 'share.malformed', `${bad} is malformed`);
    t.equal(error.message, 'the share entered by alice has a character that is not a share character in group 9');
    t.match(error.hint, 'except I, L, O and U');
    t.same((error as ShareError).groups, [9]);
  }
});

t.test('length problems say how much is missing or extra', async (t) => {
  const payload = Buffer.alloc(34, 9);
  payload[0] = 2;
  const plain = canonical(encodeEnvelope({ setId: 'ABCDEFGH', threshold: 2, index: 2, payload }));
  const short = await caught(() => decodeEnvelope(plain.slice(0, 90)));
  t.equal(short.message, 'the share is 5 characters short: a share of this set has 19 groups');
  t.equal(short.code, 'share.malformed');
  const long = await caught(() => decodeEnvelope(`${plain}00000`));
  t.equal(long.message, 'the share is 5 characters too long: a share of this set has 19 groups');
  const tiny = await caught(() => decodeEnvelope(plain.slice(0, 12)));
  t.equal(tiny.message, 'the share is only 12 characters long, too short for a share');
  const empty = await caught(() => decodeEnvelope(' - '));
  t.equal(empty.message, 'the share is empty');
  // A character dropped in group 7 shifts every later group: the first wrong group is named.
  const dropped = await caught(() => decodeEnvelope(plain.slice(0, 32) + plain.slice(33)));
  t.equal(dropped.code, 'share.checksum');
  t.equal((dropped as ShareError).groups[0], 7);
  t.match(dropped.message, /^the share has mistakes in groups 7, 8, 9 and \d+ more and is 1 character short$/);
});

/** An envelope around arbitrary body bytes, with a correct checksum and check characters. */
function rawEnvelope(body: Buffer): string {
  return renderGroups([...base32crockford.encode(Buffer.concat([body, shareChecksum(body)]))].map((c) => ALPHABET.indexOf(c)));
}

/** A well-made body: set ABCDEFGH, version 1, threshold 2, index 1, 34-byte payload. */
function body(changes: Record<number, number> = {}): Buffer {
  const bytes = Buffer.concat([Buffer.from(base32crockford.decode('ABCDEFGH')), Buffer.of(1, 34, 2, 1, 1), Buffer.alloc(33, 0x5a)]);
  for (const [at, value] of Object.entries(changes)) bytes[Number(at)] = value;
  return bytes;
}

t.test('the raw envelope helper makes shares the decoder accepts', async (t) => {
  const decoded = decodeEnvelope(rawEnvelope(body()));
  t.equal(decoded.setId, 'ABCDEFGH');
  t.equal(decoded.index, 1);
});

t.test('a share in another format version is refused as such, while typing too', async (t) => {
  const v2 = rawEnvelope(body({ 5: 2 }));
  const error = await caught(() => decodeEnvelope(v2));
  t.equal(error.code, 'share.version');
  t.equal(error.message, 'the share is not a version 1 keyceremony share (its group 3 says format version 2)');
  const typing = checkShareTyping(v2);
  t.same(
    typing.groups.slice(0, 4).map((g) => g.state),
    ['valid', 'valid', 'invalid', 'valid'],
    'group 3 is marked',
  );
  t.equal(typing.problem, 'the share is not a version 1 keyceremony share (its group 3 says format version 2)');
  t.equal(typing.complete, false);
});

t.test('shares that pass their checksum but describe no possible share are refused', async (t) => {
  const tooShortPayload = rawEnvelope(Buffer.concat([body().subarray(0, 9), Buffer.of(1)]).fill(1, 6, 7));
  const short = await caught(() => decodeEnvelope(tooShortPayload));
  t.equal(short.code, 'share.malformed');
  t.equal(short.message, 'the share says its payload is 1 byte long, which no share is');
  t.equal(checkShareTyping(tooShortPayload).problem, 'group 3 does not describe a share');
  for (const [what, changes] of [
    ['threshold 1', { 7: 1 }],
    ['index 0', { 8: 0, 9: 0 }],
    ['index and payload share id differ', { 9: 2 }],
  ] as const) {
    const error = await caught(() => decodeEnvelope(rawEnvelope(body(changes)), { position: 2 }));
    t.equal(error.code, 'share.malformed', what);
    t.equal(error.message, 'the 2nd share given is not a valid share: its threshold, index and payload do not agree', what);
  }
});

t.test('several errors in one group that slip past its check character are caught by the checksum', async (t) => {
  const payload = Buffer.alloc(34, 0x3c);
  payload[0] = 4;
  const plain = canonical(encodeEnvelope({ setId: 'ABCDEFGH', threshold: 3, index: 4, payload }));
  // Find a two-character change in group 10 that keeps the group's check valid.
  const { groupIsValid } = await import('../../src/quorum/group-check.js');
  const start = 45;
  const group = [...plain.slice(start, start + 5)].map((c) => ALPHABET.indexOf(c));
  let found: string | undefined;
  for (let a = 0; a < 32 && !found; a++) {
    for (let b = 0; b < 32 && !found; b++) {
      const changed = [a, b, ...group.slice(2)];
      if ((a !== group[0] || b !== group[1]) && groupIsValid(9, changed)) found = changed.map((v) => ALPHABET[v]).join('');
    }
  }
  t.ok(found, 'a double error that the group check misses exists');
  const typo = plain.slice(0, start) + found + plain.slice(start + 5);
  const error = await caught(() => decodeEnvelope(typo));
  t.equal(error.code, 'share.checksum');
  t.equal(error.message, 'the share does not match its checksum although each group does');
  t.equal(
    error.hint,
    'a group may come from another share card, or have more than one character wrong; compare every group with the card, in order',
    'what to do',
  );
  const typing = checkShareTyping(typo);
  t.ok(typing.groups.every((g) => g.state === 'valid'));
  t.equal(typing.complete, false);
  t.equal(typing.problem, error.message);
  t.equal(typing.problemKind, 'checksum', 'the kind, for a screen to say it in its own language');
});
