// The DER reader refuses anything that is not DER; times use the RFC 5280 encodings.
import t from 'tap';
import {
  children,
  decodeOid,
  decodeTime,
  encodeTime,
  isMinimalInteger,
  readElement,
  readSingle,
  tlv,
  unsignedToIntegerContent,
  wholeSeconds,
} from '../../src/x509/der.js';
import { caught } from '../helpers/errors.js';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

t.test('reads elements and their children; lengths in short and long form', async (t) => {
  const value = Buffer.alloc(200, 0x41);
  const der = tlv(0x30, tlv(0x04, value), tlv(0x05));
  t.same(der.subarray(0, 4), hex('30 81 cd 04'));
  const outer = readSingle(der, 'test', 0x30);
  const [octets, nul] = children(outer, 'test');
  t.equal(octets!.end - octets!.contentStart, 200);
  t.equal(nul!.tag, 0x05);
});

t.test('not DER: each refused with a reason', async (t) => {
  const cases: Array<[string, string]> = [
    ['30 80 00 00', 'indefinite length'],
    ['30 81 05 00 00 00 00 00', 'length not in shortest form'],
    ['30 82 00 01 00', 'length not in shortest form'],
    ['30 05 00 00', 'element at byte 0 runs past its container'],
    ['1f 01 00', 'high tag number form'],
    ['30', 'truncated'],
    ['30 00 00', '1 bytes after the end'],
  ];
  for (const [bytes, reason] of cases) {
    const error = await caught(() => readSingle(hex(bytes), 'the thing'));
    t.match(error.message, `the thing is not valid DER: ${reason}`, bytes);
    t.equal(error.code, 'x509.der');
  }
  t.equal((await caught(() => readSingle(hex('31 00'), 'x', 0x30))).message, 'x is not valid DER: expected tag 0x30, found 0x31');
  t.equal((await caught(() => children(readElement(hex('04 00'), 0, 2, 'x'), 'x'))).message, 'x is not valid DER: element at byte 0 is not constructed');
});

t.test('times: UTCTime through 2049, GeneralizedTime from 2050, always Z and seconds', async (t) => {
  t.same(encodeTime(new Date('2044-01-23T15:59:59Z')), tlv(0x17, Buffer.from('440123155959Z')));
  t.same(encodeTime(new Date('2049-12-31T23:59:59Z')), tlv(0x17, Buffer.from('491231235959Z')));
  t.same(encodeTime(new Date('2050-01-01T00:00:00Z')), tlv(0x18, Buffer.from('20500101000000Z')));
  const read = (der: Buffer) => decodeTime(readSingle(der, 'time'), 'time').toISOString();
  t.equal(read(tlv(0x17, Buffer.from('500101000000Z'))), '1950-01-01T00:00:00.000Z', 'UTCTime 50..99 is 19xx');
  t.equal(read(tlv(0x17, Buffer.from('491231235959Z'))), '2049-12-31T23:59:59.000Z');
  t.equal(read(tlv(0x18, Buffer.from('20510101000000Z'))), '2051-01-01T00:00:00.000Z');
  for (const bad of [tlv(0x17, Buffer.from('4401231559Z')), tlv(0x17, Buffer.from('440123155959+0800')), tlv(0x18, Buffer.from('20500101000000.5Z'))]) {
    t.match(
      (await caught(() => decodeTime(readSingle(bad, 'time'), 'time'))).message,
      'is not a UTCTime or GeneralizedTime of the form RFC 5280 §4.1.2.5 requires',
    );
  }
  t.equal(wholeSeconds(new Date('2024-01-23T06:30:45.999Z')).toISOString(), '2024-01-23T06:30:45.000Z');
});

t.test('integers and OIDs', async (t) => {
  t.same(unsignedToIntegerContent(0n), hex('00'));
  t.same(unsignedToIntegerContent(127n), hex('7f'));
  t.same(unsignedToIntegerContent(128n), hex('00 80'));
  t.same(unsignedToIntegerContent(0x5a202d14b39787d0886c37184ac9b76an), hex('5A202D14B39787D0886C37184AC9B76A'));
  t.ok(isMinimalInteger(hex('00 80')));
  t.notOk(isMinimalInteger(hex('00 7f')));
  t.notOk(isMinimalInteger(hex('ff 80')));
  t.notOk(isMinimalInteger(Buffer.alloc(0)));
  t.equal(decodeOid(hex('60 86 76 65 00 03 03')), '2.16.886.101.0.3.3');
  t.equal(decodeOid(hex('2a 86 48 86 f7 0d 01 01 0b')), '1.2.840.113549.1.1.11');
  t.equal(decodeOid(hex('55 1d 13')), '2.5.29.19');
});
