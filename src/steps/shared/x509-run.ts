// What the certificate steps share: their X.509 profile copies, the files they read, the
// HSM signer of a key, and PEM outputs. Loaded on first use only (`await import(...)` in
// each certificate step's run.ts, never a static import): a
// ceremony without certificate steps, and the terminal UI's first frame, never load
// src/x509 and @peculiar/x509.
import { KeyceremonyError } from '../../errors.js';
import type { CeremonyContext, FileRecord } from '../../ceremony/types.js';
import { x509ProfilePath } from '../../ceremony/workdir.js';
import type { KeyAlgorithm } from '../../hsm/types.js';
import { INPUT_FILE_LIMIT, YAML_FILE_LIMIT } from '../../util/bounded-read.js';
import { sha256 } from '../../util/fingerprint.js';
import { readWorkdirFile, readWorkdirText } from '../../util/safe-path.js';
import { derFromDerOrPem, describeCertificate, hsmSigner, parseX509Profile, prepareThrowawaySigner, toPem, type X509Profile } from '../../x509/index.js';
import type { CeremonyDeps } from '../run-types.js';
import { tokenOfKey } from './keys.js';

export * from '../../x509/index.js';

const profileName = (name: string) => `profiles/${name}.yaml`;

/** A file the step names: an input brought to the ceremony, or an output of an earlier step. */
export function fileBytes(workdir: string, context: CeremonyContext, name: string): Buffer {
  const input = context.inputs[name];
  if (input) return recordedBytes(readWorkdirFile(workdir, `inputs/${name}`, INPUT_FILE_LIMIT), input, `inputs/${name}`);
  const output = context.outputs[name];
  if (output) return recordedBytes(readWorkdirFile(workdir, `outputs/${name}`, INPUT_FILE_LIMIT), output, `outputs/${name}`);
  throw new KeyceremonyError(`"${name}" is neither an input nor an output of this ceremony`, { code: 'file.unknown' });
}

/**
 * The bytes of a file the journal has recorded, or a refusal. The witnesses approved what its
 * SHA-256 was when it was brought in or written; a file changed in the workdir since (between
 * their approval and the signature, say) is not what they approved, so nothing uses it.
 */
function recordedBytes(bytes: Buffer, record: FileRecord, path: string): Buffer {
  const now = sha256(bytes).toString('hex');
  if (now === record.sha256) return bytes;
  throw fileChanged(path, now, record.sha256, path.startsWith('inputs/') ? 'when it was brought in' : `when step ${record.step} wrote it`);
}

function fileChanged(path: string, now: string, recorded: string, when: string): KeyceremonyError {
  return new KeyceremonyError(`${path} changed after the journal recorded it: SHA-256 ${now}, recorded ${recorded} ${when}`, {
    code: 'file.changed',
    hint: 'someone or something wrote to the workdir during the ceremony; nothing was signed with it; record an exception, find out who, and bring back the file whose SHA-256 the journal records before resuming',
  });
}

/**
 * The text of the workdir's copy of an X.509 profile, refused unless it is the copy the
 * journal's first record fingerprints (`recorded`, the header's profiles; undefined only where
 * effects run without a journal). Resume compares the copies too, but a running ceremony
 * reads a profile at prepare and again at signing: a copy edited after the witnesses approved
 * would otherwise put extensions nobody approved into the certificate (attack17b). The text
 * checked is the text parsed: one read.
 */
function recordedProfileText(workdir: string, name: string, recorded: Record<string, { sha256: string }> | undefined): string {
  const path = profileName(name);
  const text = readWorkdirText(workdir, path, YAML_FILE_LIMIT, 'X.509 profile');
  if (!recorded) return text;
  const now = sha256(text).toString('hex');
  const record = recorded[name];
  if (record?.sha256 === now) return text;
  throw fileChanged(path, now, record?.sha256 ?? 'none', 'when the ceremony started');
}

/**
 * Starts the lint-before-sign's throwaway key of the issuer's type while the witnesses read
 * what will be signed (see prepareThrowawaySigner). An issuer key of a type we cannot read
 * here simply gets its throwaway key at signing time.
 */
export function prepareLintKey(issuerAlgorithm: KeyAlgorithm | undefined): void {
  if (issuerAlgorithm) prepareThrowawaySigner(issuerAlgorithm);
}

export function certificateDetails(der: Buffer, lints: number): Record<string, unknown> {
  const d = describeCertificate(der);
  return {
    subject: d.subject,
    issuer: d.issuer,
    serial: d.serial,
    notBefore: d.notBefore.utc,
    notAfter: d.notAfter.utc,
    spkiSha256: d.spkiSha256.sha256,
    certificateSha256: d.sha256.sha256,
    lintsPassed: lints,
  };
}

export const extensionList = (profile: X509Profile): string[] => profile.extensions.map((e) => `${e.type}${e.critical ? ' (critical)' : ''}`);

/** The helpers a certificate step's effects use, bound to one ceremony. */
export function certificateTools(deps: CeremonyDeps) {
  const { definition, sessions, outputs, workdir, recordedProfiles } = deps;
  return {
    /** The workdir's copy of an X.509 profile, read without following a link, as the journal recorded it. */
    profile: (name: string): X509Profile => parseX509Profile(x509ProfilePath(workdir, name), recordedProfileText(workdir, name, recordedProfiles)),
    signerFor: (label: string) => hsmSigner(sessions.loggedIn(tokenOfKey(definition, label)), label),
    certificate: (context: CeremonyContext, name: string) => derFromDerOrPem(fileBytes(workdir, context, name), 'CERTIFICATE', `certificate ${name}`),
    csrOf: (context: CeremonyContext, name: string) => derFromDerOrPem(fileBytes(workdir, context, name), 'CERTIFICATE REQUEST', `certificate request ${name}`),
    writePem: (
      step: { id: string },
      name: string,
      kind: 'csr' | 'certificate' | 'crl',
      label: 'CERTIFICATE REQUEST' | 'CERTIFICATE' | 'X509 CRL',
      der: Buffer,
    ): FileRecord => outputs.write(name, kind, toPem(label, der), step.id),
  };
}
