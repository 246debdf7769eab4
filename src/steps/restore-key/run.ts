// restore-key's effect: every check of the file and the KEK first, then C_UnwrapKey under the
// session KEK and the test signature (pkcs11-session.ts restoreKeyPair), then the session KEK
// destroyed and the KEK dropped from memory, whatever happened.
import { InputError, KeyceremonyError } from '../../errors.js';
import { parseBackup, verifyBackup } from '../../backup/backup-file.js';
import type { StepResult } from '../../ceremony/types.js';
import { sha256 } from '../../util/fingerprint.js';
import { withLoadedKek } from '../shared/kek-run.js';
import { keyRecord } from '../shared/keys-run.js';
import { tokenSummary } from '../shared/login-run.js';
import { fileBytes } from '../shared/x509-run.js';
import type { StepRun } from '../run-types.js';
import type { RestoreKeyStep } from './spec.js';
import { JOURNAL_EVENTS } from '../../journal/events.js';

export const restoreKeyRun: StepRun<RestoreKeyStep> = {
  work:
    ({ sessions, secrets, workdir }) =>
    async ({ step, context }) => {
      const session = sessions.loggedIn(step.token);
      return withLoadedKek({ session, secrets, stepId: step.id, token: step.token, credential: step.kek }, async (loaded) => {
        const bytes = fileBytes(workdir, context, step.from);
        const backup = parseBackup(bytes, step.from);
        secrets.withSecret(loaded.secretName, (kek) => verifyBackup(backup, kek, loaded.set, step.from));
        const { header } = backup;
        if (header.label !== step.key) {
          throw new KeyceremonyError(`step ${step.id}: ${step.from} holds key "${header.label}", not "${step.key}"`, {
            code: 'backup.other-key',
            hint: 'check the backup file the definition names',
          });
        }
        const key = await session.restoreKeyPair(loaded.kek, backup.wrapped, {
          label: header.label,
          id: header.id,
          spki: Buffer.from(header.spki, 'base64'),
          backup: step.backup === true,
        });
        const attributes = session.privateKeyAttributes(header.label);
        return {
          keys: [keyRecord(key, step.token, step.id)],
          details: {
            from: step.from,
            fileSha256: sha256(bytes).toString('hex'),
            spkiMatchesHeader: key.fingerprint.sha256 === header.spkiSha256,
            testSignatureVerified: true,
            certificateSha256: header.certificate === null ? null : sha256(Buffer.from(header.certificate, 'base64')).toString('hex'),
            kek: loaded.set,
            sensitive: attributes.sensitive,
            extractable: attributes.extractable,
            wrapWithTrusted: attributes.wrapWithTrusted,
            kekDestroyed: true,
            token: tokenSummary(session.token),
          },
        } satisfies StepResult;
      });
    },
  // A key with the label on the target that the journal does not record was unwrapped just
  // before the interruption. Not the backup's key (its SPKI differs): refused, never adopted.
  // The backup's key: shown to the witnesses, who adopt it or stop (as generate-key's reconcile).
  reconcile: (step, { context, sessions, answer, workdir }) => {
    if (context.keys[step.key]) return [];
    const session = sessions.session(step.token);
    const key = session.findKeyPair(step.key);
    if (!key) {
      const absent = { token: step.token, label: step.key };
      return [{ record: { event: JOURNAL_EVENTS.hsmKeyAbsent, data: absent }, absent }];
    }
    const bytes = fileBytes(workdir, context, step.from);
    const { header } = parseBackup(bytes, step.from);
    const data = {
      token: step.token,
      label: key.label,
      spkiSha256: key.fingerprint.sha256,
      words: key.fingerprint.words,
      id: key.id,
      backupSpkiSha256: header.spkiSha256,
    };
    if (key.fingerprint.sha256 !== header.spkiSha256) {
      throw new InputError(
        `step ${step.id}: token "${step.token}" holds key "${key.label}" (SPKI SHA-256 ${key.fingerprint.sha256}) that the journal does not record and that is not the key in ${step.from} (SPKI SHA-256 ${header.spkiSha256})`,
        {
          hint: 'stop: find out where that key came from; it cannot be adopted as the restored key',
          code: 'reconcile.unknown-key',
        },
      );
    }
    if (answer?.reconcile !== 'adopt') {
      throw new InputError(
        `step ${step.id}: token "${step.token}" holds key "${key.label}" (SPKI SHA-256 ${key.fingerprint.sha256}, the key in ${step.from}) that the journal does not record`,
        {
          hint: `it was restored just before the interruption; the witnesses decide: adopt it (answers: steps.${step.id}.reconcile: adopt), or stop and destroy it in a destroy-key ceremony`,
          code: 'reconcile.unknown-key',
        },
      );
    }
    return [
      {
        record: { event: JOURNAL_EVENTS.hsmUnrecordedKey, data: { ...data, decision: 'adopt' } },
        adopt: {
          type: 'step.recovered',
          step: step.id,
          // The test signature and the attribute read need a login that the restart lost: not claimed here.
          result: {
            keys: [keyRecord(key, step.token, step.id)],
            details: {
              from: step.from,
              fileSha256: sha256(bytes).toString('hex'),
              spkiMatchesHeader: true,
              adoptedAfterRestart: true,
              token: tokenSummary(session.token),
            },
          },
          ...(answer.by ? { performer: answer.by } : {}),
          witnesses: answer.witness === undefined ? [] : ([] as string[]).concat(answer.witness),
          seq: 0,
          source: 'hsm',
        },
      },
    ];
  },
};
