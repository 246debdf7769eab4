// `keyceremony history <folder of workdirs> [--format md|html] [--lang en|zh-TW]`: the life of
// every key, share set, token and sealed object across the ceremonies in a folder, from
// journals that verify (src/history/). The document goes to stdout; exit 1 when anything is
// flagged (each finding is also named on stderr), 2 for bad usage.
import { ExitCode } from '../../errors.js';
import { buildHistoryDocument, findingText } from '../../history/document.js';
import { buildHistory } from '../../history/history.js';
import { historyMessages } from '../../history/i18n.js';
import { readCeremonies } from '../../history/workdirs.js';
import { parseFormat, renderDocument } from '../../report/render.js';
import { toolVersion } from '../../util/tool-version.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';
import { chooseLang } from '../lang.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('history', args, { format: { type: 'string' }, lang: { type: 'string' } }, ['folder']);
  const format = parseFormat('history', values.format);
  const lang = chooseLang(values.lang, io.env);
  const { ceremonies, findings } = readCeremonies(positionals[0]!);
  const history = buildHistory(ceremonies, findings);
  io.stdout.write(renderDocument(buildHistoryDocument(history, lang, `keyceremony ${toolVersion()}`), format));
  if (history.findings.length === 0) return ExitCode.completed;
  // Findings in English on stderr, whatever the document's language: they are the error messages.
  const t = historyMessages('en');
  for (const finding of history.findings) println(io.stderr, `keyceremony: error: history: ${findingText(t, finding)}`);
  println(
    io.stderr,
    `keyceremony: hint: ${history.findings.length} findings across ${ceremonies.length} ceremonies; the history document lists them in section 2 with the records concerned`,
  );
  return ExitCode.failed;
}
