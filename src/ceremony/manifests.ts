// Share-set manifests of a ceremony: written as outputs by split steps, or brought in as
// inputs. The context records where (relative to the workdir); this reads them back.
import { join } from 'node:path';
import { KeyceremonyError } from '../errors.js';
import { loadManifest, type ShareSetManifest } from '../quorum/index.js';
import type { CeremonyContext } from './types.js';

export function manifestFor(workdir: string, context: CeremonyContext, credential: string): ShareSetManifest {
  const record = context.shareSets[credential];
  if (!record) {
    throw new KeyceremonyError(`no share-set manifest is known for credential "${credential}"`, {
      code: 'manifest.unknown',
      hint: 'bring the manifest as an input (kind share-manifest) or split the credential earlier in the ceremony',
    });
  }
  const manifest = loadManifest(join(workdir, record.file));
  if (manifest.setId !== record.setId) {
    throw new KeyceremonyError(`the manifest ${record.file} is of set ${manifest.setId}, but the journal records set ${record.setId}`, {
      code: 'manifest.changed',
      hint: 'the file in the workdir was replaced; restore it from the outputs of the ceremony that made it',
    });
  }
  return manifest;
}
