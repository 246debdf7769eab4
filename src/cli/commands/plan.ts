// `keyceremony plan <definition.yaml> [--format md|html] [--lang en|zh-TW]`: the definition
// as the human-readable key generation script to review and approve before the ceremony,
// on stdout. Same sections and step numbers as `keyceremony report`.
import { loadDefinition } from '../../definition/loader.js';
import { checkX509 } from '../../definition/x509-preflight.js';
import { ExitCode } from '../../errors.js';
import { buildPlan } from '../../report/plan.js';
import { parseFormat, renderDocument } from '../../report/render.js';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { chooseLang } from '../lang.js';
import { toolVersion } from '../../util/tool-version.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', args, { format: { type: 'string' }, lang: { type: 'string' } }, ['definition.yaml']);
  const format = parseFormat('plan', values.format);
  const lang = chooseLang(values.lang, io.env);
  const definition = loadDefinition(positionals[0]!);
  // No script is printed for approval that the X.509 checks would refuse at the ceremony.
  await checkX509(definition, { now: new Date() });
  io.stdout.write(renderDocument(buildPlan(definition, lang, { tool: `keyceremony ${toolVersion()}` }), format));
  return ExitCode.completed;
}
