import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefinition, parseDefinition } from '../../src/definition/loader.js';
import { caught } from '../helpers/errors.js';

const ALL_STEPS = new URL('../fixtures/engine/all-steps.yaml', import.meta.url).pathname;
const base = readFileSync(ALL_STEPS, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'kc-def-'));

/** The engine fixture with one change: a text replacement that must hit. */
function variant(name: string, from: string | RegExp, to: string): string {
  const text = base.replace(from, to);
  if (text === base) throw new Error(`variant ${name}: nothing replaced`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

t.test('the engine fixture loads, with its hash and steps', async (t) => {
  const definition = loadDefinition(ALL_STEPS);
  t.equal(definition.ceremony, 'engine-all-steps');
  t.equal(definition.steps.length, 12);
  t.match(definition.sha256, /^[0-9a-f]{64}$/);
  t.equal(definition.credentials['test-user-pin']!.pinLength, 32, 'default PIN length');
  t.equal(definition.credentials['test-user-pin']!.custodians, 'custodian', 'default custodian role');
});

const cases: Array<[string, string | RegExp, string, RegExp]> = [
  [
    'bits',
    'key: { label: TEST-CA, algorithm: EC, curve: P-384 }',
    'key: { label: TEST-CA, algorithm: RSA, bits: 1024 }',
    /:\d+:\d+: steps\[8\]\.key\.bits must be 2048, 3072 or 4096/,
  ],
  ['curve', 'curve: P-384', 'curve: secp256k1', /steps\[8\]\.key\.curve must be P-256, P-384 or P-521/],
  [
    'unknown key',
    'by: administrator\n    witness: witness\n    # The all-steps demo',
    'by: administrator\n    witnes: witness\n    # The all-steps demo',
    /:20:5: steps\[1\]\.witnes is not a known key/,
  ],
  ['unknown type', 'type: confirm', 'type: confrim', /steps\[2\]\.type must be one of sign-in, record/],
  ['duplicate id', 'id: room', 'id: inventory', /steps\[2\]\.id "inventory" is already the id of steps\[1\]/],
  [
    'unknown role',
    'witness: witness }\n  - { id: unlock-so',
    'witness: notary }\n  - { id: unlock-so',
    /steps\[3\]\.witness names role "notary", which is not in roles/,
  ],
  [
    'unknown credential',
    'credential: test-so-pin, by',
    'credential: test-sopin, by',
    /steps\[4\]\.credential names credential "test-sopin", which is not in credentials/,
  ],
  [
    'threshold',
    'threshold: 2, of: 3 }\n  test-user-pin',
    'threshold: 4, of: 3 }\n  test-user-pin',
    /credentials\.test-so-pin\.threshold must not exceed of \(3\)/,
  ],
  [
    'too many quorums',
    'threshold: 2, of: 3 }\n  test-user-pin',
    'threshold: 10, of: 20 }\n  test-user-pin',
    /credentials\.test-so-pin\.threshold 10-of-20 has 184,756 different quorums of 10 shares; every one is combined and checked before any share is shown, and at most 100,000 can be/,
  ],
  ['unknown token', 'token: test, so:', 'token: tset, so:', /steps\[3\]\.token names token "tset", which is not in tokens/],
  ['sign-in first', '  - { id: sign-in, type: sign-in }\n', '', /the first step must be sign-in/],
  [
    'keygen not unlocked',
    '  - { id: unlock, type: unlock, credential: test-user-pin, by: administrator, witness: witness }\n',
    '',
    /generate-key needs token "test" unlocked as user by an earlier unlock step/,
  ],
];

t.test('bad definitions are refused with file:line:col and the YAML path', async (t) => {
  for (const [name, from, to, expected] of cases) {
    const file = variant(name.replace(/\s/g, '-'), from, to);
    const error = await caught(() => loadDefinition(file));
    t.equal(error.exitCode, 2, name);
    t.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `), `${name}: starts with file:line:col`);
    t.match(error.message, expected, name);
  }
});

t.test('a sensitive step without a witness is rejected: no one person completes it alone', async (t) => {
  const file = variant(
    'no-witness',
    /  - id: keygen\n    type: generate-key\n    token: test\n    key: \{ label: TEST-CA, algorithm: EC, curve: P-384 \}\n    by: administrator\n    witness: witness\n/,
    '  - id: keygen\n    type: generate-key\n    token: test\n    key: { label: TEST-CA, algorithm: EC, curve: P-384 }\n    by: administrator\n',
  );
  const error = await caught(() => loadDefinition(file));
  t.match(
    error.message,
    /steps\[8\] \(keygen\) is a generate-key step: it needs `witness` \(who watches it\) so that no one person completes it alone \(多人控管\)/,
  );
});

t.test('the same role as performer and witness needs room for two people', async (t) => {
  const file = variant(
    'same-role',
    '  - { id: unlock-so, type: unlock, credential: test-so-pin, by: administrator, witness: witness }',
    '  - { id: unlock-so, type: unlock, credential: test-so-pin, by: administrator, witness: administrator }',
  );
  const error = await caught(() => loadDefinition(file));
  t.match(error.message, /steps\[4\]\.witness is the performer's own role "administrator", so roles\.administrator\.min must be at least 2/);
});

t.test('destroy-key needs two witnesses; outputs must be plain unique names', async (t) => {
  const text = base.replace(
    '  - { id: lock, type: lock }',
    '  - { id: csr, type: create-csr, key: TEST-CA, subject: { CN: x }, output: ../x.csr, by: administrator, witness: witness }\n  - { id: destroy, type: destroy-key, key: TEST-CA, by: administrator, witness: witness }\n  - { id: lock, type: lock }',
  );
  const error = await caught(() => parseDefinition(join(dir, 'destroy.yaml'), text));
  t.match(error.message, /steps\[9\]\.output must be a plain file name/);
  t.match(error.message, /steps\[10\] \(destroy\) destroys a key: it needs `witnesses: 2`/);
});

t.test("every file a step's spec produces is checked where the step names it: plain, and written once", async (t) => {
  const withSteps = (name: string, steps: string) =>
    parseDefinition(join(dir, `${name}.yaml`), base.replace('  - { id: lock, type: lock }', `${steps}\n  - { id: lock, type: lock }`));
  const taken = await caught(() =>
    withSteps(
      'audit-key-taken',
      '  - { id: csr, type: create-csr, key: TEST-CA, subject: { CN: x }, output: test-audit-key.pem, by: administrator, witness: witness }',
    ),
  );
  t.match(
    taken.message,
    /steps\[9\]\.output "test-audit-key\.pem" is already the output of step "init"/,
    "init-token's audit key, which no step names in an output field",
  );
  const crl = (ledger: string) =>
    `  - { id: crl, type: issue-crl, key: TEST-CA, issuer: ca.crt, output: ca.crl, nextUpdateDays: 30, ledger: ${ledger}, by: administrator, witness: witness }`;
  const folder = await caught(() => withSteps('ledger-folder', crl('{ to: ../ca.ledger }')));
  t.match(folder.message, /steps\[9\]\.ledger\.to must be a plain file name/);
  const twice = await caught(() => withSteps('ledger-twice', crl('{ to: ca.crl }')));
  t.match(twice.message, /steps\[9\]\.ledger\.to "ca\.crl" is already the output of step "crl"/);
});

t.test('an issue-crl without a ledger is refused: a CRL number never comes from the clock (issue 17 item 5)', async (t) => {
  const text = base.replace(
    '  - { id: lock, type: lock }',
    '  - { id: crl, type: issue-crl, key: TEST-CA, issuer: ca.crt, output: ca.crl, nextUpdateDays: 30, by: administrator, witness: witness }\n  - { id: lock, type: lock }',
  );
  const error = await caught(() => parseDefinition(join(dir, 'crl-without-ledger.yaml'), text));
  t.equal(error.exitCode, 2);
  t.match(
    error.message,
    /crl-without-ledger\.yaml:\d+:\d+: steps\[9\]\.ledger is required: a CRL is numbered by the issuing key's CA ledger \(its last CRL number \+ 1\), never by the clock; give ledger: \{ from: <the ledger input>, to: <the new ledger file> \}/,
  );
  const malformed = await caught(() =>
    parseDefinition(join(dir, 'crl-ledger-no-to.yaml'), text.replace('nextUpdateDays: 30,', 'nextUpdateDays: 30, ledger: { from: ca.ledger },')),
  );
  t.match(
    malformed.message,
    /steps\[9\]\.ledger\.to is required\n|steps\[9\]\.ledger\.to is required$/m,
    'a ledger without its `to` is told what it lacks, not the whole explanation',
  );
});

t.test('YAML problems: syntax and duplicate keys', async (t) => {
  const dup = await caught(() => parseDefinition('dup.yaml', 'ceremony: a\nceremony: b\n'));
  t.match(dup.message, /^dup\.yaml:2:1: not valid YAML: map keys must be unique/);
  const missing = await caught(() => loadDefinition(join(dir, 'nope.yaml')));
  t.match(missing.message, /cannot read definition file .*nope\.yaml: ENOENT/);
});

t.test('a rotation to a shape with more than 100,000 quorums is refused at validation', async (t) => {
  const file = new URL('../../ceremonies/hca-custodian-change.yaml', import.meta.url).pathname;
  const text = readFileSync(file, 'utf8');
  t.ok(parseDefinition(file, text), 'the custodian change as written (3-of-5) validates');
  const error = await caught(() => parseDefinition(file, text.replace('to: { threshold: 3, of: 5 }', 'to: { threshold: 10, of: 20 }')));
  t.equal(error.exitCode, 2);
  t.match(
    error.message,
    /:\d+:\d+: steps\[\d+\]\.to 10-of-20 has 184,756 different quorums of 10 shares; every one is combined and checked before any share is shown, and at most 100,000 can be/,
  );
});

// Issue 16 item 9: people tell roles apart by their titles (on screen, and sign-in takes a title
// in either language), so two roles may not share one, whatever the case or spaces around it.
t.test('validate refuses two roles with the same title, naming the file, line and both roles', async (t) => {
  const { keyceremonyInProcess } = await import('../helpers/in-process.js');
  const en = variant('title-clash-en', '  auditor: { min: 0 }', '  auditor: { min: 0, title: { en: " WITNESS ", zh-TW: 稽核人員 } }');
  const result = await keyceremonyInProcess(['validate', en]);
  t.equal(result.code, 2, 'bad definition: exit 2');
  t.match(result.stderr, `keyceremony: error: ${en}:8:`, 'file and line of the second title');
  t.match(
    result.stderr,
    'roles.auditor.title.en is "WITNESS", the en title of role "witness" too: people could not tell roles "auditor" and "witness" apart on screen or at sign-in',
  );

  const zh = variant(
    'title-clash-zh',
    '  administrator: { min: 1 }\n  witness: { min: 2 }',
    '  administrator: { min: 1, title: { en: CA administrator, zh-TW: 管理員 } }\n  witness: { min: 2, title: { en: Witness, zh-TW: 管理員 } }',
  );
  const error = await caught(() => loadDefinition(zh));
  t.equal(error.exitCode, 2);
  t.match(
    error.message,
    /:6:\d+: roles\.witness\.title\.zh-TW is "管理員", the zh-TW title of role "administrator" too: people could not tell roles "witness" and "administrator" apart/,
  );

  const builtIn = variant('title-clash-built-in', '  administrator: { min: 1 }', '  administrator: { min: 1, title: { en: auditor, zh-TW: 管理員 } }');
  const untitled = await caught(() => loadDefinition(builtIn));
  t.match(
    untitled.message,
    /:8:\d+: roles\.auditor has no title and is shown as "Auditor", the en title of role "administrator" too: .*; give it a title of its own/,
    'an untitled role clashes by its built-in title',
  );

  const distinct = variant('title-distinct', '  auditor: { min: 0 }', '  auditor: { min: 0, title: { en: Auditor, zh-TW: 稽核人員 } }');
  t.equal(loadDefinition(distinct).roles.auditor!.title!.en, 'Auditor', "a role may repeat its own built-in title; different roles' titles pass");
});
