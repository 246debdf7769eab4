// `npm run dry-run` (scripts/dry-run.mjs: fifteen ceremonies on throwaway SoftHSM tokens, then its
// own openssl and pkcs11-tool checks) is run once per `npm test` run and shared by the tests
// that examine it (fixture-cache.ts): each gets its own copy of the output folder, token store
// included, and what the script printed and how it exited. The same for `npm run dry-run --
// --hsm nss` (twelve ceremonies on NSS softoken, about 50 s of CPU, most of it RSA-4096 keys):
// made once for a given tree, as the SoftHSM chain is, not again in every run.
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

/** NSS softoken as scripts/dry-run.mjs finds it. */
const NSS_MODULE_OF_SCRIPT = process.env.KEYCEREMONY_NSS_MODULE ?? '/usr/lib/x86_64-linux-gnu/libsoftokn3.so';

/**
 * `npm run dry-run -- --hsm nss`'s output, copied to `out` (which must not exist yet), made as
 * dryRunOutput's is. The NSS databases are named by absolute paths in the profile the script
 * wrote (hsm-dry-run.yaml, its initArgs): the copy's profile names the copy's own databases.
 */
export async function dryRunOutputNss(out: string): Promise<Omit<DryRun, 'env'>> {
  const key = fixtureKey({
    paths: [join(REPO, 'ceremonies'), join(REPO, 'dist'), join(REPO, 'scripts'), fileURLToPath(import.meta.url)],
    extra: ['dry-run --hsm nss', NSS_MODULE_OF_SCRIPT, process.version],
  });
  const fixture = await cachedFixture('dry-run-nss', key, async (dir) => {
    const made = join(dir, 'out');
    const result = await run(process.execPath, [join(REPO, 'scripts', 'dry-run.mjs'), '--hsm', 'nss', '--out', made], { cwd: REPO });
    if (result.code !== 0) throw new Error(`npm run dry-run -- --hsm nss exited ${result.code}\n${result.stderr}\n${result.stdout.slice(-3000)}`);
    writeFileSync(join(dir, 'result.json'), JSON.stringify(result));
    writeFileSync(join(dir, 'made-in'), made);
  });
  copyFixture(fixture, out, 'out');
  const profile = join(out, 'hsm-dry-run.yaml');
  writeFileSync(profile, readFileSync(profile, 'utf8').replaceAll(readFileSync(join(fixture, 'made-in'), 'utf8'), out));
  return { out, result: JSON.parse(readFileSync(join(fixture, 'result.json'), 'utf8')) as RunResult };
}
