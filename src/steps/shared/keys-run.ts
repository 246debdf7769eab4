// A key pair on the token, as the journal records it.
import type { KeyRecord } from '../../ceremony/types.js';
import type { KeyPairInfo } from '../../hsm/types.js';

export function keyRecord(key: KeyPairInfo, token: string, step: string): KeyRecord {
  return {
    label: key.label,
    token,
    id: key.id,
    algorithm: key.algorithm,
    spkiSha256: key.fingerprint.sha256,
    words: key.fingerprint.words,
    uri: key.uri,
    step,
  };
}
