// Files brought to the ceremony (a CSR on a USB stick, the issuer's certificate, a share-set
// manifest): each is checked for its kind, copied into `<workdir>/inputs/` write-once, and
// fingerprinted, so the journal says exactly which bytes the ceremony worked from.
import { specOf } from '../steps/index.js';
import { InputError, KeyceremonyError } from '../errors.js';
import { checkBackupKek, parseBackup, type BackupHeader } from '../backup/backup-file.js';
import { parseLedger, parseSerialList } from '../ledger/ledger.js';
import type { Definition } from '../definition/definition.js';
import { parseManifest, type ShareSetManifest } from '../quorum/index.js';
import { INPUT_FILE_LIMIT, readBounded } from '../util/bounded-read.js';
import { fingerprint } from '../util/fingerprint.js';
import { jsonProblem } from '../util/json-error.js';
import { folderInWorkdir, insideWorkdir } from '../util/safe-path.js';
import { writeOnce } from './outputs.js';
import type { FileRecord, ShareSetRecord } from './types.js';
import { checkInputFile } from './input-kinds.js';
import { readAuditKey } from '../journal/checkpoint.js';
import { errorCode } from '../util/storage.js';

export interface PreparedInputs {
  records: Record<string, FileRecord>;
  shareSets: Record<string, ShareSetRecord>;
}

export function inputFileName(name: string): string {
  return name;
}

/** Checks every declared input is given and is what it claims to be, then copies it in. */
export async function prepareInputs(definition: Definition, provided: Record<string, string>, workdir: string): Promise<PreparedInputs> {
  for (const name of Object.keys(provided)) {
    if (!(name in definition.inputs)) {
      throw new InputError(`input "${name}" is not declared by ${definition.ceremony}`, {
        hint: `declared inputs: ${Object.keys(definition.inputs).join(', ') || 'none'}`,
        code: 'input.unknown',
        says: { key: 'input.unknown', params: { name, ceremony: definition.ceremony, declared: Object.keys(definition.inputs).join('、') || '無' } },
      });
    }
  }
  folderInWorkdir(workdir, 'inputs');
  const records: Record<string, FileRecord> = {};
  const shareSets: Record<string, ShareSetRecord> = {};
  const manifests = new Map<string, ShareSetManifest>();
  const backups = new Map<string, { header: BackupHeader; path: string }>();
  for (const [name, spec] of Object.entries(definition.inputs)) {
    const path = provided[name];
    if (!path) {
      throw new InputError(`input "${name}" (${spec.kind}) is not given`, {
        hint: `add inputs.${name}: <file> to the answers file, or pass --input ${name}=<file>`,
        code: 'input.missing',
        says: { key: 'input.missing', params: { name, title: spec.title?.['zh-TW'] ?? spec.kind } },
      });
    }
    const bytes = readInput(name, path);
    const print = fingerprint(bytes);
    if (spec.sha256 && spec.sha256 !== print.sha256) {
      throw new InputError(`input "${name}": ${path} has SHA-256 ${print.sha256}, but the definition expects ${spec.sha256}`, {
        hint: 'this is not the file the ceremony script was approved for; stop and find out why',
        code: 'input.fingerprint',
      });
    }
    let manifest: ShareSetManifest | undefined;
    if (spec.kind === 'share-manifest') {
      manifest = readManifest(path, bytes);
      const credential = definition.credentials[spec.credential!]!;
      if (manifest.label !== undefined && manifest.label !== spec.credential) {
        throw new InputError(`input "${name}": ${path} is the manifest of ${manifest.label}, not of ${spec.credential}`, { code: 'input.manifest-credential' });
      }
      if (manifest.threshold < 2 || manifest.threshold > manifest.count)
        throw new InputError(`input "${name}": ${path} has an impossible threshold`, { code: 'input.manifest' });
      if (manifest.threshold !== credential.threshold && manifest.replaces === undefined) {
        throw new InputError(
          `input "${name}": ${path} is a ${manifest.threshold}-of-${manifest.count} set, but ${spec.credential} is ${credential.threshold}-of-${credential.of}`,
          { code: 'input.manifest-threshold' },
        );
      }
    } else if (spec.kind === 'key-backup') {
      // Its structure now; its MAC when the KEK's quorum has rebuilt the KEK (restore-key).
      backups.set(name, { header: parseBackup(bytes, `input "${name}" (${path})`).header, path });
    } else if (spec.kind === 'audit-key') {
      // The public half of a token's audit key (init-token's output): it checks the checkpoints.
      if (!readAuditKey(bytes, path)) {
        throw new InputError(`input "${name}": ${path} is not a public key (a PEM SubjectPublicKeyInfo)`, {
          hint: "bring the <token>-audit-key.pem that the token's init-token ceremony wrote to its outputs",
          code: 'input.audit-key',
        });
      }
    } else if (spec.kind === 'ledger') {
      // Its hash chain and its own rules now; whose key it is, against the step that signs.
      parseLedger(bytes, `${name} (${path})`);
    } else if (spec.kind === 'serial-list') {
      // The serials a key issued before its ledger (ledger.open): every line a serial, or refused naming it.
      parseSerialList(bytes, `${name} (${path})`);
    } else {
      await checkInputFile(name, spec.kind, path, bytes);
    }
    writeOnce(insideWorkdir(workdir, `inputs/${inputFileName(name)}`), bytes);
    records[name] = { name, kind: spec.kind === 'share-manifest' ? 'share-manifest' : spec.kind, ...print, bytes: bytes.length, step: 'input' };
    if (manifest) {
      manifests.set(spec.credential!, manifest);
      shareSets[spec.credential!] = {
        credential: spec.credential!,
        setId: manifest.setId,
        threshold: manifest.threshold,
        count: manifest.count,
        custodians: manifest.shares.map((s) => s.custodian),
        file: `inputs/${inputFileName(name)}`,
        sha256: print.sha256,
      };
    }
  }
  checkBackupKeks(definition, backups, manifests);
  return { records, shareSets };
}

/**
 * A backup brought to a restore-key step, against the manifest of the KEK the step names when
 * that manifest is brought too: the header must name its set id and verifier, so a mismatch is
 * refused before anyone signs in, not after the token is set up and the quorum has typed.
 */
function checkBackupKeks(definition: Definition, backups: Map<string, { header: BackupHeader; path: string }>, manifests: Map<string, ShareSetManifest>): void {
  for (const step of definition.steps) {
    const restore = specOf(step).restoresFrom?.(step);
    if (restore === undefined) continue;
    const backup = backups.get(restore.backup);
    const manifest = manifests.get(restore.kek);
    if (backup && manifest) checkBackupKek(backup.header, manifest, `step ${step.id}: input "${restore.backup}" (${backup.path})`);
  }
}

/**
 * An input file as brought (it may be a link, say to a USB stick): a regular file of at
 * most 16 MiB, read through a bounded reader — `--input csr=/dev/zero` is refused before
 * a byte is read, never read to the end.
 */
function readInput(name: string, path: string): Buffer {
  try {
    return readBounded(path, { what: `input "${name}"`, maxBytes: INPUT_FILE_LIMIT });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = errorCode(error);
    if (code === 'ENOENT')
      throw new InputError(`input "${name}": file ${path} does not exist`, {
        hint: 'check the path',
        code: 'input.missing-file',
        details: { name, file: path },
      });
    throw new InputError(`input "${name}": cannot read ${path}: ${code ?? String(error)}`, {
      hint: 'check the path and its permissions',
      code: 'input.unreadable',
      details: { name, file: path, reason: code ?? 'error' },
    });
  }
}

function readManifest(path: string, bytes: Buffer): ShareSetManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InputError(`${path} is not a share-set manifest: not JSON (${jsonProblem(error)})`, {
      hint: 'give the manifest JSON file written when the shares were split',
      code: 'input.manifest',
    });
  }
  try {
    return parseManifest(json, path);
  } catch (error) {
    if (error instanceof KeyceremonyError) throw new InputError(error.message, { hint: error.hint, code: error.code });
    throw error;
  }
}
