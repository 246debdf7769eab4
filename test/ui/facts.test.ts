// What the create-csr screen says will be signed: the hash the CSR is really signed with.
import t from 'tap';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyAlgorithm } from '../../src/util/key-algorithm.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { listNumbers } from '../../src/ui/i18n/index.js';
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

t.test('confirm-result: the fingerprint is not shown; the whole of it is typed back from the paper log', async (t) => {
  const { approvalFields } = await import('../../src/ui/model/approval.js');
  const spki = 'c0ffee'.repeat(10) + 'abcd';
  for (const lang of ['en', 'zh-TW'] as const) {
    const sc = screenContext(new URL('../fixtures/confirm-result/keygen.yaml', import.meta.url).pathname, lang, {
      results: {
        keygen: {
          keys: [
            { label: 'CONFIRM-TEST', token: 'test', id: '01', algorithm: { type: 'EC', curve: 'P-256' }, spkiSha256: spki, words: '', uri: '', step: 'keygen' },
          ],
          performer: 'alice',
          witnesses: ['wendy'],
        },
      },
    } as never);
    const step = stepOf(sc, 'keygen-confirmed');
    const texts = stepBlocks(sc, step).flatMap((b) => (b.kind === 'text' ? [b.text] : b.kind === 'facts' ? b.facts.map((f) => f.value) : b.lines));
    t.notOk(
      texts.some((text) => /C0FF|c0ff/i.test(text)),
      `${lang}: no part of the fingerprint is on the screen`,
    );
    t.ok(
      texts.some((text) => text.includes('CONFIRM-TEST')),
      `${lang}: what is confirmed is named`,
    );
    const field = approvalFields(sc, step).find((f) => f.name.endsWith('result-sha256'))!;
    t.equal(field.check!(spki, {}), undefined, `${lang}: the whole fingerprint passes`);
    t.equal(field.check!(spki.toUpperCase().match(/.{4}/g)!.join(' '), {}), undefined, `${lang}: in groups, upper case`);
    t.equal(field.check!(spki.slice(0, 16), {}), sc.t('confirmResult.length', { n: 16 }), `${lang}: 16 digits are not enough`);
    const wrong = spki.slice(0, 8) + '0000' + spki.slice(12, 60) + 'ffff';
    t.equal(field.check!(wrong, {}), sc.t('confirmResult.groupsDiffer', { groups: listNumbers(sc.t, [3, 16]) }), `${lang}: the groups that differ are named`);
  }
});

t.test('issue-crl with a ledger opened from the key history: the declared opening, then the list read, to confirm aloud (en, zh-TW)', async (t) => {
  const dir = t.testdir({});
  cpSync(new URL('./fixtures/', import.meta.url).pathname, dir, { recursive: true });
  const file = join(dir, 'signing.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace('ledger: { to: grca-g2.crl.ledger }', 'ledger: { open: { lastCrlNumber: "41", issuedSerials: g2-serials }, to: grca-g2.crl.ledger }')
      .replace('  grca-g2-cert: { kind: certificate }', '  grca-g2-cert: { kind: certificate }\n  g2-serials: { kind: serial-list }'),
  );
  const opening = (lang: 'en' | 'zh-TW', prepared?: Record<string, unknown>) => {
    const sc = screenContext(file, lang, prepared ? { prepared } : {});
    return stepBlocks(sc, stepOf(sc, 'crl'))
      .flatMap((b) => (b.kind === 'facts' ? b.facts : []))
      .find((f) => f.label === sc.t('facts.ledgerOpening'))?.value;
  };
  const read = { crlNumber: '42', ledgerOpening: { lastCrlNumber: '41', issuedSerials: 3, issuedSerialsSha256: 'ab'.repeat(32) } };
  t.match(opening('en'), /last CRL number 41; serials issued before: the list g2-serials/);
  t.match(opening('en', read), /last CRL number 41, so this CRL is number 42; 3 serials issued before, list SHA-256 ABAB ABAB/);
  t.match(opening('zh-TW'), /最後一個廢止清冊序號 41；先前簽發的序號：清單 g2-serials/);
  t.match(opening('zh-TW', read), /本次廢止清冊序號為 42；先前簽發的序號 3 個，清單 SHA-256 ABAB/);
  const plain = screenContext(FIXTURE('signing.yaml'), 'en');
  t.notOk(
    stepBlocks(plain, stepOf(plain, 'crl'))
      .flatMap((b) => (b.kind === 'facts' ? b.facts : []))
      .some((f) => f.label === plain.t('facts.ledgerOpening')),
    'a ledger without open shows no opening',
  );
});
