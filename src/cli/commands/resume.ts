// `keyceremony resume <workdir> [--answers <file>]`: rebuild from the last stable snapshot,
// reconcile with the journal, the HSM and the outputs, ask the quorum to log in again, go on.
import { resumeCeremony } from '../../ceremony/runner.js';
import { parseCommandArgs } from '../args.js';
import { isInteractive, type CliIo } from '../io.js';
import { printLines } from '../terminal-wrap.js';
import { chooseLang } from '../lang.js';
import { runnerDeps } from '../runner-deps.js';
import { loadInteractiveUi } from '../ui-loader.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('resume', args, { answers: { type: 'string' }, lang: { type: 'string' } }, ['workdir']);
  const answersFile = values.answers;
  return resumeCeremony(
    {
      workdir: positionals[0]!,
      answersFile,
      lang: chooseLang(values.lang, io.env),
      out: printLines(io),
      interactive: answersFile === undefined && isInteractive(io) ? await loadInteractiveUi(io) : undefined,
    },
    runnerDeps(),
  );
}
