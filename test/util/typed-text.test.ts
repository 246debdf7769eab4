// Issue 14, findings 8, 10 and 11, at the level of the functions: strict UTF-8 with the
// position of the first bad byte, control characters found and escaped, and the key that
// tells when two names are one person's (NFKC, case folding, TR 39 skeleton).
import t from 'tap';
import { InputError } from '../../src/errors.js';
import { controlCharacterProblem, escapeControlCharacters, firstControlCharacter } from '../../src/util/control-characters.js';
import { sameNameKey } from '../../src/util/same-name.js';
import { decodeUtf8, firstInvalidByte } from '../../src/util/utf8.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

t.test('UTF-8: valid text decodes as it is, a byte-order mark included', async (t) => {
  t.equal(decodeUtf8(bytes('ceremony: 醫事憑證 - G3\n'), 'f.yaml', 'definition'), 'ceremony: 醫事憑證 - G3\n');
  t.equal(
    decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'a: 1'), 'f.yaml', 'definition'),
    '\ufeffa: 1',
    'the BOM is kept, as readFileSync kept it: the text hashed is the file',
  );
});

t.test('UTF-8: every kind of bad sequence is found at its first byte', async (t) => {
  const cases: Array<[string, Buffer, number]> = [
    ['a lone continuation byte', bytes('ab', [0x80]), 2],
    ['a byte that never starts a sequence', bytes('a', [0xff]), 1],
    ['an overlong form of /', bytes('x', [0xc0, 0xaf]), 1],
    ['an overlong three-byte form', bytes([0xe0, 0x80, 0xaf]), 0],
    ['a UTF-16 surrogate', bytes('ok', [0xed, 0xa0, 0x80]), 2],
    ['past U+10FFFF', bytes([0xf4, 0x90, 0x80, 0x80]), 0],
    ['a sequence cut short by a newline', bytes('caf', [0xe9], '\n'), 3],
    ['a sequence cut short by the end', bytes('醫', [0xe4, 0xba]), 3],
  ];
  for (const [what, input, at] of cases) t.equal(firstInvalidByte(input), at, what);
  t.equal(firstInvalidByte(bytes('醫事 ok')), bytes('醫事 ok').length, 'valid: the end');
});

t.test('UTF-8: the refusal names file:line:col (columns in characters) and the byte', async (t) => {
  const text = bytes('ceremony: hca\ntitle:\n  en: 醫事', [0xff], ' G3\n');
  try {
    decodeUtf8(text, 'hca.yaml', 'definition');
    t.fail('not refused');
  } catch (error) {
    t.ok(error instanceof InputError);
    t.equal((error as InputError).message, 'hca.yaml:3:9: not valid UTF-8 (byte 0xff)');
    t.equal((error as InputError).hint, 'save the definition file as UTF-8');
  }
  t.throws(() => decodeUtf8(bytes([0xfe], 'a'), 'x.yaml', 'answers'), { message: 'x.yaml:1:1: not valid UTF-8 (byte 0xfe)' });
});

t.test('control characters: C0, DEL, C1 and the bidi controls are found; ordinary text is not', async (t) => {
  t.same(firstControlCharacter('SOFT\bHSM'), { name: 'U+0008', position: 5 });
  t.same(firstControlCharacter('醫事\u001bc'), { name: 'U+001B', position: 3 }, 'positions count characters');
  for (const char of ['\u0000', '\t', '\n', '\r', '\u007f', '\u0085', '\u009b', '\u202a', '\u202e', '\u2066', '\u2069'])
    t.ok(firstControlCharacter(`a${char}b`), `U+${char.codePointAt(0)!.toString(16)}`);
  for (const text of ['王大明 Wang Ta-ming', 'TB100002', 'none / 無', 'Ｗａｎｇ', '\u200b', 'é', '\u202f'])
    t.equal(firstControlCharacter(text), undefined, JSON.stringify(text));
  t.equal(controlCharacterProblem('x\u202ey'), 'contains a control character (U+202E at character 2)');
  t.equal(controlCharacterProblem('fine'), undefined);
});

t.test('control characters are shown escaped, never as they are', async (t) => {
  t.equal(escapeControlCharacters('a\u001bcb\bd\u202e'), 'a\\u001bcb\\u0008d\\u202e');
  t.equal(escapeControlCharacters('line one\nline\ttwo', { keepNewlines: true }), 'line one\nline\\u0009two');
  t.equal(escapeControlCharacters('line one\nline two'), 'line one\\u000aline two');
});

t.test('same person: width, case, invisible characters and look-alike letters do not make two people', async (t) => {
  const same: Array<[string, string]> = [
    ['hc1', 'ｈｃ１'],
    ['Carol', 'Саrol'], // Cyrillic С and а
    ['Carol Lin', 'CAROL LIN'],
    ['王大明 Wang Ta-ming', '王大明  ＷＡＮＧ Ta-ming '],
    ['Carol', 'Caro\u200bl'],
    ['Straße', 'STRASSE'],
    ['hc1', 'hcl'], // digit one and letter l
    ['bob', 'b0b'], // digit zero and letter o
    ['Alice', 'Αlice'], // Greek Alpha
    ['Lin Hsiu-ying', 'Iin Hsiu-ying'], // capital I and small l (TR 39 maps I to l before folding)
    ['Lin Hsiu-ying', '\u04CFin Hsiu-ying'], // Cyrillic small palochka
    ['Lin Hsiu-ying', '\u04C0in Hsiu-ying'], // Cyrillic capital palochka
  ];
  for (const [a, b] of same) t.equal(sameNameKey(a), sameNameKey(b), `${a} / ${b}`);
  const different: Array<[string, string]> = [
    ['hc1', 'hc2'],
    ['wang', 'lin'],
    ['王大明', '王小明'],
    ['張淑芬 Chang Shu-fen', '黃美玲 Huang Mei-ling'],
    ['Carol', 'Caroline'],
    ['Lin', 'Lim'],
  ];
  for (const [a, b] of different) t.not(sameNameKey(a), sameNameKey(b), `${a} / ${b}`);
});
