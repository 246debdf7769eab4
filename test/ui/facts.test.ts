// What the create-csr screen says will be signed: the hash the CSR is really signed with.
import t from 'tap';
import type { KeyAlgorithm } from '../../src/util/key-algorithm.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { FIXTURE, screenContext, stepOf } from './helpers/screen-context.js';

const hashShown = (algorithm: KeyAlgorithm): string | undefined => {
  const sc = screenContext(FIXTURE('signing.yaml'), 'en', {
    keys: { 'GRCA-G2': { label: 'GRCA-G2', token: 'grca', id: '01', algorithm, spkiSha256: 'ab'.repeat(32), words: '', uri: '', step: 'declared' } },
  });
  const facts = stepBlocks(sc, stepOf(sc, 'csr')).flatMap((b) => (b.kind === 'facts' ? b.facts : []));
  return facts.find((f) => /hash/i.test(f.label))?.value;
};

t.test('the CSR hash follows the key: SHA-256 for RSA, SHA-384 for P-384, SHA-512 for P-521', async (t) => {
  t.equal(hashShown({ type: 'RSA', bits: 4096 }), 'SHA-256');
  t.equal(hashShown({ type: 'EC', curve: 'P-256' }), 'SHA-256');
  t.equal(hashShown({ type: 'EC', curve: 'P-384' }), 'SHA-384');
  t.equal(hashShown({ type: 'EC', curve: 'P-521' }), 'SHA-512');
});
