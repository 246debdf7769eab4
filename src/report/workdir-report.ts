// The report of one workdir, rendered from a journal that verifies: used by
// `keyceremony report` and by `run`/`resume`, which leave report.md and report.html in the
// workdir when a ceremony is sealed. The attestation letter (`report --letter`) is made
// from the same verified workdir and the same record.
import { toolVersion } from '../util/tool-version.js';
import { readCeremonyRecord } from './ceremony-record.js';
import type { Lang } from './i18n.js';
import { renderDocument, type DocumentFormat } from './render.js';
import { buildLetter } from './letter.js';
import { buildReport } from './report.js';
import { readVerifiedWorkdir, type VerifiedWorkdir } from './verified-workdir.js';
import type { AuditKey } from '../journal/checkpoint.js';

/** The document made from the record: the full record, or the one-page attestation letter. */
export type RecordDocument = 'report' | 'letter';

export function renderWorkdirReport(
  workdir: string,
  format: DocumentFormat,
  lang: Lang,
  command = 'report',
  options: { auditKeys?: AuditKey[] | undefined; document?: RecordDocument } = {},
): string {
  return renderVerifiedReport(readVerifiedWorkdir(workdir, command, { ...options, lang }), format, lang, { journalFile: undefined, workdir }, options.document);
}

/**
 * The report of a verified workdir. `names` are how the report names the journal and the
 * workdir (an evidence bundle names them as they are inside the bundle, not where it was made).
 */
export function renderVerifiedReport(
  verified: VerifiedWorkdir,
  format: DocumentFormat,
  lang: Lang,
  names: { journalFile: string | undefined; workdir: string },
  document: RecordDocument = 'report',
): string {
  const record = readCeremonyRecord(
    verified.records,
    verified.definition.steps.map((step) => step.id),
    verified.definition,
  );
  const build = document === 'letter' ? buildLetter : buildReport;
  const doc = build(verified.definition, record, lang, {
    tool: `keyceremony ${toolVersion()}`,
    journal: {
      file: names.journalFile ?? verified.journalFile,
      headChecked: verified.checkedHead?.seq,
      verifyCommand: `keyceremony journal verify ${names.workdir}`,
      checkpoints: {
        keysFrom: verified.checkpoints.keysFrom,
        checks: verified.checkpoints.checks.map((check) => ({
          seq: check.record.seq,
          signedSeq: check.signedSeq,
          token: check.token,
          spkiSha256: check.spkiSha256,
          time: check.record.time,
          verified: check.status === 'verified',
        })),
      },
    },
  });
  return renderDocument(doc, format);
}
