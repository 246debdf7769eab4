// Issue 17 item 1: `validate`, `plan` and `run` (before anyone signs in, before the HSM is even
// opened) load every X.509 profile the definition uses and check it against the keys the
// definition generates or names, the names it writes, and the issuer's validity. Each bad case
// the issue lists exits 2 naming the definition's file:line and the step.
import t from 'tap';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { loadDefinition } from '../../src/definition/loader.js';
import { x509Problems } from '../../src/definition/x509-preflight.js';
import { createCsr } from '../../src/x509/csr.js';
import { nameAttributesFrom } from '../../src/x509/names.js';
import { throwawaySigner } from '../../src/x509/signer.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { moicaG3 } from '../helpers/x509.js';
import { SOFTHSM_MODULE } from '../helpers/softhsm.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = t.testdir({});
const ceremonies = join(dir, 'ceremonies');
cpSync(join(REPO, 'ceremonies'), ceremonies, { recursive: true });

/** A copy of a ceremony file (or profile) in the copied folder, with YAML edits. */
function variant(name: string, from: string, edits: Array<[Array<string | number>, unknown]>): string {
  const doc = parseDocument(readFileSync(join(ceremonies, from), 'utf8'));
  for (const [path, value] of edits) doc.setIn(path, value);
  const file = join(ceremonies, name);
  writeFileSync(file, doc.toString());
  return file;
}

const stepIndex = (from: string, id: string) =>
  (parseDocument(readFileSync(join(ceremonies, from), 'utf8')).toJS() as { steps: Array<{ id: string }> }).steps.findIndex((s) => s.id === id);
const ISSUE = stepIndex('grca-issue-hca-g3.yaml', 'issue');
const CSR = stepIndex('hca-g3-keygen.yaml', 'csr');
const KEYGEN_ROOT = stepIndex('dryrun-root-init.yaml', 'keygen');

const CN77 = '醫事憑證管理中心 - G3 '.padEnd(77, 'x');
variant('profiles/x509/serial-zero.yaml', 'profiles/x509/subordinate-ca.yaml', [[['serial', 'bytes'], 0]]);
const basicConstraints = (
  parseDocument(readFileSync(join(ceremonies, 'profiles/x509/subordinate-ca.yaml'), 'utf8')).toJS() as { extensions: Array<{ type: string }> }
).extensions.findIndex((e) => e.type === 'basicConstraints');
variant('profiles/x509/not-a-ca.yaml', 'profiles/x509/subordinate-ca.yaml', [[['extensions', basicConstraints, 'ca'], false]]);

const cases: Array<{ name: string; file: string; stderr: RegExp }> = [
  {
    name: 'an EC P-384 issuer with an RSA-only profile',
    file: variant('ec-issuer.yaml', 'grca-issue-hca-g3.yaml', [[['keys', 'ROOT-CA', 'algorithm'], 'EC-P-384']]),
    stderr: new RegExp(
      `ec-issuer\\.yaml:\\d+:\\d+: steps\\[${ISSUE}\\]\\.profile \\(step issue\\) names X\\.509 profile profiles/x509/subordinate-ca\\.yaml, which does not allow an EC issuer key such as EC P-384 \\(signature\\.ec is not set\\)`,
    ),
  },
  {
    name: 'a link-ca profile on issue-certificate',
    file: variant('link-profile.yaml', 'grca-issue-hca-g3.yaml', [[['profiles', 'subordinate-ca'], 'profiles/x509/link-ca.yaml']]),
    stderr:
      /link-profile\.yaml:\d+:\d+: steps\[\d+\]\.profile \(step issue\) names X\.509 profile profiles\/x509\/link-ca\.yaml, which is a link-ca profile; a issued certificate needs a subordinate-ca or ocsp-responder or end-entity profile/,
  },
  {
    name: 'serial.bytes 0',
    file: variant('serial-zero.yaml', 'grca-issue-hca-g3.yaml', [[['profiles', 'subordinate-ca'], 'profiles/x509/serial-zero.yaml']]),
    stderr:
      /serial-zero\.yaml:\d+:\d+: steps\[\d+\]\.profile \(step issue\) names X\.509 profile profiles\/x509\/serial-zero\.yaml, which is refused: .*serial-zero\.yaml:\d+:\d+: serial\.bytes must be at least 9/,
  },
  {
    name: 'ca: false in a subordinate CA profile',
    file: variant('not-a-ca.yaml', 'grca-issue-hca-g3.yaml', [[['profiles', 'subordinate-ca'], 'profiles/x509/not-a-ca.yaml']]),
    stderr:
      /not-a-ca\.yaml:\d+:\d+: steps\[\d+\]\.profile \(step issue\) names X\.509 profile profiles\/x509\/not-a-ca\.yaml, which is refused: .*not-a-ca\.yaml:\d+:\d+: extensions\[\d+\]\.ca must be true: this is a CA profile/,
  },
  {
    name: 'a 77-character CN in the CSR subject',
    file: variant('long-cn.yaml', 'hca-g3-keygen.yaml', [[['steps', CSR, 'subject', 'CN'], CN77]]),
    stderr: new RegExp(
      `long-cn\\.yaml:\\d+:\\d+: steps\\[${CSR}\\]\\.subject\\.CN \\(step csr\\) is 77 characters, more than the 64 RFC 5280 Appendix A allows`,
    ),
  },
  {
    name: 'a 77-character CN in the subject the issuer expects',
    file: variant('long-cn-issue.yaml', 'grca-issue-hca-g3.yaml', [[['steps', ISSUE, 'subject', 'CN'], CN77]]),
    stderr: /steps\[\d+\]\.subject\.CN \(step issue\) is 77 characters/,
  },
  {
    name: 'a P-256 root key under a profile that signs with SHA-384',
    file: variant('p256-root.yaml', 'dryrun-root-init.yaml', [
      [['steps', KEYGEN_ROOT, 'key'], { label: 'ROOT-CA', algorithm: 'EC', curve: 'P-256' }],
      [['profiles', 'root-ca'], 'profiles/x509/p384-root.yaml'],
    ]),
    stderr:
      /p256-root\.yaml:\d+:\d+: steps\[\d+\]\.profile \(step self-sign\) names X\.509 profile profiles\/x509\/p384-root\.yaml, which signs with SHA-384, but an issuer key on P-256 signs with SHA-256 \(BR §7\.1\.3\.2\.2\)/,
  },
];
variant('profiles/x509/p384-root.yaml', 'profiles/x509/root-ca.yaml', [[['signature', 'ec'], 'SHA-384']]);

for (const c of cases) {
  t.test(c.name, async (t) => {
    for (const command of ['validate', 'plan'] as const) {
      const result = await keyceremonyInProcess([command, c.file]);
      t.equal(result.code, 2, `${command}: ${result.stderr}`);
      t.match(result.stderr, c.stderr, command);
      t.equal(result.stdout, '', `${command} prints no script and no "valid"`);
    }
  });
}

t.test('the definitions of the dry-run chain pass', async (t) => {
  for (const name of ['dryrun-root-init', 'hca-g3-keygen', 'grca-issue-hca-g3', 'hca-g3-accept']) {
    const result = await keyceremonyInProcess(['validate', join(ceremonies, `${name}.yaml`)]);
    t.equal(result.code, 0, `${name}: ${result.stderr}`);
  }
});

t.test('run refuses before it writes anything or opens the HSM', async (t) => {
  const profile = join(dir, 'hsm.yaml');
  writeFileSync(profile, `module: ${SOFTHSM_MODULE}\ndryRun: true\ntokens:\n  root: { label: ROOT-DRYRUN }\n  hca: { label: HCA-DRYRUN }\n`);
  // No token store at all: a run that got as far as the HSM would fail there instead.
  const env = { ...process.env, SOFTHSM2_CONF: join(dir, 'no-such-softhsm2.conf') };
  const workdir = join(dir, 'run-ec-issuer');
  const answers = join(ceremonies, 'grca-issue-hca-g3.answers.yaml');
  const result = await keyceremonyInProcess(['run', cases[0]!.file, '--hsm', profile, '--workdir', workdir, '--answers', answers], { env });
  t.equal(result.code, 2, result.stderr);
  t.match(result.stderr, cases[0]!.stderr);
  t.notOk(existsSync(workdir), 'no workdir, no journal');
});

t.test("at run: the issuer certificate's end and the CSR's key, from the files brought", async (t) => {
  variant('profiles/x509/refusing.yaml', 'profiles/x509/subordinate-ca.yaml', [[['validity', 'limitToIssuer'], 'refuse']]);
  const definition = loadDefinition(variant('refusing.yaml', 'grca-issue-hca-g3.yaml', [[['profiles', 'subordinate-ca'], 'profiles/x509/refusing.yaml']]));
  // MOICA G3 (issued by GRCA) ends 2044-01-23: twenty years from 2030 do not fit inside it.
  const issuer = moicaG3();
  const rsa = await throwawaySigner({ type: 'RSA', bits: 2048 });
  const subject = nameAttributesFrom({ C: 'TW', O: '行政院', CN: '醫事憑證管理中心 - G3' });
  const csr = Buffer.from((await createCsr({ signer: rsa, subject })).pem);
  const problems = await x509Problems(definition, { now: new Date('2030-06-01T00:00:00Z'), inputs: { 'root-certificate': issuer, 'hca-g3-csr': csr } });
  t.same(
    problems.map((p) => [p.path.join('.'), p.message]),
    [
      [
        `steps.${ISSUE}.profile`,
        "(step issue) names X.509 profile profiles/x509/refusing.yaml, which gives notAfter 2050-06-01 15:59:59Z, after the issuer's notAfter 2044-01-23 15:59:59Z, and says limitToIssuer: refuse (if signed on 2030-06-01 00:00:00Z)",
      ],
      [`steps.${ISSUE}.csrKey`, '(step issue) says the CSR carries an RSA-4096 key, but input "hca-g3-csr" holds a RSA-2048 key, not RSA-4096'],
    ],
  );
  const fine = await x509Problems(definition, { now: new Date('2023-06-01T00:00:00Z'), inputs: { 'root-certificate': issuer } });
  t.same(fine, [], 'issued in 2023, twenty years end in 2043, inside the issuer');
});
