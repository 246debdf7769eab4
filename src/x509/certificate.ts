// A certificate as bytes: the TBSCertificate is spliced together from DER pieces in the
// fixed RFC 5280 §4.1 order, so names and public keys go in exactly as they came out of
// the issuer certificate or the CSR; and parseCertificate cuts a certificate back into
// the same pieces, raw, for lints, comparisons and descriptions.
import { randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Extension as AsnExtension } from '@peculiar/asn1-x509';
import { KeyceremonyError } from '../errors.js';
import {
  TAG,
  children,
  content,
  contextTag,
  decodeOid,
  decodeTime,
  derError,
  encodeTime,
  integerFromContent,
  raw,
  readSingle,
  sequence,
  tlv,
  type DerElement,
} from './der.js';
import { errorMessage } from '../util/storage.js';

export interface ExtensionInput {
  oid: string;
  critical: boolean;
  /** The DER that goes inside extnValue's OCTET STRING. */
  value: Buffer;
}

export interface TbsInput {
  /** 2 means v3; anything else only in tests of the lints. */
  version?: number;
  /** INTEGER content octets, exactly as they will be encoded. */
  serial: Buffer;
  /** AlgorithmIdentifier, DER. */
  signatureAlgorithm: Buffer;
  issuer: Buffer;
  notBefore: Date;
  notAfter: Date;
  subject: Buffer;
  spki: Buffer;
  extensions: ExtensionInput[];
}

function encodeExtension(extension: ExtensionInput): Buffer {
  return Buffer.from(
    AsnConvert.serialize(
      new AsnExtension({ extnID: extension.oid, critical: extension.critical, extnValue: new OctetString(new Uint8Array(extension.value)) }),
    ),
  );
}

/** TBSCertificate DER. Names and SPKI are copied in byte for byte. */
export function encodeTbs(input: TbsInput): Buffer {
  const version = input.version ?? 2;
  const parts: Buffer[] = [];
  // v1 is the DEFAULT and is therefore left out in DER.
  if (version !== 0) parts.push(tlv(contextTag(0), integerFromContent(Buffer.from([version]))));
  parts.push(
    integerFromContent(input.serial),
    input.signatureAlgorithm,
    input.issuer,
    sequence(encodeTime(input.notBefore), encodeTime(input.notAfter)),
    input.subject,
    input.spki,
  );
  if (input.extensions.length > 0) parts.push(tlv(contextTag(3), sequence(...input.extensions.map(encodeExtension))));
  return sequence(...parts);
}

export function assembleCertificate(tbs: Buffer, signatureAlgorithm: Buffer, signature: Buffer): Buffer {
  return sequence(tbs, signatureAlgorithm, tlv(TAG.bitString, Buffer.from([0]), signature));
}

/**
 * A random positive serial of exactly `bytes` octets: the first octet is 1..127, so the
 * sign bit is clear and the encoding never shrinks. Rejection sampling keeps it uniform;
 * 16 octets carry about 127 random bits, well over the 64 BR §7.1 asks for.
 */
export function randomSerial(bytes: number): Buffer {
  for (;;) {
    const serial = randomBytes(bytes);
    serial[0]! &= 0x7f;
    if (serial[0] !== 0) return serial;
  }
}

export interface ParsedExtension {
  oid: string;
  critical: boolean;
  /** The contents of extnValue. */
  value: Buffer;
  /** The whole Extension SEQUENCE. */
  der: Buffer;
}

export interface ParsedCertificate {
  der: Buffer;
  tbs: Buffer;
  /** 0 for v1, 2 for v3. */
  version: number;
  serial: Buffer;
  /** The signature field inside the TBS. */
  tbsSignatureAlgorithm: Buffer;
  issuer: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** Raw Time elements, to check their encoding. */
  notBeforeTime: Buffer;
  notAfterTime: Buffer;
  subject: Buffer;
  spki: Buffer;
  extensions: ParsedExtension[];
  signatureAlgorithm: Buffer;
  signature: Buffer;
}

function parseExtensions(wrapper: DerElement, what: string): ParsedExtension[] {
  const [list] = children(wrapper, what);
  if (!list || list.tag !== TAG.sequence) throw derError(what, 'extensions are not a SEQUENCE');
  return children(list, what).map((element) => {
    const fields = children(element, what);
    const [id, second, third] = fields;
    if (!id || id.tag !== TAG.oid || !second) throw derError(what, 'malformed extension');
    const hasCritical = second.tag === TAG.boolean;
    const value = hasCritical ? third : second;
    if (!value || value.tag !== TAG.octetString) throw derError(what, 'extension value is not an OCTET STRING');
    return {
      oid: decodeOid(content(id)),
      critical: hasCritical && content(second)[0] !== 0,
      value: Buffer.from(content(value)),
      der: Buffer.from(raw(element)),
    };
  });
}

export function parseCertificate(der: Buffer, what = 'certificate'): ParsedCertificate {
  const certificate = readSingle(der, what, TAG.sequence);
  const [tbs, signatureAlgorithm, signature, extra] = children(certificate, what);
  if (!tbs || !signatureAlgorithm || !signature || extra || signature.tag !== TAG.bitString) throw derError(what, 'not a Certificate SEQUENCE of three fields');
  const fields = children(tbs, what);
  let index = 0;
  let version = 0;
  if (fields[0]?.tag === contextTag(0)) {
    const [integer] = children(fields[0], what);
    version = integer ? (content(integer)[0] ?? 0) : 0;
    index = 1;
  }
  const [serial, tbsSignatureAlgorithm, issuer, validity, subject, spki, ...rest] = fields.slice(index);
  if (!serial || !tbsSignatureAlgorithm || !issuer || !validity || !subject || !spki) throw derError(what, 'TBSCertificate is missing fields');
  const [notBefore, notAfter] = children(validity, what);
  if (!notBefore || !notAfter) throw derError(what, 'validity is missing a time');
  const extensionsWrapper = rest.find((element) => element.tag === contextTag(3));
  const signatureBits = content(signature);
  if (signatureBits[0] !== 0) throw derError(what, 'signature BIT STRING has unused bits');
  return {
    der,
    tbs: Buffer.from(raw(tbs)),
    version,
    serial: Buffer.from(content(serial)),
    tbsSignatureAlgorithm: Buffer.from(raw(tbsSignatureAlgorithm)),
    issuer: Buffer.from(raw(issuer)),
    notBefore: decodeTime(notBefore, what),
    notAfter: decodeTime(notAfter, what),
    notBeforeTime: Buffer.from(raw(notBefore)),
    notAfterTime: Buffer.from(raw(notAfter)),
    subject: Buffer.from(raw(subject)),
    spki: Buffer.from(raw(spki)),
    extensions: extensionsWrapper ? parseExtensions(extensionsWrapper, what) : [],
    signatureAlgorithm: Buffer.from(raw(signatureAlgorithm)),
    signature: Buffer.from(signatureBits.subarray(1)),
  };
}

/** Parses, turning any failure into an error that names the certificate. */
export function readCertificate(der: Buffer, what: string): ParsedCertificate {
  try {
    return parseCertificate(der, what);
  } catch (error) {
    if (error instanceof KeyceremonyError) throw error;
    throw derError(what, errorMessage(error));
  }
}

/** The subjectPublicKey BIT STRING contents (without the unused-bits octet). */
export function subjectPublicKeyBits(spki: Buffer): Buffer {
  const element = readSingle(spki, 'public key', TAG.sequence);
  const [, bits] = children(element, 'public key');
  if (!bits || bits.tag !== TAG.bitString) throw derError('public key', 'no subjectPublicKey BIT STRING');
  return Buffer.from(content(bits).subarray(1));
}

export function findExtension(certificate: ParsedCertificate, oid: string): ParsedExtension | undefined {
  return certificate.extensions.find((e) => e.oid === oid);
}

/** Serial as upper-case hex of its content octets (leading 00 kept off, as openssl prints it). */
export function serialHex(serial: Buffer): string {
  const trimmed = serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial;
  return trimmed.toString('hex').toUpperCase();
}
