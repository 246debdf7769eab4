// Figure 2 of `npm run bench`: the whole-ceremony overhead. keyceremony runs hca-g3-keygen and
// grca-issue-hca-g3 headless (dry-run answers) on fresh SoftHSM tokens; bench/baseline.sh
// does the same HSM work with pkcs11-tool and openssl on an identical copy of those tokens.
//
// Per run: a fresh token store; the prerequisites dryrun-root-init and hca-token-init run
// through keyceremony (not timed); the store is then copied, so the tool and the baseline
// start from byte-identical tokens (same root key, same PINs). Which of the two goes first
// alternates from run to run, so drift on a shared machine hits both alike.
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { BIN, MODULE, ROOT, capture, childEnv, timeCommand } from './lib.mjs';

const PREREQUISITES = ['dryrun-root-init', 'hca-token-init'];
/** The libp11 OpenSSL engine, found once here so that the timed baseline does not ask openssl each run. */
const ENGINE = join(/ENGINESDIR: "(.*)"/.exec(capture('openssl', ['version', '-e']) ?? '')?.[1] ?? '/usr/lib/x86_64-linux-gnu/engines-3', 'pkcs11.so');
export const TIMED = ['hca-g3-keygen', 'grca-issue-hca-g3'];
export const ANSWERED = [...PREREQUISITES, ...TIMED];

/**
 * ec: copies of the real ceremonies with EC P-384 root and HCA G3 keys (ecCopies() below);
 * rsa: the real ceremonies (RSA-4096).
 */
export function definitionFor(id, kind) {
  const copy = kind === 'ec' ? ecCopies()[id] : undefined;
  return copy ?? join(ROOT, 'ceremonies', `${id}.yaml`);
}

let ecCopiesMade;
/**
 * The EC P-384 copies, written once per bench process into bench/tmp/ec-copies-<pid>/ from
 * ceremonies/ as it is now, with only the keys changed, as test/helpers/chain.ts makes them
 * for the tests (copies kept in the repository fell behind the ceremonies they copy): the
 * root and the HCA G3 key EC P-384, the issuing ceremony's root key and CSR key declared EC,
 * and the X.509 profiles beside them (a definition's profiles are files in its folder), the
 * subordinate CA profile with `ec: SHA-384` (the real one accepts only an RSA issuer: GRCA G3
 * is RSA-4096). The ceremony ids stay, so the real dry-run answers apply unchanged.
 */
export function ecCopies() {
  if (ecCopiesMade) return ecCopiesMade;
  const dir = join(ROOT, 'bench/tmp', `ec-copies-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const x509 = join(ROOT, 'ceremonies/profiles/x509');
  const stepIndex = (doc, type) => doc.get('steps').items.findIndex((step) => step.get('type') === type);
  const write = (name, source, edit) => {
    const doc = parseDocument(readFileSync(source, 'utf8'));
    edit(doc);
    doc.commentBefore = ` BENCH COPY of ${source.slice(ROOT.length + 1)} with EC P-384 keys (scripts/bench/ceremony.mjs). Never use it for a real ceremony.\n${doc.commentBefore ?? ''}`;
    writeFileSync(join(dir, name), doc.toString());
    return join(dir, name);
  };
  const ec = (doc, label) => doc.setIn(['steps', stepIndex(doc, 'generate-key'), 'key'], doc.createNode({ label, algorithm: 'EC', curve: 'P-384' }));
  write('subordinate-ca.yaml', join(x509, 'subordinate-ca.yaml'), (doc) => doc.setIn(['signature', 'ec'], 'SHA-384'));
  copyFileSync(join(x509, 'root-ca.yaml'), join(dir, 'root-ca.yaml'));
  const real = (id) => join(ROOT, 'ceremonies', `${id}.yaml`);
  ecCopiesMade = {
    'dryrun-root-init': write('dryrun-root-init.yaml', real('dryrun-root-init'), (doc) => {
      ec(doc, 'ROOT-CA');
      doc.setIn(['profiles', 'root-ca'], 'root-ca.yaml');
    }),
    'hca-g3-keygen': write('hca-g3-keygen.yaml', real('hca-g3-keygen'), (doc) => ec(doc, 'HCA-G3')),
    'grca-issue-hca-g3': write('grca-issue-hca-g3.yaml', real('grca-issue-hca-g3'), (doc) => {
      doc.setIn(['keys', 'ROOT-CA', 'algorithm'], 'EC-P-384');
      doc.setIn(['steps', stepIndex(doc, 'issue-certificate'), 'csrKey'], 'EC-P-384');
      doc.setIn(['profiles', 'subordinate-ca'], 'subordinate-ca.yaml');
    }),
  };
  return ecCopiesMade;
}

function writeStore(dir) {
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  return conf;
}

/** A fresh token store in `dir` with the prerequisites done; returns what the timed runs need. */
export async function prepare(dir, kind) {
  dir = resolve(dir);
  mkdirSync(dir, { recursive: true });
  const conf = writeStore(join(dir, 'hsm'));
  const profile = join(dir, 'hsm-profile.yaml');
  writeFileSync(profile, `# bench: throwaway SoftHSM tokens\nmodule: ${MODULE}\ndryRun: true\ntokens:\n  root: { label: ROOT-DRYRUN }\n  hca: { label: HCA-DRYRUN }\n`);
  for (const id of ANSWERED) copyFileSync(join(ROOT, 'ceremonies', `${id}.answers.yaml`), join(dir, `${id}.answers.yaml`));
  const env = childEnv({ SOFTHSM2_CONF: conf });
  const rssKiB = {};
  for (const id of PREREQUISITES) rssKiB[id] = (await runCeremony(dir, id, kind, profile, env)).rssKiB;
  return { dir, conf, profile, env, kind, rssKiB };
}

export function runCeremony(dir, id, kind, profile, env) {
  return timeCommand(process.execPath, [BIN, 'run', definitionFor(id, kind), '--hsm', profile, '--workdir', join(dir, id), '--answers', join(dir, `${id}.answers.yaml`)], { env, cwd: dir, pollRss: true });
}

/** The user PIN of a throwaway token, rebuilt from its dry-run shares exactly as the ceremony does. */
export async function dryRunPin(workdir, credential, custodians) {
  const quorum = await import(join(ROOT, 'dist/quorum/index.js'));
  const manifest = quorum.loadManifest(join(workdir, 'outputs', `${credential}.init.manifest.json`));
  const texts = custodians.map((who) => {
    const line = readFileSync(join(workdir, 'dry-run-shares', who), 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${credential} `));
    return line.split(' ').at(-1);
  });
  const secret = quorum.combine(texts, manifest);
  const pin = quorum.derivePin(secret, 32); // the credentials of both prerequisites use the default pinLength, 32
  try {
    // Secret buffers print as "[secret, N bytes]": read the bytes directly.
    return pin.latin1Slice(0, pin.length);
  } finally {
    quorum.wipe(secret);
    quorum.wipe(pin);
  }
}

/** Milliseconds between journal records: `from` and `to` pick records by event (and step). */
export function journalSpan(workdir, from, to) {
  const records = readFileSync(join(workdir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const pick = (want) => records.find((r) => r.event === want.event && (want.step === undefined || r.step === want.step));
  const a = pick(from);
  const b = pick(to);
  return a && b ? Date.parse(b.time) - Date.parse(a.time) : undefined;
}

async function timeTool(fx) {
  const parts = {};
  let total = 0;
  for (const id of TIMED) {
    const before = Date.now();
    const r = await runCeremony(fx.dir, id, fx.kind, fx.profile, fx.env);
    total += r.ms;
    const records = readFileSync(join(fx.dir, id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const opened = Date.parse(records[0].time);
    const sealed = Date.parse(records.at(-1).time);
    parts[id] = {
      ms: r.ms,
      // Wall-clock split from the journal's own timestamps (1 ms resolution).
      startToOpenedMs: opened - before,
      openedToSealedMs: sealed - opened,
      sealedToExitMs: before + r.ms - sealed,
      records: records.length,
      rssKiB: r.rssKiB,
    };
  }
  parts['hca-g3-keygen'].keygenStepMs = journalSpan(join(fx.dir, 'hca-g3-keygen'), { event: 'step.approved', step: 'keygen' }, { event: 'step.completed', step: 'keygen' });
  return { ms: total, parts };
}

async function timeBaseline(fx, pins) {
  const work = join(fx.dir, 'baseline');
  const env = childEnv({ SOFTHSM2_CONF: fx.baseConf, KC_BENCH_MODULE: MODULE, KC_BENCH_ENGINE: ENGINE, KC_BENCH_HCA_PIN: pins.hca, KC_BENCH_ROOT_PIN: pins.root });
  const r = await timeCommand(join(ROOT, 'bench/baseline.sh'), [fx.kind, work, join(fx.dir, 'dryrun-root-init', 'outputs', 'root-dryrun.crt')], { env, cwd: fx.dir });
  // bench/baseline.sh writes `<phase> <EPOCHREALTIME>` lines: start, keygen, csr, certificate.
  const marks = readFileSync(join(work, 'phases.txt'), 'utf8').trim().split('\n').map((l) => l.split(' '));
  const parts = {};
  for (let i = 1; i < marks.length; i++) parts[`${marks[i][0]}Ms`] = (Number(marks[i][1]) - Number(marks[i - 1][1])) * 1000;
  return { ms: r.ms, parts };
}

/**
 * One measured pair: prepare, copy the tokens, time tool and baseline (order by `toolFirst`).
 * Returns the times and, for the first pair, a check that both made the same certificate.
 */
export async function measurePair(dir, kind, toolFirst) {
  dir = resolve(dir);
  const fx = await prepare(dir, kind);
  // The baseline's identical copy of the prepared tokens.
  fx.baseConf = writeStore(join(dir, 'baseline-hsm'));
  cpSync(join(dir, 'hsm', 'tokens'), join(dir, 'baseline-hsm', 'tokens'), { recursive: true });
  const pins = {
    hca: await dryRunPin(join(dir, 'hca-token-init'), 'hca-user-pin', ['hc1', 'hc3', 'hc4']),
    root: await dryRunPin(join(dir, 'dryrun-root-init'), 'root-user-pin', ['rc2', 'rc3', 'rc4']),
  };
  let tool;
  let baseline;
  if (toolFirst) {
    tool = await timeTool(fx);
    baseline = await timeBaseline(fx, pins);
  } else {
    baseline = await timeBaseline(fx, pins);
    tool = await timeTool(fx);
  }
  const rssKiB = { ...fx.rssKiB, ...Object.fromEntries(TIMED.map((id) => [id, tool.parts[id].rssKiB])) };
  return { tool, baseline, rssKiB, check: compareCertificates(dir) };
}

/** Both certificates verify against the root and differ only where they must (keys, serial, dates). */
export function compareCertificates(dir) {
  const root = join(dir, 'dryrun-root-init', 'outputs', 'root-dryrun.crt');
  const ours = join(dir, 'grca-issue-hca-g3', 'outputs', 'hca-g3.crt');
  const theirs = join(dir, 'baseline', 'hca-g3.crt');
  const verify = (cert) => capture('openssl', ['verify', '-x509_strict', '-CAfile', root, cert]) !== undefined;
  const text = (cert) => {
    const out = capture('openssl', ['x509', '-in', cert, '-noout', '-text', '-nameopt', 'RFC2253,-esc_msb', '-certopt', 'no_sigdump,no_pubkey']) ?? '';
    return out
      .split('\n')
      .filter((l) => !/Not Before|Not After/.test(l))
      .map((l) => l.replace(/^(\s+)[0-9A-Fa-f:]{8,}$/, '$1<hex>'))
      .join('\n');
  };
  const a = text(ours);
  const b = text(theirs);
  const differing = a.split('\n').filter((l, i) => l !== b.split('\n')[i]);
  return { toolVerifies: verify(ours), baselineVerifies: verify(theirs), sameFieldsExceptKeysSerialDates: differing.length === 0, differing };
}
