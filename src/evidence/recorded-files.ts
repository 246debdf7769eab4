// Which files of a workdir are evidence, and the SHA-256 the journal holds for each. An
// evidence bundle carries exactly these (plus the journal itself and reports rendered from
// it): every file in it is vouched for by a record of a journal that verifies, so nothing the
// journal did not see can ride along — not a share left in dry-run-shares/, not a file
// someone dropped into outputs/ afterwards, not an edited state.json.
import { OPENED_EVENT, type JournalEventRecord } from '../journal/record.js';
import { JOURNAL_EVENTS } from '../journal/events.js';

export interface RecordedFile {
  /** Path inside the workdir (and inside the bundle), e.g. `outputs/hca-g3.csr`. */
  path: string;
  sha256: string;
  /** Which record vouches for it, for the auditor: `record 1 (ceremony.opened): definition`. */
  vouchedBy: string;
}

const COMPLETED_EVENT = JOURNAL_EVENTS.stepCompleted;

/** Every file the (verified, typed) journal recorded by its SHA-256, in a stable order. */
export function recordedFiles(records: readonly JournalEventRecord[], journalFile: string): RecordedFile[] {
  const opened = records[0];
  if (opened?.event !== OPENED_EVENT) throw new TypeError(`recordedFiles: ${journalFile}: a verified journal starts with its header`);
  const header = opened.data;
  const byHeader = (what: string) => `record ${opened.seq} (${opened.event}): ${what}`;
  const files: RecordedFile[] = [
    { path: 'definition.yaml', sha256: header.definition.sha256, vouchedBy: byHeader('definition') },
    { path: 'hsm-profile.yaml', sha256: header.hsm.profile.sha256, vouchedBy: byHeader('HSM profile') },
  ];
  for (const [name, profile] of Object.entries(header.profiles ?? {})) {
    files.push({ path: `profiles/${name}.yaml`, sha256: profile.sha256, vouchedBy: byHeader(`X.509 profile ${name}`) });
  }
  for (const input of Object.values(header.inputs ?? {})) {
    files.push({ path: `inputs/${input.name}`, sha256: input.sha256, vouchedBy: byHeader(`input ${input.name}`) });
  }
  for (const record of records) {
    if (record.event !== COMPLETED_EVENT) continue;
    for (const output of record.data.outputs ?? []) {
      files.push({
        path: `outputs/${output.name}`,
        sha256: output.sha256,
        vouchedBy: `record ${record.seq} (${record.event}, step ${record.step ?? '?'}): output ${output.name}`,
      });
    }
  }
  return files;
}
