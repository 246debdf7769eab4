// The share-set manifest: public JSON that says what a share set is, who holds which share,
// and how to recognise the right shares and the right secret without knowing either.
//
// - commitment (per share) = SHA-256("keyceremony/share-commitment/v1" 0x00 body), where
//   body is the share's envelope bytes before its checksum (envelope.ts);
// - verifier (of the secret) = SHA-256("keyceremony/secret-verifier/v1" 0x00 setId 0x00 secret).
// Plain hashes are enough: the secret is 256 random bits and every share holds at least as
// many unknown bits, so neither can be found by trying values. They must not be used for
// secrets a person chose (split() only takes secrets of 16 bytes or more; newSecret() makes them).
import { createHash, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { INPUT_FILE_LIMIT, readBounded } from '../util/bounded-read.js';
import { fingerprint, type Fingerprint } from '../util/fingerprint.js';
import { jsonProblem } from '../util/json-error.js';
import { decodeUtf8 } from '../util/utf8.js';
import { SET_ID_PATTERN } from './envelope.js';
import { errorCode } from '../util/storage.js';

export const MANIFEST_FORMAT = 'keyceremony-share-set';
export const MANIFEST_VERSION = 1;
export const MAX_SHARES = 255;

export interface ManifestShare {
  index: number;
  /** The participant id of the custodian who holds this share. */
  custodian: string;
  /** Lower-case hex SHA-256, see above. */
  commitment: string;
}

export interface ShareSetManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** 8 Crockford base32 characters; also inside every share of the set. */
  setId: string;
  /** The credential the secret is for, e.g. `hca-user-pin`. */
  label?: string | undefined;
  /** ISO 8601. */
  createdAt: string;
  threshold: number;
  count: number;
  /** One entry per share, index 1..count in order. */
  shares: ManifestShare[];
  /** Lower-case hex SHA-256, see above. */
  verifier: string;
  /** The set id of the set this one replaced by rotation. */
  replaces?: string | undefined;
}

const CUSTODIAN_NAME = /^[^\p{C}\s](?:[^\p{C}]{0,62}[^\p{C}\s])?$/u;

/** Why a custodian name is not acceptable, or undefined when it is. */
export function custodianNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name === '') return 'must not be empty';
  if (!CUSTODIAN_NAME.test(name)) return 'must be 1 to 64 characters without control characters or spaces at either end';
  return undefined;
}

/** Custodian names are compared the way people would read them: case and Unicode form aside. */
export function sameCustodianName(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const hex256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex characters (SHA-256)' });
const setId = z.string().regex(SET_ID_PATTERN, { error: 'must be 8 Crockford base32 characters (0-9, A-Z without I, L, O, U)' });

export const manifestSchema = z
  .strictObject({
    format: z.literal(MANIFEST_FORMAT, { error: `must be "${MANIFEST_FORMAT}"` }),
    version: z.literal(MANIFEST_VERSION, { error: `must be ${MANIFEST_VERSION} (the manifest version this keyceremony reads)` }),
    setId,
    label: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' }).optional(),
    createdAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time' }),
    threshold: wholeNumber(2, MAX_SHARES),
    count: wholeNumber(2, MAX_SHARES),
    shares: z.array(
      z.strictObject({
        index: wholeNumber(1, MAX_SHARES),
        custodian: z.string().refine((name) => custodianNameProblem(name) === undefined, { error: 'must be 1 to 64 characters without control characters' }),
        commitment: hex256,
      }),
    ),
    verifier: hex256,
    replaces: setId.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.threshold > m.count) ctx.addIssue({ code: 'custom', path: ['threshold'], message: `must not be more than count (${m.count})` });
    if (m.shares.length !== m.count) ctx.addIssue({ code: 'custom', path: ['shares'], message: `must list ${m.count} shares (count), not ${m.shares.length}` });
    m.shares.forEach((share, i) => {
      if (share.index !== i + 1) ctx.addIssue({ code: 'custom', path: ['shares', i, 'index'], message: `must be ${i + 1} (shares are listed in index order)` });
      if (m.shares.findIndex((other) => sameCustodianName(other.custodian, share.custodian)) !== i) {
        ctx.addIssue({ code: 'custom', path: ['shares', i, 'custodian'], message: `names a custodian who already holds a share` });
      }
      if (m.shares.findIndex((other) => other.commitment === share.commitment) !== i) {
        ctx.addIssue({ code: 'custom', path: ['shares', i, 'commitment'], message: 'repeats the commitment of another share' });
      }
    });
  });

function hashWithDomain(domain: string, ...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256').update(domain);
  for (const part of parts) hash.update(Buffer.of(0)).update(part);
  return hash.digest();
}

/** The manifest's commitment to one share, from the share's envelope body. */
export function shareCommitment(body: Uint8Array): string {
  return hashWithDomain('keyceremony/share-commitment/v1', body).toString('hex');
}

/** The manifest's verifier of the set's secret. */
export function secretVerifier(setIdText: string, secret: Uint8Array): string {
  return hashWithDomain('keyceremony/secret-verifier/v1', Buffer.from(setIdText, 'ascii'), secret).toString('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function commitmentMatches(manifest: ShareSetManifest, index: number, body: Uint8Array): boolean {
  const share = manifest.shares[index - 1];
  return share !== undefined && sameHex(share.commitment, shareCommitment(body));
}

export function verifierMatches(manifest: ShareSetManifest, secret: Uint8Array): boolean {
  return sameHex(manifest.verifier, secretVerifier(manifest.setId, secret));
}

export function custodianOf(manifest: ShareSetManifest, index: number): string | undefined {
  return manifest.shares[index - 1]?.custodian;
}

/** How the manifest is named in messages: `set 7KQM3XA9 ("hca-user-pin")`. */
export function describeSet(manifest: Pick<ShareSetManifest, 'setId' | 'label'>): string {
  return manifest.label === undefined ? `set ${manifest.setId}` : `set ${manifest.setId} ("${manifest.label}")`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const path =
    issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(top level)';
  if (issue.code === 'unrecognized_keys') return `${path === '(top level)' ? '' : `${path}.`}${issue.keys.join(', ')} is not a known key`;
  if (issue.path.length === 0 && issue.code === 'invalid_type') return 'is not a share-set manifest: a JSON object is expected';
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(root, issue.path) === undefined) return `${path} is required`;
  const message = issue.message.startsWith('Invalid input') ? `must be ${issue.code === 'invalid_type' ? `a ${issue.expected}` : 'valid'}` : issue.message;
  return `${path} ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

const MANIFEST_HINT = 'a share-set manifest is the JSON file written when the shares were split; use the one recorded in the journal';

/** Checks a parsed JSON value as a manifest; `source` names it in messages (a file path). */
export function parseManifest(value: unknown, source: string): ShareSetManifest {
  const result = manifestSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, value));
  const more = problems.length > 1 ? `\n  ${problems.slice(1).join('\n  ')}` : '';
  throw new InputError(`${source}: ${problems[0] ?? 'not a share-set manifest'}${more}`, { hint: MANIFEST_HINT, code: 'manifest.invalid' });
}

/** Reads and checks a manifest file strictly; every error names the file. */
export function loadManifest(file: string): ShareSetManifest {
  let bytes: Buffer;
  try {
    bytes = readBounded(file, { what: 'share-set manifest', maxBytes: INPUT_FILE_LIMIT });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read share-set manifest ${file}: ${errorCode(error) ?? String(error)}`, {
      hint: 'check the path',
      code: 'file.unreadable',
      details: { file, reason: errorCode(error) ?? 'error' },
    });
  }
  return parseManifestText(decodeUtf8(bytes, file, 'share-set manifest'), file);
}

/** A manifest from the text of `file` (already read, e.g. to check its SHA-256 first). */
export function parseManifestText(text: string, file: string): ShareSetManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON: ${jsonProblem(error)}`, { hint: MANIFEST_HINT, code: 'manifest.json' });
  }
  return parseManifest(value, file);
}

/** The manifest as it is written to a file: pretty JSON, keys in a fixed order, final newline. */
export function serializeManifest(manifest: ShareSetManifest): string {
  const { format, version, setId, label, createdAt, threshold, count, shares, verifier, replaces } = manifest;
  const ordered = {
    format,
    version,
    setId,
    ...(label === undefined ? {} : { label }),
    createdAt,
    threshold,
    count,
    shares: shares.map(({ index, custodian, commitment }) => ({ index, custodian, commitment })),
    verifier,
    ...(replaces === undefined ? {} : { replaces }),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** SHA-256 (and PGP words) of the manifest's RFC 8785 canonical JSON, for the journal and the paper log. */
export function manifestFingerprint(manifest: ShareSetManifest): Fingerprint {
  return fingerprint(canonicalize(JSON.parse(serializeManifest(manifest))) ?? '');
}
