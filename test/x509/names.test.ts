// Distinguished names: C as PrintableString, the rest UTF8String, in the order given;
// checked with openssl and against the names on MOICA-G3.
import t from 'tap';
import { InputError } from '../../src/errors.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { buildName, formatName, nameAttributesFrom, parseName, type NameAttributes } from '../../src/x509/names.js';
import { caught } from '../helpers/errors.js';
import { HCA_G3, asn1parse, moicaG3 } from '../helpers/x509.js';

t.test('C is a PrintableString, the Chinese O and CN are UTF8Strings, in order', async (t) => {
  const der = buildName(HCA_G3);
  const parsed = await asn1parse(der);
  const lines = parsed
    .split('\n')
    .filter((line) => /STRING|OBJECT/.test(line))
    .map((line) =>
      line
        .replace(/^.*(prim|cons): /, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  t.same(lines, [
    'OBJECT :countryName',
    'PRINTABLESTRING :TW',
    'OBJECT :organizationName',
    'UTF8STRING :行政院',
    'OBJECT :commonName',
    'UTF8STRING :醫事憑證管理中心 - G3',
  ]);
  t.same(parseName(der), [
    [{ oid: '2.5.4.6', type: 'C', value: 'TW', stringType: 'PrintableString' }],
    [{ oid: '2.5.4.10', type: 'O', value: '行政院', stringType: 'UTF8String' }],
    [{ oid: '2.5.4.3', type: 'CN', value: '醫事憑證管理中心 - G3', stringType: 'UTF8String' }],
  ]);
  t.equal(formatName(der), 'C=TW, O=行政院, CN=醫事憑證管理中心 - G3');
});

t.test('the names on MOICA-G3 are exactly what buildName writes', async (t) => {
  const moica = parseCertificate(moicaG3());
  const grcaG3: NameAttributes = [
    { type: 'C', value: 'TW' },
    { type: 'O', value: '行政院' },
    { type: 'CN', value: 'Government Root Certification Authority - G3' },
  ];
  const moicaName: NameAttributes = [
    { type: 'C', value: 'TW' },
    { type: 'O', value: '行政院' },
    { type: 'OU', value: '內政部憑證管理中心' },
  ];
  t.ok(buildName(grcaG3).equals(moica.issuer), 'the GRCA G3 issuer name, byte for byte');
  t.ok(buildName(moicaName).equals(moica.subject), 'the MOICA subject name, byte for byte');
});

t.test('serialNumber is a PrintableString; every attribute type has its OID', async (t) => {
  const der = buildName([
    { type: 'C', value: 'TW' },
    { type: 'ST', value: '臺北市' },
    { type: 'L', value: '中正區' },
    { type: 'O', value: '衛生福利部' },
    { type: 'OU', value: '資訊處' },
    { type: 'CN', value: 'Name, with comma' },
    { type: 'serialNumber', value: 'A123456789' },
  ]);
  const parsed = await asn1parse(der);
  t.match(parsed, /stateOrProvinceName\s*\n.*UTF8STRING\s+:臺北市/);
  t.match(parsed, /localityName\s*\n.*UTF8STRING\s+:中正區/);
  t.match(parsed, /organizationalUnitName\s*\n.*UTF8STRING\s+:資訊處/);
  t.match(parsed, /serialNumber\s*\n.*PRINTABLESTRING\s+:A123456789/);
  t.equal(formatName(der), 'C=TW, ST=臺北市, L=中正區, O=衛生福利部, OU=資訊處, CN=Name\\, with comma, serialNumber=A123456789');
});

t.test('mapping form, in key order', async (t) => {
  t.ok(buildName(nameAttributesFrom({ C: 'TW', O: '行政院', CN: '醫事憑證管理中心 - G3' })).equals(buildName(HCA_G3)));
  const unknown = await caught(() => nameAttributesFrom({ C: 'TW', E: 'x@example.org' }));
  t.equal(unknown.message, 'name attribute 2 has unknown type "E"');
});

t.test('bad attributes are refused with the attribute named', async (t) => {
  const cases: Array<[NameAttributes, string]> = [
    [[], 'a name needs at least one attribute'],
    [[{ type: 'C', value: 'tw' }], 'name attribute 1 (C) "tw" is not a two-letter upper-case ISO 3166 country code'],
    [[{ type: 'C', value: 'TWN' }], 'name attribute 1 (C) "TWN" is not a two-letter upper-case ISO 3166 country code'],
    [
      [
        { type: 'C', value: 'TW' },
        { type: 'O', value: '' },
      ],
      'name attribute 2 (O) is empty',
    ],
    [[{ type: 'CN', value: ' 醫事憑證管理中心' }], 'name attribute 1 (CN) " 醫事憑證管理中心" has leading or trailing spaces'],
    [[{ type: 'CN', value: 'Cafe\u0301' }], 'name attribute 1 (CN) "Cafe\u0301" is not in Unicode NFC form'],
    [[{ type: 'serialNumber', value: 'A1@' }], 'name attribute 1 (serialNumber) "A1@" has characters a PrintableString cannot hold'],
    [[{ type: 'CN', value: 'x'.repeat(65) }], 'name attribute 1 (CN) is 65 characters, more than the 64 RFC 5280 Appendix A allows (X.520 upper bound)'],
    [[{ type: 'E' as 'CN', value: 'x' }], 'name attribute 1 (E) is not an attribute keyceremony writes'],
  ];
  for (const [attributes, message] of cases) {
    const error = await caught(() => buildName(attributes));
    t.type(error, InputError);
    t.equal(error.message, message);
    t.equal(error.code, 'x509.name');
    t.ok(error.hint);
  }
  t.ok(buildName([{ type: 'CN', value: '醫'.repeat(64) }]), '64 characters of CJK are fine (characters, not bytes)');
});

t.test('PEM or DER input files', async (t) => {
  const { derFromDerOrPem, toPem } = await import('../../src/x509/pem.js');
  const der = moicaG3();
  const pemText = toPem('CERTIFICATE', der);
  t.match(pemText, /^-----BEGIN CERTIFICATE-----\nMIIGZzCCBE\+gAwIBAgIQWiAtFLOXh9CIbDcYSsm3ajANBgkqhkiG9w0BAQsFADBY\n/);
  t.ok(derFromDerOrPem(Buffer.from(pemText), 'CERTIFICATE', 'moica.pem').equals(der));
  t.ok(derFromDerOrPem(der, 'CERTIFICATE', 'moica.cer').equals(der));
  const wrong = await caught(() => derFromDerOrPem(Buffer.from(pemText), 'CERTIFICATE REQUEST', 'moica.pem'));
  t.equal(wrong.message, 'moica.pem is neither DER nor a single PEM CERTIFICATE REQUEST block');
  t.equal(wrong.exitCode, 2);
  t.equal((await caught(() => derFromDerOrPem(Buffer.from(pemText + pemText), 'CERTIFICATE', 'two.pem'))).code, 'x509.pem');
});
