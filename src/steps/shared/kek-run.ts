// The KEK a load-kek step put on a token, for the backup-key step that follows in the same
// session: the session object's handle (no key bytes) and the share set it came from, by
// session. The KEK's bytes, needed for the backup file's MAC, wait in the SecretStore.
import type { HsmSession, SessionKek } from '../../hsm/hsm.js';
import type { KekSet } from '../../backup/key-backup.js';

export interface LoadedKek {
  kek: SessionKek;
  set: KekSet;
  /** Its name in the SecretStore. */
  secretName: string;
}

export const loadedKeks = new WeakMap<HsmSession, LoadedKek>();

export const loadedKekSecretName = (token: string, credential: string) => `kek-loaded:${token}:${credential}`;
