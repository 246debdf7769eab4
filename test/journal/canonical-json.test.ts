import t from 'tap';
import { canonicalJson } from '../../src/journal/canonical-json.js';

t.test('RFC 8785 examples', async (t) => {
  // RFC 8785 section 3.2.3 (its input, parsed; the output is byte for byte the RFC's).
  const input = JSON.parse(
    '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
  ) as unknown;
  t.equal(
    canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
  // RFC 8785 section 3.2.3 sorting example: keys in UTF-16 code unit order.
  const sorting = {
    '\u20ac': 'Euro Sign',
    '\r': 'Carriage Return',
    '\ufb33': 'Hebrew Letter Dalet With Dagesh',
    '1': 'One',
    '\ud83d\ude00': 'Emoji: Grinning Face',
    '\u0080': 'Control',
    '\u00f6': 'Latin Small Letter O With Diaeresis',
  };
  t.equal(
    canonicalJson(sorting),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
  t.equal(canonicalJson({ b: [1, { d: 2, c: 3 }], a: '醫事憑證管理中心', z: -0 }), '{"a":"醫事憑證管理中心","b":[1,{"c":3,"d":2}],"z":0}');
  t.equal(canonicalJson({ kept: 1, dropped: undefined }), '{"kept":1}', 'an undefined member is left out, as JSON.stringify does');
});

t.test('anything that is not plain JSON is refused, naming where it is', async (t) => {
  t.throws(() => canonicalJson({ a: { when: new Date(0) } }), { name: 'TypeError', message: 'canonical JSON: $.a.when is a Date, not a plain object' });
  t.throws(() => canonicalJson({ m: new Map([['k', 1]]) }), { message: 'canonical JSON: $.m is a Map, not a plain object' });
  t.throws(() => canonicalJson({ list: [1, Number.NaN] }), { message: 'canonical JSON: $.list[1] is NaN, which JSON cannot represent' });
  t.throws(() => canonicalJson({ n: Number.POSITIVE_INFINITY }), { message: 'canonical JSON: $.n is Infinity, which JSON cannot represent' });
  t.throws(() => canonicalJson({ big: 10n }), { message: 'canonical JSON: $.big is a bigint, which JSON cannot represent' });
  t.throws(() => canonicalJson({ f: () => 1 }), { message: 'canonical JSON: $.f is a function, which JSON cannot represent' });
  t.throws(() => canonicalJson([undefined]), { message: 'canonical JSON: $[0] is undefined, which JSON cannot represent' });
  t.throws(() => canonicalJson({ b: Buffer.from('x') }), { message: 'canonical JSON: $.b is a Buffer, not a plain object' });
  t.throws(() => canonicalJson({ s: 'lone \ud800 surrogate' }), { name: 'TypeError', message: /lone surrogate/ });
  t.equal(canonicalJson(Object.assign(Object.create(null) as object, { x: 1 })), '{"x":1}', 'a null-prototype object is plain');
});
