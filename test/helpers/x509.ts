// Shared fixtures for the x509 tests: CA keys on a throwaway SoftHSM token (generated once
// per test file, RSA-4096 takes seconds), openssl as the independent checker, and a
// signer wrapper that counts how often the HSM was asked to sign.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HsmSession } from '../../src/hsm/hsm.js';
import type { HashName, KeyAlgorithm } from '../../src/hsm/types.js';
import { signatureAlgorithmFor } from '../../src/x509/algorithms.js';
import { assembleCertificate, encodeTbs, parseCertificate, randomSerial, type TbsInput } from '../../src/x509/certificate.js';
import { signForX509 } from '../../src/x509/webcrypto-bridge.js';
import { hsmSigner, type KeySigner } from '../../src/x509/signer.js';
import { loadX509Profile, type X509Profile } from '../../src/x509/profile.js';
import type { NameAttributes } from '../../src/x509/names.js';
import { openssl, pem } from './openssl.js';
import { softhsm, type RunResult, type SoftHsmFixture } from './softhsm.js';

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

export const PROFILES_DIR = fileURLToPath(new URL('../../ceremonies/profiles/x509/', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../x509/fixtures/', import.meta.url));

export function profile(name: 'root-ca' | 'subordinate-ca' | 'link-ca' | 'ocsp-responder' | 'end-entity'): X509Profile {
  return loadX509Profile(join(PROFILES_DIR, `${name}.yaml`));
}

/** MOICA-G3, a real subordinate CA certificate issued by GRCA G3 (see fixtures/README.md). */
export function moicaG3(): Buffer {
  return readFileSync(join(FIXTURES_DIR, 'moica-g3.cer'));
}

export const HCA_G3: NameAttributes = [
  { type: 'C', value: 'TW' },
  { type: 'O', value: '行政院' },
  { type: 'CN', value: '醫事憑證管理中心 - G3' },
];

/** The dry-run stand-in for GRCA G3: its name says plainly that it is a rehearsal root. */
export const DRY_RUN_ROOT: NameAttributes = [
  { type: 'C', value: 'TW' },
  { type: 'O', value: '行政院' },
  { type: 'CN', value: 'DRY RUN Government Root Certification Authority - G3 (演練用)' },
];

export interface CaKeys {
  fx: SoftHsmFixture;
  session: HsmSession;
  signers: Record<string, KeySigner>;
}

// openssl on files in a temp dir: the one runner in helpers/openssl.ts (it tolerates a command
// that exits before reading its stdin).
export { openssl } from './openssl.js';

/** One SoftHSM token with the named key pairs, logged in for the whole test file. */
export async function caKeys(t: Teardown, token: string, keys: Record<string, KeyAlgorithm>): Promise<CaKeys> {
  const fx = softhsm(t);
  const pins = fx.initToken(token);
  const hsm = fx.open();
  const session = hsm.openSession(token);
  t.teardown(() => {
    session.close();
    hsm.finalize();
  });
  session.login('user', pins.userPin);
  const signers: Record<string, KeySigner> = {};
  for (const [label, algorithm] of Object.entries(keys)) {
    await session.generateKeyPair(label, algorithm);
    signers[label] = hsmSigner(session, label);
  }
  return { fx, session, signers };
}

/** Wraps a signer and counts its signatures, to show when the HSM was (not) used. */
export function counting(signer: KeySigner): KeySigner & { count: number } {
  const wrapped = {
    label: signer.label,
    algorithm: signer.algorithm,
    spki: signer.spki,
    count: 0,
    sign: (hash: Parameters<KeySigner['sign']>[0], data: Uint8Array) => {
      wrapped.count++;
      return signer.sign(hash, data);
    },
  };
  return wrapped;
}

/** `openssl verify -x509_strict` of `leaf` with `root` trusted and `intermediates` untrusted. */
export function opensslVerify(leaf: Buffer, root: Buffer, intermediates: Buffer[] = [], extra: string[] = []): Promise<RunResult> {
  const files: Record<string, string> = { 'leaf.pem': pem('CERTIFICATE', leaf), 'root.pem': pem('CERTIFICATE', root) };
  if (intermediates.length) files['untrusted.pem'] = intermediates.map((c) => pem('CERTIFICATE', c)).join('');
  return openssl(
    (d) => [
      'verify',
      '-x509_strict',
      ...extra,
      '-CAfile',
      join(d, 'root.pem'),
      ...(intermediates.length ? ['-untrusted', join(d, 'untrusted.pem')] : []),
      join(d, 'leaf.pem'),
    ],
    files,
  );
}

/** `openssl asn1parse` of DER. */
export async function asn1parse(der: Buffer, args: string[] = []): Promise<string> {
  const result = await openssl((d) => ['asn1parse', '-inform', 'DER', '-in', join(d, 'x.der'), ...args], { 'x.der': der });
  if (result.code !== 0) throw new Error(`openssl asn1parse failed: ${result.stderr}`);
  return result.stdout;
}

/** `openssl x509 -text` of a certificate. */
export async function opensslText(der: Buffer): Promise<string> {
  const result = await openssl((d) => ['x509', '-inform', 'DER', '-in', join(d, 'c.der'), '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space'], {
    'c.der': der,
  });
  if (result.code !== 0) throw new Error(`openssl x509 failed: ${result.stderr}`);
  return result.stdout;
}

/** Flips one bit of a copy, to damage a signature or a signed field. */
export function flipByte(der: Buffer, offset: number): Buffer {
  const copy = Buffer.from(der);
  copy[offset]! ^= 0x01;
  return copy;
}

/**
 * A certificate signed in the HSM from TBS parts as given, with no lints: for the
 * malformed certificates that lint and chain tests need, which issuance would refuse.
 */
export async function rawCertificate(parts: TbsInput, signer: KeySigner, hash: HashName = 'SHA-256', outer?: Buffer): Promise<Buffer> {
  const tbs = encodeTbs(parts);
  const { signature } = await signForX509(signer, hash, tbs);
  return assembleCertificate(tbs, outer ?? parts.signatureAlgorithm, signature);
}

/** TBS parts copying a (root) certificate's names and validity, for `signer`'s key. */
export function rootParts(certificate: Buffer, signer: KeySigner, hash: HashName = 'SHA-256'): TbsInput {
  const parsed = parseCertificate(certificate);
  return {
    serial: randomSerial(16),
    signatureAlgorithm: signatureAlgorithmFor(signer.algorithm.type, hash).der,
    issuer: parsed.subject,
    subject: parsed.subject,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    spki: signer.spki,
    extensions: parsed.extensions.map((e) => ({ oid: e.oid, critical: e.critical, value: e.value })),
  };
}
