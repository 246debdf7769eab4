// Certificate extensions: encoded from a profile entry, in the profile's order, and
// decoded back for lints and descriptions. Encoding goes through @peculiar/asn1-x509,
// whose output for the GRCA profile is byte-identical to MOICA-G3's (see the tests).
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  CertificatePolicies,
  DistributionPoint,
  DistributionPointName,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  PolicyInformation,
  SubjectKeyIdentifier,
  id_ad_caIssuers,
  id_ad_ocsp,
} from '@peculiar/asn1-x509';
import { KeyceremonyError } from '../errors.js';
import type { ExtensionInput } from './certificate.js';
import { subjectPublicKeyBits } from './certificate.js';
import { EXTENSION_OIDS, EXTENSION_TYPES, KEY_USAGES, type ExtensionProfile, type ExtensionType, type KeyUsageName, type ProfileData } from './profile.js';

const der = (value: object): Buffer => Buffer.from(AsnConvert.serialize(value));

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING contents. */
export function subjectKeyIdentifier(spki: Buffer): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
}

export interface ExtensionContext {
  /** The certified public key. */
  subjectSpki: Buffer;
  /** The issuer's subject key identifier, for AKI. */
  issuerKeyIdentifier: Buffer | undefined;
}

function keyUsageFlags(usages: readonly KeyUsageName[]): number {
  return usages.reduce((flags, usage) => flags | (1 << KEY_USAGES.indexOf(usage)), 0);
}

function encodeValue(extension: ExtensionProfile, context: ExtensionContext): Buffer {
  const uri = (text: string) => new GeneralName({ uniformResourceIdentifier: text });
  switch (extension.type) {
    case 'authorityKeyIdentifier':
      if (!context.issuerKeyIdentifier) {
        throw new KeyceremonyError('the issuer certificate has no subject key identifier, so the authority key identifier cannot be made', {
          code: 'x509.issuer-ski',
          hint: 'RFC 5280 §4.2.1.1 takes the AKI from the issuer SKI; use an issuer certificate that has one',
        });
      }
      return der(new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(new Uint8Array(context.issuerKeyIdentifier)) }));
    case 'subjectKeyIdentifier':
      return der(new SubjectKeyIdentifier(new Uint8Array(subjectKeyIdentifier(context.subjectSpki))));
    case 'keyUsage':
      return der(new KeyUsage(keyUsageFlags(extension.usages)));
    case 'crlDistributionPoints':
      return der(new CRLDistributionPoints(extension.uris.map((u) => new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(u)] }) }))));
    case 'authorityInfoAccess':
      return der(
        new AuthorityInfoAccessSyntax([
          ...(extension.caIssuers ?? []).map((u) => new AccessDescription({ accessMethod: id_ad_caIssuers, accessLocation: uri(u) })),
          ...(extension.ocsp ?? []).map((u) => new AccessDescription({ accessMethod: id_ad_ocsp, accessLocation: uri(u) })),
        ]),
      );
    case 'basicConstraints':
      return der(new BasicConstraints(extension.pathLength === undefined ? { cA: extension.ca } : { cA: extension.ca, pathLenConstraint: extension.pathLength }));
    case 'certificatePolicies':
      return der(new CertificatePolicies(extension.policies.map((policy) => new PolicyInformation({ policyIdentifier: policy }))));
  }
}

/** One extension as the profile says it. */
export function profileExtensionValue(extension: ExtensionProfile, context: ExtensionContext): ExtensionInput {
  return { oid: EXTENSION_OIDS[extension.type], critical: extension.critical, value: encodeValue(extension, context) };
}

/** The profile's extensions, in its order. */
export function profileExtensions(profile: ProfileData, context: ExtensionContext): ExtensionInput[] {
  return profile.extensions.map((extension) => profileExtensionValue(extension, context));
}

const TYPE_BY_OID = new Map<string, ExtensionType>(EXTENSION_TYPES.map((type) => [EXTENSION_OIDS[type], type]));

const OTHER_NAMES: Record<string, string> = {
  '2.5.29.17': 'subjectAltName',
  '2.5.29.18': 'issuerAltName',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.36': 'policyConstraints',
  '2.5.29.37': 'extKeyUsage',
  '2.5.29.54': 'inhibitAnyPolicy',
  '2.5.29.9': 'subjectDirectoryAttributes',
  '2.5.29.20': 'cRLNumber',
  '2.5.29.21': 'reasonCode',
};

export function extensionTypeOf(oid: string): ExtensionType | undefined {
  return TYPE_BY_OID.get(oid);
}

export function extensionName(oid: string): string {
  return TYPE_BY_OID.get(oid) ?? OTHER_NAMES[oid] ?? oid;
}

// Decoders. Each throws on malformed input; callers turn that into a lint or chain failure.

export function decodeKeyUsage(value: Buffer): KeyUsageName[] {
  const flags = AsnConvert.parse(value, KeyUsage).toNumber();
  return KEY_USAGES.filter((_, bit) => (flags & (1 << bit)) !== 0);
}

export function decodeBasicConstraints(value: Buffer): { ca: boolean; pathLength: number | undefined } {
  const bc = AsnConvert.parse(value, BasicConstraints);
  return { ca: bc.cA, pathLength: bc.pathLenConstraint };
}

export function decodeAuthorityKeyIdentifier(value: Buffer): { keyIdentifier: Buffer | undefined; hasIssuerAndSerial: boolean } {
  const aki = AsnConvert.parse(value, AuthorityKeyIdentifier);
  return {
    keyIdentifier: aki.keyIdentifier ? Buffer.from(aki.keyIdentifier.buffer) : undefined,
    hasIssuerAndSerial: aki.authorityCertIssuer !== undefined || aki.authorityCertSerialNumber !== undefined,
  };
}

export function decodeSubjectKeyIdentifier(value: Buffer): Buffer {
  return Buffer.from(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
}

export function decodePolicies(value: Buffer): string[] {
  return AsnConvert.parse(value, CertificatePolicies).map((policy) => policy.policyIdentifier);
}

export function decodeCrlDistributionPoints(value: Buffer): string[] {
  return AsnConvert.parse(value, CRLDistributionPoints).flatMap((point) => (point.distributionPoint?.fullName ?? []).map((name) => name.uniformResourceIdentifier ?? '(not a URI)'));
}

export function decodeAuthorityInfoAccess(value: Buffer): { caIssuers: string[]; ocsp: string[] } {
  const entries = AsnConvert.parse(value, AuthorityInfoAccessSyntax);
  const pick = (method: string) => entries.filter((e) => e.accessMethod === method).map((e) => e.accessLocation.uniformResourceIdentifier ?? '(not a URI)');
  return { caIssuers: pick(id_ad_caIssuers), ocsp: pick(id_ad_ocsp) };
}
