// The key backup file (issue 18; docs/backup-format.md): a private key wrapped under a KEK,
// with a header that says which key it is and which KEK share set opens it, and a MAC under
// the KEK over the exact bytes of header and blob. Two lines of text:
//
//   {"format":"keyceremony-key-backup","header":{…},"version":1,"wrapped":"<base64>"}   canonical JSON (RFC 8785)
//   hmac-sha256 <64 hex digits>
//
// The MAC key is derived from the KEK (HKDF-SHA256, salt = the KEK set id), so the KEK itself
// is used for AES key wrap only. The MAC covers the first line byte for byte, and that line must
// be the canonical JSON of what it says, so any byte changed anywhere in the file is refused.
import { X509Certificate, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { canonicalJson } from '../journal/canonical-json.js';
import { sha256 } from '../util/fingerprint.js';

export const BACKUP_FORMAT = 'keyceremony-key-backup';
export const BACKUP_VERSION = 1;
const MAC_INFO = 'keyceremony/key-backup/v1/mac';
const MAC_PREFIX = 'hmac-sha256 ';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const headerSchema = z.strictObject({
  /** CKA_LABEL and CKA_ID (hex) of the private key, as restore-key gives them again. */
  label: z.string().min(1).max(128),
  id: z.string().regex(/^([0-9a-f]{2})+$/),
  algorithm: z.union([
    z.strictObject({ type: z.literal('RSA'), bits: z.number().int() }),
    z.strictObject({ type: z.literal('EC'), curve: z.enum(['P-256', 'P-384', 'P-521']) }),
  ]),
  /** The public key (DER, base64) and its SHA-256: the restored key must sign under it. */
  spki: base64,
  spkiSha256: hex(32),
  mechanism: z.literal('CKM_AES_KEY_WRAP_PAD'),
  /** The KEK: its credential, share set and the set manifest's verifier of the secret. */
  kek: z.strictObject({ credential: z.string().min(1), setId: z.string().min(1), verifier: hex(32) }),
  /** The key's certificate (DER, base64), or null for a key without one yet. */
  certificate: base64.nullable(),
  /** Where the key was backed up from, and when: for people and the inventory, not for checks. */
  source: z.strictObject({ token: z.string(), serial: z.string(), ceremony: z.string(), step: z.string(), time: z.string() }),
});
export type BackupHeader = z.infer<typeof headerSchema>;

const bodySchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  header: headerSchema,
  wrapped: base64.min(4),
});

export interface KeyBackup {
  header: BackupHeader;
  /** The private key wrapped under the KEK (CKM_AES_KEY_WRAP_PAD of its PKCS#8). */
  wrapped: Buffer;
}

function macKey(kek: Buffer, setId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.from(setId, 'utf8'), Buffer.from(MAC_INFO, 'utf8'), 32));
}

function mac(kek: Buffer, setId: string, body: Buffer): Buffer {
  const key = macKey(kek, setId);
  try {
    return createHmac('sha256', key).update(body).digest();
  } finally {
    key.fill(0);
  }
}

/** The file's bytes: the canonical body line, then its MAC under the KEK. */
export function serializeBackup(backup: KeyBackup, kek: Buffer): Buffer {
  const header = headerSchema.parse(backup.header);
  const body = Buffer.from(canonicalJson({ format: BACKUP_FORMAT, version: BACKUP_VERSION, header, wrapped: backup.wrapped.toString('base64') }), 'utf8');
  return Buffer.concat([body, Buffer.from(`\n${MAC_PREFIX}${mac(kek, header.kek.setId, body).toString('hex')}\n`)]);
}

const invalid = (file: string, what: string) =>
  new InputError(`${file}: not a key backup file: ${what}`, {
    code: 'backup.invalid',
    hint: 'use the backup file the backup-key ceremony wrote, as its journal records it (SHA-256)',
  });

/**
 * Reads a backup file without the KEK: its structure, the canonical form of its body, and the
 * header's own consistency (SPKI hash, certificate key). The MAC is checked by verifyBackup.
 */
export function parseBackup(bytes: Buffer, file: string): KeyBackup & { body: Buffer; mac: Buffer } {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw invalid(file, 'it is not UTF-8 text');
  const lines = text.split('\n');
  if (lines.length !== 3 || lines[2] !== '') throw invalid(file, 'it must be two lines, the body and its MAC, each ending in a newline');
  const [bodyText, macLine] = lines as [string, string];
  if (!macLine.startsWith(MAC_PREFIX) || !/^[0-9a-f]{64}$/.test(macLine.slice(MAC_PREFIX.length)))
    throw invalid(file, `line 2 must be "${MAC_PREFIX}" and 64 lower-case hex digits`);
  let value: unknown;
  try {
    value = JSON.parse(bodyText);
  } catch {
    throw invalid(file, 'line 1 is not JSON');
  }
  const parsed = bodySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(file, `line 1, ${issue.path.join('.') || 'the body'}: ${issue.message}`);
  }
  if (canonicalJson(value) !== bodyText) throw invalid(file, 'line 1 is not in canonical form (RFC 8785): it was edited');
  const { header, wrapped } = parsed.data;
  const spki = Buffer.from(header.spki, 'base64');
  if (sha256(spki).toString('hex') !== header.spkiSha256) throw invalid(file, 'the header SPKI does not have the SHA-256 the header gives');
  if (header.certificate !== null) {
    let certificateKey: Buffer;
    try {
      certificateKey = new X509Certificate(Buffer.from(header.certificate, 'base64')).publicKey.export({ type: 'spki', format: 'der' });
    } catch {
      throw invalid(file, 'the header certificate is not an X.509 certificate');
    }
    if (!certificateKey.equals(spki)) throw invalid(file, "the header certificate is not the backed-up key's certificate");
  }
  return { header, wrapped: Buffer.from(wrapped, 'base64'), body: Buffer.from(bodyText, 'utf8'), mac: Buffer.from(macLine.slice(MAC_PREFIX.length), 'hex') };
}

/**
 * The KEK share set the header names against the set a manifest gives, before any KEK is
 * rebuilt: the set id and the verifier must both match. The same set id with another verifier
 * is an edited header or manifest, or a KEK made again from another share set under the old id.
 */
export function checkBackupKek(header: BackupHeader, set: { setId: string; verifier: string }, file: string): void {
  const named = header.kek;
  if (named.setId === set.setId && named.verifier === set.verifier) return;
  const message =
    named.setId === set.setId
      ? `${file}: the backup names KEK set ${named.setId} with verifier ${named.verifier.slice(0, 16)}…, but the manifest of set ${set.setId} has verifier ${set.verifier.slice(0, 16)}…: the header or the manifest was edited, or that KEK was made again from another share set under the same id`
      : `${file}: the backup was made under KEK set ${named.setId} (verifier ${named.verifier.slice(0, 16)}…), not set ${set.setId} (verifier ${set.verifier.slice(0, 16)}…)`;
  throw new InputError(message, {
    code: 'backup.kek-mismatch',
    hint: `the custodians of ${named.credential} set ${named.setId} must rebuild the KEK, against the manifest the backup ceremony's journal records (compare its SHA-256); nothing was written to the token`,
  });
}

/**
 * Checks a backup against the KEK a quorum rebuilt (already checked against its manifest's
 * verifier): the header must name that share set and verifier, and the MAC must match.
 */
export function verifyBackup(backup: ReturnType<typeof parseBackup>, kek: Buffer, set: { setId: string; verifier: string }, file: string): void {
  checkBackupKek(backup.header, set, file);
  if (!timingSafeEqual(mac(kek, backup.header.kek.setId, backup.body), backup.mac)) {
    throw new InputError(`${file}: the MAC does not match: the file was changed after the backup, or the KEK is not the one it was made under`, {
      code: 'backup.mac',
      hint: 'use the backup file the journal of the backup-key ceremony records (compare its SHA-256); nothing was written to the token',
    });
  }
}
