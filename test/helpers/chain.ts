// The Healthcare CA chain's prerequisites, made once per test file and copied per case:
// the dry-run root (token, key, self-signed certificate), the HCA token with its 3-of-5 user
// PIN shares, and (optionally) an uninterrupted hca-g3-keygen and grca-issue-hca-g3 as the
// reference runs. SoftHSM keeps each token in a plain folder, so a case gets its own token
// store by copying the tokens folder as it was at the point the case starts from.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { keyceremony } from './cli.js';
import { CEREMONIES } from './ceremony.js';
import { SOFTHSM_MODULE, type RunResult } from './softhsm.js';

export const ROOT_LABEL = 'ROOT-DRYRUN';
export const HCA_LABEL = 'HCA-DRYRUN';

export type ChainCeremony = 'dryrun-root-init' | 'hca-token-init' | 'hca-g3-keygen' | 'grca-issue-hca-g3';
/** Points of the chain a case can start from: the token store as it was then. */
export type ChainPoint = 'tokens-ready' | 'keygen-done';

export interface Store {
  dir: string;
  conf: string;
  profile: string;
  env: NodeJS.ProcessEnv;
}

function makeStore(dir: string, tokens?: string): Store {
  mkdirSync(dir, { recursive: true });
  const tokenDir = join(dir, 'tokens');
  if (tokens) cpSync(tokens, tokenDir, { recursive: true });
  else mkdirSync(tokenDir);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const profile = join(dir, 'hsm.yaml');
  writeFileSync(profile, `module: ${SOFTHSM_MODULE}\ndryRun: true\ntokens:\n  root: { label: ${ROOT_LABEL} }\n  hca: { label: ${HCA_LABEL} }\n`);
  return { dir, conf, profile, env: { ...process.env, SOFTHSM2_CONF: conf } };
}

export interface Chain {
  dir: string;
  /** Token folders as they were at each point. */
  tokens: Partial<Record<ChainPoint, string>>;
  /** Workdirs of the ceremonies run so far (the reference runs). */
  workdirs: Partial<Record<ChainCeremony, string>>;
  /** Their stdout and stderr, for the canary. */
  results: Partial<Record<ChainCeremony, RunResult>>;
  store: Store;
}

export interface Case {
  dir: string;
  store: Store;
  /** The copy of the ceremony's dry-run answers, next to the prerequisite workdirs. */
  answers: string;
  workdir: string;
  definition: string;
  /** `keyceremony run` for this case's ceremony. */
  runArgs: string[];
}

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

/** Runs the chain up to `through` once, uninterrupted; throws if any ceremony fails. */
export async function prepareChain(t: Teardown, through: 'hca-token-init' | 'hca-g3-keygen' | 'grca-issue-hca-g3'): Promise<Chain> {
  const dir = mkdtempSync(join(tmpdir(), 'kc-chain-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = makeStore(join(dir, 'base'));
  const chain: Chain = { dir, tokens: {}, workdirs: {}, results: {}, store };
  const order: ChainCeremony[] = ['dryrun-root-init', 'hca-token-init', 'hca-g3-keygen', 'grca-issue-hca-g3'];
  for (const id of order.slice(0, order.indexOf(through) + 1)) {
    const answers = join(dir, `${id}.answers.yaml`);
    copyFileSync(join(CEREMONIES, `${id}.answers.yaml`), answers);
    const workdir = join(dir, id);
    const result = await keyceremony(['run', join(CEREMONIES, `${id}.yaml`), '--hsm', store.profile, '--workdir', workdir, '--answers', answers], { env: store.env });
    if (result.code !== 0) throw new Error(`chain: ${id} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    chain.workdirs[id] = workdir;
    chain.results[id] = result;
    if (id === 'hca-token-init') chain.tokens['tokens-ready'] = snapshotTokens(store, join(dir, 'tokens-ready'));
    if (id === 'hca-g3-keygen') chain.tokens['keygen-done'] = snapshotTokens(store, join(dir, 'keygen-done'));
  }
  return chain;
}

function snapshotTokens(store: Store, to: string): string {
  cpSync(join(store.dir, 'tokens'), to, { recursive: true });
  return to;
}

/**
 * A case of `ceremony` in its own folder: a copy of the token store at `from`, the
 * prerequisite workdirs linked in (read only: manifests, dry-run shares, the CSR), the
 * dry-run answers copied beside them, and a workdir that does not exist yet.
 */
export function newCase(chain: Chain, name: string, ceremony: 'hca-g3-keygen' | 'grca-issue-hca-g3', from: ChainPoint = ceremony === 'hca-g3-keygen' ? 'tokens-ready' : 'keygen-done'): Case {
  const tokens = chain.tokens[from];
  if (!tokens) throw new Error(`chain: no token snapshot at ${from}`);
  const dir = join(chain.dir, 'cases', name);
  const store = makeStore(join(dir, 'softhsm'), tokens);
  const needs: ChainCeremony[] = ceremony === 'hca-g3-keygen' ? ['dryrun-root-init', 'hca-token-init'] : ['dryrun-root-init', 'hca-token-init', 'hca-g3-keygen'];
  for (const id of needs) symlinkSync(chain.workdirs[id]!, join(dir, id));
  const answers = join(dir, `${ceremony}.answers.yaml`);
  copyFileSync(join(CEREMONIES, `${ceremony}.answers.yaml`), answers);
  const workdir = join(dir, ceremony);
  const definition = join(CEREMONIES, `${ceremony}.yaml`);
  return { dir, store, answers, workdir, definition, runArgs: ['run', definition, '--hsm', store.profile, '--workdir', workdir, '--answers', answers] };
}

/** A copy of the case's answers with extra keys under steps.<id> (e.g. reconcile: adopt). */
export function answersWith(c: Case, name: string, steps: Record<string, Record<string, unknown>>): string {
  const doc = parseDocument(readFileSync(c.answers, 'utf8'));
  for (const [step, extra] of Object.entries(steps)) for (const [key, value] of Object.entries(extra)) doc.setIn(['steps', step, key], value);
  const file = join(c.dir, name);
  writeFileSync(file, doc.toString());
  return file;
}
