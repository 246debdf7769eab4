// `npm run dry-run` (scripts/dry-run.mjs: fifteen ceremonies on throwaway SoftHSM tokens, then its
// own openssl and pkcs11-tool checks) is run once per `npm test` run and shared by the tests
// that examine it (fixture-cache.ts): each gets its own copy of the output folder, token store
// included, and what the script printed and how it exited.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedFixture, copyFixture, fixtureKey } from './fixture-cache.js';
import { run, SOFTHSM_MODULE, type RunResult } from './softhsm.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface DryRun {
  /** This test's copy of the output folder (`npm run dry-run -- --out <out>`). */
  out: string;
  /** SOFTHSM2_CONF pointing at the copy's token store. */
  env: NodeJS.ProcessEnv;
  /** How the script exited and what it printed (the paths in it are those of the first run). */
  result: RunResult;
}

/**
 * The dry-run chain's output, copied to `out` (which must not exist yet). The script runs
 * only if no test has run it on the same ceremonies, dist/ and scripts yet; if it fails,
 * nothing is kept and this throws with what it printed.
 */
export async function dryRunOutput(out: string): Promise<DryRun> {
  const key = fixtureKey({
    paths: [join(REPO, 'ceremonies'), join(REPO, 'dist'), join(REPO, 'scripts'), fileURLToPath(import.meta.url)],
    extra: ['dry-run', SOFTHSM_MODULE, process.version],
  });
  const fixture = await cachedFixture('dry-run', key, async (dir) => {
    const result = await run(process.execPath, [join(REPO, 'scripts', 'dry-run.mjs'), '--out', join(dir, 'out')], { cwd: REPO });
    if (result.code !== 0) throw new Error(`npm run dry-run exited ${result.code}\n${result.stderr}\n${result.stdout.slice(-3000)}`);
    writeFileSync(join(dir, 'result.json'), JSON.stringify(result));
  });
  copyFixture(fixture, out, 'out');
  // The token store is this copy's own.
  const conf = join(out, 'softhsm', 'softhsm2.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^directories\.tokendir = .*$/m, `directories.tokendir = ${join(out, 'softhsm', 'tokens')}`));
  return { out, env: { ...process.env, SOFTHSM2_CONF: conf }, result: JSON.parse(readFileSync(join(fixture, 'result.json'), 'utf8')) as RunResult };
}
