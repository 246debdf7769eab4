// `keyceremony plan <definition.yaml> [--format md|html] [--lang en|zh-TW]`: the definition
// as the human-readable key generation script to review and approve before the ceremony,
// on stdout. Same sections and step numbers as `keyceremony report`. With `--cards`, the
// blank share cards to print for every share the ceremony hands out (HTML), instead.
import { loadDefinition } from '../../definition/loader.js';
import { checkX509 } from '../../definition/x509-preflight.js';
import { ExitCode, InputError } from '../../errors.js';
import { buildPlan } from '../../report/plan.js';
import { parseFormat, renderDocument } from '../../report/render.js';
import { parseCommandArgs } from '../args.js';
import { renderCards } from '../../cards/cards-html.js';
import { shareCards } from '../../cards/share-cards.js';
import type { CliIo } from '../io.js';
import { chooseLang } from '../lang.js';
import { toolVersion } from '../../util/tool-version.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', args, { format: { type: 'string' }, lang: { type: 'string' }, cards: { type: 'boolean' } }, [
    'definition.yaml',
  ]);
  const format = parseFormat('plan', values.format);
  const lang = chooseLang(values.lang, io.env);
  if (values.cards && values.format !== undefined && format !== 'html')
    throw new InputError('plan: --cards writes HTML, not --format md', { hint: 'leave out --format, or give --format html' });
  const definition = loadDefinition(positionals[0]!);
  if (values.cards) {
    const cards = shareCards(definition, lang);
    if (cards.length === 0)
      throw new InputError(
        `plan: ${definition.file}: no step of ceremony ${definition.ceremony} splits a credential, so it hands out no shares to write on cards`,
        { hint: 'share cards are printed for the ceremony that makes the shares (init-token, split-credential, rotate-credential, create-kek)' },
      );
    io.stdout.write(renderCards(cards, lang));
    return ExitCode.completed;
  }
  // No script is printed for approval that the X.509 checks would refuse at the ceremony.
  await checkX509(definition, { now: new Date() });
  io.stdout.write(renderDocument(buildPlan(definition, lang, { tool: `keyceremony ${toolVersion()}` }), format));
  return ExitCode.completed;
}
