// The share envelope: what a custodian carries on paper and types at the ceremony.
//
//   bytes 0..4      share set id (40 random bits = the 8 characters of the manifest's setId)
//   byte 5          format version (1)
//   byte 6          payload length P in bytes
//   byte 7          threshold (2..255)
//   byte 8          index (1..255)
//   bytes 9..8+P    payload: the secrets.js-grempe share string without its leading bits
//                   digit ("8", implied by version 1), as bytes: share id, then share data
//   last 4 bytes    checksum (checksum.ts) over all the bytes before it
//
// The bytes are written in Crockford base32 (@scure/base) and cut into groups of four
// symbols, each followed by its check character (group-check.ts). The set id comes first
// and fills exactly eight symbols, so groups 1 and 2 of every share show the set id as the
// manifest writes it (set `PEAJ8G4X` -> `PEAJP-8G4XV-…`): a custodian can match share and manifest
// by eye, and a share of another set is recognised after two groups. Group 3 holds the
// version and the length, so from then on the entry screen knows how many groups to expect.
// Every later version keeps the set id, version and length where they are.
import { base32crockford } from '@scure/base';
import { CHECKSUM_BYTES, checksumMatches, shareChecksum } from './checksum.js';
import { DATA_SYMBOLS_PER_GROUP, GROUP_LENGTH } from './group-check.js';
import { allocSecret, copySecret, wipe } from './secret-buffer.js';
import { ShareError, listWords, plural, unreadShareName, type ShareRef } from './share-error.js';
import { ALPHABET, cutIntoGroups, dataSymbols, normaliseShareText, renderGroups, typedGroupIsValid, typedLength, type TypedSymbol } from './share-text.js';

export const ENVELOPE_VERSION = 1;
export const SET_ID_BYTES = 5;
export const HEADER_BYTES = 9;
export const MIN_PAYLOAD_BYTES = 2;
export const MAX_PAYLOAD_BYTES = 255;

/** What an envelope says. `payload` is secret: a plain secrets.js-grempe share minus its bits digit. */
export interface EnvelopeFields {
  /** 8 Crockford base32 characters. */
  setId: string;
  threshold: number;
  index: number;
  payload: Buffer;
}

export interface DecodedEnvelope extends EnvelopeFields {
  version: number;
  /** Header and payload: what the checksum and the manifest's commitment cover. Secret. */
  body: Buffer;
}

export const SET_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;

export function setIdBytes(setId: string): Uint8Array {
  if (!SET_ID_PATTERN.test(setId)) throw new RangeError('a share set id is 8 Crockford base32 characters');
  return base32crockford.decode(setId);
}

/** Header and payload, as the checksum and the commitment see them. */
export function envelopeBody(fields: EnvelopeFields): Buffer {
  const { setId, threshold, index, payload } = fields;
  if (payload.length < MIN_PAYLOAD_BYTES || payload.length > MAX_PAYLOAD_BYTES) throw new RangeError('payload length out of range');
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > 255) throw new RangeError('threshold out of range');
  if (!Number.isInteger(index) || index < 1 || index > 255 || payload[0] !== index) throw new RangeError('index out of range or not the payload share id');
  const body = allocSecret(HEADER_BYTES + payload.length);
  body.set(setIdBytes(setId), 0);
  body[5] = ENVELOPE_VERSION;
  body[6] = payload.length;
  body[7] = threshold;
  body[8] = index;
  body.set(payload, HEADER_BYTES);
  return body;
}

/** The typed form of a share (groups joined by dashes). */
export function encodeEnvelope(fields: EnvelopeFields): string {
  const body = envelopeBody(fields);
  const bytes = allocSecret(body.length + CHECKSUM_BYTES);
  bytes.set(body);
  bytes.set(shareChecksum(body), body.length);
  try {
    return renderGroups(Array.from(base32crockford.encode(bytes), (char) => ALPHABET.indexOf(char)));
  } finally {
    wipe(body);
    wipe(bytes);
  }
}

/** How many characters (check characters included) a share with a P-byte payload has. */
export function expectedShareLength(payloadLength: number): number {
  const bytes = HEADER_BYTES + payloadLength + CHECKSUM_BYTES;
  return typedLength(Math.ceil((bytes * 8) / 5));
}

/** Groups 1 and 2 (their data symbols) hold the set id, exactly. */
export const SET_ID_GROUPS = 2;

/** Groups 1 to 3 (their data symbols) hold the set id, the version and the payload length. */
export const LEADING_GROUPS = 3;
/** The set id is eight symbols: all of groups 1 and 2's data symbols. */
export const SET_ID_SYMBOLS = 8;

/** The set id from the first eight data symbols (groups 1 and 2). */
export function readSetId(symbols: readonly number[]): string {
  return symbols
    .slice(0, SET_ID_SYMBOLS)
    .map((v) => ALPHABET[v])
    .join('');
}

/** Set id, version and payload length from the first twelve data symbols (groups 1 to 3). */
export function readLeadingHeader(symbols: readonly number[]): { setId: string; version: number; payloadLength: number } {
  const setId = readSetId(symbols);
  let bits = 0;
  for (const symbol of symbols.slice(SET_ID_SYMBOLS, SET_ID_SYMBOLS + DATA_SYMBOLS_PER_GROUP)) bits = (bits << 5) | symbol;
  return { setId, version: (bits >>> 12) & 0xff, payloadLength: (bits >>> 4) & 0xff };
}

/** Groups 1 to 4 hold the whole header: set id, version, length, threshold and index. */
export const HEADER_GROUPS = 4;

/** Threshold and index from the first sixteen data symbols (groups 1 to 4). */
export function readHeaderShape(symbols: readonly number[]): { threshold: number; index: number } {
  // Data symbols 8 to 15 are bits 40 to 79 of the envelope: version, length, threshold, index, payload[0].
  let bits = 0n;
  for (const symbol of symbols.slice(SET_ID_SYMBOLS, SET_ID_SYMBOLS + 2 * DATA_SYMBOLS_PER_GROUP)) bits = (bits << 5n) | BigInt(symbol);
  return { threshold: Number((bits >> 16n) & 0xffn), index: Number((bits >> 8n) & 0xffn) };
}

/** Where the typed text stands against the expected layout; no secret in it. */
interface Layout {
  groups: TypedSymbol[][];
  /** 1-based numbers of complete groups whose check character does not match. */
  wrongGroups: number[];
  /** typed length minus expected length (negative: characters missing). */
  lengthDifference: number;
}

function layout(typed: TypedSymbol[], expected: number): Layout {
  const groups = cutIntoGroups(typed);
  const lastExpected = Math.ceil(expected / GROUP_LENGTH) - 1;
  const lastLength = expected - lastExpected * GROUP_LENGTH;
  const wrongGroups: number[] = [];
  groups.forEach((group, i) => {
    const full = i < lastExpected ? group.length === GROUP_LENGTH : i === lastExpected && group.length >= lastLength;
    const symbols = i === lastExpected ? group.slice(0, lastLength) : group;
    // Groups past the expected end are reported as a length problem, not as mistakes.
    if (i <= lastExpected && full && !typedGroupIsValid(i, symbols)) wrongGroups.push(i + 1);
  });
  return { groups: cutIntoGroups(typed.slice(0, expected)), wrongGroups, lengthDifference: typed.length - expected };
}

/** "7, 9 and 12"; long runs (a missing character shifts every later group) are cut short. */
function groupList(groups: readonly number[]): string {
  return groups.length <= 4 ? listWords(groups) : `${groups.slice(0, 3).join(', ')} and ${groups.length - 3} more`;
}

function lengthWords(difference: number): string {
  return difference < 0 ? `${plural(-difference, 'character')} short` : `${plural(difference, 'character')} too long`;
}

const REREAD_HINT = 'read the share again from the paper; one wrong, missing, extra or swapped character changes a group';

function mistakesError(name: string, wrongGroups: readonly number[], lengthDifference: number): ShareError {
  const where = wrongGroups.length === 1 ? `a mistake in group ${wrongGroups[0]}` : `mistakes in groups ${groupList(wrongGroups)}`;
  const length = lengthDifference === 0 ? '' : ` and is ${lengthWords(lengthDifference)}`;
  const before = wrongGroups[0] === 1 ? '' : `; the groups before group ${wrongGroups[0]} are right`;
  return new ShareError('checksum', `${name} has ${where}${length}`, { hint: `${REREAD_HINT}${before}`, groups: wrongGroups });
}

/**
 * Reads a typed share. Throws a ShareError (never containing share text) that names the
 * share (`ref`) and, where it can, the group that is wrong.
 */
export function decodeEnvelope(text: string, ref: ShareRef = {}): DecodedEnvelope {
  const name = unreadShareName(ref);
  const typed = normaliseShareText(text);
  if (typed.length === 0) throw new ShareError('malformed', `${name} is empty`, { hint: 'type the share from the paper, group by group' });

  const foreignGroups = [...new Set(typed.flatMap((s, i) => (s.value < 0 ? [Math.floor(i / GROUP_LENGTH) + 1] : [])))];
  if (foreignGroups.length > 0) {
    throw new ShareError(
      'malformed',
      `${name} has a character that is not a share character in ${foreignGroups.length === 1 ? 'group' : 'groups'} ${listWords(foreignGroups)}`,
      {
        hint: 'shares use the digits 0-9 and the letters A-Z except I, L, O and U (O is read as 0, I and L as 1); spaces and dashes are ignored',
        groups: foreignGroups,
      },
    );
  }
  const leadingLength = LEADING_GROUPS * GROUP_LENGTH;
  const leading = cutIntoGroups(typed.slice(0, leadingLength));
  const wrongLeading = leading.flatMap((group, i) => (group.length === GROUP_LENGTH && !typedGroupIsValid(i, group) ? [i + 1] : []));
  if (wrongLeading.length > 0) {
    // Without groups 1 to 3 the length is unknown: check every complete group as five characters.
    const wrong = cutIntoGroups(typed).flatMap((group, i) => (group.length === GROUP_LENGTH && !typedGroupIsValid(i, group) ? [i + 1] : []));
    throw mistakesError(name, wrong, 0);
  }
  if (typed.length < leadingLength) {
    throw new ShareError('malformed', `${name} is only ${plural(typed.length, 'character')} long, too short for a share`, { hint: REREAD_HINT });
  }
  const { version, payloadLength } = readLeadingHeader(dataSymbols(leading));
  if (version !== ENVELOPE_VERSION) {
    throw new ShareError('version', `${name} is not a version ${ENVELOPE_VERSION} keyceremony share (its group 3 says format version ${version})`, {
      hint: 'check that this is a keyceremony share; a share made by a newer keyceremony needs that release to read it',
    });
  }
  if (payloadLength < MIN_PAYLOAD_BYTES)
    throw new ShareError('malformed', `${name} says its payload is ${plural(payloadLength, 'byte')} long, which no share is`, { hint: REREAD_HINT });

  const expected = expectedShareLength(payloadLength);
  const { groups, wrongGroups, lengthDifference } = layout(typed, expected);
  const expectedGroups = Math.ceil(expected / GROUP_LENGTH);
  if (wrongGroups.length > 0) throw mistakesError(name, wrongGroups, lengthDifference);
  if (lengthDifference !== 0) {
    throw new ShareError('malformed', `${name} is ${lengthWords(lengthDifference)}: a share of this set has ${expectedGroups} groups`, {
      hint: lengthDifference < 0 ? 'type the remaining groups from the paper' : `remove what was typed after group ${expectedGroups}`,
    });
  }

  const symbols = dataSymbols(groups);
  let bytes: Uint8Array;
  try {
    bytes = base32crockford.decode(symbols.map((v) => ALPHABET[v]).join(''));
  } catch {
    // Only unused padding bits can fail here, and only if several characters are wrong.
    bytes = new Uint8Array(0);
  } finally {
    symbols.fill(0);
  }
  try {
    const bodyLength = HEADER_BYTES + payloadLength;
    if (bytes.length !== bodyLength + CHECKSUM_BYTES || !checksumMatches(bytes.subarray(0, bodyLength), bytes.subarray(bodyLength))) {
      throw new ShareError('checksum', `${name} does not match its checksum although each group does`, {
        // Each group checks: a group read from another card (its place on that card), or one with
        // several characters wrong (review at 80x24: the bare words said nothing to do).
        hint: 'a group may come from another share card, or have more than one character wrong; compare every group with the card, in order',
      });
    }
    const body = copySecret(bytes.subarray(0, bodyLength));
    const threshold = body[7] as number;
    const index = body[8] as number;
    const payload = copySecret(body.subarray(HEADER_BYTES));
    if (threshold < 2 || index < 1 || payload[0] !== index) {
      wipe(body);
      wipe(payload);
      throw new ShareError('malformed', `${name} is not a valid share: its threshold, index and payload do not agree`, {
        hint: 'the share passed its checksum, so it was made wrongly; report it to the security officer',
      });
    }
    return { version, setId: base32crockford.encode(body.subarray(0, SET_ID_BYTES)), threshold, index, payload, body };
  } finally {
    wipe(bytes);
  }
}
