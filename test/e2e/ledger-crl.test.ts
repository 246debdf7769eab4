// Issue 17 item 5: issue-crl with a CA ledger. The engine ceremony (fixtures/engine) with a
// self-signed root and two CRLs after its key generation, on SoftHSM: the first CRL opens the
// key's ledger, the second continues it; openssl reads the CRL numbers (1, then 2: never the
// clock) and verifies both CRLs. A ledger brought in that was tampered with, or that does not
// know a serial to revoke, is refused before anyone signs in (exit 2, naming file and entry).
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { crlNumber, crlStep, engineCeremonyWith, selfSignStep } from '../helpers/ledger-ceremony.js';
import { softhsm } from '../helpers/softhsm.js';
import { parseLedger } from '../../src/ledger/ledger.js';
import { groupedHex } from '../../src/util/fingerprint.js';

const ceremony = (dir: string, crlSteps: Array<Record<string, unknown>>, inputs: Record<string, unknown> = {}) =>
  engineCeremonyWith(dir, [selfSignStep('self-sign', 'root.crt', 'DRY RUN Ledger Test Root'), ...crlSteps], inputs);
const crl = crlStep;

t.test('the first CRL opens the ledger as number 1, the next one continues it as number 2', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const workdir = newWorkdir(fx);
  const files = ceremony(fx.dir, [crl('crl-1', { to: 'test-ca.ledger.1' }), crl('crl-2', { from: 'test-ca.ledger.1', to: 'test-ca.ledger.2' })]);
  const ran = await runCeremony(fx, { ...files, profile, workdir });
  t.equal(ran.code, 0, ran.stderr);
  const out = (name: string) => join(workdir, 'outputs', name);
  t.equal(crlNumber(out('crl-1.crl')), 'crlNumber=0x01', 'openssl: the first CRL is number 1');
  t.equal(crlNumber(out('crl-2.crl')), 'crlNumber=0x02', 'openssl: the next is number 2, one up, not the clock');
  for (const c of ['crl-1.crl', 'crl-2.crl']) {
    const v = spawnSync('openssl', ['crl', '-in', out(c), '-CAfile', out('root.crt'), '-noout', '-verify'], { encoding: 'utf8' });
    t.ok(v.status === 0 && /verify OK/.test(v.stdout + v.stderr), `openssl crl -verify: ${c}: ${v.stderr}`);
  }
  const ledger = parseLedger(readFileSync(out('test-ca.ledger.2')), 'test-ca.ledger.2');
  const spki = execFileSync('sh', ['-c', `openssl x509 -in ${out('root.crt')} -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`])
    .toString()
    .split(' ')[0];
  t.equal(ledger.header.spkiSha256, spki, 'the ledger belongs to the root key (SPKI SHA-256 by openssl)');
  t.same(
    ledger.entries.map((e) => e.entry === 'crl' && e.crlNumber),
    ['1', '2'],
  );
  t.ok(
    readFileSync(out('test-ca.ledger.2'))
      .subarray(0, readFileSync(out('test-ca.ledger.1')).length)
      .equals(readFileSync(out('test-ca.ledger.1'))),
    'the second ledger keeps the first byte for byte',
  );
  const verified = await keyceremonyInProcess(['journal', 'verify', workdir], { env: fx.env });
  t.equal(verified.code, 0, verified.stderr);
  t.test('a ledger brought in is refused before sign-in when tampered with or when it does not know a revoked serial', async (t) => {
    const inputs = { 'prev-ledger': { kind: 'ledger' } };
    const good = readFileSync(out('test-ca.ledger.2'), 'utf8');
    const tampered = join(fx.dir, 'tampered.ledger');
    writeFileSync(tampered, good.replace('"crlNumber":"1"', '"crlNumber":"7"'));
    const cases: Array<{ name: string; file: string; revoked?: unknown; expect: RegExp }> = [
      { name: 'tampered', file: tampered, expect: /ledger prev-ledger \(.*tampered\.ledger\), entry 3: does not carry the SHA-256 of entry 2/ },
      {
        name: 'unknown-serial',
        file: out('test-ca.ledger.2'),
        revoked: [{ serial: 'DEAD01', reason: 'keyCompromise' }],
        expect: /step crl-3: revokes serial DEAD01, which ledger prev-ledger does not know/,
      },
    ];
    for (const c of cases) {
      const dir = join(fx.dir, c.name);
      mkdirSync(dir);
      const f = ceremony(dir, [crl('crl-3', { from: 'prev-ledger', to: 'next.ledger' }, c.revoked ? { revoked: c.revoked } : {})], inputs);
      const w = join(dir, 'work');
      const r = await runCeremony(fx, { ...f, profile, workdir: w, extra: ['--input', `prev-ledger=${c.file}`] });
      t.equal(r.code, 2, `${c.name}: exit 2`);
      t.match(r.stderr.replace(/\s+/g, ' '), c.expect, c.name);
    }
  });
});

// A key that signed before keyceremony (the real HCA G2 key): its ledger opens from the
// declared history, the last CRL number it used and the list of serials it issued.
t.test('a ledger opened from the key history: CRL number 42 after 41, a listed serial revoked, the opening journaled', async (t) => {
  const fx = softhsm(t);
  const profile = fx.profile({ test: 'ENGINE-TEST' });
  const inputs = { 'g2-serials': { kind: 'serial-list' } };
  const opened = (revoked: string) =>
    crl(
      'crl-g2',
      { open: { lastCrlNumber: '41', issuedSerials: 'g2-serials' }, to: 'g2.ledger' },
      {
        revoked: [{ serial: revoked, reason: 'superseded' }],
      },
    );
  const run = async (name: string, revoked: string, serials: string) => {
    const dir = join(fx.dir, name);
    mkdirSync(dir);
    const list = join(dir, 'g2-serials.txt');
    writeFileSync(list, serials);
    const files = ceremony(dir, [opened(revoked)], inputs);
    const workdir = join(dir, 'work');
    return { list, files, workdir, ran: await runCeremony(fx, { ...files, profile, workdir, extra: ['--input', `g2-serials=${list}`] }) };
  };
  const { list, files, workdir, ran } = await run('opened', '1A2B3C', '00C0FFEE\r\n1a2b3c\nDEADBEEF01\n');
  t.equal(ran.code, 0, ran.stderr);
  const out = (name: string) => join(workdir, 'outputs', name);
  t.equal(crlNumber(out('crl-g2.crl')), 'crlNumber=0x2A', 'openssl: the first CRL of the opened ledger is number 42 (41 + 1)');
  const text = execFileSync('openssl', ['crl', '-in', out('crl-g2.crl'), '-noout', '-text']).toString();
  t.match(text, /Serial Number: 1A2B3C/, 'openssl: the listed serial is revoked');
  const v = spawnSync('openssl', ['crl', '-in', out('crl-g2.crl'), '-CAfile', out('root.crt'), '-noout', '-verify'], { encoding: 'utf8' });
  t.ok(v.status === 0 && /verify OK/.test(v.stdout + v.stderr), `openssl crl -verify: ${v.stderr}`);
  const listSha256 = execFileSync('sha256sum', [list]).toString().split(' ')[0]!;
  const ledger = parseLedger(readFileSync(out('g2.ledger')), 'g2.ledger');
  t.same(
    ledger.header.history,
    { lastCrlNumber: '41', issuedSerials: ['c0ffee', '1a2b3c', 'deadbeef01'], issuedSerialsSha256: listSha256 },
    'the header records the declared history and the list’s SHA-256 (sha256sum)',
  );
  t.same(
    ledger.entries.map((e) => e.entry === 'crl' && [e.crlNumber, e.revoked]),
    [['42', ['1a2b3c']]],
  );
  const journal = readFileSync(join(workdir, 'journal.jsonl'), 'utf8');
  t.ok(journal.split(listSha256).length - 1 >= 2, 'the journal has the list’s SHA-256 as an input and in the step’s opening');
  t.match(journal, /"opened":\{"issuedSerials":3,"issuedSerialsSha256":"[0-9a-f]{64}","lastCrlNumber":"41"\}/, 'the step’s details keep the opening');
  const verified = await keyceremonyInProcess(['journal', 'verify', workdir], { env: fx.env });
  t.equal(verified.code, 0, verified.stderr);
  const report = readFileSync(join(workdir, 'report.md'), 'utf8');
  t.match(report, /Ledger opened from the key's history, last CRL number declared: 41/, 'the report shows the declared last CRL number');
  t.match(
    report,
    new RegExp(`serials issued before: 3[\\s\\S]*serial list SHA-256: ${groupedHex(listSha256)}`),
    'the report shows the count and the list’s SHA-256',
  );
  for (const lang of ['en', 'zh-TW']) {
    const plan = await keyceremonyInProcess(['plan', files.definition, '--lang', lang], { env: fx.env });
    t.equal(plan.code, 0, plan.stderr);
    t.match(
      plan.stdout,
      lang === 'en' ? /last CRL number 41 .*serials issued before: input g2-serials/ : /最後一個廢止清冊序號 41.*先前簽發的序號：輸入檔 g2-serials/,
      `plan (${lang}) shows the declared opening`,
    );
  }

  t.test('a serial not in the list, or a list with a malformed line, is refused before sign-in', async (t) => {
    const unknown = await run('unknown-serial', 'DEAD01', 'c0ffee\n1a2b3c\n');
    t.equal(unknown.ran.code, 2);
    t.match(
      unknown.ran.stderr.replace(/\s+/g, ' '),
      /step crl-g2: revokes serial DEAD01, which ledger g2\.ledger \(opened with g2-serials\) does not know \(its 0 entries nor its history's 2 serials/,
    );
    const malformed = await run('malformed', '1A2B3C', 'c0ffee\n1a2b3c\nserial: 77\n');
    t.equal(malformed.ran.code, 2);
    t.match(malformed.ran.stderr.replace(/\s+/g, ' '), /serial list g2-serials \(.*g2-serials\.txt\), line 3: "serial: 77" is not a hexadecimal serial/);
    t.notOk(spawnSync('test', ['-e', join(malformed.workdir, 'outputs', 'crl-g2.crl')]).status === 0, 'no CRL was written');
  });

  t.test('validate refuses open with from, and a last CRL number that is not a positive decimal', async (t) => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      [
        'open-and-from',
        { from: 'g2-serials-ledger', open: { lastCrlNumber: '41', issuedSerials: 'g2-serials' }, to: 'g2.ledger' },
        /ledger\.open cannot go with from/,
      ],
      ['zero', { open: { lastCrlNumber: '0', issuedSerials: 'g2-serials' }, to: 'g2.ledger' }, /lastCrlNumber must be a positive decimal number/],
      ['hex', { open: { lastCrlNumber: '0x29', issuedSerials: 'g2-serials' }, to: 'g2.ledger' }, /lastCrlNumber must be a positive decimal number/],
      [
        'unquoted',
        { open: { lastCrlNumber: 41, issuedSerials: 'g2-serials' }, to: 'g2.ledger' },
        /lastCrlNumber must be a positive decimal number in quotes, e\.g\. "1234"/,
      ],
      ['not-a-list', { open: { lastCrlNumber: '41', issuedSerials: 'g2-old-ledger' }, to: 'g2.ledger' }, /issuedSerials.*g2-old-ledger/],
    ];
    for (const [name, ledgerSpec, expect] of cases) {
      const dir = join(fx.dir, `validate-${name}`);
      mkdirSync(dir);
      const f = ceremony(dir, [crl('crl-g2', ledgerSpec)], {
        'g2-serials': { kind: 'serial-list' },
        'g2-serials-ledger': { kind: 'ledger' },
        'g2-old-ledger': { kind: 'ledger' },
      });
      const r = await keyceremonyInProcess(['validate', f.definition], { env: fx.env });
      t.equal(r.code, 2, `${name}: exit 2`);
      t.match(r.stderr.replace(/\s+/g, ' '), expect, name);
    }
  });
});
