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
  ExtendedKeyUsage,
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  KeyIdentifier,
  KeyUsage,
  Name,
  NameConstraints,
  PolicyInformation,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  id_ad_caIssuers,
  id_ad_ocsp,
} from '@peculiar/asn1-x509';
import { InputError, KeyceremonyError } from '../errors.js';
import type { ExtensionInput } from './certificate.js';
import { subjectPublicKeyBits } from './certificate.js';
import { buildName, formatName, nameAttributesFrom } from './names.js';
import type { ExtensionProfile, NameSubtrees, ProfileData } from './profile.js';
import { EXTENSION_OIDS, EXTENSION_TYPES, KEY_PURPOSES, KEY_USAGES, keyPurposeOid, type ExtensionType, type KeyUsageName } from './rules.js';

const der = (value: object): Buffer => Buffer.from(AsnConvert.serialize(value));

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING contents. */
export function subjectKeyIdentifier(spki: Buffer): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
}

/** A subject alternative name as an issuance request gives it (RFC 5280 §4.2.1.6). */
export type AltName = { email: string } | { dns: string } | { uri: string };

export interface ExtensionContext {
  /** The certified public key. */
  subjectSpki: Buffer;
  /** The issuer's subject key identifier, for AKI. */
  issuerKeyIdentifier: Buffer | undefined;
  /** The subscriber's names, for a profile that lists subjectAltName. */
  subjectAltName?: readonly AltName[];
}

function keyUsageFlags(usages: readonly KeyUsageName[]): number {
  return usages.reduce((flags, usage) => flags | (1 << KEY_USAGES.indexOf(usage)), 0);
}

const uri = (text: string) => new GeneralName({ uniformResourceIdentifier: text });

function altName(name: AltName): GeneralName {
  if ('email' in name) return new GeneralName({ rfc822Name: name.email });
  if ('dns' in name) return new GeneralName({ dNSName: name.dns });
  return uri(name.uri);
}

function subtrees(names: NameSubtrees | undefined): GeneralSubtrees | undefined {
  if (!names) return undefined;
  const bases = [
    ...(names.dns ?? []).map((dns) => new GeneralName({ dNSName: dns })),
    ...(names.email ?? []).map((email) => new GeneralName({ rfc822Name: email })),
    ...(names.directory ?? []).map((mapping) => new GeneralName({ directoryName: AsnConvert.parse(buildName(nameAttributesFrom(mapping)), Name) })),
  ];
  return new GeneralSubtrees(bases.map((base) => new GeneralSubtree({ base })));
}

function encodeValue(extension: ExtensionProfile, context: ExtensionContext): Buffer {
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
    case 'extKeyUsage':
      return der(new ExtendedKeyUsage(extension.purposes.map(keyPurposeOid)));
    case 'crlDistributionPoints':
      return der(
        new CRLDistributionPoints(extension.uris.map((u) => new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(u)] }) }))),
      );
    case 'authorityInfoAccess':
      return der(
        new AuthorityInfoAccessSyntax([
          ...(extension.caIssuers ?? []).map((u) => new AccessDescription({ accessMethod: id_ad_caIssuers, accessLocation: uri(u) })),
          ...(extension.ocsp ?? []).map((u) => new AccessDescription({ accessMethod: id_ad_ocsp, accessLocation: uri(u) })),
        ]),
      );
    case 'basicConstraints':
      return der(
        new BasicConstraints(extension.pathLength === undefined ? { cA: extension.ca } : { cA: extension.ca, pathLenConstraint: extension.pathLength }),
      );
    case 'certificatePolicies':
      return der(new CertificatePolicies(extension.policies.map((policy) => new PolicyInformation({ policyIdentifier: policy }))));
    case 'subjectAltName':
      if (!context.subjectAltName?.length) {
        throw new InputError('the X.509 profile lists subjectAltName, but the request gives no names for it', {
          code: 'x509.subject-alt-name',
          hint: "give the subscriber's names (email, dns or uri) with the request, or use a profile without subjectAltName",
        });
      }
      return der(new SubjectAlternativeName(context.subjectAltName.map(altName)));
    case 'nameConstraints': {
      const permitted = subtrees(extension.permitted);
      const excluded = subtrees(extension.excluded);
      return der(new NameConstraints({ ...(permitted ? { permittedSubtrees: permitted } : {}), ...(excluded ? { excludedSubtrees: excluded } : {}) }));
    }
    case 'ocspNoCheck':
      // RFC 6960 §4.2.2.2.1: the value is NULL.
      return Buffer.from([0x05, 0x00]);
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
  '2.5.29.18': 'issuerAltName',
  '2.5.29.36': 'policyConstraints',
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
  return AsnConvert.parse(value, CRLDistributionPoints).flatMap((point) =>
    (point.distributionPoint?.fullName ?? []).map((name) => name.uniformResourceIdentifier ?? '(not a URI)'),
  );
}

export function decodeExtKeyUsage(value: Buffer): string[] {
  return [...AsnConvert.parse(value, ExtendedKeyUsage)];
}

/** A key purpose's name when it has one, else its OID. */
export function keyPurposeName(oid: string): string {
  return Object.entries(KEY_PURPOSES).find(([, value]) => value === oid)?.[0] ?? oid;
}

function describeGeneralName(name: GeneralName): string {
  if (name.rfc822Name !== undefined) return `email:${name.rfc822Name}`;
  if (name.dNSName !== undefined) return `dns:${name.dNSName}`;
  if (name.uniformResourceIdentifier !== undefined) return `uri:${name.uniformResourceIdentifier}`;
  if (name.directoryName !== undefined) return `dir:${formatName(der(name.directoryName))}`;
  return '(another name form)';
}

export function decodeSubjectAltName(value: Buffer): string[] {
  return [...AsnConvert.parse(value, SubjectAlternativeName)].map(describeGeneralName);
}

export function decodeNameConstraints(value: Buffer): { permitted: string[]; excluded: string[] } {
  const constraints = AsnConvert.parse(value, NameConstraints);
  const names = (list: GeneralSubtrees | undefined) => [...(list ?? [])].map((subtree) => describeGeneralName(subtree.base));
  return { permitted: names(constraints.permittedSubtrees), excluded: names(constraints.excludedSubtrees) };
}

export function decodeAuthorityInfoAccess(value: Buffer): { caIssuers: string[]; ocsp: string[] } {
  const entries = AsnConvert.parse(value, AuthorityInfoAccessSyntax);
  const pick = (method: string) => entries.filter((e) => e.accessMethod === method).map((e) => e.accessLocation.uniformResourceIdentifier ?? '(not a URI)');
  return { caIssuers: pick(id_ad_caIssuers), ocsp: pick(id_ad_ocsp) };
}
