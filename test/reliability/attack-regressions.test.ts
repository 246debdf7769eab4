// Issue 14 re-tried as an adversary at the ceremony terminal (branch wip/attack): variations
// of the thirteen findings that still work after the fix. Each test is the attack, on real
// SoftHSM tokens where a token is involved, and says what must happen instead; each fails on
// the code it was written against and is meant to pass once the weakness is fixed.
//
// - Records appended to an unsealed journal by hand (a valid hash chain needs no key): a
//   participant that nobody confirmed, with conflicting roles and another's name, then acts;
//   a step witnessed by its own performer is adopted and sealed; a malformed record ends in
//   "internal error".
// - The token's share-set record, which any session could remove and write, replaced by one
//   for the attacker's own set: the attacker's PIN reached C_Login (finding 5 again). Now the
//   record cannot be destroyed, and one added beside it is refused before any login.
// - Core dumps "off" with the soft limit only: the same account raises it with prlimit(1)
//   while the ceremony runs and a SIGQUIT dumps every share (finding 7 again).
// - Names that differ by a capital I and a small l (finding 8 again).
// - Control characters in the definition's own text reach the terminal UI (finding 11 again).
// - A record field `pattern` that is not a regular expression passes `validate`, then ends
//   the run in "internal error".
// - A named pipe in place of journal.jsonl hangs `resume` (finding 10 again).
import t from 'tap';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { checkProcessHygiene } from '../../src/ceremony/process-hygiene.js';
import { InputError } from '../../src/errors.js';
import { canonicalJson } from '../../src/journal/canonical-json.js';
import { createRecord, type JournalEntry } from '../../src/journal/record.js';
import { formatJournalTime } from '../../src/journal/time.js';
import { newSecret, serializeManifest, split } from '../../src/quorum/index.js';
import { BIN } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { answersWith, HCA_LABEL, newCase, prepareChain, type Case } from '../helpers/chain.js';
import { journalRecords } from '../helpers/ceremony.js';
import { runWithFaults } from '../helpers/faults.js';
import { productionProfile } from '../helpers/production.js';
import { pkcs11Tool, run, SOFTHSM_MODULE } from '../helpers/softhsm.js';

const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
// The refused resumes, journal verify and validate run in this process (helpers/in-process.ts);
// the core-dump cases, the named pipe and the share-set record swap keep a real process.
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** A key generation stopped (SIGKILL) right after the record of `step`: a workdir to resume. */
async function interrupted(name: string, step: string): Promise<Case> {
  const c = newCase(chain, name, 'hca-g3-keygen');
  const crashed = await runWithFaults(c.runArgs, { afterRecord: { event: 'step.completed', step, action: 'SIGKILL' } }, { env: c.store.env });
  if (crashed.signal !== 'SIGKILL') throw new Error(`the run was not stopped at ${step}: ${crashed.stderr}`);
  return c;
}

/**
 * What anyone with the terminal's account can do to an unsealed journal: append records with
 * a correct hash chain (SHA-256, no key), and delete state.json, which resume does not need.
 */
function appendByHand(workdir: string, entries: JournalEntry[]): void {
  const last = journalRecords(workdir).at(-1)!;
  let head = { seq: last.seq, hash: last.hash };
  for (const entry of entries) {
    const { record, line } = createRecord(head, entry, formatJournalTime(new Date()));
    appendFileSync(join(workdir, 'journal.jsonl'), `${line}\n`);
    head = { seq: record.seq, hash: record.hash };
  }
  rmSync(join(workdir, 'state.json'), { force: true });
}

/** The index of the step after the last one completed: where an interrupted run resumes. */
function nextStepIndex(workdir: string): number {
  const completed = journalRecords(workdir).filter((r) => r.event === 'step.completed');
  return (completed.at(-1)!.data.index as number) + 1;
}

t.test('records appended to the journal by hand are refused by resume, not adopted', async (t) => {
  t.test("a participant that nobody confirmed, with conflicting roles and the administrator's name, never acts", async (t) => {
    const c = await interrupted('forged-join', 'lock');
    const wang = journalRecords(c.workdir).find((r) => r.event === 'participants.signed-in')!.data.participants as Array<{ id: string; name: string }>;
    const name = wang.find((p) => p.id === 'wang')!.name;
    appendByHand(c.workdir, [
      {
        step: 'storage',
        event: 'participants.joined',
        who: ['mallory'],
        data: { participant: { id: 'mallory', name, roles: ['administrator', 'witness'] }, confirmedBy: [] },
      },
    ]);
    t.equal((await keyceremonyInProcess(['journal', 'verify', c.workdir])).code, 0, 'control: the appended record verifies');
    const answers = answersWith(c, 'mallory.answers.yaml', { storage: { witness: 'mallory' }, deviations: { by: 'mallory' } });
    const result = await keyceremonyInProcess(['resume', c.workdir, '--answers', answers], { env: c.store.env });
    t.equal(result.code, 2, 'exit 2: the journal holds a join that the machine would have refused');
    t.match(
      result.stderr,
      /keyceremony: error: \S*\/journal\.jsonl: journal record \d+ \(participants\.joined, step storage\) breaks a rule the ceremony enforces \(people\.two-needed\): mallory joining the ceremony needs two different people, 0 confirmed/,
      'the message names the file, the record, the participant and the rule',
    );
    const records = journalRecords(c.workdir);
    t.notOk(
      records.some((r) => r.event !== 'participants.joined' && r.who.includes('mallory')),
      'mallory never performs, witnesses or signs off',
    );
    t.match(records.at(-1), { event: 'resume.refused', data: { code: 'resume.journal-rule' } }, 'the refusal is recorded');
    t.equal((await keyceremonyInProcess(['journal', 'verify', c.workdir])).code, 0, 'the journal still verifies after the refusal');
  });

  t.test('a step witnessed by its own performer is not adopted and sealed', async (t) => {
    const c = await interrupted('forged-self-witness', 'lock');
    const storage = nextStepIndex(c.workdir);
    appendByHand(c.workdir, [
      { step: 'storage', event: 'step.started', who: [], data: { index: storage, type: 'record' } },
      {
        step: 'storage',
        event: 'step.completed',
        who: ['wang'],
        data: { index: storage, type: 'record', performer: 'wang', witnesses: ['wang'], values: { 'bag-number-out': 'ZZ999999' } },
      },
    ]);
    const result = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
    t.equal(result.code, 2, 'exit 2: one person performed and witnessed the step');
    t.match(
      result.stderr,
      /keyceremony: error: \S*\/journal\.jsonl: journal record \d+ \(step\.completed, step storage\) breaks a rule the ceremony enforces \(people\.same-person\): step storage: wang cannot be both performer and witness/,
      'the message names the file, the record, the step and the rule',
    );
    const records = journalRecords(c.workdir);
    t.notOk(
      records.some((r) => r.event === 'ceremony.sealed'),
      'the journal is not sealed over the forged record',
    );
    t.match(records.at(-1), { event: 'resume.refused', data: { code: 'resume.journal-rule' } });
    t.equal((await keyceremonyInProcess(['journal', 'verify', c.workdir])).code, 0, 'the journal still verifies after the refusal');
  });

  t.test('a completed record naming another step, or none, skips nothing and brings no one in', async (t) => {
    // The storage step comes right after lock, where each run below was stopped.
    const cases: Array<{ name: string; entries: (storage: number) => JournalEntry[]; error: (storage: number) => RegExp }> = [
      {
        name: 'skip the witnessed storage step by completing the next one in its place',
        entries: (storage) => [
          { step: 'storage', event: 'step.started', who: [], data: { index: storage, type: 'record' } },
          { step: 'deviations', event: 'step.completed', who: ['wang'], data: { index: storage, type: 'exception', performer: 'wang', witnesses: ['lin'] } },
        ],
        error: (storage) =>
          new RegExp(
            `\\(step\\.completed, step deviations\\) breaks a rule the ceremony enforces \\(step\\.order\\): it completes step deviations \\(index ${storage}\\), but the ceremony is at step storage \\(index ${storage}\\)`,
          ),
      },
      {
        name: 'participants slipped in by a record of no step',
        entries: (storage) => [
          { step: 'storage', event: 'step.started', who: [], data: { index: storage, type: 'record' } },
          {
            step: null,
            event: 'step.completed',
            who: [],
            data: { index: storage, type: 'record', participants: [{ id: 'mallory', name: 'Mallory', roles: ['administrator', 'witness'] }] },
          },
        ],
        error: (storage) => new RegExp(`\\(step\\.order\\): it completes no step \\(index ${storage}\\), but the ceremony is at step storage`),
      },
    ];
    for (const [i, { name, entries, error }] of cases.entries()) {
      const c = await interrupted(`forged-order-${i}`, 'lock');
      const storage = nextStepIndex(c.workdir);
      appendByHand(c.workdir, entries(storage));
      const result = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
      t.equal(result.code, 2, `${name}: exit 2`);
      t.match(result.stderr, error(storage), `${name}: names the record and the step the ceremony is at`);
      t.notOk(
        journalRecords(c.workdir).some((r) => r.event === 'ceremony.sealed'),
        `${name}: not sealed`,
      );
    }
  });

  t.test('a malformed record is bad input (exit 2), not an internal error', async (t) => {
    const c = await interrupted('forged-malformed', 'lock');
    appendByHand(c.workdir, [{ step: 'storage', event: 'shares.prepared', who: [], data: { sets: 5 } }]);
    const result = await keyceremonyInProcess(['resume', c.workdir, '--answers', c.answers], { env: c.store.env });
    t.notMatch(result.stderr, /internal error/);
    t.equal(result.code, 2);
    t.match(
      result.stderr,
      /keyceremony: error: \S*\/journal\.jsonl: journal record \d+ \(shares\.prepared, step storage\) has no usable data\.sets/,
      'the message names the file, the record and the field',
    );
    t.match(journalRecords(c.workdir).at(-1), { event: 'resume.refused', data: { code: 'resume.journal-unreadable' } });
    // The refusal was appended to an intact chain; `journal verify` checks each record's data
    // against its event too, and names the forged record, not the refusal after it.
    const verified = await keyceremonyInProcess(['journal', 'verify', c.workdir]);
    t.equal(verified.code, 1, 'journal verify refuses the forged record');
    t.match(verified.stderr, /record \d+ \([^)]*shares\.prepared\) does not fit its event: data\.sets/, 'it names the forged record and the field');
    t.notMatch(verified.stderr, /resume\.refused/, 'the refusal record itself fits its event');
  });
});

t.test("the token's share-set record replaced by one for the attacker's set: no share is taken and no C_Login made", async (t) => {
  const c = newCase(chain, 'binding-replaced', 'hca-g3-keygen');
  // The attacker's own set for hca-user-pin, its manifest and share files for hc1, hc3, hc4.
  const { shares, manifest } = split(newSecret(), { threshold: 3, of: 5, custodians: ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'], label: 'hca-user-pin' });
  const dir = join(c.dir, 'attacker');
  mkdirSync(dir, { recursive: true });
  const manifestFile = join(dir, 'manifest.json');
  writeFileSync(manifestFile, serializeManifest(manifest));
  const doc = parseDocument(readFileSync(c.answers, 'utf8'));
  doc.setIn(['inputs', 'hca-user-pin-manifest'], manifestFile);
  for (const share of shares.filter((s) => ['hc1', 'hc3', 'hc4'].includes(s.custodian))) {
    writeFileSync(join(dir, share.custodian), `hca-user-pin ${manifest.setId} ${share.text}\n`);
    doc.setIn(['steps', 'unlock', 'shares', share.custodian], { file: join(dir, share.custodian) });
  }
  const answers = join(c.dir, 'attacker.answers.yaml');
  writeFileSync(answers, doc.toString());
  // No PIN: the record is a public object; the attacker tries to remove it and adds their own.
  const tool = (args: string[]) => pkcs11Tool({ modulePath: SOFTHSM_MODULE, env: c.store.env }, ['--token-label', HCA_LABEL, ...args]);
  const binding = join(dir, 'binding.json');
  const manifestSha256 = createHash('sha256').update(readFileSync(manifestFile)).digest('hex');
  writeFileSync(
    binding,
    canonicalJson({ format: 'keyceremony-share-set-binding', version: 1, credential: 'hca-user-pin', setId: manifest.setId, manifestSha256 }),
  );
  const label = ['--type', 'data', '--label', 'share set hca-user-pin', '--application-label', 'keyceremony'];
  const deleted = await tool(['--delete-object', ...label]);
  t.not(deleted.code, 0, 'the real record cannot be removed');
  t.match(deleted.stderr, /C_DestroyObject\(\) failed: rv = unknown PKCS11 error \(0x1b\)/, 'CKR_ACTION_PROHIBITED (0x1b): the record is not destroyable');
  t.equal((await tool(['--write-object', binding, ...label])).code, 0, "control: the attacker's record is written without a PIN");

  const hsmLog = join(c.dir, 'hsm.log');
  const result = await runWithFaults(
    ['run', c.definition, '--hsm', c.store.profile, '--workdir', c.workdir, '--answers', answers],
    { hsmLog },
    { env: c.store.env },
  );
  t.equal(result.code, 2, "exit 2: the attacker's set is refused before the ceremony starts");
  t.match(
    result.stderr,
    /keyceremony: error: token "HCA-DRYRUN" holds records of the share set of hca-user-pin that no ceremony wrote: 2 (first )?records, set \S+ \(manifest SHA-256 [0-9a-f]{64}\), set \S+/,
    'the error names the token, the credential and both records',
  );
  t.match(result.stderr, new RegExp(`set ${manifest.setId} \\(manifest SHA-256 ${manifestSha256}\\)`), "the attacker's record is among them");
  t.notMatch(readFileSync(hsmLog, 'utf8'), /call login/, 'no login reached the token');
  t.notMatch(result.stderr, /CKR_PIN_INCORRECT/, 'no login try was spent');
});

t.test('core dumps: the soft limit alone is not "off"', async (t) => {
  // The same account can raise a running process's soft limit up to its hard limit
  // (prlimit --pid <pid> --core=unlimited:) and then send SIGQUIT: the core holds every share
  // typed so far (measured on this machine). Only a hard limit of 0 cannot be raised.
  const refused = (() => {
    try {
      checkProcessHygiene({ coreLimit: { soft: 0, hard: 'unlimited' }, corePattern: 'core', ptraceScope: 1, swap: { areas: 0, usedKiB: 0 } }, false);
      return undefined;
    } catch (error) {
      return error;
    }
  })();
  t.type(refused, InputError, 'a production ceremony with soft 0 and hard unlimited is refused');
});

const hardCoreLimitZero = (await run('sh', ['-c', 'ulimit -H -c'])).stdout.trim() === '0';

t.test(
  'core dumps: a production start under `ulimit -S -c 0` with a hard limit above 0 is refused',
  { skip: hardCoreLimitZero && 'the hard core limit here is already 0: nothing to raise' },
  async (t) => {
    const c = newCase(chain, 'soft-core-limit', 'hca-g3-keygen');
    const script = join(c.dir, 'production-start.mjs');
    const module = (path: string) => JSON.stringify(pathToFileURL(join(DIST, path)).href);
    writeFileSync(
      script,
      [
        `import { runCeremony } from ${module('ceremony/runner.js')};`,
        `import { exitCodeFor } from ${module('cli/main.js')};`,
        `import { runnerDeps } from ${module('cli/runner-deps.js')};`,
        'const [definitionFile, profileFile, workdir, manifest] = process.argv.slice(2);',
        "const interactive = async () => ({ status: 'interrupted' });",
        "runCeremony({ definitionFile, profileFile, workdir, inputs: { 'hca-user-pin-manifest': manifest }, lang: 'en', out: (line) => console.log(line), interactive }, runnerDeps()).then(",
        '  (code) => (process.exitCode = code),',
        '  (error) => (process.exitCode = exitCodeFor(error, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })),',
        ');',
      ].join('\n'),
    );
    const manifest = join(c.dir, 'hca-token-init', 'outputs', 'hca-user-pin.init.manifest.json');
    // `ulimit -S -c 0`: what many distributions start a login shell with, and what passes today.
    const started = await run(
      'sh',
      ['-c', 'ulimit -S -c 0 && exec "$0" "$@"', process.execPath, script, c.definition, productionProfile(c), c.workdir, manifest],
      { env: c.store.env },
    );
    t.equal(started.code, 2, 'a production start with a raisable core limit is refused');
    t.match(started.stderr, /keyceremony: error: .*core/);
    t.same(existsSync(c.workdir) ? readdirSync(c.workdir) : [], [], 'nothing recorded, the workdir left empty');
  },
);

t.test('a capital I and a small l do not make two people', async (t) => {
  for (const [lookAlike, why] of [
    ['Iin Hsiu-ying', 'Latin capital I for small l'],
    ['\u04cfin Hsiu-ying', 'Cyrillic palochka for small l'],
  ] as const) {
    const c = newCase(chain, `capital-i-${lookAlike.codePointAt(0)}`, 'hca-g3-keygen');
    const doc = parseDocument(readFileSync(c.answers, 'utf8'));
    doc.setIn(['participants', 0, 'name'], lookAlike);
    doc.setIn(['participants', 1, 'name'], 'Lin Hsiu-ying');
    const answers = join(c.dir, 'look-alike.answers.yaml');
    writeFileSync(answers, doc.toString());
    const result = await keyceremonyInProcess(['run', c.definition, '--hsm', c.store.profile, '--workdir', c.workdir, '--answers', answers], {
      env: c.store.env,
    });
    t.equal(result.code, 2, `${why}: refused at sign-in`);
    t.match(result.stderr, 'look like the same person', why);
    t.notOk(
      journalRecords(c.workdir).some((r) => r.event === 'step.completed' && r.step === 'keygen'),
      `${why}: no key generated with the performer as witness`,
    );
  }
});

t.test("control characters in the definition's own text are refused by validate, naming file and line", async (t) => {
  const dir = t.testdir();
  const doc = parseDocument(readFileSync(chain.definitions['hca-g3-keygen'], 'utf8'));
  // OSC 0 (set the window title) in the title; the Ink UI wrote it to the terminal as is.
  doc.setIn(['title', 'en'], 'HCA G3 \u001b]0;window title\u0007key generation');
  const file = join(dir, 'control-in-title.yaml');
  writeFileSync(file, doc.toString());
  const result = await keyceremonyInProcess(['validate', file]);
  t.equal(result.code, 2);
  t.match(result.stderr, /keyceremony: error: .*control-in-title\.yaml:\d+/, 'file:line');
  t.match(result.stderr, 'U+001B', 'names the code point, never the character');
  t.notMatch(result.stdout + result.stderr, /\u001b/, 'nothing printed holds the escape');
});

t.test('a record field pattern that is not a regular expression is refused by validate, not at the ceremony', async (t) => {
  const dir = t.testdir();
  const source = readFileSync(chain.definitions['hca-g3-keygen'], 'utf8');
  const file = join(dir, 'bad-pattern.yaml');
  writeFileSync(file, source.replace('pattern: "[A-Z]{2}[0-9]{6}"', 'pattern: "([A-Z]{2}[0-9]{6}"'));
  t.not(readFileSync(file, 'utf8'), source, 'control: the pattern was changed');
  const result = await keyceremonyInProcess(['validate', file]);
  t.equal(result.code, 2, 'validate refuses it (it used to say "valid", and the run then stopped at the record step in "internal error")');
  t.match(result.stderr, /keyceremony: error: .*bad-pattern\.yaml:\d+/);
  t.notMatch(result.stderr, /internal error/);
});

t.test('a named pipe in place of journal.jsonl is refused by resume, not waited on', async (t) => {
  const c = await interrupted('journal-fifo', 'inventory');
  const journal = join(c.workdir, 'journal.jsonl');
  rmSync(journal);
  const made = await run('mkfifo', [journal]);
  t.equal(made.code, 0, made.stderr);
  // `timeout` ends a resume that waits for a writer that never comes (exit 137). Generous, since a
  // loaded CI machine can take seconds just to start node; a refusal needs no waiting at all.
  const result = await run('timeout', ['-s', 'KILL', '90', process.execPath, BIN, 'resume', c.workdir, '--answers', c.answers], { env: c.store.env });
  t.equal(result.code, 2, 'refused (journal verify and report already refuse it)');
  t.match(result.stderr, 'journal.jsonl');
});
