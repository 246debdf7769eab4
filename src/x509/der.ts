// A small, strict DER reader and writer for the places where exact bytes matter: copying
// a name from an issuer certificate or a CSR byte for byte, splicing a TBSCertificate
// together in a fixed field order, and checking that two TBS encodings are identical.
// Structured values (extensions, names) are encoded with @peculiar/asn1-x509; this file
// only cuts and joins tag-length-value elements, and refuses anything that is not DER.
import { KeyceremonyError } from '../errors.js';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utf8String: 0x0c,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** `[n]` EXPLICIT, constructed context-specific tag. */
export const contextTag = (n: number): number => 0xa0 | n;

export interface DerElement {
  /** The identifier octet (only low tag numbers occur in X.509). */
  tag: number;
  /** Offset of the identifier octet in `source`. */
  start: number;
  contentStart: number;
  /** Offset just after the content. */
  end: number;
  source: Buffer;
}

export function derError(what: string, message: string): KeyceremonyError {
  return new KeyceremonyError(`${what} is not valid DER: ${message}`, {
    code: 'x509.der',
    hint: 'the file may be damaged, truncated or PEM instead of DER; check its SHA-256 against the journal',
  });
}

/** The element's full encoding (identifier, length and content). */
export function raw(element: DerElement): Buffer {
  return element.source.subarray(element.start, element.end);
}

export function content(element: DerElement): Buffer {
  return element.source.subarray(element.contentStart, element.end);
}

/** Reads one element at `offset`, never past `limit`. Definite, minimal lengths only. */
export function readElement(source: Buffer, offset: number, limit: number, what: string): DerElement {
  if (offset + 2 > limit) throw derError(what, `truncated at byte ${offset}`);
  const tag = source[offset]!;
  if ((tag & 0x1f) === 0x1f) throw derError(what, `high tag number form at byte ${offset}`);
  const first = source[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw derError(what, `indefinite length at byte ${offset}`);
    if (count > 4) throw derError(what, `length of ${count} octets at byte ${offset}`);
    if (offset + 2 + count > limit) throw derError(what, `truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + source[offset + 2 + i]!;
    // DER: the shortest form, so no leading zero octet and no long form below 128.
    if (source[offset + 2] === 0 || length < 0x80) throw derError(what, `length not in shortest form at byte ${offset}`);
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) throw derError(what, `element at byte ${offset} runs past its container`);
  return { tag, start: offset, contentStart, end, source };
}

/** Parses a buffer that must hold exactly one element, with nothing after it. */
export function readSingle(source: Buffer, what: string, expectedTag?: number): DerElement {
  const element = readElement(source, 0, source.length, what);
  if (element.end !== source.length) throw derError(what, `${source.length - element.end} bytes after the end`);
  if (expectedTag !== undefined && element.tag !== expectedTag) {
    throw derError(what, `expected tag 0x${expectedTag.toString(16)}, found 0x${element.tag.toString(16)}`);
  }
  return element;
}

/** The elements inside a constructed element, in order. */
export function children(parent: DerElement, what: string): DerElement[] {
  if ((parent.tag & 0x20) === 0) throw derError(what, `element at byte ${parent.start} is not constructed`);
  const out: DerElement[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const element = readElement(parent.source, offset, parent.end, what);
    out.push(element);
    offset = element.end;
  }
  return out;
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export const sequence = (...parts: Uint8Array[]): Buffer => tlv(TAG.sequence, ...parts);

/** INTEGER from its content octets, which must already be minimal two's complement. */
export function integerFromContent(octets: Buffer): Buffer {
  return tlv(TAG.integer, octets);
}

/** Minimal two's complement content octets of a non-negative integer. */
export function unsignedToIntegerContent(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('negative value');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** True when INTEGER content octets are in minimal form (X.690 §8.3.2). */
export function isMinimalInteger(octets: Buffer): boolean {
  if (octets.length === 0) return false;
  if (octets.length === 1) return true;
  const [a, b] = [octets[0]!, octets[1]!];
  return !((a === 0x00 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) !== 0));
}

export function decodeOid(octets: Buffer): string {
  const parts: bigint[] = [];
  let value = 0n;
  for (const byte of octets) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0n;
    }
  }
  const first = parts.shift() ?? 0n;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...parts].join('.');
}

/**
 * UTCTime for dates through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5),
 * always in Zulu time with seconds and no fraction.
 */
export function encodeTime(date: Date): Buffer {
  const iso = date.toISOString();
  const year = date.getUTCFullYear();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  return year < 2050 ? tlv(TAG.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'ascii')) : tlv(TAG.generalizedTime, Buffer.from(`${digits}Z`, 'ascii'));
}

/** Reads a UTCTime or GeneralizedTime in the one form RFC 5280 allows (Z, seconds, no fraction). */
export function decodeTime(element: DerElement, what: string): Date {
  const text = content(element).toString('ascii');
  let match: RegExpExecArray | null;
  let year: number;
  if (element.tag === TAG.utcTime && (match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (element.tag === TAG.generalizedTime && (match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    year = Number(match[1]);
  } else {
    throw derError(what, `time "${text}" is not a UTCTime or GeneralizedTime of the form RFC 5280 §4.1.2.5 requires`);
  }
  const [, , month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** Time rounded down to whole seconds: certificates carry no fractions of a second. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
