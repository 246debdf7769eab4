// Verification that does not trust what made the certificate: a chain is checked
// signature by signature, name by name, with validity, basicConstraints, keyUsage and
// pathLenConstraint (RFC 5280 §6.1, as far as a CA's own chain needs), and a certificate
// can be matched to the public key of an HSM key pair.
import { createPublicKey } from 'node:crypto';
import { KeyceremonyError } from '../errors.js';
import { signatureAlgorithmByDer } from './algorithms.js';
import { findExtension, readCertificate, type ParsedCertificate } from './certificate.js';
import { decodeBasicConstraints, decodeKeyUsage, extensionName } from './extensions.js';
import { formatName } from './names.js';
import { EXTENSION_OIDS } from './rules.js';
import { signatureVerifies } from './signer.js';
import { formatUtc } from './time.js';

/** True when the certificate certifies exactly this public key (SPKI, DER). */
export function certificateMatchesKey(certificate: Buffer, spki: Buffer): boolean {
  const parsed = readCertificate(certificate, 'certificate');
  if (parsed.spki.equals(spki)) return true;
  try {
    // The same key can be written two ways (e.g. a compressed EC point); compare the keys.
    return createPublicKey({ key: parsed.spki, format: 'der', type: 'spki' }).equals(createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  } catch {
    return false;
  }
}

/** True when `certificate` is signed by the key of `issuer`, with an algorithm we accept. */
export function signedBy(certificate: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!certificate.signatureAlgorithm.equals(certificate.tbsSignatureAlgorithm)) return false;
  const algorithm = signatureAlgorithmByDer(certificate.signatureAlgorithm);
  return algorithm !== undefined && signatureVerifies(issuer.spki, algorithm.hash, certificate.tbs, certificate.signature, 'der');
}

function chainError(code: string, message: string, hint: string): KeyceremonyError {
  return new KeyceremonyError(message, { code: `x509.chain.${code}`, hint });
}

function label(index: number, total: number, certificate: ParsedCertificate): string {
  let name: string;
  try {
    name = formatName(certificate.subject);
  } catch {
    name = 'unreadable subject';
  }
  return `certificate ${index + 1} of ${total} (${name})`;
}

/**
 * Extensions this check understands; any other critical extension makes a certificate
 * unusable (RFC 5280 §4.2). nameConstraints limits only the certificates below the one that
 * carries it, and this check does not apply it to them: it is understood on the leaf only.
 */
const UNDERSTOOD = new Set(Object.values(EXTENSION_OIDS).filter((oid) => oid !== EXTENSION_OIDS.nameConstraints));

/**
 * Checks a chain given leaf first and the self-signed root last, at time `at`. Throws a
 * KeyceremonyError naming the first certificate that fails and why.
 */
export function verifyChain(leafToRoot: Buffer[], at: Date = new Date()): void {
  if (leafToRoot.length === 0) throw chainError('empty', 'the certificate chain is empty', 'give the certificates leaf first, root last');
  const chain = leafToRoot.map((der, i) => readCertificate(der, `certificate ${i + 1} of ${leafToRoot.length}`));
  const total = chain.length;
  const root = chain[total - 1]!;
  const rootLabel = label(total - 1, total, root);
  if (!root.issuer.equals(root.subject) || !signedBy(root, root)) {
    throw chainError(
      'anchor',
      `${rootLabel} is not a self-signed root`,
      'end the chain with the root certificate; give the certificates leaf first, root last',
    );
  }

  chain.forEach((certificate, index) => {
    const name = label(index, total, certificate);
    const issuer = chain[index + 1] ?? certificate;
    const issuerName = label(Math.min(index + 1, total - 1), total, issuer);

    if (index < total - 1 && !certificate.issuer.equals(issuer.subject)) {
      throw chainError(
        'name',
        `${name} names issuer ${formatName(certificate.issuer)}, but ${issuerName} is not that CA`,
        'give the certificates leaf first, root last, each followed by its issuer',
      );
    }
    if (!signedBy(certificate, issuer)) {
      throw chainError(
        'signature',
        `${name}: the signature does not verify with the public key of ${issuerName}`,
        'the certificate was altered or was not issued by that key',
      );
    }
    if (at < certificate.notBefore) {
      throw chainError(
        'not-yet-valid',
        `${name} is not valid until ${formatUtc(certificate.notBefore)} (checked at ${formatUtc(at)})`,
        'check the ceremony terminal clock',
      );
    }
    if (at > certificate.notAfter) {
      throw chainError(
        'expired',
        `${name} expired at ${formatUtc(certificate.notAfter)} (checked at ${formatUtc(at)})`,
        'a certificate past its notAfter cannot be used',
      );
    }
    const critical = certificate.extensions.find((e) => e.critical && !UNDERSTOOD.has(e.oid) && !(index === 0 && e.oid === EXTENSION_OIDS.nameConstraints));
    if (critical) {
      throw chainError(
        'critical-extension',
        `${name} has a critical extension keyceremony does not process: ${extensionName(critical.oid)}`,
        'RFC 5280 §4.2 requires rejecting it',
      );
    }
    if (index === 0) return;

    // Every certificate above the leaf issues certificates: RFC 5280 §6.1.4 (k), (l), (m), (n).
    const bcExtension = findExtension(certificate, EXTENSION_OIDS.basicConstraints);
    const bc = bcExtension ? decodeBasicConstraints(bcExtension.value) : undefined;
    if (!bc?.ca)
      throw chainError('not-ca', `${name} issues a certificate but is not a CA (basicConstraints)`, 'only a CA certificate may sign other certificates');
    const kuExtension = findExtension(certificate, EXTENSION_OIDS.keyUsage);
    if (kuExtension && !decodeKeyUsage(kuExtension.value).includes('keyCertSign')) {
      throw chainError('key-usage', `${name} issues a certificate but its keyUsage lacks keyCertSign`, 'the issuer key may not sign certificates');
    }
    if (bc.pathLength !== undefined) {
      // Non-self-issued CA certificates below this one, not counting the leaf.
      const below = chain.slice(1, index).filter((c) => !c.issuer.equals(c.subject)).length;
      if (below > bc.pathLength) {
        throw chainError(
          'path-length',
          `${name} allows ${bc.pathLength} CA certificate${bc.pathLength === 1 ? '' : 's'} below it (pathLenConstraint) but the chain has ${below}`,
          'the chain is longer than the issuer permits',
        );
      }
    }
  });
}
