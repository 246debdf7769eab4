// The Healthcare CA chain's prerequisites, made once per `npm test` run (fixture-cache.ts) and
// copied per test file and per case: the dry-run root (token, RSA-4096 key, self-signed
// certificate), the HCA token with its 3-of-5 user PIN shares, and (optionally) an
// uninterrupted hca-g3-keygen and grca-issue-hca-g3 as the reference runs (the RSA-4096 chain
// only through hca-g3-keygen: CACHED_THROUGH). SoftHSM keeps each token in a plain folder, so a
// case gets its own token store by copying the tokens folder as it was at the point the case
// starts from.
//
// The keys are RSA-4096 as the ceremony files say or, where RSA-4096 itself is not what a test
// is about, EC P-384 (`keys: 'ec-p384'`, see chainDefinitions): then a case's key generation
// takes milliseconds instead of seconds, and so does the throwaway key the issuing ceremony
// lints with. The dry-run chain (test/e2e/dry-run-chain.test.ts, the secret canary) and the
// bad inputs, which cut RSA-sized CSRs and certificates short, keep RSA-4096.
//
// The cached workdirs were made in the cache's build folder: their journals name the files
// (answers, HSM profile) by the paths they had there. Nothing reads those paths back.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, type Document, type YAMLMap } from 'yaml';
import { keyceremony } from './cli.js';
import { CEREMONIES } from './ceremony.js';
import { cachedFixture, copyFixture, fixtureKey } from './fixture-cache.js';
import { testBundleKey } from './test-bundle.mjs';
import { SOFTHSM_MODULE, type RunResult } from './softhsm.js';

export const ROOT_LABEL = 'ROOT-DRYRUN';
export const HCA_LABEL = 'HCA-DRYRUN';

export type ChainCeremony = 'dryrun-root-init' | 'hca-token-init' | 'hca-g3-keygen' | 'grca-issue-hca-g3';
/** Points of the chain a case can start from: the token store as it was then. */
export type ChainPoint = 'tokens-ready' | 'keygen-done';
/** The root and HCA G3 keys: RSA-4096 as the ceremony files say, or EC P-384 where RSA-4096 is not under test. */
export type ChainKeys = 'rsa-4096' | 'ec-p384';

const ORDER: ChainCeremony[] = ['dryrun-root-init', 'hca-token-init', 'hca-g3-keygen', 'grca-issue-hca-g3'];
/** The token store after each ceremony, by the folder it is kept in. */
const TOKENS_AFTER: Record<ChainCeremony, string | undefined> = {
  'dryrun-root-init': undefined,
  'hca-token-init': 'tokens-ready',
  'hca-g3-keygen': 'keygen-done',
  'grca-issue-hca-g3': 'issued',
};

export interface Store {
  dir: string;
  conf: string;
  profile: string;
  env: NodeJS.ProcessEnv;
}

function makeStore(dir: string, tokens?: string): Store {
  mkdirSync(dir, { recursive: true });
  const tokenDir = join(dir, 'tokens');
  // Without `tokens`, the store's own tokens folder is kept (or made, empty).
  if (tokens) copyFixture(tokens, tokenDir);
  else mkdirSync(tokenDir, { recursive: true });
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
  /** The definition of each ceremony, with the chain's kind of keys. */
  definitions: Record<ChainCeremony, string>;
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

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Sets `path` in a YAML document: a plain value, or a flow map for an object. */
function setIn(doc: Document, path: Array<string | number>, value: unknown): void {
  doc.setIn(path, typeof value === 'object' ? doc.createNode(value, { flow: true }) : value);
}

/** The index of the first step of `type` in a definition document. */
function stepIndex(doc: Document, type: string): number {
  const index = (doc.get('steps') as { items: YAMLMap[] }).items.findIndex((step) => step.get('type') === type);
  if (index < 0) throw new Error(`chain: no ${type} step`);
  return index;
}

/**
 * The chain's definitions with `keys`: the ceremony files as they are, or for 'ec-p384'
 * copies written into `dir` with only the keys changed (the root and the HCA G3 key EC P-384,
 * the root's key and the CSR's key declared EC in the issuing ceremony) and the X.509 profiles copied beside
 * them (a definition's profiles are files in its folder); the subordinate CA profile's copy
 * gets `ec: SHA-384` because the real one accepts only an RSA issuer (GRCA G3 is RSA-4096). The ceremony ids stay, so
 * the dry-run answers apply unchanged.
 */
export function chainDefinitions(dir: string, keys: ChainKeys): Record<ChainCeremony, string> {
  const original = (id: ChainCeremony) => join(CEREMONIES, `${id}.yaml`);
  if (keys === 'rsa-4096')
    return {
      'dryrun-root-init': original('dryrun-root-init'),
      'hca-token-init': original('hca-token-init'),
      'hca-g3-keygen': original('hca-g3-keygen'),
      'grca-issue-hca-g3': original('grca-issue-hca-g3'),
    };
  const variant = join(dir, 'ec-p384');
  mkdirSync(variant, { recursive: true });
  const EC = { algorithm: 'EC', curve: 'P-384' };
  const write = (name: string, source: string, edit: (doc: Document) => void): string => {
    const doc = parseDocument(readFileSync(source, 'utf8'));
    edit(doc);
    doc.commentBefore = ` TEST COPY of ${relative(REPO, source)} with EC P-384 keys (test/helpers/chain.ts).\n${doc.commentBefore ?? ''}`;
    const file = join(variant, name);
    writeFileSync(file, doc.toString());
    return file;
  };
  const X509 = join(CEREMONIES, 'profiles', 'x509');
  // X.509 profiles must sit in the definition's folder: copies beside the test copies.
  write('subordinate-ca.yaml', join(X509, 'subordinate-ca.yaml'), (doc) => doc.setIn(['signature', 'ec'], 'SHA-384'));
  copyFileSync(join(X509, 'root-ca.yaml'), join(variant, 'root-ca.yaml'));
  return {
    'dryrun-root-init': write('dryrun-root-init.yaml', original('dryrun-root-init'), (doc) => {
      setIn(doc, ['steps', stepIndex(doc, 'generate-key'), 'key'], { label: 'ROOT-CA', ...EC });
      doc.setIn(['profiles', 'root-ca'], 'root-ca.yaml');
    }),
    'hca-token-init': original('hca-token-init'),
    'hca-g3-keygen': write('hca-g3-keygen.yaml', original('hca-g3-keygen'), (doc) =>
      setIn(doc, ['steps', stepIndex(doc, 'generate-key'), 'key'], { label: 'HCA-G3', ...EC }),
    ),
    'grca-issue-hca-g3': write('grca-issue-hca-g3.yaml', original('grca-issue-hca-g3'), (doc) => {
      doc.setIn(['keys', 'ROOT-CA', 'algorithm'], 'EC-P-384');
      doc.setIn(['steps', stepIndex(doc, 'issue-certificate'), 'csrKey'], 'EC-P-384');
      doc.setIn(['profiles', 'subordinate-ca'], 'subordinate-ca.yaml');
    }),
  };
}

/**
 * How far the cached chain of each kind of keys goes. The RSA-4096 chain is used only up to the
 * HCA G3 key generation (the bad inputs, graceful-stop); its issuing ceremony, with the RSA-4096
 * lint key it makes in node, would be built for nobody.
 */
const CACHED_THROUGH: Record<ChainKeys, ChainCeremony> = { 'rsa-4096': 'hca-g3-keygen', 'ec-p384': 'grca-issue-hca-g3' };

/** Runs the ceremonies up to `through` in `dir`, each workdir and answers copy beside the earlier ones, on the store in dir/base. */
async function runChain(dir: string, definitions: Record<ChainCeremony, string>, through: ChainCeremony): Promise<void> {
  const store = makeStore(join(dir, 'base'));
  const results: Partial<Record<ChainCeremony, RunResult>> = {};
  for (const id of ORDER.slice(0, ORDER.indexOf(through) + 1)) {
    const answers = join(dir, `${id}.answers.yaml`);
    copyFileSync(join(CEREMONIES, `${id}.answers.yaml`), answers);
    const result = await keyceremony(['run', definitions[id], '--hsm', store.profile, '--workdir', join(dir, id), '--answers', answers], { env: store.env });
    if (result.code !== 0) throw new Error(`chain: ${id} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    results[id] = result;
    const snapshot = TOKENS_AFTER[id];
    if (snapshot) copyFixture(join(dir, 'base', 'tokens'), join(dir, snapshot));
  }
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
}

/**
 * The chain up to `through`, uninterrupted, in a new folder of this test file's own. The
 * whole chain is made once per test run for each kind of keys and copied (fixture-cache.ts);
 * this throws if any of its ceremonies fails.
 */
export async function prepareChain(
  t: Teardown,
  through: 'hca-token-init' | 'hca-g3-keygen' | 'grca-issue-hca-g3',
  options: { keys?: ChainKeys } = {},
): Promise<Chain> {
  const keys = options.keys ?? 'rsa-4096';
  const cached = CACHED_THROUGH[keys];
  if (ORDER.indexOf(through) > ORDER.indexOf(cached)) throw new Error(`chain: the ${keys} chain is cached only through ${cached} (CACHED_THROUGH)`);
  const name = `chain-${keys}`;
  const key = fixtureKey({
    paths: [CEREMONIES, join(REPO, 'dist'), fileURLToPath(import.meta.url)],
    extra: [name, SOFTHSM_MODULE, process.version, testBundleKey()],
  });
  const fixture = await cachedFixture(name, key, (dir) => runChain(dir, chainDefinitions(dir, keys), cached));
  const dir = mkdtempSync(join(tmpdir(), 'kc-chain-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The workdirs and token snapshots up to `through`; the store gets this folder's paths.
  const ran = ORDER.slice(0, ORDER.indexOf(through) + 1);
  const snapshots = ran.map((id) => TOKENS_AFTER[id]).filter((s): s is string => s !== undefined);
  for (const part of [...ran, ...snapshots]) copyFixture(fixture, join(dir, part), part);
  for (const id of ran) copyFileSync(join(fixture, `${id}.answers.yaml`), join(dir, `${id}.answers.yaml`));
  const results = JSON.parse(readFileSync(join(fixture, 'results.json'), 'utf8')) as Partial<Record<ChainCeremony, RunResult>>;
  return {
    dir,
    tokens: Object.fromEntries(snapshots.filter((s) => s !== 'issued').map((s) => [s, join(dir, s)])),
    workdirs: Object.fromEntries(ran.map((id) => [id, join(dir, id)])),
    results: Object.fromEntries(ran.map((id) => [id, results[id]])),
    store: makeStore(join(dir, 'base'), join(dir, snapshots.at(-1)!)),
    definitions: chainDefinitions(dir, keys),
  };
}

/**
 * A case of `ceremony` in its own folder: a copy of the token store at `from`, the
 * prerequisite workdirs linked in (read only: manifests, dry-run shares, the CSR), the
 * dry-run answers copied beside them, and a workdir that does not exist yet.
 */
export function newCase(
  chain: Chain,
  name: string,
  ceremony: 'hca-g3-keygen' | 'grca-issue-hca-g3',
  from: ChainPoint = ceremony === 'hca-g3-keygen' ? 'tokens-ready' : 'keygen-done',
): Case {
  const tokens = chain.tokens[from];
  if (!tokens) throw new Error(`chain: no token snapshot at ${from}`);
  const dir = join(chain.dir, 'cases', name);
  const store = makeStore(join(dir, 'softhsm'), tokens);
  const needs: ChainCeremony[] =
    ceremony === 'hca-g3-keygen' ? ['dryrun-root-init', 'hca-token-init'] : ['dryrun-root-init', 'hca-token-init', 'hca-g3-keygen'];
  for (const id of needs) symlinkSync(chain.workdirs[id]!, join(dir, id));
  const answers = join(dir, `${ceremony}.answers.yaml`);
  copyFileSync(join(CEREMONIES, `${ceremony}.answers.yaml`), answers);
  const workdir = join(dir, ceremony);
  const definition = chain.definitions[ceremony];
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
