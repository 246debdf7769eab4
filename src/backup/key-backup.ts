// Backing a key up to a file and restoring it onto another token (issue 18), given the
// secrets a quorum rebuilt: the SO PIN puts the KEK on the token as a trusted session object,
// the user PIN opens the keys, and the KEK is destroyed whatever happens. The backup-key and
// restore-key steps call these with PINs and the KEK straight from the SecretStore; nothing
// here keeps a secret beyond the call.
import type { Hsm, HsmSession, SessionKek } from '../hsm/hsm.js';
import { HsmError } from '../hsm/hsm-error.js';
import { BACKUP_WRAP_MECHANISM } from '../hsm/key-templates.js';
import type { KeyPairInfo } from '../hsm/types.js';
import { parseBackup, serializeBackup, verifyBackup, type BackupHeader } from './backup-file.js';

export interface TokenRef {
  label: string;
  serial?: string | undefined;
}

export interface QuorumSecrets {
  soPin: Buffer;
  userPin: Buffer;
  /** The KEK, rebuilt by its quorum and checked against its manifest's verifier. */
  kek: Buffer;
}

/** The KEK's share set, as its manifest gives it. */
export interface KekSet {
  credential: string;
  setId: string;
  verifier: string;
}

const KEK_LABEL = 'keyceremony-backup-kek';

/**
 * The token must offer the wrapping mechanism (C_GetMechanismList and its CKF_WRAP/CKF_UNWRAP
 * flags), asked before any login or, in a ceremony, before the KEK is rebuilt (load-kek).
 * In a ceremony (load-kek), the message names the step that needs it; the runner names the step that refused.
 */
export function requireWrapping(hsm: Hsm, token: TokenRef, use: 'wrap' | 'unwrap', neededBy?: string): void {
  const offered = hsm.wrappingMechanisms(token.label, token.serial).find((m) => m.name === BACKUP_WRAP_MECHANISM.name);
  if (!offered?.[use]) {
    const what = `token "${token.label}" cannot ${use} keys with ${BACKUP_WRAP_MECHANISM.name}`;
    throw new HsmError(neededBy === undefined ? what : `${what}, which step ${neededBy} needs; the KEK was not rebuilt or put on the token`, {
      code: 'hsm.wrap-mechanism-missing',
      hint: '`keyceremony hsm info` lists the wrapping mechanisms of each token; back up to and restore onto a token that offers it',
      exitCode: 2,
    });
  }
}

/**
 * One session: the SO logs in, puts the KEK on, logs out; the user logs in (the KEK stays, as
 * a session object of this session); `work` runs; then the KEK is destroyed and the session
 * logged out and closed, whatever happened.
 */
export async function withTrustedKek<T>(
  hsm: Hsm,
  token: TokenRef,
  secrets: QuorumSecrets,
  work: (session: HsmSession, kek: SessionKek) => Promise<T>,
): Promise<T> {
  const session = hsm.openSession(token.label, token.serial);
  let kek: SessionKek | undefined;
  try {
    session.login('so', secrets.soPin);
    try {
      kek = session.createSessionKek(KEK_LABEL, secrets.kek);
    } finally {
      session.logout();
    }
    session.login('user', secrets.userPin);
    return await work(session, kek);
  } finally {
    try {
      if (kek) session.destroySessionKek(kek);
    } finally {
      try {
        if (session.loggedInAs) session.logout();
      } finally {
        // Closing the session takes a KEK that could not be destroyed with it.
        session.close();
      }
    }
  }
}

/** The key wrapped under the KEK, as the bytes of a backup file (docs/backup-format.md). */
export async function backupKey(
  hsm: Hsm,
  token: TokenRef,
  secrets: QuorumSecrets,
  kekSet: KekSet,
  key: { label: string; certificate: Buffer | null },
  source: Omit<BackupHeader['source'], 'token' | 'serial'>,
): Promise<{ bytes: Buffer; key: KeyPairInfo }> {
  requireWrapping(hsm, token, 'wrap');
  const tokenInfo = hsm.findToken(token.label, token.serial);
  return withTrustedKek(hsm, token, secrets, async (session, kek) => {
    const found = session.findKeyPair(key.label);
    if (!found) throw new HsmError(`no key with label "${key.label}" on token "${token.label}"`, { code: 'hsm.key-not-found' });
    const wrapped = session.wrapPrivateKey(kek, key.label);
    const header: BackupHeader = {
      label: found.label,
      id: found.id,
      algorithm: found.algorithm,
      spki: found.spki.toString('base64'),
      spkiSha256: found.fingerprint.sha256,
      mechanism: BACKUP_WRAP_MECHANISM.name,
      kek: kekSet,
      certificate: key.certificate === null ? null : key.certificate.toString('base64'),
      source: { token: tokenInfo.label, serial: tokenInfo.serial, ...source },
    };
    const bytes = serializeBackup({ header, wrapped }, secrets.kek);
    // Read back as restore will read it: a file that would not restore is never handed out.
    verifyBackup(parseBackup(bytes, `the backup of "${key.label}"`), secrets.kek, kekSet, `the backup of "${key.label}"`);
    return { bytes, key: found };
  });
}

/**
 * Restores a backup file onto a token: every check of the file and the KEK first (nothing
 * reaches the token from a changed file or another KEK), then C_UnwrapKey as a sensitive key
 * with the header's label and CKA_ID, its public half from the header's SPKI, and a test
 * signature that must verify under it (and so under the header's certificate).
 */
export async function restoreKey(
  hsm: Hsm,
  token: TokenRef,
  secrets: QuorumSecrets,
  kekSet: KekSet,
  file: { name: string; bytes: Buffer },
  options: { backup: boolean },
): Promise<{ header: BackupHeader; key: KeyPairInfo }> {
  const backup = parseBackup(file.bytes, file.name);
  verifyBackup(backup, secrets.kek, kekSet, file.name);
  requireWrapping(hsm, token, 'unwrap');
  const { header } = backup;
  return withTrustedKek(hsm, token, secrets, async (session, kek) => {
    const key = await session.restoreKeyPair(kek, backup.wrapped, {
      label: header.label,
      id: header.id,
      spki: Buffer.from(header.spki, 'base64'),
      backup: options.backup,
    });
    return { header, key };
  });
}
