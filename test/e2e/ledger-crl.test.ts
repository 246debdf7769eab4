// Issue 17 item 5: issue-crl with a CA ledger. The engine ceremony (fixtures/engine) with a
// self-signed root and two CRLs after its key generation, on SoftHSM: the first CRL opens the
// key's ledger, the second continues it; openssl reads the CRL numbers (1, then 2: never the
// clock) and verifies both CRLs. A ledger brought in that was tampered with, or that does not
// know a serial to revoke, is refused before anyone signs in (exit 2, naming file and entry).
import t from 'tap';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseDocument } from 'yaml';
import { keyceremony } from '../helpers/cli.js';
import { FIXTURES, CEREMONIES, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';
import { parseLedger } from '../../src/ledger/ledger.js';

const people = { by: 'administrator', witness: 'witness' };

function ceremony(dir: string, crlSteps: Array<Record<string, unknown>>, inputs: Record<string, unknown> = {}): { definition: string; answers: string } {
  const doc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.yaml'), 'utf8'));
  mkdirSync(join(dir, 'profiles/x509'), { recursive: true });
  copyFileSync(join(CEREMONIES, 'profiles/x509/root-ca.yaml'), join(dir, 'profiles/x509/root-ca.yaml'));
  doc.set('profiles', doc.createNode({ 'root-ca': 'profiles/x509/root-ca.yaml' }));
  if (Object.keys(inputs).length) doc.set('inputs', doc.createNode(inputs));
  const steps = doc.get('steps') as { items: unknown[] };
  const at = steps.items.findIndex((item) => (item as { get(k: string): unknown }).get('id') === 'keygen') + 1;
  const added = [{ id: 'self-sign', type: 'self-sign', key: 'TEST-CA', subject: { C: 'TW', O: 'DRY RUN', CN: 'DRY RUN Ledger Test Root' }, profile: 'root-ca', output: 'root.crt', ...people }, ...crlSteps];
  steps.items.splice(at, 0, ...added.map((s) => doc.createNode(s)));
  const definition = join(dir, 'ledger.yaml');
  writeFileSync(definition, doc.toString());
  const answersDoc = parseDocument(readFileSync(join(FIXTURES, 'engine/all-steps.answers.yaml'), 'utf8'));
  for (const s of added) answersDoc.setIn(['steps', s.id], answersDoc.createNode({ by: 'alice', witness: 'wendy' }));
  const answers = join(dir, 'ledger.answers.yaml');
  writeFileSync(answers, answersDoc.toString());
  return { definition, answers };
}

const crl = (id: string, ledger: Record<string, string>, extra: Record<string, unknown> = {}) => ({ id, type: 'issue-crl', key: 'TEST-CA', issuer: 'root.crt', output: `${id}.crl`, nextUpdateDays: 30, ledger, ...people, ...extra });
const crlNumber = (file: string) => execFileSync('openssl', ['crl', '-in', file, '-noout', '-crlnumber']).toString().trim();

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
  const spki = execFileSync('sh', ['-c', `openssl x509 -in ${out('root.crt')} -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`]).toString().split(' ')[0];
  t.equal(ledger.header.spkiSha256, spki, 'the ledger belongs to the root key (SPKI SHA-256 by openssl)');
  t.same(ledger.entries.map((e) => e.entry === 'crl' && e.crlNumber), ['1', '2']);
  t.ok(readFileSync(out('test-ca.ledger.2')).subarray(0, readFileSync(out('test-ca.ledger.1')).length).equals(readFileSync(out('test-ca.ledger.1'))), 'the second ledger keeps the first byte for byte');
  const verified = await keyceremony(['journal', 'verify', workdir], { env: fx.env });
  t.equal(verified.code, 0, verified.stderr);
  t.test('a ledger brought in is refused before sign-in when tampered with or when it does not know a revoked serial', async (t) => {
    const inputs = { 'prev-ledger': { kind: 'ledger' } };
    const good = readFileSync(out('test-ca.ledger.2'), 'utf8');
    const tampered = join(fx.dir, 'tampered.ledger');
    writeFileSync(tampered, good.replace('"crlNumber":"1"', '"crlNumber":"7"'));
    const cases: Array<{ name: string; file: string; revoked?: unknown; expect: RegExp }> = [
      { name: 'tampered', file: tampered, expect: /ledger prev-ledger \(.*tampered\.ledger\), entry 3: does not carry the SHA-256 of entry 2/ },
      { name: 'unknown-serial', file: out('test-ca.ledger.2'), revoked: [{ serial: 'DEAD01', reason: 'keyCompromise' }], expect: /step crl-3: revokes serial DEAD01, which ledger prev-ledger does not know/ },
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
