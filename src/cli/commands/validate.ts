// `keyceremony validate <definition.yaml>`: every problem with file:line:col, or a summary.
import { loadDefinition } from '../../definition/loader.js';
import { checkX509 } from '../../definition/x509-preflight.js';
import { isSensitive } from '../../steps/index.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs('validate', args, {}, ['definition.yaml']);
  const definition = loadDefinition(positionals[0]!);
  // Its X.509 profiles against its keys and names, as if the ceremony were held today.
  await checkX509(definition, { now: new Date() });
  const sensitive = definition.steps.filter((s) => isSensitive(s.type)).length;
  println(io.stdout, `${definition.file}: ${definition.ceremony} is valid`);
  println(
    io.stdout,
    `  ${definition.steps.length} steps (${sensitive} sensitive, each with a performer and a witness), ${Object.keys(definition.roles).length} roles, sha256 ${definition.sha256}`,
  );
  return 0;
}
