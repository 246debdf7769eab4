// The journal checkpoints of a workdir, checked for `journal verify`, `report`, `bundle` and
// `history` (src/journal/checkpoint.ts says what a checkpoint is). The audit public keys
// come from `--audit-key <file>` when given, and only from there: the workdir is not trusted,
// and whoever rewrote its journal could have put their own key beside it. Otherwise they are
// the audit-key files the journal records (brought as inputs, or written by init-token),
// when their bytes are the ones recorded. A checkpoint that does not verify is refused
// (exit 1, naming the record), as is, with --audit-key, one signed by any other key.
import { ExitCode, InputError, KeyceremonyError } from '../errors.js';
import { INPUT_FILE_LIMIT, readBounded } from '../util/bounded-read.js';
import { readWorkdirFile } from '../util/safe-path.js';
import { checkCheckpoints, failedCheckpoints, isAuditKeyFile, readAuditKey, CHECKPOINT_EVENT, type AuditKey, type CheckpointCheck } from './checkpoint.js';
import { sha256Hex, type JournalRecord } from './record.js';
import { errorCode } from '../util/storage.js';

export interface CheckpointReport {
  checks: CheckpointCheck[];
  /** Where the audit keys came from. */
  keysFrom: 'given' | 'workdir';
  keys: AuditKey[];
}

/** Reads the audit public keys given on the command line; a file that is not one is bad usage (exit 2). */
export function readGivenAuditKeys(files: readonly string[], command: string): AuditKey[] {
  return files.map((file) => {
    let bytes: Buffer;
    try {
      bytes = readBounded(file, { what: '--audit-key', maxBytes: INPUT_FILE_LIMIT });
    } catch (error) {
      if (error instanceof KeyceremonyError) throw error;
      throw new InputError(`${command}: --audit-key ${file} cannot be read: ${errorCode(error) ?? String(error)}`, {
        hint: "give the <token>-audit-key.pem written by the token's init-token ceremony",
        code: 'usage.audit-key',
      });
    }
    const key = readAuditKey(bytes, file);
    if (!key)
      throw new InputError(`${command}: --audit-key ${file} is not a public key (a PEM SubjectPublicKeyInfo)`, {
        hint: "give the <token>-audit-key.pem written by the token's init-token ceremony",
        code: 'usage.audit-key',
      });
    return key;
  });
}

/** The audit-key files the journal records (header inputs, step outputs) whose bytes in the workdir are the recorded ones. */
export function recordedAuditKeys(workdir: string, first: JournalRecord, auditRecords: readonly JournalRecord[]): AuditKey[] {
  const files: Array<{ path: string; sha256: string }> = [];
  for (const input of Object.values((first.data.inputs as Record<string, unknown> | undefined) ?? {})) {
    if (isAuditKeyFile(input)) files.push({ path: `inputs/${input.name}`, sha256: input.sha256 });
  }
  for (const record of auditRecords) {
    const outputs = (record.data as { outputs?: unknown }).outputs;
    for (const output of Array.isArray(outputs) ? outputs : [])
      if (isAuditKeyFile(output)) files.push({ path: `outputs/${output.name}`, sha256: output.sha256 });
  }
  const keys: AuditKey[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readWorkdirFile(workdir, file.path, INPUT_FILE_LIMIT);
    } catch {
      continue;
    }
    if (sha256Hex(bytes) !== file.sha256) continue;
    const key = readAuditKey(bytes, `${workdir}/${file.path}`);
    if (key && !keys.some((k) => k.spkiSha256 === key.spkiSha256)) keys.push(key);
  }
  return keys;
}

/**
 * Checks the checkpoints among `auditRecords` (of a journal whose chain verified) and
 * refuses, exit 1, when one does not verify. `given`: the keys of --audit-key, if any.
 */
export function checkWorkdirCheckpoints(
  workdir: string,
  first: JournalRecord,
  auditRecords: readonly JournalRecord[],
  given: AuditKey[] | undefined,
  command: string,
  journalFile: string,
): CheckpointReport {
  const keysFrom = given !== undefined && given.length > 0 ? 'given' : 'workdir';
  const keys = keysFrom === 'given' ? given! : recordedAuditKeys(workdir, first, auditRecords);
  const checks = checkCheckpoints(
    auditRecords.filter((r) => r.event === CHECKPOINT_EVENT),
    keys,
  );
  const failed = [...failedCheckpoints(checks), ...(keysFrom === 'given' ? checks.filter((c) => c.status === 'no-key') : [])].sort(
    (a, b) => a.record.seq - b.record.seq,
  );
  const bad = failed[0];
  if (bad) {
    throw new KeyceremonyError(
      `${command}: ${journalFile}: ${bad.message}${bad.status === 'no-key' ? ' with --audit-key' : ''}${failed.length > 1 ? ` (and ${failed.length - 1} more checkpoints)` : ''}`,
      {
        hint: 'a checkpoint is signed inside the HSM: the journal before it was rewritten, or the checkpoint was; keep this copy as evidence and compare it with the backup copy and the paper log',
        exitCode: ExitCode.failed,
        code: 'journal.checkpoint-signature',
      },
    );
  }
  return { checks, keysFrom, keys };
}
