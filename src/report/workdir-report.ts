// The report of one workdir, rendered from a journal that verifies: used by
// `keyceremony report` and by `run`/`resume`, which leave report.md and report.html in the
// workdir when a ceremony is sealed.
import { toolVersion } from '../util/tool-version.js';
import { readCeremonyRecord } from './ceremony-record.js';
import type { Lang } from './i18n.js';
import { renderDocument, type DocumentFormat } from './render.js';
import { buildReport } from './report.js';
import { readVerifiedWorkdir } from './verified-workdir.js';

export function renderWorkdirReport(workdir: string, format: DocumentFormat, lang: Lang, command = 'report'): string {
  const verified = readVerifiedWorkdir(workdir, command);
  const record = readCeremonyRecord(
    verified.records,
    verified.definition.steps.map((step) => step.id),
  );
  const doc = buildReport(verified.definition, record, lang, {
    tool: `keyceremony ${toolVersion()}`,
    journal: { file: verified.journalFile, headChecked: verified.checkedHead?.seq, verifyCommand: `keyceremony journal verify ${workdir}` },
  });
  return renderDocument(doc, format);
}
