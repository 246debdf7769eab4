// `keyceremony hsm check <definition.yaml> --hsm <profile.yaml> [--lang en|zh-TW]`: the
// pre-flight for the days before a ceremony (src/hsm/preflight.ts). No login, no PIN.
// Exit 0 when the HSM has everything the ceremony needs, 1 when something is missing, 2 for
// bad usage, a bad definition or a bad profile.
import { loadDefinition } from '../../definition/loader.js';
import { loadHsmProfile } from '../../hsm/profile.js';
import { preflight, preflightTable } from '../../hsm/preflight.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { println, type CliIo } from '../io.js';
import { chooseLang } from '../lang.js';
import { openProfileModule } from '../profile-module.js';

export async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('hsm check', args, { hsm: { type: 'string' }, lang: { type: 'string' } }, ['definition.yaml']);
  const lang = chooseLang(values.lang, io.env);
  const profile = loadHsmProfile(requireOption('hsm check', values.hsm, 'hsm'));
  const definition = loadDefinition(positionals[0]!);
  const hsm = openProfileModule(profile);
  try {
    const m = hsm.module;
    const pin = profile.moduleSha256
      ? lang === 'en'
        ? ' (= moduleSha256 of the profile)'
        : '（與設定檔 moduleSha256 相符）'
      : lang === 'en'
        ? ' (not pinned in the profile)'
        : '（設定檔未指定 moduleSha256）';
    println(io.stdout, `${lang === 'en' ? 'module' : '模組'}  ${m.path}`);
    println(io.stdout, `        SHA-256 ${m.sha256}${pin}`);
    println(io.stdout, `        ${m.manufacturer}, ${m.description}, ${m.libraryVersion}`);
    println(io.stdout, `${lang === 'en' ? 'ceremony' : '儀式'}  ${definition.ceremony}`);
    println(io.stdout, '');
    const rows = preflight(definition, profile, hsm);
    for (const line of preflightTable(rows, lang)) println(io.stdout, line);
    const missing = rows.filter((r) => r.status === 'missing').length;
    println(io.stdout, '');
    println(
      io.stdout,
      missing === 0
        ? lang === 'en'
          ? 'the HSM has what this ceremony needs'
          : '硬體安全模組具備本儀式所需'
        : lang === 'en'
          ? `${missing} missing: the ceremony would be refused`
          : `${missing} 項不符：儀式將被拒絕`,
    );
    return missing === 0 ? 0 : 1;
  } finally {
    hsm.finalize();
  }
}
