// The KEK a load-kek step put on a token, for the backup-key step that follows in the same
// session: the session object's handle (no key bytes) and the share set it came from, by
// session. The KEK's bytes, needed for the backup file's MAC, wait in the SecretStore.
import { KeyceremonyError } from '../../errors.js';
import type { HsmSession, SessionKek } from '../../hsm/hsm.js';
import type { KekSet } from '../../backup/key-backup.js';
import type { SecretStore } from '../../quorum/index.js';

export interface LoadedKek {
  kek: SessionKek;
  set: KekSet;
  /** Its name in the SecretStore. */
  secretName: string;
}

export const loadedKeks = new WeakMap<HsmSession, LoadedKek>();

export const loadedKekSecretName = (token: string, credential: string) => `kek-loaded:${token}:${credential}`;

/**
 * Runs `use` with the KEK a load-kek step put on this session's token, then, whatever happened,
 * destroys the session KEK and drops its bytes: one use per load, so a KEK never outlives the
 * step that needed it. Refuses when none is loaded (another KEK, a lock in between, a restart).
 */
export async function withLoadedKek<T>(
  o: { session: HsmSession; secrets: SecretStore; stepId: string; token: string; credential: string },
  use: (loaded: LoadedKek) => Promise<T>,
): Promise<T> {
  const loaded = loadedKeks.get(o.session);
  if (!loaded || loaded.set.credential !== o.credential) {
    throw new KeyceremonyError(`step ${o.stepId}: the key-encryption key "${o.credential}" is not on token "${o.token}" in this session`, {
      code: 'kek.not-loaded',
      hint: 'a load-kek step puts it there after the SO unlock and before the user unlock, without a lock in between; after a restart it is gone and must be loaded again in a new run',
    });
  }
  try {
    return await use(loaded);
  } finally {
    loadedKeks.delete(o.session);
    o.secrets.deleteSecret(loaded.secretName);
    o.session.destroySessionKek(loaded.kek);
  }
}
