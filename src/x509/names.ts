// Distinguished names. buildName writes a DN from an ordered attribute list, one attribute
// per RDN, in the order given: countryName and serialNumber as PrintableString (X.520 and
// RFC 5280 Appendix A allow nothing else), every other attribute as UTF8String (RFC 5280
// §4.1.2.6), which is how 行政院 and 醫事憑證管理中心 appear on the GRCA-issued certificates.
// Issued certificates never rebuild a name: they copy the DER bytes (see issue.ts).
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { InputError } from '../errors.js';
import { TAG, children, content, decodeOid, readSingle, type DerElement } from './der.js';

interface AttributeRule {
  oid: string;
  /** X.520 upper bound, in characters. */
  maxLength: number;
  printable: boolean;
}

export const NAME_ATTRIBUTES = {
  C: { oid: '2.5.4.6', maxLength: 2, printable: true },
  ST: { oid: '2.5.4.8', maxLength: 128, printable: false },
  L: { oid: '2.5.4.7', maxLength: 128, printable: false },
  O: { oid: '2.5.4.10', maxLength: 64, printable: false },
  OU: { oid: '2.5.4.11', maxLength: 64, printable: false },
  CN: { oid: '2.5.4.3', maxLength: 64, printable: false },
  serialNumber: { oid: '2.5.4.5', maxLength: 64, printable: true },
} as const satisfies Record<string, AttributeRule>;

export type NameAttributeType = keyof typeof NAME_ATTRIBUTES;
export interface NameAttribute {
  type: NameAttributeType;
  value: string;
}
/** An ordered list, most significant first: C, O, then CN for the HCA. */
export type NameAttributes = readonly NameAttribute[];

const SHORT_NAMES = new Map<string, string>(Object.entries(NAME_ATTRIBUTES).map(([type, rule]) => [rule.oid, type]));

/** The PrintableString alphabet (X.680 §41.4). */
export const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** What is wrong with one attribute of a name keyceremony writes, with a hint, or undefined. */
export function attributeProblem(attribute: NameAttribute): { message: string; hint: string } | undefined {
  const rule = (NAME_ATTRIBUTES as Record<string, AttributeRule>)[attribute.type];
  const problem = (message: string, hint: string) => ({ message, hint });
  if (!rule) return problem('is not an attribute keyceremony writes', `use one of ${Object.keys(NAME_ATTRIBUTES).join(', ')}`);
  const value = attribute.value;
  if (typeof value !== 'string' || value.length === 0) return problem('is empty', 'every attribute needs a value; leave out attributes you do not want');
  if (value.trim() !== value) return problem(`"${value}" has leading or trailing spaces`, 'remove the spaces; they would become part of the name');
  if (value.normalize('NFC') !== value)
    return problem(`"${value}" is not in Unicode NFC form`, 'retype the value; the same text must always give the same bytes');
  if (attribute.type === 'C' && !/^[A-Z]{2}$/.test(value))
    return problem(`"${value}" is not a two-letter upper-case ISO 3166 country code`, 'for Taiwan write TW');
  if (rule.printable && !PRINTABLE.test(value))
    return problem(`"${value}" has characters a PrintableString cannot hold`, "use letters, digits, spaces and ' ( ) + , - . / : = ? only");
  const length = [...value].length;
  if (length > rule.maxLength)
    return problem(`is ${length} characters, more than the ${rule.maxLength} RFC 5280 Appendix A allows (X.520 upper bound)`, 'shorten the value');
  return undefined;
}

/**
 * Everything wrong with a name before it is built: unknown or empty attributes, spaces,
 * non-NFC text, PrintableString alphabet, and the RFC 5280 Appendix A upper bounds. For
 * checks before a ceremony starts (a definition's subject), without throwing.
 */
export function nameProblems(attributes: NameAttributes): string[] {
  if (attributes.length === 0) return ['a name needs at least one attribute'];
  return attributes.flatMap((attribute, index) => {
    const problem = attributeProblem(attribute);
    return problem ? [`name attribute ${index + 1} (${attribute.type}) ${problem.message}`] : [];
  });
}

function checkAttribute(attribute: NameAttribute, index: number): void {
  const problem = attributeProblem(attribute);
  if (problem) throw new InputError(`name attribute ${index + 1} (${attribute.type}) ${problem.message}`, { code: 'x509.name', hint: problem.hint });
}

/** A DER Name with one attribute per RDN, in the order given. */
export function buildName(attributes: NameAttributes): Buffer {
  if (attributes.length === 0) throw new InputError('a name needs at least one attribute', { code: 'x509.name', hint: 'a CA name is at least C, O and CN' });
  attributes.forEach(checkAttribute);
  const name = new Name(
    attributes.map(({ type, value }) => {
      const rule = NAME_ATTRIBUTES[type];
      const typed = rule.printable ? new AttributeValue({ printableString: value }) : new AttributeValue({ utf8String: value });
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type: rule.oid, value: typed })]);
    }),
  );
  return Buffer.from(AsnConvert.serialize(name));
}

/** Accepts the mapping form a ceremony definition uses (`{ C: TW, O: 行政院, CN: … }`), in its key order. */
export function nameAttributesFrom(mapping: Readonly<Record<string, string>>): NameAttribute[] {
  return Object.entries(mapping).map(([type, value], index) => {
    if (!(type in NAME_ATTRIBUTES)) {
      throw new InputError(`name attribute ${index + 1} has unknown type "${type}"`, {
        code: 'x509.name',
        hint: `use one of ${Object.keys(NAME_ATTRIBUTES).join(', ')}`,
      });
    }
    return { type: type as NameAttributeType, value };
  });
}

export type StringType = 'PrintableString' | 'UTF8String' | 'IA5String' | 'TeletexString' | 'BMPString' | 'UniversalString' | 'other';

export interface ParsedAttribute {
  oid: string;
  /** `CN`, `O`, … or the OID when keyceremony has no short name for it. */
  type: string;
  value: string;
  stringType: StringType;
}

const STRING_TYPES = new Map<number, StringType>([
  [TAG.printableString, 'PrintableString'],
  [TAG.utf8String, 'UTF8String'],
  [TAG.ia5String, 'IA5String'],
  [TAG.teletexString, 'TeletexString'],
  [TAG.bmpString, 'BMPString'],
  [TAG.universalString, 'UniversalString'],
]);

function decodeString(element: DerElement, stringType: StringType): string {
  const bytes = content(element);
  switch (stringType) {
    case 'UTF8String':
      return bytes.toString('utf8');
    case 'BMPString':
      return Buffer.from(bytes).swap16().toString('utf16le');
    case 'UniversalString':
      return String.fromCodePoint(...Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readUInt32BE(i * 4)));
    case 'other':
      return `#${bytes.toString('hex')}`;
    default:
      return bytes.toString('latin1');
  }
}

/** The RDNs of a DER Name, each a list of attributes, with the string type each is written in. */
export function parseName(der: Buffer, what = 'name'): ParsedAttribute[][] {
  const name = readSingle(der, what, TAG.sequence);
  return children(name, what).map((rdn) => {
    if (rdn.tag !== TAG.set) throw new InputError(`${what} has an RDN that is not a SET`, { code: 'x509.name' });
    return children(rdn, what).map((pair) => {
      const [type, value] = children(pair, what);
      if (!type || !value || type.tag !== TAG.oid) throw new InputError(`${what} has a malformed attribute`, { code: 'x509.name' });
      const oid = decodeOid(content(type));
      const stringType = STRING_TYPES.get(value.tag) ?? 'other';
      return { oid, type: SHORT_NAMES.get(oid) ?? oid, value: decodeString(value, stringType), stringType };
    });
  });
}

/**
 * RFC 5280 Appendix A upper bounds, in characters, for attributes a name may carry whether
 * or not keyceremony writes them (ub-common-name, ub-organization-name, ub-emailaddress-length, …).
 */
const UPPER_BOUNDS = new Map<string, number>([
  ...Object.values(NAME_ATTRIBUTES).map((rule): [string, number] => [rule.oid, rule.maxLength]),
  ['2.5.4.12', 64], // title
  ['2.5.4.65', 128], // pseudonym
  ['1.2.840.113549.1.9.1', 255], // emailAddress
]);

/** Attributes of a parsed name longer than RFC 5280 Appendix A allows. */
export function nameLengthProblems(rdns: ParsedAttribute[][]): string[] {
  return rdns.flat().flatMap((attribute) => {
    const bound = UPPER_BOUNDS.get(attribute.oid);
    const length = [...attribute.value].length;
    return bound !== undefined && length > bound ? [`${attribute.type} is ${length} characters, more than the ${bound} RFC 5280 Appendix A allows`] : [];
  });
}

/**
 * The name with each attribute's string type: `C=TW (PrintableString), O=行政院 (BMPString)`.
 * For messages about two names that read the same but are encoded differently.
 */
export function formatNameEncoding(der: Buffer): string {
  return parseName(der)
    .map((rdn) => rdn.map((a) => `${a.type}=${a.value} (${a.stringType})`).join(' + '))
    .join(', ');
}

/** `C=TW, O=行政院, CN=醫事憑證管理中心 - G3`: in encoded order, as people read it off a form. */
export function formatName(der: Buffer): string {
  const escape = (value: string) => value.replace(/([,+\\])/g, '\\$1');
  return parseName(der)
    .map((rdn) => rdn.map((a) => `${a.type}=${escape(a.value)}`).join(' + '))
    .join(', ');
}
