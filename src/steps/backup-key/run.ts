// backup-key's effect: wrap under the session KEK, write the backup file (read back and checked
// as restore will check it), then destroy the session KEK and drop the KEK from memory, whatever
// happened. The journal gets the header's facts and the file's hash, never a secret.
import { KeyceremonyError } from '../../errors.js';
import { parseBackup, serializeBackup, verifyBackup, type BackupHeader } from '../../backup/backup-file.js';
import type { StepResult } from '../../ceremony/types.js';
import { BACKUP_WRAP_MECHANISM } from '../../hsm/key-templates.js';
import { withLoadedKek } from '../shared/kek-run.js';
import { tokenOfKey } from '../shared/keys.js';
import { derFromDerOrPem, fileBytes } from '../shared/x509-run.js';
import type { StepRun } from '../run-types.js';
import { sha256 } from '../../util/fingerprint.js';
import type { BackupKeyStep } from './spec.js';

export const backupKeyRun: StepRun<BackupKeyStep> = {
  work:
    ({ definition, sessions, secrets, outputs, workdir, clock }) =>
    async ({ step, context }) => {
      const token = tokenOfKey(definition, step.key);
      const session = sessions.loggedIn(token);
      return withLoadedKek({ session, secrets, stepId: step.id, token, credential: step.kek }, async (loaded) => {
        const certificate = step.certificate === undefined ? null : derFromDerOrPem(fileBytes(workdir, context, step.certificate), 'CERTIFICATE', `certificate ${step.certificate}`);
        const key = session.findKeyPair(step.key);
        if (!key) throw new KeyceremonyError(`step ${step.id}: no key "${step.key}" on token "${token}"`, { code: 'hsm.key-not-found' });
        const wrapped = session.wrapPrivateKey(loaded.kek, step.key);
        const header: BackupHeader = {
          label: key.label,
          id: key.id,
          algorithm: key.algorithm,
          spki: key.spki.toString('base64'),
          spkiSha256: key.fingerprint.sha256,
          mechanism: BACKUP_WRAP_MECHANISM.name,
          kek: loaded.set,
          certificate: certificate === null ? null : certificate.toString('base64'),
          source: { token: session.token.label, serial: session.token.serial, ceremony: definition.ceremony, step: step.id, time: clock().toISOString() },
        };
        const bytes = secrets.withSecret(loaded.secretName, (kek) => {
          const made = serializeBackup({ header, wrapped }, kek);
          verifyBackup(parseBackup(made, step.output), kek, loaded.set, step.output);
          return made;
        });
        const file = outputs.write(step.output, 'key-backup', bytes, step.id);
        const { spki: _spki, certificate: _certificate, ...facts } = header;
        return { outputs: [file], details: { ...facts, certificateSha256: certificate === null ? null : sha256(certificate).toString('hex'), wrappedBytes: wrapped.length, kekDestroyed: true } } satisfies StepResult;
      });
    },
};
