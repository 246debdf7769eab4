// Issue 17: the CA ledger's rules against the attacks they are for, end to end on SoftHSM
// (the engine ceremony, fixtures/engine, with a self-signed root, as ledger-crl.test.ts):
// CRLs are cumulative, each earlier revocation carried forward with its FIRST date and reason
// (openssl reads them), and a serial revoked again is refused before sign-in naming the CRL
// that revoked it; a serial listed twice in one step, serial 0 and a serial longer than 20
// octets are refused by validate, naming the file and the lines; and a serial list swapped in
// the workdir after the witnesses saw it is refused with nothing signed.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { keyceremony } from '../helpers/cli.js';
import { journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { crlStep, engineCeremonyWith, selfSignStep } from '../helpers/ledger-ceremony.js';
import { softhsm } from '../helpers/softhsm.js';
import { startWithFaults, waitUntilStopped, type FaultPlan } from '../helpers/faults.js';
import { JOURNAL_EVENTS } from '../../src/journal/events.js';
import { parseLedger } from '../../src/ledger/ledger.js';

const ceremony = engineCeremonyWith;
const selfSign = (id: string, output: string, ledger?: Record<string, string>) => selfSignStep(id, output, 'DRY RUN Ledger Rules Root', ledger);
const crl = (id: string, ledger: Record<string, unknown>, revoked?: Array<{ serial: string; reason: string }>) =>
  crlStep(id, ledger, revoked ? { revoked } : {});
const openssl = (args: string[]) => execFileSync('openssl', args).toString();
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

/** openssl's revoked entries of a CRL: serial (upper-case hex) to its date and reason lines. */
function revokedEntries(text: string): Map<string, { date: string; reason: string }> {
  const entries = new Map<string, { date: string; reason: string }>();
  for (const m of text.matchAll(
    /Serial Number: ([0-9A-F]+)\s+Revocation Date: ([^\n]+)\n(?:\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+([^\n]+))?/g,
  )) {
    entries.set(m[1]!, { date: m[2]!.trim(), reason: (m[3] ?? '').trim() });
  }
  return entries;
}
const lastUpdate = (text: string) => /Last Update: ([^\n]+)/.exec(text)![1]!.trim();

/** Runs `keyceremony run` in a child that stops itself after `plan`'s record; `change` runs while it is stopped. */
async function holdAndChange(args: string[], plan: FaultPlan, env: NodeJS.ProcessEnv, change: () => void | Promise<void>) {
  const started = startWithFaults(args, plan, { env });
  const stopped = await waitUntilStopped(started);
  try {
    if (stopped) await change();
  } finally {
    if (stopped) process.kill(started.pid, 'SIGCONT');
  }
  return { stopped, result: await started.done };
}

// Two certificates by the root key (serials A and B: a repeated generator fixes them, helpers/faults.ts),
// then CRL 1 revoking A and CRL 2, from CRL 1's ledger, revoking B.
const A = '7a' + '11'.repeat(15);
const B = '7b' + '22'.repeat(15);

t.test('CRLs are cumulative: CRL 2 lists A with CRL 1’s date and reason, and B with its own', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const workdir = newWorkdir(fx);
  const files = ceremony(fx.dir, [
    selfSign('self-sign', 'root.crt', { to: 'root.ledger' }),
    selfSign('renew', 'root-2.crt', { from: 'root.ledger', to: 'renewed.ledger' }),
    crl('crl-1', { from: 'renewed.ledger', to: 'crl-1.ledger' }, [{ serial: A.toUpperCase(), reason: 'keyCompromise' }]),
    crl('crl-2', { from: 'crl-1.ledger', to: 'crl-2.ledger' }, [{ serial: B, reason: 'superseded' }]),
  ]);
  const args = ['run', files.definition, '--hsm', profile, '--workdir', workdir, '--answers', files.answers];
  // Held a second after CRL 1, so that CRL 2's thisUpdate is a later second than CRL 1's.
  const { stopped, result } = await holdAndChange(
    args,
    { afterRecord: { event: JOURNAL_EVENTS.stepCompleted, step: 'crl-1', action: 'SIGSTOP' }, serials: [A, B] },
    fx.env,
    () => new Promise((resolve) => setTimeout(resolve, 1100)),
  );
  t.ok(stopped, 'the run was held after CRL 1');
  t.equal(result.code, 0, result.stderr);
  const out = (name: string) => join(workdir, 'outputs', name);
  t.equal(openssl(['x509', '-in', out('root.crt'), '-noout', '-serial']).trim(), `serial=${A.toUpperCase()}`, 'openssl: the root certificate is serial A');
  t.equal(openssl(['x509', '-in', out('root-2.crt'), '-noout', '-serial']).trim(), `serial=${B.toUpperCase()}`, 'openssl: the renewed one is serial B');
  t.equal(openssl(['crl', '-in', out('crl-1.crl'), '-noout', '-crlnumber']).trim(), 'crlNumber=0x01', 'openssl: CRL 1 is number 1');
  t.equal(openssl(['crl', '-in', out('crl-2.crl'), '-noout', '-crlnumber']).trim(), 'crlNumber=0x02', 'openssl: CRL 2 is number 2');
  const text1 = openssl(['crl', '-in', out('crl-1.crl'), '-noout', '-text']);
  const text2 = openssl(['crl', '-in', out('crl-2.crl'), '-noout', '-text']);
  t.not(lastUpdate(text1), lastUpdate(text2), 'the two CRLs were signed at different seconds');
  const first = revokedEntries(text1);
  const second = revokedEntries(text2);
  t.same([...first.keys()], [A.toUpperCase()], 'openssl: CRL 1 lists A only');
  t.same(first.get(A.toUpperCase()), { date: lastUpdate(text1), reason: 'Key Compromise' }, 'openssl: A revoked at CRL 1’s thisUpdate, key compromise');
  t.same([...second.keys()].sort(), [A.toUpperCase(), B.toUpperCase()], 'openssl: CRL 2 lists A and B');
  t.same(second.get(A.toUpperCase()), { date: lastUpdate(text1), reason: 'Key Compromise' }, 'openssl: CRL 2 carries A with CRL 1’s date and reason');
  t.same(second.get(B.toUpperCase()), { date: lastUpdate(text2), reason: 'Superseded' }, 'openssl: B with CRL 2’s own date and reason');
  for (const c of ['crl-1.crl', 'crl-2.crl']) {
    const v = spawnSync('openssl', ['crl', '-in', out(c), '-CAfile', out('root.crt'), '-noout', '-verify'], { encoding: 'utf8' });
    t.ok(v.status === 0 && /verify OK/.test(v.stdout + v.stderr), `openssl crl -verify: ${c}: ${v.stderr}`);
  }
  const ledger = parseLedger(readFileSync(out('crl-2.ledger')), 'crl-2.ledger');
  t.same(
    ledger.entries.filter((e) => e.entry === 'crl').map((e) => e.entry === 'crl' && [e.crlNumber, e.revoked]),
    [
      ['1', [A]],
      ['2', [A, B]],
    ],
    'the ledger: CRL 1 revokes A, CRL 2 lists A and B',
  );
  const verified = await keyceremony(['journal', 'verify', workdir], { env: fx.env });
  t.equal(verified.code, 0, verified.stderr);

  t.test('a CRL that lists A again is refused before sign-in, naming the first revocation', async (t) => {
    const dir = join(fx.dir, 'again');
    mkdirSync(dir);
    // Refused before sign-in: the run stops before the token is initialised and the key made.
    const f = ceremony(
      dir,
      [selfSign('self-sign', 'root.crt'), crl('crl-3', { from: 'prev-ledger', to: 'next.ledger' }, [{ serial: `00${A.toUpperCase()}`, reason: 'superseded' }])],
      {
        'prev-ledger': { kind: 'ledger' },
      },
    );
    const w = join(dir, 'work');
    const r = await runCeremony(fx, { ...f, profile, workdir: w, extra: ['--input', `prev-ledger=${out('crl-2.ledger')}`] });
    t.equal(r.code, 2, 'exit 2');
    const date = (ledger.entries.find((e) => e.entry === 'crl' && e.crlNumber === '1') as { revocations: Array<{ date: string }> }).revocations[0]!.date;
    t.match(
      oneLine(r.stderr),
      `step crl-3: revoked[0] (00${A.toUpperCase()}) was already revoked on ${date} (keyCompromise) by CRL number 1, ledger prev-ledger entry`,
      'names the CRL number, date and reason of the first revocation',
    );
    t.notOk(existsSync(join(w, 'outputs', 'crl-3.crl')), 'no CRL was written');
    const records = existsSync(join(w, 'journal.jsonl')) ? journalRecords(w) : [];
    t.same(
      records.filter((r) => r.event === JOURNAL_EVENTS.participantsSignedIn || r.event === JOURNAL_EVENTS.stepCompleted).map((r) => r.event),
      [],
      'refused before anyone signed in: no sign-in and no step done (the token was not even initialised)',
    );
  });
});

t.test('validate refuses a serial listed twice in one CRL, serial 0 and a serial of 21 octets, naming file and lines', async (t) => {
  const fx = softhsm(t);
  const cases: Array<[string, Array<{ serial: string; reason: string }>, (def: string, lines: (serial: string) => number) => RegExp[]]> = [
    [
      'twice',
      [
        { serial: '00AB', reason: 'superseded' },
        { serial: 'c0ffee', reason: 'superseded' },
        { serial: 'ab', reason: 'keyCompromise' },
      ],
      (def, line) => [
        new RegExp(`${def}:${line('00AB')}\\b.*revokes serial 00AB, which revoked\\[2\\] \\(ab\\) revokes too`),
        new RegExp(`${def}:${line('ab')}\\b.*revokes serial ab, which revoked\\[0\\] \\(00AB\\) revokes already`),
      ],
    ],
    [
      'zero-and-21-octets',
      [
        { serial: '0', reason: 'superseded' },
        { serial: '7F' + 'FF'.repeat(20), reason: 'superseded' },
      ],
      (def, line) => [new RegExp(`${def}:${line('0')}\\b.*serial 0 `), new RegExp(`${def}:${line('7F' + 'FF'.repeat(20))}\\b.*serial 7F(FF){20} `)],
    ],
  ];
  for (const [name, revoked, expect] of cases) {
    const dir = join(fx.dir, name);
    mkdirSync(dir);
    const f = ceremony(dir, [selfSign('self-sign', 'root.crt', { to: 'root.ledger' }), crl('crl', { from: 'root.ledger', to: 'crl.ledger' }, revoked)]);
    const text = readFileSync(f.definition, 'utf8').split('\n');
    const line = (serial: string) => text.findIndex((l) => new RegExp(`serial: "?${serial}"?$`).test(l.trim())) + 1;
    for (const r of revoked) t.ok(line(r.serial) > 0, `${name}: ${r.serial} is on a line of its own`);
    const r = await keyceremony(['validate', f.definition], { env: fx.env });
    t.equal(r.code, 2, `${name}: exit 2`);
    t.comment(r.stderr.trim());
    const def = f.definition.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const e of expect(def, line)) t.match(r.stderr, e, `${name}: ${e.source}`);
  }
});

t.test('a serial list swapped between approval and signing is refused: nothing signed, the journal verifies', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const dir = join(fx.dir, 'swap');
  mkdirSync(dir);
  const list = join(dir, 'g2-serials.txt');
  writeFileSync(list, '00C0FFEE\n1a2b3c\n');
  const files = ceremony(
    dir,
    [
      selfSign('self-sign', 'root.crt'),
      crl('crl-g2', { open: { lastCrlNumber: '41', issuedSerials: 'g2-serials' }, to: 'g2.ledger' }, [{ serial: '1A2B3C', reason: 'superseded' }]),
    ],
    { 'g2-serials': { kind: 'serial-list' } },
  );
  const workdir = join(dir, 'work');
  const args = ['run', files.definition, '--hsm', profile, '--workdir', workdir, '--answers', files.answers, '--input', `g2-serials=${list}`];
  const copied = join(workdir, 'inputs', 'g2-serials');
  const hsmLog = join(dir, 'hsm.log');
  let callsBefore = 0;
  const plan: FaultPlan = { afterRecord: { event: JOURNAL_EVENTS.stepPrepared, step: 'crl-g2', action: 'SIGSTOP' }, hsmLog };
  const { stopped, result } = await holdAndChange(args, plan, fx.env, () => {
    callsBefore = readFileSync(hsmLog, 'utf8').trim().split('\n').length;
    // The attacker's list: one more serial, so that a certificate never issued could be "revoked" unseen.
    rmSync(copied, { force: true });
    writeFileSync(copied, '00C0FFEE\n1a2b3c\ndead01\n');
  });
  t.ok(stopped, 'the run was held after the step was prepared');
  t.equal(result.code, 1, 'exit 1: the step failed, recorded');
  t.match(
    oneLine(result.stderr),
    /inputs\/g2-serials changed after the journal recorded it: SHA-256 [0-9a-f]{64}, recorded [0-9a-f]{64} when it was brought in/,
    result.stderr,
  );
  const records = journalRecords(workdir);
  t.match(
    records.find((r) => r.event === JOURNAL_EVENTS.stepFailed && r.step === 'crl-g2'),
    { data: { code: 'file.changed' } },
    'the journal records the refusal by its code',
  );
  t.notOk(
    records.some((r) => r.event === JOURNAL_EVENTS.stepCompleted && r.step === 'crl-g2'),
    'the CRL step is not recorded as done',
  );
  const callsAfter = readFileSync(hsmLog, 'utf8').trim().split('\n').slice(callsBefore);
  t.ok(callsBefore > 0, 'the HSM calls up to the hold are logged');
  // The one signature the token may still make is the journal checkpoint before the orderly
  // logout that follows a failed step (src/ceremony/checkpoints.ts), with the audit key.
  const failedAt = records.findIndex((r) => r.event === JOURNAL_EVENTS.stepFailed && r.step === 'crl-g2');
  const checkpoints = records.slice(failedAt).filter((r) => r.event === JOURNAL_EVENTS.checkpoint).length;
  t.same(
    callsAfter.filter((line) => /\bsign/i.test(line)).length,
    checkpoints,
    `after the list was swapped the HSM signed only the ${checkpoints} journal checkpoint(s) after the failure, no CRL (calls: ${callsAfter.join(', ')})`,
  );
  t.notOk(existsSync(join(workdir, 'outputs', 'crl-g2.crl')), 'no CRL was written');
  t.notOk(existsSync(join(workdir, 'outputs', 'g2.ledger')), 'no ledger was written');
  const verified = await keyceremony(['journal', 'verify', workdir], { env: fx.env });
  t.equal(verified.code, 0, `journal verify: ${verified.stderr}`);
});
