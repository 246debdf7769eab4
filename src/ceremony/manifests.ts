// Share-set manifests of a ceremony: written as outputs by split steps, or brought in as
// inputs. The context records where (relative to the workdir) and the file's SHA-256; this
// reads them back and refuses any other bytes.
import { join } from 'node:path';
import { InputError, KeyceremonyError } from '../errors.js';
import { parseManifestText, type ShareSetManifest } from '../quorum/index.js';
import { INPUT_FILE_LIMIT } from '../util/bounded-read.js';
import { sha256 } from '../util/fingerprint.js';
import { readWorkdirFile } from '../util/safe-path.js';
import type { CeremonyContext } from './types.js';
import { errorCode } from '../util/storage.js';

export function manifestFor(workdir: string, context: CeremonyContext, credential: string): ShareSetManifest {
  const record = context.shareSets[credential];
  if (!record) {
    throw new KeyceremonyError(`no share-set manifest is known for credential "${credential}"`, {
      code: 'manifest.unknown',
      hint: 'bring the manifest as an input (kind share-manifest) or split the credential earlier in the ceremony',
    });
  }
  const file = join(workdir, record.file);
  let bytes: Buffer;
  try {
    bytes = readWorkdirFile(workdir, record.file, INPUT_FILE_LIMIT);
  } catch (error) {
    if (error instanceof KeyceremonyError) throw error;
    throw new InputError(`cannot read share-set manifest ${file}: ${errorCode(error) ?? String(error)}`, {
      hint: 'restore it from the outputs of the ceremony that made it',
      code: 'manifest.changed',
    });
  }
  const found = sha256(bytes).toString('hex');
  if (record.sha256 !== undefined && found !== record.sha256) {
    throw new InputError(`the manifest ${file} has SHA-256 ${found}, but the journal records ${record.sha256}`, {
      code: 'manifest.changed',
      hint: 'the file in the workdir was replaced; no share is taken against it; restore it from the outputs of the ceremony that made it',
    });
  }
  const manifest = parseManifestText(bytes.toString('utf8'), file);
  if (manifest.setId !== record.setId) {
    throw new KeyceremonyError(`the manifest ${record.file} is of set ${manifest.setId}, but the journal records set ${record.setId}`, {
      code: 'manifest.changed',
      hint: 'the file in the workdir was replaced; restore it from the outputs of the ceremony that made it',
    });
  }
  return manifest;
}
