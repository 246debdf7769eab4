// `keyceremony run <definition.yaml> --hsm <profile.yaml> --workdir <dir> [--answers <file>]
//   [--approved-by <approver> --approval <reference> --approved-sha256 <hex>] [--allow-software-token]`
// With --answers: headless, one plain line per step. Without, on a terminal: the Ink UI.
import { InputError } from '../../errors.js';
import { runCeremony } from '../../ceremony/runner.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { isInteractive, type CliIo } from '../io.js';
import { printLines } from '../terminal-wrap.js';
import { chooseLang } from '../lang.js';
import { runnerDeps } from '../runner-deps.js';
import { loadInteractiveUi } from '../ui-loader.js';

export function parseInputs(values: string[] | undefined): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq < 1)
      throw new InputError(`run: --input must be name=path, not "${value}"`, {
        hint: 'e.g. --input hca-g3-csr=/media/usb/hca-g3.csr',
        says: { key: 'input.pair', params: { value } },
      });
    inputs[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return inputs;
}

export async function command(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'run',
    args,
    {
      hsm: { type: 'string' },
      workdir: { type: 'string' },
      answers: { type: 'string' },
      lang: { type: 'string' },
      input: { type: 'string', multiple: true },
      'approved-by': { type: 'string' },
      approval: { type: 'string' },
      'approved-sha256': { type: 'string' },
      'allow-software-token': { type: 'boolean' },
    },
    ['definition.yaml'],
  );
  const lang = chooseLang(values.lang, io.env);
  const answersFile = values.answers;
  return runCeremony(
    {
      definitionFile: positionals[0]!,
      profileFile: requireOption('run', values.hsm, 'hsm'),
      workdir: requireOption('run', values.workdir, 'workdir'),
      answersFile,
      inputs: parseInputs(values.input),
      lang,
      approval: { approvedBy: values['approved-by'], reference: values.approval, sha256: values['approved-sha256'] },
      allowSoftwareToken: values['allow-software-token'] === true,
      out: printLines(io),
      interactive: answersFile === undefined && isInteractive(io) ? await loadInteractiveUi(io) : undefined,
    },
    runnerDeps(),
  );
}
