// backup-key's effect: wrap under the session KEK, write the backup file (read back and checked
// as restore will check it), then destroy the session KEK and drop the KEK from memory, whatever
// happened. The journal gets the header's facts and the file's hash, never a secret.
import { InputError, KeyceremonyError } from '../../errors.js';
import { checkBackupKek, parseBackup, serializeBackup, verifyBackup, type BackupHeader } from '../../backup/backup-file.js';
import { manifestFor } from '../../ceremony/manifests.js';
import type { StepResult } from '../../ceremony/types.js';
import { BACKUP_WRAP_MECHANISM } from '../../hsm/key-templates.js';
import { withLoadedKek } from '../shared/kek-run.js';
import { tokenOfKey } from '../shared/keys.js';
import { tokenSummary } from '../shared/login-run.js';
import { derFromDerOrPem, fileBytes } from '../shared/x509-run.js';
import type { StepRun } from '../run-types.js';
import { sha256 } from '../../util/fingerprint.js';
import type { BackupKeyStep } from './spec.js';
import { JOURNAL_NOTES } from '../../util/journal-notes.js';
import { JOURNAL_EVENTS } from '../../journal/events.js';

export const backupKeyRun: StepRun<BackupKeyStep> = {
  work:
    ({ definition, sessions, secrets, outputs, workdir, clock }) =>
    async ({ step, context }) => {
      const token = tokenOfKey(definition, step.key);
      const session = sessions.loggedIn(token);
      return withLoadedKek({ session, secrets, stepId: step.id, token, credential: step.kek }, async (loaded) => {
        const certificate =
          step.certificate === undefined
            ? null
            : derFromDerOrPem(fileBytes(workdir, context, step.certificate), 'CERTIFICATE', `certificate ${step.certificate}`);
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
        return {
          outputs: [file],
          details: {
            ...facts,
            certificateSha256: certificate === null ? null : sha256(certificate).toString('hex'),
            wrappedBytes: wrapped.length,
            kekDestroyed: true,
          },
        } satisfies StepResult;
      });
    },
  // A backup file written just before the interruption, never recorded: the session KEK died
  // with the process, so it cannot be written again without a new load-kek. If the file is a
  // whole backup of this key (its SPKI is the token's key's) under the KEK set loaded in this
  // ceremony, the witnesses adopt it or stop; anything else is moved aside like any unrecorded output.
  reconcile: (step, { definition, context, sessions, outputs, answer, workdir }) => {
    if (context.outputs[step.output] || !outputs.exists(step.output)) return [];
    let header: BackupHeader;
    try {
      header = parseBackup(outputs.read(step.output), step.output).header;
      // The set id and the verifier of the manifest the journal records: a header that names the
      // set but another verifier was not written by this step (the MAC needs the KEK, gone now).
      checkBackupKek(header, manifestFor(workdir, context, step.kek), step.output);
    } catch {
      return [];
    }
    const token = tokenOfKey(definition, step.key);
    const key = sessions.session(token).findKeyPair(step.key);
    if (!key || header.label !== step.key || header.spkiSha256 !== key.fingerprint.sha256) return [];
    const file = outputs.recordOf(step.output, 'key-backup', step.id);
    const data = { name: step.output, sha256: file.sha256, label: header.label, spkiSha256: header.spkiSha256, kek: header.kek };
    if (answer?.reconcile !== 'adopt' || answer.adoptSha256 === undefined) {
      throw new InputError(
        `step ${step.id}: ${step.output} (SHA-256 ${file.sha256}), a backup of key "${header.label}" under KEK set ${header.kek.setId}, was written but the journal does not record it`,
        {
          hint: `it was written just before the interruption; the witnesses decide: adopt it, naming the SHA-256 they were shown (answers: steps.${step.id}.reconcile: adopt, steps.${step.id}.adoptSha256: ${file.sha256}), or stop (the file is then set aside and the backup made again in a new run, after a new load-kek)`,
          code: 'reconcile.unrecorded-backup',
        },
      );
    }
    // The file adopted is the one the witnesses were shown: its MAC cannot be checked now (the
    // session KEK died with the process), so a file swapped in between would be adopted unseen.
    if (answer.adoptSha256 !== file.sha256) {
      throw new InputError(
        `step ${step.id}: ${step.output} now has SHA-256 ${file.sha256}, not ${answer.adoptSha256} that the witnesses decided to adopt: it changed since they were shown it`,
        {
          hint: 'nothing was adopted; someone or something wrote to the workdir: record an exception, find out who, and stop (the backup is made again in a new run, after a new load-kek)',
          code: 'reconcile.adopt-changed',
        },
      );
    }
    const { spki: _spki, certificate, ...facts } = header;
    return [
      {
        record: { event: JOURNAL_EVENTS.outputUnrecorded, data: { ...data, decision: 'adopt', note: JOURNAL_NOTES.backupAdopted } },
        adopt: {
          type: 'step.recovered',
          step: step.id,
          result: {
            outputs: [file],
            details: {
              ...facts,
              certificateSha256: certificate === null ? null : sha256(Buffer.from(certificate, 'base64')).toString('hex'),
              adoptedAfterRestart: true,
              token: tokenSummary(sessions.session(token).token),
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
