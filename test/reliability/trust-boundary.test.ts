// Issue 14, part A: multiple person control that cannot be side-stepped. Each attack of the
// issue, tried as someone with the terminal's account would, on real SoftHSM tokens: a
// module swapped under an interrupted ceremony (a real shared library whose constructor
// writes a marker file: it must never run), the dry-run flag flipped, scripted answers on a
// production profile, state.json edited, a manifest and shares of the attacker's own, a
// second share-set record on the token, an output or a token swapped. Each is refused with
// exit 2 and `keyceremony: error:` naming the file and what changed, before anything
// touches the HSM; where a journal exists the refusal is in it and it still verifies.
import t, { type Test } from 'tap';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { newSecret, serializeManifest, split } from '../../src/quorum/index.js';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { answersWith, HCA_LABEL, newCase, prepareChain, type Case } from '../helpers/chain.js';
import { assertNoSecretsLeaked, buildCanary } from '../helpers/canary.js';
import { CEREMONIES, journalRecords } from '../helpers/ceremony.js';
import { assertWorkdirConsistent, completions } from '../helpers/checks.js';
import { runWithFaults } from '../helpers/faults.js';
import { productionProfile, productionStart } from '../helpers/production.js';
import { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';
import { pkcs11Tool, randomPin, run, SOFTHSM_MODULE, softhsm, type RunResult } from '../helpers/softhsm.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// EC P-384 keys: RSA-4096 is not what these cases are about (see helpers/chain.ts). The
// commands after a crash or a change run in this process (helpers/in-process.ts), except in
// the two cases about the PKCS#11 module, where a real process shows what it loads.
const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
const canary = buildCanary(Object.values(chain.workdirs));
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const MODULE_SHA256 = sha256(readFileSync(SOFTHSM_MODULE));

/** A key generation stopped (SIGKILL) right after the record of `step`: a workdir to resume. */
async function interrupted(name: string, step = 'inventory', event = 'step.completed'): Promise<Case> {
  const c = newCase(chain, name, 'hca-g3-keygen');
  const crashed = await runWithFaults(c.runArgs, { afterRecord: { event, step, action: 'SIGKILL' } }, { env: c.store.env });
  if (crashed.signal !== 'SIGKILL') throw new Error(`the run was not stopped at ${step}: ${crashed.stderr}`);
  return c;
}

/** A refusal of resume: exit 2, its message, the refusal recorded, the journal verifying. */
async function assertResumeRefused(t: Test, c: Case, result: RunResult, message: string | RegExp, code: string): Promise<void> {
  t.equal(result.code, 2, 'exit 2');
  t.match(result.stderr, typeof message === 'string' ? `keyceremony: error: ${message}` : message, 'the message names the file and what changed');
  t.match(result.stderr, /keyceremony: hint: /);
  const records = journalRecords(c.workdir);
  t.match(records.at(-1), { event: 'resume.refused', data: { code } }, 'the refusal is the last record');
  t.notOk(
    records.some((r) => r.event === 'ceremony.resumed'),
    'the ceremony was not resumed',
  );
  t.equal((await keyceremonyInProcess(['journal', 'verify', c.workdir])).code, 0, 'the journal still verifies');
}

/**
 * A tiny shared library whose constructor writes a marker file: whether it was ever loaded
 * shows.
 */
async function buildMarkerLibrary(t: Test, dir: string): Promise<{ library: string; marker: string }> {
  const marker = join(dir, 'LOADED');
  const source = join(dir, 'marker.c');
  writeFileSync(
    source,
    `#include <stdio.h>\n__attribute__((constructor)) static void loaded(void) { FILE *f = fopen(${JSON.stringify(marker)}, "w"); if (f) { fputs("loaded\\n", f); fclose(f); } }\n`,
  );
  const library = join(dir, 'libmarker.so');
  const built = await run('cc', ['-shared', '-fPIC', '-o', library, source]);
  if (built.code !== 0) throw new Error(`cc failed: ${built.stderr}`);
  // The control: loading it as a PKCS#11 module does run its constructor.
  const control = await run(process.execPath, ['-e', `const p = require('pkcs11js'); try { new p.PKCS11().load(${JSON.stringify(library)}); } catch {}`], {
    cwd: REPO,
  });
  t.equal(control.code, 0);
  t.ok(existsSync(marker), 'control: loading the library as a module writes the marker');
  rmSync(marker);
  return { library, marker };
}

const noCompiler =
  (await run('cc', ['--version']).catch(() => undefined))?.code === 0 ? false : 'no C compiler (cc) to build a library that shows whether it was loaded';

t.test('a module swapped in the workdir profile copy is refused, and never loaded', { skip: noCompiler }, async (t) => {
  const c = await interrupted('module-in-profile-copy');
  const built = await buildMarkerLibrary(t, c.dir);
  const copy = join(c.workdir, 'hsm-profile.yaml');
  const recorded = sha256(readFileSync(copy));
  writeFileSync(copy, readFileSync(copy, 'utf8').replace(`module: ${SOFTHSM_MODULE}`, `module: ${built.library}`));
  const result = await keyceremony(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(t, c, result, `${copy}: its SHA-256 is ${sha256(readFileSync(copy))}, but the journal records ${recorded}`, 'profile.changed');
  t.notOk(existsSync(built.marker), 'the swapped library was not loaded');
});

t.test('a library swapped at the recorded module path is refused before it is loaded', { skip: noCompiler }, async (t) => {
  const c = newCase(chain, 'module-at-path', 'hca-g3-keygen');
  const built = await buildMarkerLibrary(t, c.dir);
  // The ceremony runs with its module at a path the test controls.
  const modulePath = join(c.dir, 'lib', 'libsofthsm2.so');
  mkdirSync(join(c.dir, 'lib'));
  copyFileSync(SOFTHSM_MODULE, modulePath);
  writeFileSync(c.store.profile, readFileSync(c.store.profile, 'utf8').replace(`module: ${SOFTHSM_MODULE}`, `module: ${modulePath}`));
  const crashed = await runWithFaults(c.runArgs, { afterRecord: { event: 'step.completed', step: 'inventory', action: 'SIGKILL' } }, { env: c.store.env });
  t.equal(crashed.signal, 'SIGKILL');
  t.match(
    journalRecords(c.workdir)[0]!.data,
    { hsm: { module: { path: modulePath, sha256: MODULE_SHA256, realPath: modulePath } } },
    'the header records the module path and SHA-256',
  );
  copyFileSync(built.library, modulePath);
  const result = await keyceremony(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(
    t,
    c,
    result,
    `PKCS#11 module ${modulePath} has SHA-256 ${sha256(readFileSync(modulePath))}, but the journal header of ${join(c.workdir, 'journal.jsonl')} says ${MODULE_SHA256}`,
    'hsm.module-changed',
  );
  t.notOk(existsSync(built.marker), 'nothing was loaded from the changed module');
  // Put back, the same workdir resumes and completes.
  copyFileSync(SOFTHSM_MODULE, modulePath);
  const resumed = await keyceremony(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(resumed.code, 0, `with the recorded module back, resume completes ${resumed.stderr}`);
  assertWorkdirConsistent(t, c.workdir);
});

t.test('a profile that pins moduleSha256 refuses any other library: run makes no workdir', async (t) => {
  const c = newCase(chain, 'module-pin', 'hca-g3-keygen');
  writeFileSync(c.store.profile, `${readFileSync(c.store.profile, 'utf8')}moduleSha256: "${'0'.repeat(64)}"\n`);
  const result = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
  t.equal(result.code, 2);
  t.match(
    result.stderr,
    `keyceremony: error: PKCS#11 module ${SOFTHSM_MODULE} has SHA-256 ${MODULE_SHA256}, but moduleSha256 in ${c.store.profile} says ${'0'.repeat(64)}`,
  );
  t.notOk(existsSync(c.workdir), 'no workdir');
  const info = await keyceremonyInProcess(['hsm', 'info', '--hsm', c.store.profile], { env: c.store.env });
  t.equal(info.code, 2, 'hsm info refuses it too');
  t.match(info.stderr, `but moduleSha256 in ${c.store.profile} says ${'0'.repeat(64)}`);
  writeFileSync(c.store.profile, readFileSync(c.store.profile, 'utf8').replace('0'.repeat(64), MODULE_SHA256));
  const pinnedInfo = await keyceremonyInProcess(['hsm', 'info', '--hsm', c.store.profile], { env: c.store.env });
  t.match(pinnedInfo.stdout, `SHA-256 ${MODULE_SHA256} (as the profile pins)`);
  const pinned = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
  t.equal(pinned.code, 0, `the pinned library runs ${pinned.stderr}`);
  t.match(journalRecords(c.workdir)[0]!.data, { hsm: { profile: { moduleSha256: MODULE_SHA256, sha256: sha256(readFileSync(c.store.profile)) } } });
});

t.test('scripted answers on a production profile: run is refused before any workdir exists', async (t) => {
  const c = newCase(chain, 'answers-on-production', 'hca-g3-keygen');
  const profile = productionProfile(c);
  const result = await keyceremonyInProcess(['run', c.definition, '--hsm', profile, '--workdir', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(result.code, 2);
  t.match(result.stderr, `keyceremony: error: ${c.answers}: scripted answers only rehearse, and the HSM profile ${profile} is not a dry run (dryRun: false)`);
  t.match(result.stderr, 'keyceremony: hint: a production ceremony has its people at the terminal');
  t.notOk(existsSync(c.workdir), 'no workdir, no journal');
});

t.test(
  'production on SoftHSM (a software token) is refused unless --allow-software-token; with it the journal and the report say what the token is',
  async (t) => {
    const c = newCase(chain, 'software-token', 'hca-g3-keygen');
    const profile = productionProfile(c);
    const refused = await productionStart(c, profile, '0', false);
    t.equal(refused.code, 2, 'exit 2: nothing was done');
    t.match(
      refused.stderr,
      `keyceremony: error: the HSM profile ${profile} is not a dry run, but its module is a software token (SoftHSM project SoftHSM v2), not an HSM`,
    );
    t.match(
      refused.stderr,
      'keyceremony: hint: rehearse with an HSM profile that has dryRun: true; to hold a production ceremony on a software token all the same (a test CA), run again with --allow-software-token',
    );
    t.notOk(existsSync(join(c.workdir, 'journal.jsonl')), 'no journal: refused before anything was recorded');

    const cli = await keyceremonyInProcess(['run', c.definition, '--hsm', profile, '--workdir', c.workdir, '--allow-software-token'], { env: c.store.env });
    t.notMatch(cli.stderr, 'allow-software-token', `run takes the option (here it stops for want of a terminal): ${cli.stderr}`);

    const started = await productionStart(c, profile, '0', true);
    t.equal(started.code, 3, `with it the production run starts (and is stopped at the terminal) ${started.stderr}`);
    // The exit line says what the header says: not only PRODUCTION (review at 80x24).
    t.match(started.stdout, /^keyceremony: PRODUCTION ON A SOFTWARE TOKEN interrupted at step \d+/m, 'the exit line names the software token');
    t.match(
      journalRecords(c.workdir)[0]!.data,
      { hsm: { profile: { dryRun: false }, module: { manufacturer: /SoftHSM/ }, tokens: { hca: { manufacturer: 'SoftHSM project', model: 'SoftHSM v2' } } } },
      'the journal header records the token as it says it is',
    );
    const report = await keyceremonyInProcess(['report', c.workdir], { env: c.store.env });
    t.match(report.stdout, 'SOFTWARE TOKEN: this production ceremony ran on SoftHSM project SoftHSM v2, a software token, not an HSM');
    t.match(report.stdout, '- **Software token**: **yes: SoftHSM project SoftHSM v2, not an HSM**');
    const zh = await keyceremonyInProcess(['report', c.workdir, '--lang', 'zh-TW'], { env: c.store.env });
    t.match(zh.stdout, '軟體載具：本次正式儀式使用 SoftHSM project SoftHSM v2，為軟體載具，不是硬體安全模組');
  },
);

t.test('a production ceremony: dryRun flipped in the profile copy, or answers given, and resume is refused', async (t) => {
  const c = newCase(chain, 'dry-run-flip', 'hca-g3-keygen');
  const started = await productionStart(c, productionProfile(c));
  t.equal(started.code, 3, `the production run starts and is stopped at the terminal ${started.stderr}`);
  t.match(
    journalRecords(c.workdir)[0]!.data,
    { hsm: { profile: { dryRun: false } }, process: { coreLimit: { soft: 0 } } },
    'the header says: not a dry run, core dumps off',
  );

  const answers = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(
    t,
    c,
    answers,
    `${c.answers}: scripted answers only rehearse, and the ceremony in ${c.workdir} (its journal header) is not a dry run (dryRun: false)`,
    'answers.not-dry-run',
  );

  const copy = join(c.workdir, 'hsm-profile.yaml');
  const recorded = sha256(readFileSync(copy));
  writeFileSync(copy, readFileSync(copy, 'utf8').replace('dryRun: false', 'dryRun: true'));
  const flipped = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(t, c, flipped, `${copy}: its SHA-256 is ${sha256(readFileSync(copy))}, but the journal records ${recorded}`, 'profile.changed');
  t.notOk(existsSync(join(c.workdir, 'dry-run-shares')), 'no share was written anywhere');
  const report = await keyceremonyInProcess(['report', c.workdir], { env: c.store.env });
  t.match(report.stdout, '- **Dry run**: no', 'the report says what the journal says');
  assertNoSecretsLeaked(t, canary, { roots: [c.workdir], streams: { started: started.stdout + started.stderr, flipped: flipped.stderr } });
});

t.test('state.json edits are refused, naming the field and both values; the journal alone is enough', async (t) => {
  const c = await interrupted('state-edits');
  const stateFile = join(c.workdir, 'state.json');
  const original = readFileSync(stateFile, 'utf8');
  const state = JSON.parse(original) as { journalHead: { seq: number }; snapshot: { context: { participants: unknown[]; stepIndex: number } } };
  t.equal(state.snapshot.context.stepIndex, 1, 'saved at the inventory step, before its record');

  const mallory = { id: 'mallory', name: 'Mallory', roles: ['witness'] };
  state.snapshot.context.participants.push(mallory);
  writeFileSync(stateFile, JSON.stringify(state));
  const added = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(
    t,
    c,
    added,
    `${stateFile}: context.participants[6] (at journal record ${state.journalHead.seq}) is ${JSON.stringify(mallory)}, but the journal records nothing`,
    'resume.changed',
  );

  state.snapshot.context.participants.pop();
  state.snapshot.context.stepIndex = 6;
  writeFileSync(stateFile, JSON.stringify(state));
  const moved = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(
    t,
    c,
    moved,
    `${stateFile}: context.stepIndex (at journal record ${state.journalHead.seq}) is 6, but the journal records 1`,
    'resume.changed',
  );

  writeFileSync(stateFile, JSON.stringify({ ...state, journalHead: { seq: 'last' } }));
  const noHead = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(noHead.code, 2, 'a state.json without a journal head is refused');
  t.match(noHead.stderr, `keyceremony: error: state file ${stateFile} has a journalHead that is not { seq, hash } of a record`);

  // A copy the journal recorded that is gone is named, not an internal error.
  const definitionCopy = join(c.workdir, 'definition.yaml');
  const definitionText = readFileSync(definitionCopy);
  rmSync(definitionCopy);
  writeFileSync(stateFile, original);
  const gone = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(t, c, gone, `${definitionCopy}: its SHA-256 is missing, but the journal records ${sha256(definitionText)}`, 'definition.changed');
  writeFileSync(definitionCopy, definitionText);

  // Without state.json at all, the journal says everything: resume completes every step once.
  rmSync(stateFile);
  const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', answersWith(c, 'adopt.yaml', { keygen: { reconcile: 'adopt' } })], {
    env: c.store.env,
  });
  t.equal(resumed.code, 0, `resume from the journal alone completes ${resumed.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.same(
    Object.entries(completions(records)).filter(([, n]) => n !== 1),
    [],
    'every step completed once',
  );
  t.equal(records.filter((r) => r.event === 'resume.refused').length, 3, 'the refusals stay on the record');
});

t.test('an output changed after its step was recorded is refused on resume', async (t) => {
  const c = await interrupted('output-changed', 'csr');
  const csr = join(c.workdir, 'outputs', 'hca-g3.csr');
  const recorded = sha256(readFileSync(csr));
  appendFileSync(csr, '\n');
  const result = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(t, c, result, `${csr}: its SHA-256 is ${sha256(readFileSync(csr))}, but the journal records ${recorded}`, 'resume.changed');
});

/** An attacker's own share set for hca-user-pin: a manifest and dry-run share files for hc1, hc3, hc4. */
function attackerSet(dir: string): { manifest: string; shares: Record<string, string> } {
  const { shares, manifest } = split(newSecret(), { threshold: 3, of: 5, custodians: ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'], label: 'hca-user-pin' });
  mkdirSync(join(dir, 'attacker'), { recursive: true });
  const file = join(dir, 'attacker', 'manifest.json');
  writeFileSync(file, serializeManifest(manifest));
  const files: Record<string, string> = {};
  for (const share of shares) {
    files[share.custodian] = join(dir, 'attacker', share.custodian);
    writeFileSync(files[share.custodian]!, `hca-user-pin ${manifest.setId} ${share.text}\n`);
  }
  return { manifest: file, shares: files };
}

t.test("an attacker's own manifest and shares are refused before any share is typed and any C_Login", async (t) => {
  const c = newCase(chain, 'manifest-swap', 'hca-g3-keygen');
  const attacker = attackerSet(c.dir);
  const doc = parseDocument(readFileSync(c.answers, 'utf8'));
  doc.setIn(['inputs', 'hca-user-pin-manifest'], attacker.manifest);
  for (const custodian of ['hc1', 'hc3', 'hc4']) doc.setIn(['steps', 'unlock', 'shares', custodian], { file: attacker.shares[custodian] });
  const answers = join(c.dir, 'attacker.answers.yaml');
  writeFileSync(answers, doc.toString());
  const hsmLog = join(c.dir, 'hsm.log');
  const result = await runWithFaults(
    ['run', c.definition, '--hsm', c.store.profile, '--workdir', c.workdir, '--answers', answers],
    { hsmLog },
    { env: c.store.env },
  );
  t.equal(result.code, 2, 'exit 2');
  const { setId } = JSON.parse(readFileSync(attacker.manifest, 'utf8')) as { setId: string };
  t.match(
    result.stderr,
    `keyceremony: error: the share-set manifest inputs/hca-user-pin-manifest of hca-user-pin (set ${setId}, SHA-256 ${sha256(readFileSync(attacker.manifest))}) is not the share set of hca-user-pin on token "${HCA_LABEL}", which records set`,
  );
  const calls = existsSync(hsmLog) ? readFileSync(hsmLog, 'utf8') : '';
  t.notMatch(calls, /call login/, 'no login reached the token');
  t.same(existsSync(c.workdir) ? readdirSync(c.workdir) : [], [], 'nothing recorded, the workdir left empty');
});

t.test('a second share-set record on the token, which anyone can write, refuses rather than chooses', async (t) => {
  const c = newCase(chain, 'second-record', 'hca-g3-keygen');
  const value = join(c.dir, 'binding.json');
  const manifest = join(c.dir, 'hca-token-init', 'outputs', 'hca-user-pin.init.manifest.json');
  writeFileSync(
    value,
    JSON.stringify({
      format: 'keyceremony-share-set-binding',
      version: 1,
      credential: 'hca-user-pin',
      setId: 'ZZZZZZZZ',
      manifestSha256: sha256(readFileSync(manifest)),
    }),
  );
  // No login: a public object is written by whoever can open a session on the token.
  const written = await pkcs11Tool({ modulePath: SOFTHSM_MODULE, env: c.store.env }, [
    '--token-label',
    HCA_LABEL,
    '--write-object',
    value,
    '--type',
    'data',
    '--label',
    'share set hca-user-pin',
    '--application-label',
    'keyceremony',
  ]);
  t.equal(written.code, 0, written.stderr);
  const result = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
  t.equal(result.code, 2);
  t.match(
    result.stderr,
    new RegExp(
      `keyceremony: error: token "${HCA_LABEL}" holds records of the share set of hca-user-pin that no ceremony wrote: 2 records, set \\S+ \\(manifest SHA-256 [0-9a-f]{64}\\), set \\S+ \\(manifest SHA-256 [0-9a-f]{64}\\), where a ceremony leaves one`,
    ),
  );
  t.match(result.stderr, 'set ZZZZZZZZ', 'the added record is named');
  t.notOk(existsSync(c.workdir) && readdirSync(c.workdir).length > 0, 'nothing recorded');
});

t.test('a share-set record on the token that keyceremony cannot read is refused', async (t) => {
  const c = newCase(chain, 'unreadable-record', 'hca-g3-keygen');
  const tool = (args: string[]) => pkcs11Tool({ modulePath: SOFTHSM_MODULE, env: c.store.env }, ['--token-label', HCA_LABEL, ...args]);
  // Beside the real record, which cannot be destroyed.
  const value = join(c.dir, 'garbage.bin');
  writeFileSync(value, 'not a share-set record');
  t.equal((await tool(['--write-object', value, '--type', 'data', '--label', 'share set hca-user-pin', '--application-label', 'keyceremony'])).code, 0);
  const result = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
  t.equal(result.code, 2);
  t.match(result.stderr, `keyceremony: error: token "${HCA_LABEL}" holds a record of the share set of hca-user-pin that keyceremony cannot read`);
});

t.test('a manifest the token does not record is accepted only when the definition pins its SHA-256', async (t) => {
  const c = newCase(chain, 'pin-only', 'hca-g3-keygen');
  // A token whose record is gone (an older token, or one whose storage was altered outside
  // PKCS#11, which cannot destroy it): only the definition can bind the set.
  const tokens = join(c.store.dir, 'tokens');
  const records = readdirSync(tokens).flatMap((folder) => readdirSync(join(tokens, folder)).map((file) => join(tokens, folder, file)));
  const record = records.filter((file) => file.endsWith('.object') && readFileSync(file).includes(Buffer.from('share set hca-user-pin')));
  t.equal(record.length, 1, 'the record is one file of the token store');
  rmSync(record[0]!);
  const unbound = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
  t.equal(unbound.code, 2);
  t.match(unbound.stderr, `token "${HCA_LABEL}" records no share set for it, and the definition does not pin the manifest's SHA-256`);
  const manifest = readFileSync(join(c.dir, 'hca-token-init', 'outputs', 'hca-user-pin.init.manifest.json'));
  const definition = join(c.dir, 'hca-g3-keygen.pinned.yaml');
  const doc = parseDocument(readFileSync(c.definition, 'utf8'));
  doc.setIn(['inputs', 'hca-user-pin-manifest', 'sha256'], sha256(manifest));
  writeFileSync(definition, doc.toString());
  rmSync(c.workdir, { recursive: true, force: true });
  const pinned = await keyceremonyInProcess(['run', definition, ...c.runArgs.slice(2)], { env: c.store.env });
  t.equal(pinned.code, 0, `pinned in the definition, the set opens the token ${pinned.stderr}`);
});

t.test('a token swapped for another with the same label is refused on resume', async (t) => {
  const c = await interrupted('token-swap');
  const serial = (journalRecords(c.workdir)[0]!.data as { hsm: { tokens: { hca: { serial: string } } } }).hsm.tokens.hca.serial;
  // The token store's folder for that token goes; a new token gets the same label.
  const tokens = join(c.store.dir, 'tokens');
  for (const folder of readdirSync(tokens))
    if (readFileSync(join(tokens, folder, 'token.object')).includes(Buffer.from(HCA_LABEL))) rmSync(join(tokens, folder), { recursive: true });
  const previous = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = c.store.conf;
  const hsm = Pkcs11Hsm.open(SOFTHSM_MODULE);
  try {
    hsm.initToken(HCA_LABEL, randomPin());
  } finally {
    hsm.finalize();
    process.env.SOFTHSM2_CONF = previous;
  }
  const result = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  await assertResumeRefused(
    t,
    c,
    result,
    new RegExp(`keyceremony: error: token "hca" \\(label "${HCA_LABEL}"\\): its serial is [0-9a-f]{16}, but the journal records ${serial}`),
    'resume.token-changed',
  );
});

t.test('someone who joins is confirmed by two people signed in, acts, and survives a restart', async (t) => {
  const c = newCase(chain, 'join', 'hca-g3-keygen');
  const doc = parseDocument(readFileSync(c.answers, 'utf8'));
  doc.set('joins', [{ before: 'csr', participant: { id: 'chen', name: '陳志明 Chen Chih-ming', roles: ['witness'] }, confirmedBy: ['wang', 'lin'] }]);
  doc.setIn(['steps', 'csr', 'witness'], 'chen');
  doc.setIn(['steps', 'keygen', 'reconcile'], 'adopt');
  const answers = join(c.dir, 'join.answers.yaml');
  writeFileSync(answers, doc.toString());
  const crashed = await runWithFaults(
    ['run', c.definition, '--hsm', c.store.profile, '--workdir', c.workdir, '--answers', answers],
    { afterRecord: { event: 'participants.joined', action: 'SIGKILL' } },
    { env: c.store.env },
  );
  t.equal(crashed.signal, 'SIGKILL', 'stopped right after the join was recorded');
  const resumed = await keyceremonyInProcess(['resume', c.workdir, '--answers', answers], { env: c.store.env });
  t.equal(resumed.code, 0, `resume completes ${resumed.stderr}`);
  const records = assertWorkdirConsistent(t, c.workdir);
  t.equal(records.filter((r) => r.event === 'participants.joined').length, 1, 'joined once');
  t.match(
    records.find((r) => r.event === 'participants.joined'),
    { step: 'csr', who: ['chen', 'wang', 'lin'], data: { confirmedBy: ['wang', 'lin'] } },
  );
  t.match(
    records.find((r) => r.event === 'step.completed' && r.step === 'csr'),
    { who: ['wang', 'chen'] },
    'chen witnessed the CSR',
  );
  t.ok(
    records.some((r) => r.event === 'participant.signed-off' && r.who[0] === 'chen'),
    'and signed off',
  );
  const report = readFileSync(join(c.workdir, 'report.md'), 'utf8');
  t.match(report, '陳志明 Chen Chih-ming', 'the report lists who joined');
  t.match(report, 'Joined after the sign-in, confirmed by two');

  const alone = newCase(chain, 'join-alone', 'hca-g3-keygen');
  doc.set('joins', [{ before: 'csr', participant: { id: 'chen', name: '陳志明 Chen Chih-ming', roles: ['witness'] }, confirmedBy: ['wang', 'wang'] }]);
  const aloneAnswers = join(alone.dir, 'alone.answers.yaml');
  writeFileSync(aloneAnswers, doc.toString());
  const refused = await keyceremonyInProcess(['run', alone.definition, '--hsm', alone.store.profile, '--workdir', alone.workdir, '--answers', aloneAnswers], {
    env: alone.store.env,
  });
  t.equal(refused.code, 2);
  t.match(refused.stderr, `keyceremony: error: ${aloneAnswers}: chen joining the ceremony needs two different people, 1 confirmed`);
  t.ok(
    journalRecords(alone.workdir).some((r) => r.event === 'event.refused' && (r.data as { event: string }).event === 'participants.join'),
    'the refused join is recorded',
  );
});

t.test('a restart while new shares are handed out voids them: resume rebuilds the step and hands out a new set', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ root: 'ROOT-DRYRUN' });
  const workdir = join(fx.dir, 'root-init');
  const answers = join(fx.dir, 'root.answers.yaml');
  copyFileSync(join(CEREMONIES, 'dryrun-root-init.answers.yaml'), answers);
  const args = ['run', chain.definitions['dryrun-root-init'], '--hsm', profile, '--workdir', workdir, '--answers', answers];
  const crashed = await runWithFaults(args, { afterRecord: { event: 'share.handed-over', step: 'init', action: 'SIGKILL' } }, { env: fx.env });
  t.equal(crashed.signal, 'SIGKILL', 'stopped after the first custodian took their share');
  const resumed = await keyceremonyInProcess(['resume', workdir, '--answers', answers], { env: fx.env });
  t.equal(resumed.code, 0, `resume completes ${resumed.stderr}`);
  const records = assertWorkdirConsistent(t, workdir);
  const prepared = records.filter((r) => r.event === 'shares.prepared' && r.step === 'init');
  t.equal(prepared.length, 2, 'a new share set was prepared after the restart');
  t.match(
    records.find((r) => r.event === 'shares.discarded'),
    { step: 'init', data: { reason: /custodians destroy these shares/ } },
    'the first set is void, and the journal says so',
  );
  t.same(
    Object.entries(completions(records)).filter(([, n]) => n !== 1),
    [],
    'every step completed once',
  );
  assertNoSecretsLeaked(t, buildCanary([workdir]), {
    roots: [workdir],
    streams: { crashed: crashed.stdout + crashed.stderr, resumed: resumed.stdout + resumed.stderr },
  });
});
