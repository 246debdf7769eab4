// The secret canary (issue 9, item 6). After a run, every secret that run could have seen is
// rebuilt from the dry-run share files — the shares themselves, each share set's secret
// (combined through src/quorum and checked against its manifest), and the HSM PIN derived
// from it (derivePin, with the credential's pinLength) — in every encoding keyceremony uses:
//
//   share:  the envelope as issued (groups and dashes), without dashes, lower and upper case;
//           its secrets.js-grempe share string and payload hex;
//   secret: raw bytes, hex, base64, base64url, base32 (RFC 4648 and Crockford);
//   PIN:    its text (and raw bytes), hex, base64.
//
// Then every file under the given roots (the workdir, recursively; state.json and every
// saved snapshot) and every captured stream (stdout, stderr) is searched. The one place
// shares may be is a dry-run-shares/ folder, which a `dryRun: true` profile asks for; it is
// skipped. The SoftHSM token store is the HSM's, not ours: callers do not pass it.
import type { Test } from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { base32, base32crockford } from '@scure/base';
import { parseDefinition } from '../../src/definition/loader.js';
import { combine, derivePin, parseManifest, type ShareSetManifest } from '../../src/quorum/index.js';
import { decodeEnvelope } from '../../src/quorum/envelope.js';
import { payloadToShareString } from '../../src/quorum/shamir.js';

export interface Needle {
  /** What it is, e.g. `share hc1 of hca-user-pin (set 0S9F…) without dashes`; never the value. */
  what: string;
  text: string;
}

export interface Canary {
  /** Searched case-insensitively in text. */
  needles: Needle[];
  /** Searched byte for byte. */
  raw: Array<{ what: string; bytes: Buffer }>;
  shares: number;
  secrets: number;
  pins: number;
  /** The PIN of each credential, for tests that need to log in with pkcs11-tool. */
  pinOf(credential: string): Buffer | undefined;
}

export interface Hit {
  where: string;
  what: string;
}

interface ShareLine {
  credential: string;
  setId: string;
  text: string;
  holder: string;
}

function walk(dir: string, skip: (name: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip(entry.name)) walk(path, skip, out);
    } else if (entry.isFile()) out.push(path);
    else if (entry.isSymbolicLink() && statSync(path).isFile()) out.push(path);
  }
  return out;
}

function readManifests(workdir: string): ShareSetManifest[] {
  const found: ShareSetManifest[] = [];
  for (const file of [...walk(join(workdir, 'outputs'), () => false), ...walk(join(workdir, 'inputs'), () => false)]) {
    if (!file.endsWith('.json') && !file.includes('manifest')) continue;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown };
      if (json.format === 'keyceremony-share-set') found.push(parseManifest(json, file));
    } catch {
      // not a manifest
    }
  }
  return found;
}

/**
 * Rebuilds every secret reachable from the dry-run share files of `workdirs` (a ceremony's
 * own workdir and the workdirs it took shares from). Throws if a share set found in a share
 * file cannot be combined although a quorum of it is there: the canary must not go blind.
 */
export function buildCanary(workdirs: string[]): Canary {
  const lines: ShareLine[] = [];
  const manifests = new Map<string, ShareSetManifest>();
  const pinSpecs = new Map<string, number>();
  for (const workdir of workdirs) {
    for (const file of walk(join(workdir, 'dry-run-shares'), () => false)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const [credential, setId, ...rest] = line.trim().split(/\s+/);
        if (credential && setId && rest.length > 0) lines.push({ credential, setId, text: rest.join(' '), holder: relative(workdir, file) });
      }
    }
    for (const manifest of readManifests(workdir)) manifests.set(manifest.setId, manifest);
    const definitionFile = join(workdir, 'definition.yaml');
    if (existsSync(definitionFile)) {
      const definition = parseDefinition(definitionFile, readFileSync(definitionFile, 'utf8'), { checkFiles: false });
      for (const [name, credential] of Object.entries(definition.credentials)) pinSpecs.set(name, credential.pinLength);
    }
  }

  const needles: Needle[] = [];
  const raw: Canary['raw'] = [];
  const pins = new Map<string, Buffer>();
  const seen = new Set<string>();
  for (const share of lines) {
    if (seen.has(share.text)) continue;
    seen.add(share.text);
    const name = `share ${share.holder} of ${share.credential} (set ${share.setId})`;
    const plain = share.text.replace(/-/g, '');
    needles.push({ what: `${name} as issued`, text: share.text }, { what: `${name} without dashes`, text: plain });
    const decoded = decodeEnvelope(share.text);
    const shareString = payloadToShareString(decoded.payload);
    needles.push({ what: `${name} as a secrets.js share string`, text: shareString }, { what: `${name} payload hex`, text: decoded.payload.toString('hex') });
  }

  const sets = new Map<string, ShareLine[]>();
  for (const share of lines) sets.set(`${share.credential} ${share.setId}`, [...(sets.get(`${share.credential} ${share.setId}`) ?? []), share]);
  let secrets = 0;
  for (const [key, members] of sets) {
    const [credential, setId] = key.split(' ') as [string, string];
    const manifest = manifests.get(setId);
    const texts = [...new Set(members.map((m) => m.text))];
    if (!manifest || texts.length < manifest.threshold) continue;
    const secret = combine(texts.slice(0, manifest.threshold), manifest);
    secrets++;
    const name = `secret of ${credential} (set ${setId})`;
    raw.push({ what: `${name} raw`, bytes: Buffer.from(secret) });
    needles.push(
      { what: `${name} hex`, text: secret.toString('hex') },
      { what: `${name} base64`, text: secret.toString('base64') },
      { what: `${name} base64url`, text: secret.toString('base64url') },
      { what: `${name} base32`, text: base32.encode(secret).replace(/=+$/, '') },
      { what: `${name} base32 (Crockford)`, text: base32crockford.encode(secret) },
    );
    const length = pinSpecs.get(credential);
    if (length === undefined) throw new Error(`canary: no definition names credential ${credential}, so its PIN length is unknown`);
    const pin = derivePin(secret, length);
    pins.set(credential, Buffer.from(pin));
    raw.push({ what: `PIN of ${credential} (set ${setId})`, bytes: Buffer.from(pin) });
    needles.push(
      { what: `PIN of ${credential} (set ${setId}) hex`, text: pin.toString('hex') },
      { what: `PIN of ${credential} (set ${setId}) base64`, text: pin.toString('base64') },
    );
  }
  return { needles, raw, shares: seen.size, secrets, pins: pins.size, pinOf: (credential) => pins.get(credential) };
}

function scanBytes(canary: Canary, bytes: Buffer, where: string, hits: Hit[]): void {
  const text = bytes.toString('latin1').toLowerCase();
  for (const needle of canary.needles) if (text.includes(needle.text.toLowerCase())) hits.push({ where, what: needle.what });
  for (const secret of canary.raw) if (bytes.includes(secret.bytes)) hits.push({ where, what: secret.what });
}

/** Every file under `roots` except dry-run-shares/ folders, and the named streams. */
export function scanForSecrets(canary: Canary, options: { roots?: string[]; streams?: Record<string, string> }): Hit[] {
  const hits: Hit[] = [];
  for (const root of options.roots ?? []) {
    const files = existsSync(root) && statSync(root).isFile() ? [root] : walk(root, (name) => name === 'dry-run-shares');
    for (const file of files) scanBytes(canary, readFileSync(file), file, hits);
  }
  for (const [name, text] of Object.entries(options.streams ?? {})) scanBytes(canary, Buffer.from(text, 'utf8'), name, hits);
  return hits;
}

/** The canary's verdict as assertions: it knows some secrets, and none of them is found. */
export function assertNoSecretsLeaked(t: Test, canary: Canary, options: { roots?: string[]; streams?: Record<string, string> }, what = 'the run'): void {
  t.ok(canary.shares > 0 && canary.secrets > 0 && canary.pins > 0, `canary knows ${canary.shares} shares, ${canary.secrets} secrets, ${canary.pins} PINs`);
  const hits = scanForSecrets(canary, options);
  t.same(hits, [], `no share, secret or PIN in what ${what} wrote or printed`);
}
