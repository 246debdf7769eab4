// HSM-signed journal checkpoints (issue 20). A hash chain proves that records follow each
// other, not who wrote them: anyone with the terminal's account can rewrite a journal and
// compute every hash again. Before a ceremony logs out of a token that holds an audit key
// (made by init-token, sign only, never extractable), it has the token sign the journal's
// current head; rewriting the records before a checkpoint then needs the token and a quorum.
//
// What is signed is a short text, so that anyone can check a checkpoint with openssl alone
// (docs/journal-checkpoints.md):
//
//   keyceremony journal checkpoint 1\n
//   seq <seq of the record signed>\n
//   hash <its hash, 64 lower-case hex digits>\n
//
// The signature is stored DER-encoded (ECDSA-Sig-Value for EC keys), as `openssl dgst
// -verify` and `openssl pkeyutl -verify` read it. This module is pure: it makes the text,
// reads the record's shape and checks a signature with Node's crypto.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { JOURNAL_EVENTS, checkpointDataSchema } from './events.js';
import type { JournalRecord } from './record.js';
import { sha256Hex } from './record.js';

export const CHECKPOINT_EVENT = JOURNAL_EVENTS.checkpoint;
/** The label of the audit key pair on a token (init-token makes it). */
export const AUDIT_KEY_LABEL = 'keyceremony-audit';

const NODE_HASH: Record<CheckpointHash, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export type CheckpointData = z.infer<typeof checkpointDataSchema>;
type CheckpointHash = CheckpointData['hash'];

/** A file record of an audit key's public half (an init-token output, or an input). */
export function isAuditKeyFile(file: unknown): file is { name: string; kind: 'audit-key'; sha256: string } {
  const f = file as { name?: unknown; kind?: unknown; sha256?: unknown } | null;
  return typeof f === 'object' && f !== null && f.kind === 'audit-key' && typeof f.name === 'string' && typeof f.sha256 === 'string';
}

/** A checkpoint, or a record whose outputs hold an audit key: what the verifiers keep of a long journal. */
export function isAuditRecord(record: JournalRecord): boolean {
  if (record.event === CHECKPOINT_EVENT) return true;
  const outputs = (record.data as { outputs?: unknown }).outputs;
  return Array.isArray(outputs) && outputs.some(isAuditKeyFile);
}

/** The bytes the audit key signs for a journal head. */
export function checkpointMessage(head: { seq: number; hash: string }): Buffer {
  return Buffer.from(`keyceremony journal checkpoint 1\nseq ${head.seq}\nhash ${head.hash}\n`, 'utf8');
}

/** A raw ECDSA signature (r||s, as PKCS#11 returns it) as DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer): Buffer => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    let value = bytes.subarray(start);
    if (value[0]! & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02]), derLength(value.length), value]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function derLength(length: number): Buffer {
  return length < 0x80 ? Buffer.from([length]) : Buffer.from([0x81, length]);
}

/** An audit public key a verifier holds, and where it came from (for messages). */
export interface AuditKey {
  spkiSha256: string;
  key: KeyObject;
  source: string;
}

/** An audit public key from a PEM (or DER) SubjectPublicKeyInfo; undefined when it is not one. */
export function readAuditKey(bytes: Buffer, source: string): AuditKey | undefined {
  try {
    const key = createPublicKey(bytes.includes('-----BEGIN') ? { key: bytes, format: 'pem' } : { key: bytes, format: 'der', type: 'spki' });
    const spki = key.export({ format: 'der', type: 'spki' });
    return { spkiSha256: sha256Hex(spki), key, source };
  } catch {
    return undefined;
  }
}

export type CheckpointStatus = 'verified' | 'unreadable' | 'hash-mismatch' | 'no-key' | 'bad-signature';

export interface CheckpointCheck {
  record: JournalRecord;
  status: CheckpointStatus;
  /** The signed record's seq (when the record has one). */
  signedSeq?: number | undefined;
  token?: string | undefined;
  spkiSha256?: string | undefined;
  /** The key it verified against (status verified or bad-signature). */
  key?: AuditKey | undefined;
  /** In words, naming the record: what is wrong, for the error message. */
  message: string;
}

/**
 * Checks every checkpoint among `records` (of a journal whose chain verified): the hash it
 * says it signed is the hash of the record before it in this journal, and the signature verifies under the audit key with that
 * SPKI SHA-256 among `keys`. A checkpoint whose key is not given is `no-key`, not verified.
 */
export function checkCheckpoints(records: readonly JournalRecord[], keys: readonly AuditKey[]): CheckpointCheck[] {
  const checks: CheckpointCheck[] = [];
  for (const record of records) {
    if (record.event !== CHECKPOINT_EVENT) continue;
    const name = `record ${record.seq} (journal.checkpoint)`;
    const parsed = checkpointDataSchema.safeParse(record.data);
    if (!parsed.success) {
      checks.push({
        record,
        status: 'unreadable',
        message: `${name} is not a checkpoint keyceremony writes (${parsed.error.issues[0]!.message.toLowerCase()})`,
      });
      continue;
    }
    const data = parsed.data;
    const base = { record, signedSeq: data.signed.seq, token: data.token, spkiSha256: data.auditKey.spkiSha256 };
    // keyceremony signs the head just before it appends the checkpoint: the record signed is
    // the one before, whose hash this record names as prev (so the check needs no other record).
    if (data.signed.seq !== record.seq - 1 || data.signed.hash !== record.prev) {
      checks.push({
        ...base,
        status: 'hash-mismatch',
        message: `${name} says it signed record ${data.signed.seq} with hash ${data.signed.hash}, but the record before it is ${record.seq - 1} with hash ${record.prev}`,
      });
      continue;
    }
    const key = keys.find((k) => k.spkiSha256 === data.auditKey.spkiSha256);
    if (!key) {
      checks.push({
        ...base,
        status: 'no-key',
        message: `${name} was signed by the audit key with SPKI SHA-256 ${data.auditKey.spkiSha256}, which was not given`,
      });
      continue;
    }
    const ok = verifySignature(key, data.hash, checkpointMessage(data.signed), Buffer.from(data.signature, 'base64'));
    checks.push(
      ok
        ? { ...base, key, status: 'verified', message: `${name} verifies under the audit key of ${key.source}` }
        : {
            ...base,
            key,
            status: 'bad-signature',
            message: `${name}: its signature of record ${data.signed.seq} does not verify under the audit key of ${key.source} (SPKI SHA-256 ${key.spkiSha256}): the records up to ${data.signed.seq} are not the ones the token signed`,
          },
    );
  }
  return checks;
}

function verifySignature(key: AuditKey, hash: CheckpointHash, message: Buffer, signature: Buffer): boolean {
  try {
    return verify(NODE_HASH[hash], message, key.key, signature);
  } catch {
    return false;
  }
}

/** The checks that fail (anything but verified and no-key). */
export function failedCheckpoints(checks: readonly CheckpointCheck[]): CheckpointCheck[] {
  return checks.filter((c) => c.status !== 'verified' && c.status !== 'no-key');
}
