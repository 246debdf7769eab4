// The test matrix: the same tests on two independent PKCS#11 implementations, SoftHSMv2 and
// NSS softoken (issue 19). A TokenStore makes throwaway tokens on one of them and looks at
// them with that implementation's own independent tool: pkcs11-tool for SoftHSM (through
// the module), certutil for NSS (through the database; pkcs11-tool cannot pass NSS its
// library parameters).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';
import { ALL_CAPABLE, type TokenCapabilities } from '../../src/hsm/profile.js';
import type { KeyPairInfo } from '../../src/hsm/types.js';
import { NSS_CAPABILITIES, nss } from './nss.js';
import { openssl } from './openssl.js';
import { pkcs11Tool, pkcs11ToolLoggedIn, softhsm, type TokenPins } from './softhsm.js';

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

/** A private key as the independent tool lists it. */
export interface ListedKey {
  label: string;
  /** CKA_ID, lower-case hex. */
  id: string;
  /** The tool's whole entry, for implementation-specific checks. */
  text: string;
}

export interface TokenStore {
  readonly implementation: Implementation;
  dir: string;
  modulePath: string;
  /** What the tokens of this implementation can do, as its profiles say. */
  capabilities: TokenCapabilities;
  /** A token ready for ceremonies: initialised, with a random user PIN (and SO PIN where there is one). */
  initToken(label: string): TokenPins;
  open(): Pkcs11Hsm;
  /** An HSM profile for the named tokens (dryRun: true unless told). */
  profile(tokens: Record<string, string>, options?: { dryRun?: boolean; name?: string }): string;
  /** The private keys on a token, listed by the independent tool logged in with `pin`. */
  privateKeys(label: string, pin: Buffer): Promise<ListedKey[]>;
  /** Whether exportSpki can export EC public keys (OpenSC 0.23's pkcs11-tool cannot under OpenSSL 3). */
  exportsEcKeys: boolean;
  /** The SubjectPublicKeyInfo (DER) of a key pair, exported by the independent tool. */
  exportSpki(label: string, pin: Buffer, key: KeyPairInfo): Promise<Buffer>;
}

export type Implementation = 'SoftHSM' | 'NSS softoken';

function softhsmStore(t: Teardown): TokenStore {
  const fx = softhsm(t);
  return {
    implementation: 'SoftHSM',
    dir: fx.dir,
    modulePath: fx.modulePath,
    capabilities: ALL_CAPABLE,
    initToken: (label) => fx.initToken(label),
    open: () => fx.open(),
    profile: (tokens, options) => fx.profile(tokens, options),
    exportsEcKeys: false,
    async privateKeys(label, pin) {
      const listing = await pkcs11ToolLoggedIn(fx, label, pin, ['--list-objects', '--type', 'privkey']);
      if (listing.code !== 0) throw new Error(`pkcs11-tool: ${listing.stderr}`);
      return listing.stdout
        .split('Private Key Object')
        .slice(1)
        .map((text) => ({ label: /label:\s+(.*)/.exec(text)?.[1]?.trim() ?? '', id: /ID:\s+([0-9a-f]+)/.exec(text)?.[1] ?? '', text }));
    },
    async exportSpki(label, _pin, key) {
      const file = join(fx.dir, `${key.id}.der`);
      const exported = await pkcs11Tool(fx, ['--token-label', label, '--read-object', '--type', 'pubkey', '--id', key.id, '--output-file', file]);
      if (exported.code !== 0) throw new Error(`pkcs11-tool: ${exported.stderr}`);
      const der = readFileSync(file);
      rmSync(file);
      return der;
    },
  };
}

function nssStore(t: Teardown): TokenStore {
  const fx = nss(t);
  return {
    implementation: 'NSS softoken',
    dir: fx.dir,
    modulePath: fx.modulePath,
    capabilities: NSS_CAPABILITIES,
    initToken: (label) => fx.initToken(label),
    open: () => fx.open(),
    profile: (tokens, options) => fx.profile(tokens, options),
    exportsEcKeys: true,
    async privateKeys(label, pin) {
      const listing = await fx.certutil(label, pin, ['-K']);
      if (listing.code !== 0 && !/certutil: no keys found/.test(listing.stdout + listing.stderr))
        throw new Error(`certutil -K: exit ${listing.code}: ${listing.stderr}${listing.stdout}`);
      // `< 0> rsa      d8ddcf69…  rsa-2048`
      return [...listing.stdout.matchAll(/^<\s*\d+>\s+\w+\s+([0-9a-f]+)\s+(.*)$/gm)].map((m) => ({ label: m[2]!.trim(), id: m[1]!, text: m[0] }));
    },
    async exportSpki(label, pin, key) {
      // certutil has no public key export, but it makes a request signed with the key: openssl
      // checks the request's self-signature and prints its public key.
      const request = await fx.certutil(label, pin, [
        '-R',
        '-k',
        key.id,
        '-s',
        'CN=keyceremony test export',
        '-a',
        ...(key.algorithm.type === 'EC' ? ['-Z', 'SHA384'] : []),
      ]);
      if (request.code !== 0) throw new Error(`certutil -R: ${request.stderr}`);
      const pubkey = await openssl((d) => ['req', '-in', join(d, 'req.pem'), '-noout', '-verify', '-pubkey'], { 'req.pem': request.stdout });
      if (pubkey.code !== 0 || !/verify OK/.test(pubkey.stdout + pubkey.stderr)) throw new Error(`openssl req: ${pubkey.stderr}`);
      const spki = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(pubkey.stdout);
      if (!spki) throw new Error(`openssl req printed no public key: ${pubkey.stdout}`);
      return Buffer.from(spki[1]!.replace(/\s+/g, ''), 'base64');
    },
  };
}

export const IMPLEMENTATIONS: ReadonlyArray<{ name: Implementation; store: (t: Teardown) => TokenStore }> = [
  { name: 'SoftHSM', store: softhsmStore },
  { name: 'NSS softoken', store: nssStore },
];
