// Text files are UTF-8, strictly. Node's `readFileSync(file, 'utf8')` turns a bad byte into
// U+FFFD without a word, so a definition with damaged bytes would pass review looking
// different from what is hashed and journaled. A fatal TextDecoder refuses it instead, and
// the message says where the first bad byte is, as file:line:col.
import { InputError } from '../errors.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a UTF-8 file; invalid UTF-8 is refused naming `file:line:col` of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, file: string, kind: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
    const line = countNewlines(bytes, lineStart) + 1;
    // Columns count characters, like the YAML parser's positions.
    const col = [...strict.decode(bytes.subarray(lineStart, offset))].length + 1;
    throw new InputError(`${file}:${line}:${col}: not valid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')})`, {
      hint: `save the ${kind} file as UTF-8`,
      code: 'file.encoding',
      details: { file, line },
    });
  }
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) count++;
  return count;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    let codePoint = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (codePoint < min || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) return i;
    i += length;
  }
  return bytes.length;
}
