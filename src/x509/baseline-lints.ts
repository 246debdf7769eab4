// Baseline lints: what RFC 5280 and the CA/Browser Forum Baseline Requirements ask of any
// certificate of the profile's kind, whatever the profile says. A profile that would break
// one is refused when it is loaded (profile-checks.ts reads the same tables in rules.ts);
// these lints are the check on the certificate itself, before the HSM signs and after.
import { createPublicKey } from 'node:crypto';
import { CURVE_HASH, signatureAlgorithmByDer } from './algorithms.js';
import { encodeTime, isMinimalInteger } from './der.js';
import {
  decodeAuthorityInfoAccess,
  decodeAuthorityKeyIdentifier,
  decodeCrlDistributionPoints,
  decodeExtKeyUsage,
  extensionName,
  extensionTypeOf,
  keyPurposeName,
} from './extensions.js';
import { basicConstraintsOf, hex, keyUsageOf, namesOf, skiOf, SPKI_ALGORITHMS, spkiAlgorithmHex, type Lint, type LintContext } from './lint-context.js';
import { PRINTABLE, nameLengthProblems, parseName } from './names.js';
import {
  ANY_EXTENDED_KEY_USAGE,
  CA_KEY_USAGE,
  CRITICALITY,
  KEY_USAGES_BY_KEY,
  KIND_RULES,
  OCSP_RESPONDER,
  PROFILE_KINDS,
  isCaKind,
  type ProfileKind,
} from './rules.js';
import { signatureVerifies } from './signer.js';
import { formatUtc } from './time.js';

const CA_KINDS = PROFILE_KINDS.filter(isCaKind);

/** The key type of a SubjectPublicKeyInfo, as KEY_USAGES_BY_KEY names it. */
function keyType(spki: Buffer): 'RSA' | 'EC' | undefined {
  const algorithm = SPKI_ALGORITHMS[spkiAlgorithmHex(spki)];
  if (!algorithm) return undefined;
  return algorithm === 'rsaEncryption' ? 'RSA' : 'EC';
}

/** One lint per kind: the extensions that kind must carry and must not. */
function kindExtensionsLint(kind: ProfileKind): Lint {
  const rule = KIND_RULES[kind];
  return {
    id: `${kind}-extensions`,
    clause: rule.clause,
    set: 'baseline',
    checks: `${rule.what} carries ${rule.required.join(', ')} and none of ${rule.forbidden.join(', ')}`,
    needsIssuer: false,
    appliesTo: [kind],
    run: (context) => {
      const missing = rule.required.filter((type) => !context.extension(type));
      if (missing.length) return `${rule.what} without ${missing.join(', ')}`;
      const forbidden = rule.forbidden.filter((type) => context.extension(type));
      if (forbidden.length) return `${rule.what} with ${forbidden.join(', ')}`;
      return undefined;
    },
  };
}

/** One lint per extension with a fixed criticality (subjectAltName has its own lint). */
function criticalityLint(type: keyof typeof CRITICALITY): Lint {
  const rule = CRITICALITY[type];
  return {
    id: rule.lint,
    clause: rule.clause,
    set: 'baseline',
    checks: `${type}, when present, is ${rule.critical ? '' : 'not '}critical`,
    needsIssuer: false,
    run: (context) => {
      const extension = context.extension(type);
      if (!extension || extension.critical === rule.critical) return undefined;
      return `${type} is ${extension.critical ? '' : 'not '}critical`;
    },
  };
}

const purposesOf = (context: LintContext) => {
  const extension = context.extension('extKeyUsage');
  return extension ? decodeExtKeyUsage(extension.value) : undefined;
};

export const BASELINE_LINTS: readonly Lint[] = [
  {
    id: 'version-3',
    clause: 'RFC 5280 §4.1.2.1',
    set: 'baseline',
    checks: 'the certificate is X.509 v3',
    needsIssuer: false,
    run: ({ cert }) => (cert.version === 2 ? undefined : `version is v${cert.version + 1}; a certificate with extensions must be v3`),
  },
  {
    id: 'serial-positive',
    clause: 'RFC 5280 §4.1.2.2',
    set: 'baseline',
    checks: 'the serial number is a positive, minimally encoded integer',
    needsIssuer: false,
    run: ({ cert: { serial } }) => {
      if (!isMinimalInteger(serial)) return `serial ${hex(serial)} is not minimally encoded`;
      if (serial[0]! & 0x80) return `serial ${hex(serial)} is negative`;
      if (serial.every((b) => b === 0)) return 'serial is zero';
      return undefined;
    },
  },
  {
    id: 'serial-length',
    clause: 'RFC 5280 §4.1.2.2',
    set: 'baseline',
    checks: 'the serial number is at most 20 octets',
    needsIssuer: false,
    run: ({ cert: { serial } }) => (serial.length <= 20 ? undefined : `serial is ${serial.length} octets, more than 20`),
  },
  {
    id: 'serial-entropy',
    clause: 'BR §7.1',
    set: 'baseline',
    checks: 'the serial number has room for at least 64 random bits',
    needsIssuer: false,
    run: ({ cert: { serial } }) => (serial.length >= 9 ? undefined : `serial is ${serial.length} octets; 64 random bits and a clear sign bit need at least 9`),
  },
  {
    id: 'validity-encoding',
    clause: 'RFC 5280 §4.1.2.5',
    set: 'baseline',
    checks: 'validity times are UTCTime through 2049 and GeneralizedTime from 2050, and notBefore is not after notAfter',
    needsIssuer: false,
    run: ({ cert }) => {
      for (const [label, date, encoded] of [
        ['notBefore', cert.notBefore, cert.notBeforeTime],
        ['notAfter', cert.notAfter, cert.notAfterTime],
      ] as const) {
        if (!encodeTime(date).equals(encoded))
          return `${label} ${formatUtc(date)} is encoded as ${encoded[0] === 0x17 ? 'UTCTime' : 'GeneralizedTime'}, not as RFC 5280 requires for its year`;
      }
      if (cert.notBefore > cert.notAfter) return `notBefore ${formatUtc(cert.notBefore)} is after notAfter ${formatUtc(cert.notAfter)}`;
      return undefined;
    },
  },
  {
    id: 'validity-within-issuer',
    clause: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
    set: 'baseline',
    checks: "the validity lies inside the issuer's",
    needsIssuer: true,
    run: ({ cert, issuer }) => {
      if (cert.notBefore < issuer.notBefore) return `notBefore ${formatUtc(cert.notBefore)} is before the issuer's notBefore ${formatUtc(issuer.notBefore)}`;
      if (cert.notAfter > issuer.notAfter) return `notAfter ${formatUtc(cert.notAfter)} is after the issuer's notAfter ${formatUtc(issuer.notAfter)}`;
      return undefined;
    },
  },
  ...PROFILE_KINDS.map(kindExtensionsLint),
  {
    id: 'basic-constraints-for-kind',
    clause: 'RFC 5280 §4.2.1.9; BR §7.1.2.10.4, §7.1.2.7.8, §7.1.2.8.4',
    set: 'baseline',
    checks: 'basicConstraints says CA exactly when the profile is for a CA',
    needsIssuer: false,
    run: (context) => {
      const rule = KIND_RULES[context.profile.kind];
      const bc = basicConstraintsOf(context, context.cert);
      if (rule.ca && !bc?.ca) return `${rule.what} without basicConstraints cA TRUE`;
      if (!rule.ca && bc?.ca) return `${rule.what} with basicConstraints cA TRUE`;
      return undefined;
    },
  },
  ...(Object.keys(CRITICALITY) as Array<keyof typeof CRITICALITY>).map(criticalityLint),
  {
    id: 'subject-alt-name',
    clause: 'RFC 5280 §4.2.1.6',
    set: 'baseline',
    checks: 'an empty subject comes with a critical subjectAltName; otherwise subjectAltName is not critical',
    needsIssuer: false,
    run: (context) => {
      const san = context.extension('subjectAltName');
      const emptySubject = parseName(context.cert.subject, 'subject name').length === 0;
      if (emptySubject && !san) return 'the subject is empty and there is no subjectAltName';
      if (emptySubject && !san!.critical) return 'the subject is empty and subjectAltName is not critical';
      if (!emptySubject && san?.critical) return 'subjectAltName is critical although the subject is not empty';
      return undefined;
    },
  },
  {
    id: 'key-usage-ca',
    clause: 'RFC 5280 §4.2.1.3, §4.2.1.9; BR §7.1.2.10.7',
    set: 'baseline',
    checks: 'keyUsage agrees with basicConstraints',
    needsIssuer: false,
    run: (context) => {
      const bc = basicConstraintsOf(context, context.cert);
      const ku = keyUsageOf(context, context.cert);
      if (bc?.ca) {
        if (!ku) return 'a CA certificate without keyUsage';
        const missing = CA_KEY_USAGE.required.filter((u) => !ku.usages.includes(u));
        if (missing.length) return `keyUsage of a CA certificate lacks ${missing.join(' and ')}`;
      } else if (ku?.usages.includes('keyCertSign')) {
        return 'keyUsage has keyCertSign but basicConstraints does not say CA';
      }
      return undefined;
    },
  },
  {
    id: 'ca-key-usage-allowed',
    clause: CA_KEY_USAGE.clause,
    set: 'baseline',
    checks: `a CA certificate's keyUsage asserts nothing but ${CA_KEY_USAGE.allowed.join(', ')}`,
    needsIssuer: false,
    appliesTo: CA_KINDS,
    run: (context) => {
      const extra = (keyUsageOf(context, context.cert)?.usages ?? []).filter((u) => !CA_KEY_USAGE.allowed.includes(u));
      return extra.length ? `keyUsage of a CA certificate asserts ${extra.join(', ')}` : undefined;
    },
  },
  {
    id: 'key-usage-bits',
    clause: 'RFC 5280 §4.2.1.3; RFC 3279 §2.3.1; RFC 5480 §3',
    set: 'baseline',
    checks: "keyUsage sets at least one bit, only usages the key's type can have, and encipherOnly or decipherOnly only with keyAgreement",
    needsIssuer: false,
    run: (context) => {
      const ku = keyUsageOf(context, context.cert);
      if (!ku) return undefined;
      if (ku.usages.length === 0) return 'keyUsage sets no bit';
      if ((ku.usages.includes('encipherOnly') || ku.usages.includes('decipherOnly')) && !ku.usages.includes('keyAgreement'))
        return 'encipherOnly or decipherOnly without keyAgreement';
      const type = keyType(context.cert.spki);
      const impossible = type ? ku.usages.filter((u) => !KEY_USAGES_BY_KEY[type].includes(u)) : [];
      return impossible.length ? `an ${type} key cannot be used for ${impossible.join(', ')}` : undefined;
    },
  },
  {
    id: 'end-entity-key-usage',
    clause: 'RFC 5280 §4.2.1.3',
    set: 'baseline',
    checks: 'an end-entity key signs no certificates and no CRLs',
    needsIssuer: false,
    appliesTo: ['end-entity'],
    run: (context) => {
      const ca = (keyUsageOf(context, context.cert)?.usages ?? []).filter((u) => u === 'keyCertSign' || u === 'cRLSign');
      return ca.length ? `an end-entity certificate asserts ${ca.join(' and ')}` : undefined;
    },
  },
  {
    id: 'ocsp-key-usage',
    clause: 'BR §7.1.2.8.7',
    set: 'baseline',
    checks: 'an OCSP responder key is for digitalSignature only',
    needsIssuer: false,
    appliesTo: ['ocsp-responder'],
    run: (context) => {
      const usages = keyUsageOf(context, context.cert)?.usages ?? [];
      return usages.join(',') === OCSP_RESPONDER.keyUsage.join(',') ? undefined : `keyUsage is [${usages.join(', ')}], not [digitalSignature]`;
    },
  },
  {
    id: 'ocsp-eku',
    clause: 'BR §7.1.2.8.5; RFC 6960 §4.2.2.2',
    set: 'baseline',
    checks: 'an OCSP responder certificate has the one key purpose id-kp-OCSPSigning',
    needsIssuer: false,
    appliesTo: ['ocsp-responder'],
    run: (context) => {
      const purposes = purposesOf(context) ?? [];
      return purposes.join(',') === OCSP_RESPONDER.purposes.join(',')
        ? undefined
        : `extKeyUsage is [${purposes.map(keyPurposeName).join(', ')}], not [OCSPSigning]`;
    },
  },
  {
    id: 'ocsp-nocheck-null',
    clause: 'RFC 6960 §4.2.2.2.1',
    set: 'baseline',
    checks: 'id-pkix-ocsp-nocheck has the value NULL',
    needsIssuer: false,
    run: (context) => {
      const extension = context.extension('ocspNoCheck');
      return !extension || extension.value.equals(Buffer.from([0x05, 0x00]))
        ? undefined
        : `id-pkix-ocsp-nocheck has the value ${hex(extension.value)}, not NULL (0500)`;
    },
  },
  {
    id: 'no-any-eku',
    clause: 'BR §7.1.2.10.6, §7.1.2.7.10',
    set: 'baseline',
    checks: 'extKeyUsage does not assert anyExtendedKeyUsage',
    needsIssuer: false,
    run: (context) => ((purposesOf(context) ?? []).includes(ANY_EXTENDED_KEY_USAGE) ? 'extKeyUsage asserts anyExtendedKeyUsage' : undefined),
  },
  {
    id: 'ca-has-ski',
    clause: 'RFC 5280 §4.2.1.2',
    set: 'baseline',
    checks: 'a CA certificate has a subject key identifier',
    needsIssuer: false,
    run: (context) =>
      basicConstraintsOf(context, context.cert)?.ca && !context.extension('subjectKeyIdentifier') ? 'a CA certificate without subjectKeyIdentifier' : undefined,
  },
  {
    id: 'aki-matches-issuer',
    clause: 'RFC 5280 §4.2.1.1',
    set: 'baseline',
    checks: "the authority key identifier is the issuer's subject key identifier",
    needsIssuer: true,
    run: (context) => {
      const extension = context.extension('authorityKeyIdentifier', context.cert);
      if (!extension) return context.selfSigned ? undefined : 'no authorityKeyIdentifier; only a self-signed certificate may leave it out';
      const aki = decodeAuthorityKeyIdentifier(extension.value);
      const issuerSki = skiOf(context, context.issuer);
      if (!aki.keyIdentifier) return 'authorityKeyIdentifier has no keyIdentifier';
      if (!issuerSki) return 'the issuer has no subjectKeyIdentifier to match';
      return aki.keyIdentifier.equals(issuerSki)
        ? undefined
        : `authorityKeyIdentifier ${hex(aki.keyIdentifier)} is not the issuer's subjectKeyIdentifier ${hex(issuerSki)}`;
    },
  },
  {
    id: 'aki-key-identifier-only',
    clause: 'BR §7.1.2.11.1',
    set: 'baseline',
    checks: 'the authority key identifier names the key only, not the issuer name and serial',
    needsIssuer: false,
    run: (context) => {
      const extension = context.extension('authorityKeyIdentifier');
      return extension && decodeAuthorityKeyIdentifier(extension.value).hasIssuerAndSerial
        ? 'authorityKeyIdentifier carries authorityCertIssuer or authorityCertSerialNumber'
        : undefined;
    },
  },
  {
    id: 'http-urls',
    clause: 'BR §7.1.2.11.2, §7.1.2.10.3, §7.1.2.7.7',
    set: 'baseline',
    checks: 'CRL distribution points and authority information access are http:// URLs',
    needsIssuer: false,
    run: (context) => {
      const crldp = context.extension('crlDistributionPoints');
      const aia = context.extension('authorityInfoAccess');
      const access = aia ? decodeAuthorityInfoAccess(aia.value) : undefined;
      const urls = [...(crldp ? decodeCrlDistributionPoints(crldp.value) : []), ...(access ? [...access.caIssuers, ...access.ocsp] : [])];
      if (aia && access!.caIssuers.length + access!.ocsp.length === 0) return 'authorityInfoAccess lists no caIssuers or OCSP location';
      const other = urls.find((url) => !url.startsWith('http://'));
      return other === undefined ? undefined : `${other} is not an http:// URL`;
    },
  },
  {
    id: 'unknown-critical-extension',
    clause: 'RFC 5280 §4.2',
    set: 'baseline',
    checks: 'every critical extension is one keyceremony knows',
    needsIssuer: false,
    run: ({ cert }) => {
      const unknown = cert.extensions.find((e) => e.critical && extensionTypeOf(e.oid) === undefined);
      return unknown
        ? `critical extension ${extensionName(unknown.oid)} is unknown to keyceremony, and relying parties must reject what they do not know`
        : undefined;
    },
  },
  {
    id: 'country-printable',
    clause: 'RFC 5280 Appendix A; BR §7.1.4.2',
    set: 'baseline',
    checks: 'countryName is a two-letter PrintableString',
    needsIssuer: false,
    run: ({ cert }) => {
      for (const [which, der] of namesOf(cert)) {
        for (const attribute of parseName(der, `${which} name`).flat()) {
          if (attribute.type !== 'C') continue;
          if (attribute.stringType !== 'PrintableString')
            return `${which} countryName "${attribute.value}" is a ${attribute.stringType}, not a PrintableString`;
          if (!/^[A-Z]{2}$/.test(attribute.value)) return `${which} countryName "${attribute.value}" is not a two-letter ISO 3166 code`;
        }
      }
      return undefined;
    },
  },
  {
    id: 'no-empty-rdn',
    clause: 'RFC 5280 §4.1.2.4, §4.1.2.6',
    set: 'baseline',
    checks: 'the issuer name is not empty, no RDN or attribute value is empty, and a CA subject is not empty',
    needsIssuer: false,
    run: (context) => {
      for (const [which, der] of namesOf(context.cert)) {
        const rdns = parseName(der, `${which} name`);
        // An end entity may have an empty subject with a critical subjectAltName (subject-alt-name).
        if (rdns.length === 0 && (which === 'issuer' || isCaKind(context.profile.kind))) return `the ${which} name is empty`;
        const empty = rdns.findIndex((rdn) => rdn.length === 0);
        if (empty >= 0) return `RDN ${empty + 1} of the ${which} name is empty`;
        const blank = rdns.flat().find((a) => a.value.length === 0);
        if (blank) return `${which} attribute ${blank.type} is empty`;
        const unprintable = rdns.flat().find((a) => a.stringType === 'PrintableString' && !PRINTABLE.test(a.value));
        if (unprintable) return `${which} attribute ${unprintable.type} has characters a PrintableString cannot hold`;
      }
      return undefined;
    },
  },
  {
    id: 'name-lengths',
    clause: 'RFC 5280 Appendix A',
    set: 'baseline',
    checks: 'no name attribute is longer than its upper bound',
    needsIssuer: false,
    run: ({ cert }) => {
      for (const [which, der] of namesOf(cert)) {
        const [problem] = nameLengthProblems(parseName(der, `${which} name`));
        if (problem) return `${which} ${problem}`;
      }
      return undefined;
    },
  },
  {
    // BR §7.1.2.10.2 asks for C, O and CN; GPKI CA names put the CA's name in OU instead of
    // CN (MOICA-G3: C=TW, O=行政院, OU=內政部憑證管理中心), so either is accepted.
    id: 'ca-subject-name',
    clause: 'BR §7.1.2.10.2',
    set: 'baseline',
    checks: 'a CA subject names its country, organization, and the CA (commonName or, as GPKI names do, organizationalUnitName)',
    needsIssuer: false,
    appliesTo: CA_KINDS,
    run: ({ cert }) => {
      const types = new Set(
        parseName(cert.subject, 'subject name')
          .flat()
          .map((a) => a.type),
      );
      const missing = [...(['C', 'O'] as const).filter((t) => !types.has(t)), ...(types.has('CN') || types.has('OU') ? [] : ['CN (or OU)'])];
      return missing.length ? `the CA subject has no ${missing.join(', ')}` : undefined;
    },
  },
  {
    id: 'key-strength',
    clause: 'BR §6.1.5, §6.1.6, §7.1.3.1',
    set: 'baseline',
    checks: 'the public key is RSA of at least 2048 bits or ECDSA on P-256, P-384 or P-521, encoded as the BRs say',
    needsIssuer: false,
    run: ({ cert }) => {
      const algorithm = SPKI_ALGORITHMS[spkiAlgorithmHex(cert.spki)];
      if (!algorithm) return 'the public key algorithm is not rsaEncryption or ECDSA on P-256, P-384 or P-521';
      const key = createPublicKey({ key: cert.spki, format: 'der', type: 'spki' });
      if (algorithm !== 'rsaEncryption') return undefined;
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
      if (bits < 2048) return `RSA key of ${bits} bits; at least 2048 are required`;
      if (bits % 8 !== 0) return `RSA modulus of ${bits} bits is not a multiple of 8`;
      if (exponent % 2n === 0n || exponent < 65537n) return `RSA public exponent ${exponent} is not an odd number of at least 65537`;
      return undefined;
    },
  },
  {
    id: 'signature-algorithm',
    clause: 'RFC 5280 §4.1.1.2, §4.1.2.3; BR §7.1.3.2',
    set: 'baseline',
    checks: "the signature algorithm is allowed, written the same twice, and fits the issuer's key",
    needsIssuer: true,
    run: ({ cert, issuer }) => {
      if (!cert.signatureAlgorithm.equals(cert.tbsSignatureAlgorithm)) return 'signatureAlgorithm differs from the signature field inside the TBSCertificate';
      const algorithm = signatureAlgorithmByDer(cert.signatureAlgorithm);
      if (!algorithm) return `signature algorithm ${hex(cert.signatureAlgorithm)} is not one of the BR §7.1.3.2 encodings`;
      const issuerKey = SPKI_ALGORITHMS[spkiAlgorithmHex(issuer.spki)];
      if (!issuerKey) return "the issuer's public key is of a type keyceremony does not sign with";
      if ((issuerKey === 'rsaEncryption') !== (algorithm.key === 'RSA'))
        return `${algorithm.name} does not fit the issuer's ${issuerKey === 'rsaEncryption' ? 'RSA' : `EC ${issuerKey}`} key`;
      if (algorithm.key === 'EC') {
        const hash = CURVE_HASH[issuerKey as keyof typeof CURVE_HASH];
        if (algorithm.hash !== hash) return `${algorithm.name} with an issuer key on ${issuerKey}; BR §7.1.3.2.2 pairs ${issuerKey} with ${hash}`;
      }
      return undefined;
    },
  },
  {
    id: 'signature-valid',
    clause: 'RFC 5280 §6.1.3 (a)(1)',
    set: 'baseline',
    checks: "the signature verifies with the issuer's public key",
    needsIssuer: true,
    run: ({ cert, issuer }) => {
      const algorithm = signatureAlgorithmByDer(cert.signatureAlgorithm);
      if (!algorithm) return 'the signature algorithm is unknown, so the signature cannot be checked';
      return signatureVerifies(issuer.spki, algorithm.hash, cert.tbs, cert.signature, 'der')
        ? undefined
        : "the signature does not verify with the issuer's public key";
    },
  },
  {
    id: 'no-duplicate-extensions',
    clause: 'RFC 5280 §4.2',
    set: 'baseline',
    checks: 'no extension appears twice',
    needsIssuer: false,
    run: ({ cert }) => {
      const seen = new Set<string>();
      for (const extension of cert.extensions) {
        if (seen.has(extension.oid)) return `${extensionName(extension.oid)} appears more than once`;
        seen.add(extension.oid);
      }
      return undefined;
    },
  },
  {
    id: 'path-length',
    clause: 'RFC 5280 §4.2.1.9, §6.1.4 (l)(m)',
    set: 'baseline',
    checks: "pathLenConstraint is only on a CA and fits inside the issuer's",
    needsIssuer: true,
    run: (context) => {
      const bc = basicConstraintsOf(context, context.cert);
      if (bc?.pathLength !== undefined) {
        if (!bc.ca) return 'pathLenConstraint on a certificate that is not a CA';
        if (!keyUsageOf(context, context.cert)?.usages.includes('keyCertSign')) return 'pathLenConstraint without keyCertSign';
      }
      if (context.selfSigned || !bc?.ca) return undefined;
      const limit = basicConstraintsOf(context, context.issuer)?.pathLength;
      if (limit === undefined) return undefined;
      if (limit === 0) return 'the issuer has pathLenConstraint 0 and may not certify another CA';
      if (bc.pathLength === undefined || bc.pathLength > limit - 1)
        return `pathLenConstraint ${bc.pathLength ?? '(none)'} does not fit under the issuer's ${limit}`;
      return undefined;
    },
  },
  {
    id: 'issuer-is-ca',
    clause: 'RFC 5280 §6.1.4 (k)(n)',
    set: 'baseline',
    checks: 'the issuer is a CA allowed to sign certificates',
    needsIssuer: true,
    run: (context) => {
      if (!basicConstraintsOf(context, context.issuer)?.ca) return 'the issuer certificate is not a CA (basicConstraints)';
      const ku = keyUsageOf(context, context.issuer);
      if (ku && !ku.usages.includes('keyCertSign')) return 'the issuer certificate lacks keyCertSign';
      return undefined;
    },
  },
];
