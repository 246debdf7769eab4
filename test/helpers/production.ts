// A production ceremony in tests. `run` refuses scripted answers on a profile without
// dryRun: true, so a production workdir is made the way the terminal UI starts one: the
// runner with an interactive stand-in for the people at the terminal, which stops at once
// (as ^C would). The child runs under `ulimit -c <limit>`: a production start is refused
// unless core dumps are off. SoftHSM is a software token: a production run on it is refused
// unless --allow-software-token is given (allowSoftwareToken here), which these tests give
// unless they are about that refusal.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HCA_LABEL, type Case } from './chain.js';
import { run, SOFTHSM_MODULE, type RunResult } from './softhsm.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** A production profile (dryRun: false) for the case's HCA token. */
export function productionProfile(c: Case): string {
  const file = join(c.dir, 'production.yaml');
  writeFileSync(file, `module: ${SOFTHSM_MODULE}\ndryRun: false\ntokens:\n  hca: { label: ${HCA_LABEL} }\n`);
  return file;
}

/** `run` of the case's key generation on `profile`, stopped at the terminal at once. */
export function productionStart(c: Case, profile: string, coreLimit: '0' | 'unlimited' = '0', allowSoftwareToken = true): Promise<RunResult> {
  const script = join(c.dir, 'production-start.mjs');
  const module = (path: string) => JSON.stringify(pathToFileURL(join(DIST, path)).href);
  writeFileSync(
    script,
    [
      `import { runCeremony } from ${module('ceremony/runner.js')};`,
      `import { exitCodeFor } from ${module('cli/main.js')};`,
      `import { runnerDeps } from ${module('cli/runner-deps.js')};`,
      'const [definitionFile, profileFile, workdir, manifest, auditKey, allow] = process.argv.slice(2);',
      'const out = (line) => process.stdout.write(`${line}\\n`);',
      "const interactive = async () => ({ status: 'interrupted' });",
      "runCeremony({ definitionFile, profileFile, workdir, inputs: { 'hca-user-pin-manifest': manifest, 'hca-audit-key': auditKey }, lang: 'en', out, interactive, allowSoftwareToken: allow === 'allow' }, runnerDeps()).then(",
      '  (code) => (process.exitCode = code),',
      '  (error) => (process.exitCode = exitCodeFor(error, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })),',
      ');',
    ].join('\n'),
  );
  const manifest = join(c.dir, 'hca-token-init', 'outputs', 'hca-user-pin.init.manifest.json');
  // The token's audit key (journal checkpoints), which its init-token ceremony wrote.
  const auditKey = join(c.dir, 'hca-token-init', 'outputs', 'hca-audit-key.pem');
  return run(
    'sh',
    [
      '-c',
      `ulimit -c ${coreLimit} && exec "$0" "$@"`,
      process.execPath,
      script,
      c.definition,
      profile,
      c.workdir,
      manifest,
      auditKey,
      allowSoftwareToken ? 'allow' : 'refuse',
    ],
    {
      env: c.store.env,
    },
  );
}
