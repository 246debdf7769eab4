// The offline release for tests: `node scripts/release.mjs` really builds the tarball into a
// temp folder, and `tar` really unpacks it. Nothing is written into the checkout.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './softhsm.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
export const VERSION = pkg.version;
export const RELEASE_FOLDER = `${pkg.name}-${pkg.version}`;
export const TARBALL = `${RELEASE_FOLDER}-linux-x64.tar.gz`;
/** PATH with this Node first and nothing from the checkout. */
export const NODE_PATH_ONLY = `${dirname(process.execPath)}:/usr/bin:/bin`;

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

/** The metafile part the tests read: each output file and the imports it makes. */
export interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

export interface BuiltRelease extends RunResult {
  /** The folder given as --out, holding the tarball. */
  out: string;
  tarball: string;
  metafile: Metafile;
}

/** Runs `node scripts/release.mjs` into a new temp folder (removed at teardown); SOURCE_DATE_EPOCH only from `extraEnv`. */
export async function buildRelease(t: Teardown, extraEnv: NodeJS.ProcessEnv = {}): Promise<BuiltRelease> {
  const { SOURCE_DATE_EPOCH: _inherited, ...inherited } = process.env;
  const env = { ...inherited, ...extraEnv };
  const out = mkdtempSync(join(tmpdir(), 'kc-release-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const metafile = join(out, 'metafile.json');
  const result = await run(process.execPath, [join(ROOT, 'scripts/release.mjs'), '--out', out, '--metafile', metafile], { env });
  if (result.code !== 0) throw new Error(`npm run release failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  return { ...result, out, tarball: join(out, TARBALL), metafile: JSON.parse(readFileSync(metafile, 'utf8')) as Metafile };
}

/** Unpacks the tarball with tar into a new empty temp folder; returns the release's top folder. */
export async function unpack(t: Teardown, tarball: string): Promise<string> {
  const into = mkdtempSync(join(tmpdir(), 'kc-unpacked-'));
  t.teardown(() => rmSync(into, { recursive: true, force: true }));
  const result = await run('tar', ['-xzf', tarball, '-C', into]);
  if (result.code !== 0) throw new Error(`tar -xzf ${tarball}: ${result.stderr}`);
  const entries = readdirSync(into);
  if (entries.length !== 1 || entries[0] !== RELEASE_FOLDER) throw new Error(`the tarball holds ${entries.join(', ')}, not one folder ${RELEASE_FOLDER}`);
  return join(into, RELEASE_FOLDER);
}

/** Runs the release's ./keyceremony launcher with only this Node on PATH, from outside the checkout. */
export function launcher(top: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(join(top, 'keyceremony'), args, { env: { PATH: NODE_PATH_ONLY, HOME: tmpdir(), LANG: 'C.UTF-8', ...env }, cwd: tmpdir() });
}

/** The relative paths of the bundle's output files (dist/cli/…) whose code comes from `packageDir`. */
export function outputsWith(metafile: Metafile, packageDir: string): string[] {
  return Object.entries(metafile.outputs)
    .filter(([, output]) => Object.keys(output.inputs).some((input) => input.startsWith(`${packageDir}/`)))
    .map(([path]) => `dist/cli/${path.split('/').pop()!}`);
}
