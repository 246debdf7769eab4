// Issue 17 item 4: issue-certificate binds the CSR's key. The definition states the key the
// request must carry (csrKey); a valid request with the right subject but another key — the
// attack the audit showed (an RSA-2048 or P-256 request issued as "HCA G3") — is refused at
// `run` before anyone signs in: exit 2, naming the definition's line and the step, no journal.
import t from 'tap';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCsr } from '../../src/x509/csr.js';
import { nameAttributesFrom } from '../../src/x509/names.js';
import { throwawaySigner } from '../../src/x509/signer.js';
import { newCase, prepareChain } from '../helpers/chain.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';

const chain = await prepareChain(t, 'hca-g3-keygen', { keys: 'ec-p384' });
const subject = nameAttributesFrom({ C: 'TW', O: '行政院', CN: '醫事憑證管理中心 - G3' });

for (const algorithm of [
  { type: 'EC', curve: 'P-256' },
  { type: 'RSA', bits: 2048 },
] as const) {
  const name = algorithm.type === 'EC' ? 'p256' : 'rsa2048';
  t.test(`a ${name} CSR with the HCA G3 subject is refused before sign-in`, async (t) => {
    const c = newCase(chain, name, 'grca-issue-hca-g3');
    const impostor = join(c.dir, `${name}.csr`);
    writeFileSync(impostor, (await createCsr({ signer: await throwawaySigner(algorithm), subject })).pem);
    writeFileSync(c.answers, readFileSync(c.answers, 'utf8').replace('hca-g3-csr: hca-g3-keygen/outputs/hca-g3.csr', `hca-g3-csr: ${impostor}`));
    const result = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
    t.equal(result.code, 2, result.stderr);
    const held = algorithm.type === 'EC' ? 'EC P-256' : 'RSA-2048';
    t.match(
      result.stderr,
      new RegExp(
        `grca-issue-hca-g3\\.yaml:\\d+:\\d+: steps\\[\\d+\\]\\.csrKey \\(step issue\\) says the CSR carries an EC P-384 key, but input "hca-g3-csr" holds a ${held} key, not EC P-384`,
      ),
    );
    t.notOk(existsSync(join(c.workdir, 'journal.jsonl')), 'no journal: no one signed in');
    t.same(existsSync(c.workdir) ? readdirSync(c.workdir) : [], [], 'the workdir is left empty');
  });
}

t.test('the CSR the HCA made (EC P-384, as csrKey says) passes the same check', async (t) => {
  const c = newCase(chain, 'right-key', 'grca-issue-hca-g3');
  const result = await keyceremonyInProcess(['validate', c.definition]);
  t.equal(result.code, 0, result.stderr);
  const issued = await keyceremonyInProcess(c.runArgs, { env: c.store.env });
  t.equal(issued.code, 0, issued.stderr);
  t.match(issued.stdout, /issue \(issue-certificate\) done/);
});
