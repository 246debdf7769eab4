// Profile lints: the certificate is what its X.509 profile says, field by field. The
// baseline lints (baseline-lints.ts) say what any certificate of the kind must be.
import { signatureAlgorithmByDer, signatureAlgorithmFor } from './algorithms.js';
import { decodePolicies, extensionName, extensionTypeOf, profileExtensionValue, subjectKeyIdentifier } from './extensions.js';
import { hex, skiOf, SPKI_ALGORITHMS, spkiAlgorithmHex, type Lint } from './lint-context.js';
import { profileExtension } from './profile.js';
import { formatUtc, toLocal } from './time.js';
import { issuerLimit, profileNotAfter } from './validity.js';

export const PROFILE_LINTS: readonly Lint[] = [
  {
    id: 'serial-as-profile',
    clause: 'profile',
    set: 'profile',
    checks: 'the serial number is as long as the profile says',
    needsIssuer: false,
    run: ({ cert: { serial }, profile }) =>
      serial.length === profile.serial.bytes ? undefined : `serial is ${serial.length} octets; the profile says ${profile.serial.bytes}`,
  },
  {
    id: 'validity-as-profile',
    clause: 'profile',
    set: 'profile',
    checks: 'notAfter is no later than the profile allows and at the time of day it names',
    needsIssuer: false,
    run: ({ cert, issuer, profile }) => {
      const own = profileNotAfter(profile, cert.notBefore);
      const cap = issuerLimit(profile) === 'cap' && issuer.notAfter < own;
      const limit = cap ? issuer.notAfter : own;
      if (cert.notAfter > limit) return `notAfter ${formatUtc(cert.notAfter)} is later than the profile allows for this notBefore (${formatUtc(limit)})`;
      const endOfDay = profile.validity.notAfterTime;
      const cappedAtIssuer = cap && cert.notAfter.getTime() === issuer.notAfter.getTime();
      if (endOfDay && !cappedAtIssuer) {
        const local = toLocal(cert.notAfter, endOfDay.timeZone);
        const time = [local.hour, local.minute, local.second].map((n) => String(n).padStart(2, '0')).join(':');
        if (time !== endOfDay.time) return `notAfter is ${time} in ${endOfDay.timeZone}; the profile ends certificates at ${endOfDay.time}`;
      }
      return undefined;
    },
  },
  {
    id: 'ski-method',
    clause: 'RFC 5280 §4.2.1.2 (1)',
    set: 'profile',
    checks: 'the subject key identifier is the SHA-1 of the subject public key, the method the profile names',
    needsIssuer: false,
    run: (context) => {
      const ski = skiOf(context, context.cert);
      if (!ski) return undefined;
      const expected = subjectKeyIdentifier(context.cert.spki);
      return ski.equals(expected) ? undefined : `subjectKeyIdentifier is ${hex(ski)}, the SHA-1 of the public key is ${hex(expected)}`;
    },
  },
  {
    id: 'signature-as-profile',
    clause: 'profile',
    set: 'profile',
    checks: 'the signature algorithm is the one the profile says for the issuer key',
    needsIssuer: true,
    run: ({ cert, issuer, profile }) => {
      const algorithm = signatureAlgorithmByDer(cert.signatureAlgorithm);
      const issuerIsRsa = SPKI_ALGORITHMS[spkiAlgorithmHex(issuer.spki)] === 'rsaEncryption';
      const hash = issuerIsRsa ? profile.signature.rsa : profile.signature.ec;
      if (!hash) return `the profile allows no ${issuerIsRsa ? 'RSA' : 'EC'} issuer key`;
      const expected = signatureAlgorithmFor(issuerIsRsa ? 'RSA' : 'EC', hash);
      return algorithm?.name === expected.name ? undefined : `signed with ${algorithm?.name ?? 'an unknown algorithm'}; the profile says ${expected.name}`;
    },
  },
  {
    id: 'extensions-as-profile',
    clause: 'profile',
    set: 'profile',
    checks: "the extensions are the profile's, in its order, with its values",
    needsIssuer: false,
    run: (context) => {
      const { cert, profile } = context;
      const actual = cert.extensions.map((e) => extensionName(e.oid));
      const expected = profile.extensions.map((e) => e.type);
      if (actual.join(',') !== expected.join(',')) return `extensions are [${actual.join(', ')}]; the profile says [${expected.join(', ')}]`;
      const issuerKeyIdentifier = context.issuerKnown ? skiOf(context, context.issuer) : undefined;
      for (const [index, entry] of profile.extensions.entries()) {
        // Without the issuer there is nothing to compute the AKI from; aki-matches-issuer says so.
        if (entry.type === 'authorityKeyIdentifier' && !issuerKeyIdentifier) continue;
        // The subscriber's names come with the request, not the profile.
        if (entry.type === 'subjectAltName') continue;
        const wanted = profileExtensionValue(entry, { subjectSpki: cert.spki, issuerKeyIdentifier });
        if (!wanted.value.equals(cert.extensions[index]!.value)) return `${entry.type} does not have the value the profile gives`;
      }
      return undefined;
    },
  },
  {
    id: 'criticality-as-profile',
    clause: 'profile',
    set: 'profile',
    checks: 'each extension is critical or not as the profile says',
    needsIssuer: false,
    run: ({ cert, profile }) => {
      for (const extension of cert.extensions) {
        const type = extensionTypeOf(extension.oid);
        const entry = type ? profileExtension(profile, type) : undefined;
        if (!entry) continue;
        if (entry.critical !== extension.critical)
          return `${entry.type} is ${extension.critical ? '' : 'not '}critical; the profile says ${entry.critical ? 'critical' : 'not critical'}`;
      }
      return undefined;
    },
  },
  {
    id: 'policies-as-profile',
    clause: 'RFC 5280 §4.2.1.4; BR §7.1.2.10.5',
    set: 'profile',
    checks: "the certificate policies are the profile's, each once",
    needsIssuer: false,
    run: (context) => {
      const extension = context.extension('certificatePolicies', context.cert);
      const actual = extension ? decodePolicies(extension.value) : [];
      const expected = profileExtension(context.profile, 'certificatePolicies')?.policies ?? [];
      if (new Set(actual).size !== actual.length) return 'a policy OID appears more than once';
      return actual.join(',') === expected.join(',') ? undefined : `policies are [${actual.join(', ')}]; the profile says [${expected.join(', ')}]`;
    },
  },
];
