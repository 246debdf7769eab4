// The step screens with an approval form, one per step type, in both languages: what the
// step will do (for the signing steps: subject, issuer, validity, key, extensions, before
// anyone approves), the fields people type, and the event it sends.
import t from 'tap';
import { Box } from 'ink';
import type { CeremonyContext, CeremonyEvent } from '../../src/ceremony/types.js';
import { approvalEvent, approvalFields } from '../../src/ui/model/approval.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import type { Lang } from '../../src/ui/i18n/index.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { overWide, renderUi } from './helpers/render.js';
import { ENGINE_FIXTURE, FIXTURE, screenContext, stepOf } from './helpers/screen-context.js';

const SIGNING = FIXTURE('signing.yaml');
const KEK_INIT = new URL('../../ceremonies/hca-kek-init.yaml', import.meta.url).pathname;
/** Six recovery custodians signed in for a KEK split 3-of-5: the five who receive a share must be named. */
const RECOVERY = ['rc1', 'rc2', 'rc3', 'rc4', 'rc5', 'rc6'].map((id, i) => ({ id, name: `Custodian ${i + 1}`, roles: ['recovery-custodian'] }));
const KEK_PEOPLE = [{ id: 'alice', name: '王小明 Alice', roles: ['administrator'] }, { id: 'wendy', name: '林美玲 Wendy', roles: ['witness'] }, ...RECOVERY];
const grca = fingerprint('GRCA-G2 public key');
const csr = fingerprint('HCA G3 CSR');
const keys = {
  'GRCA-G2': {
    label: 'GRCA-G2',
    token: 'grca',
    id: '01',
    algorithm: { type: 'RSA' as const, bits: 4096 as const },
    spkiSha256: grca.sha256,
    words: grca.words,
    uri: 'pkcs11:',
    step: 'declared',
  },
};
const description = [
  'Certificate',
  '  subject       C=TW, O=行政院, CN=醫事憑證管理中心 - G3',
  '  issuer        C=TW, O=行政院, CN=政府憑證總管理中心 - G2',
  '  not before    2025-05-01 00:00:00 UTC  =  2025-05-01 08:00:00 (Asia/Taipei)',
  '  extensions',
  '    1. basicConstraints, critical: CA, path length 0',
  '    2. keyUsage, critical: keyCertSign, cRLSign',
].join('\n');

function renderStep(lang: Lang, file: string, stepId: string, patch: Partial<CeremonyContext> = {}) {
  const sc = screenContext(file, lang, { keys: keys, ...patch });
  const step = stepOf(sc, stepId);
  const sent: CeremonyEvent[] = [];
  const ui = renderUi(
    <Box width={80}>
      <ApprovalScreen
        blocks={stepBlocks(sc, step)}
        fields={approvalFields(sc, step)}
        onSubmit={(v) => sent.push(approvalEvent(step, v))}
        rows={15}
        width={80}
      />
    </Box>,
    { lang },
  );
  return { ui, sent, t: sc.t };
}

const KEYGEN = new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url).pathname;
const TOKEN_INIT = new URL('../../ceremonies/hca-token-init.yaml', import.meta.url).pathname;

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';

  // room16f item 4: hca-g3-keygen's hsm-serial was not declared hsmSerial, so WRONG-SERIAL-123 got a ✓.
  t.test(`${lang}: hca-g3-keygen inventory: a serial that is not the token's is refused on screen, the token's is taken`, async (t) => {
    const { ui, sent } = renderStep(lang, KEYGEN, 'inventory', { prepared: { tokenSerials: { hca: '5D1E6F2A9B3C4D01' } } });
    t.teardown(ui.unmount);
    await ui.answer('DRY-RUN-2026-003', 'Room B1');
    // review16s item 5: "the serial on the device of Healthcare CA token" lacked its "the".
    t.match(
      ui.frame().replace(/\s+/g, ' '),
      zh ? '醫事憑證管理中心載具機身上的序號' : 'the serial on the device of the Healthcare CA token:',
      'the help says whose serial, in a sentence',
    );
    await ui.answer('WRONG-SERIAL-123');
    t.match(ui.frame(), zh ? '回報之序號不符' : 'not the serial', 'the wrong serial is refused');
    t.notMatch(ui.frames.join('\n'), '5D1E6F2A9B3C4D01', 'the serial the token reports is never shown to copy');
    t.same(overWide(ui.frame()), []);
    await ui.press('ctrlU');
    await ui.answer('5d1e6f2a9b3c4d01');
    // Brief fields18 item 2c: typed in another case, it is recorded as the token reports it, and the screen says so.
    t.match(
      ui.frame().replace(/\s+/g, ''),
      zh ? '5d1e6f2a9b3c4d01→5D1E6F2A9B3C4D01（依載具回報之形式記錄）' : '5d1e6f2a9b3c4d01→5D1E6F2A9B3C4D01(recordedasthetokenreportsit)',
      'the serial typed in lower case is shown as the token reports it',
    );
    t.same(overWide(ui.frame()), []);
    await ui.answer('TB100002', 'alice', 'wendy');
    t.match(sent, [{ type: 'step.submit', step: 'inventory', values: { 'hsm-serial': '5d1e6f2a9b3c4d01' } }], 'the serial the token reports is taken');
  });

  t.test(`${lang}: hca-g3-keygen inventory: a serial typed in the token's own case gets no note`, async (t) => {
    const { ui } = renderStep(lang, KEYGEN, 'inventory', { prepared: { tokenSerials: { hca: '0d6519dc3379bb1f' } } });
    t.teardown(ui.unmount);
    await ui.answer('DRY-RUN-2026-003', 'Room B1', '0d6519dc3379bb1f');
    t.notMatch(ui.frame(), '→', 'nothing to say');
  });

  // Brief fields18 item 2b: hca-token-init's bag fields had no pattern, so "tb100001" was recorded in lower case.
  t.test(`${lang}: hca-token-init location: a bag number typed in lower case is recorded in capitals`, async (t) => {
    const { ui, sent } = renderStep(lang, TOKEN_INIT, 'location');
    t.teardown(ui.unmount);
    await ui.answer('DRY-RUN-2026-001', 'Room B1');
    t.match(ui.frame(), zh ? '格式：兩個大寫英文字母加六位數字，例如 AB123456' : 'format: two capital letters and six digits, e.g. AB123456');
    await ui.answer('tb100001');
    t.match(ui.frame().replace(/\s+/g, ''), zh ? 'tb100001→TB100001（已轉為大寫記錄）' : 'tb100001→TB100001(recordedincapitals)');
    t.same(overWide(ui.frame()), []);
    t.ok(ui.frame().split('\n').length <= 24, 'fits 24 rows');
    await ui.answer('alice', 'wendy');
    t.match(sent, [{ type: 'step.submit', step: 'location', values: { 'hsm-bag-in': 'tb100001' } }]);
  });

  t.test(`${lang}: record: values with their pattern, then performer and witness`, async (t) => {
    const { ui, sent } = renderStep(lang, ENGINE_FIXTURE, 'inventory');
    t.teardown(ui.unmount);
    await ui.answer('SN-0001');
    t.match(
      ui.frame(),
      zh ? '格式：兩個大寫英文字母加六位數字，例如 AB123456' : 'format: two capital letters and six digits, e.g. AB123456',
      'the format in words and an example, before typing',
    );
    await ui.answer('tb1');
    // Too short (and in lower case, which is not the problem): the refusal says the length (review of issue 16 at 80x24).
    t.match(
      ui.frame().replace(/\s+/g, ''),
      (zh
        ? '長度不符：應為 8 個字元（兩個大寫英文字母加六位數字），例如 AB123456'
        : 'wrong length: it must be 8 characters, two capital letters and six digits, e.g. AB123456'
      ).replace(/\s+/g, ''),
    );
    await ui.press('ctrlU');
    await ui.answer('tb123456');
    t.match(
      ui.frame(),
      zh ? '→ TB123456（已轉為大寫記錄）' : '→ TB123456 (recorded in capitals)',
      'lower case for an upper-case pattern is taken, and the screen says it is recorded in capitals',
    );
    await ui.answer('wendy');
    t.match(ui.frame(), zh ? 'wendy 不是管理人員' : 'wendy does not hold the role Administrator', 'a witness cannot perform');
    await ui.press('ctrlU');
    await ui.answer('alice', 'alice');
    t.match(ui.frame(), zh ? 'alice 不是見證人' : 'alice does not hold the role Witness');
    await ui.press('ctrlU');
    await ui.answer('nobody');
    t.match(ui.frame(), zh ? '「nobody」尚未簽到' : '"nobody" has not signed in');
    await ui.press('ctrlU');
    await ui.answer('wendy');
    t.same(sent, [
      { type: 'step.submit', step: 'inventory', performer: 'alice', witnesses: ['wendy'], values: { 'hsm-serial': 'SN-0001', 'bag-number': 'tb123456' } },
    ]);
    t.match(ui.frame(), /alice\s+王小明 Alice/, 'the name of each person is shown once their id is accepted');
    t.notMatch(ui.frames.join('\n'), /\[A-Z\]|\{2\}|\[0-9\]/, 'no regular expression on any frame');
    t.same(overWide(ui.frames.join('\n')), []);
  });

  t.test(`${lang}: confirm: the statement, and each person types their own id`, async (t) => {
    const { ui, sent } = renderStep(lang, ENGINE_FIXTURE, 'room');
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? '「機房已封閉且錄影中」' : '“The room is sealed and cameras are recording”');
    t.match(ui.frame(), zh ? '各人輸入自己的代號（多人控管）' : 'each person types their own id (multiple person control)');
    await ui.answer('alice', 'walter');
    t.same(sent, [{ type: 'step.submit', step: 'room', performer: 'alice', witnesses: ['walter'], values: {} }]);
  });

  t.test(`${lang}: generate-key: token, label and algorithm before approval`, async (t) => {
    const { ui } = renderStep(lang, ENGINE_FIXTURE, 'keygen');
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? /載具\s+測試載具（test）/ : /Token\s+Test token \(test\)/);
    t.match(ui.frame(), zh ? /演算法\s+EC P-384/ : /Algorithm\s+EC P-384/);
    t.match(ui.frame(), 'TEST-CA');
  });

  t.test(`${lang}: init-token: the share sets and their custodians; custodians named when the count differs`, async (t) => {
    const { ui, sent } = renderStep(lang, ENGINE_FIXTURE, 'init');
    t.teardown(ui.unmount);
    // The credential by its title, never its id (issue 16).
    t.match(ui.frame(), zh ? '測試載具之安全管理者 PIN 碼：3 份中需 2 份' : 'Test token SO PIN, 2 of 3 shares');
    t.notMatch(ui.frame(), /test-(so|user)-pin/);
    t.match(ui.frame(), zh ? '保管人（代號）' : 'Custodians (ids)', 'only two custodians signed in for 3 shares: they are named');
    // The custodians first; the token label comes after the people (room16f item 3).
    await ui.answer('carol, dave');
    t.match(ui.frame(), zh ? '須列出 3 位保管人' : 'name exactly 3 custodians');
    await ui.press('ctrlU');
    await ui.answer('carol, wendy, dave');
    t.match(ui.frame(), zh ? 'wendy 不是保管人' : 'wendy does not hold the role Custodian');
    t.same(sent, []);
  });

  t.test(`${lang}: create-kek: the new share set and who receives it, named when more custodians signed in than shares`, async (t) => {
    // Before, create-kek neither showed its share set nor asked who receives it, so a sixth
    // recovery custodian signed in made the split fail ("5 shares, but 6 custodians").
    const { ui, sent } = renderStep(lang, KEK_INIT, 'make-kek', { participants: KEK_PEOPLE });
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? /新分持碼\s+.*金鑰加密金鑰.*5 份中需 3 份/ : /New shares\s+.*key-encryption key.*3 of 5 shares/);
    t.match(ui.frame(), zh ? '保管人（代號）' : 'Custodians (ids)', 'six signed in for five shares: the five are named');
    await ui.answer('rc1, rc2, rc3, rc4');
    t.match(ui.frame(), zh ? '須列出 5 位保管人' : 'name exactly 5 custodians');
    await ui.press('ctrlU');
    await ui.answer('rc1, rc2, rc3, rc4, wendy');
    t.match(ui.frame(), zh ? 'wendy 不是復原分持人' : 'wendy does not hold the role Recovery custodian');
    await ui.press('ctrlU');
    await ui.answer('rc1, rc2, rc3, rc5, rc6', 'alice', 'wendy');
    t.same(sent, [
      { type: 'step.submit', step: 'make-kek', performer: 'alice', witnesses: ['wendy'], values: {}, custodians: ['rc1', 'rc2', 'rc3', 'rc5', 'rc6'] },
    ]);
    t.same(overWide(ui.frames.join('\n')), []);
  });

  t.test(`${lang}: create-csr: subject, key and its fingerprint, output`, async (t) => {
    const { ui } = renderStep(lang, SIGNING, 'csr');
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.match(frame, 'C=TW, O=行政院, CN=政府憑證總管理中心 - G2');
    t.match(frame, zh ? /金鑰\s+GRCA-G2，RSA-4096，位於政府憑證總管理中心載具（grca）/ : /Key\s+GRCA-G2, RSA-4096, on GRCA token \(grca\)/);
    t.match(frame, grca.sha256.slice(0, 4).toUpperCase());
    t.match(frame, 'grca-g2.csr');
    t.match(frame, zh ? '核准前，請朗讀即將簽署的內容' : 'Read aloud what will be signed before anyone approves');
  });

  t.test(`${lang}: self-sign: issuer is the subject, validity, profile`, async (t) => {
    const { ui } = renderStep(lang, SIGNING, 'root', { prepared: { text: description.replace('G3', 'G2') } });
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? '硬體安全模組即將簽署的內容' : 'What the HSM will sign');
    t.match(ui.frame(), /not before\s+2025-05-01 00:00:00 UTC  =  2025-05-01 08:00:00 \(Asia\/Taipei\)/);
    await ui.press('pageDown');
    const frame = ui.frame();
    t.match(frame, zh ? /簽發者\s+與主體相同（自簽）/ : /Issuer\s+the subject itself \(self-signed\)/);
    t.match(frame, zh ? /效期\s+自簽署起 20 年/ : /Validity\s+20 years from signing/);
  });

  t.test(`${lang}: issue-certificate: the prepared description, and the CSR fingerprint the certificate subscriber reads`, async (t) => {
    const inputs = { 'hca-g3-csr': { name: 'hca-g3-csr', kind: 'csr' as const, sha256: csr.sha256, words: csr.words, bytes: 1200, step: 'input' } };
    const { ui, sent } = renderStep(lang, SIGNING, 'issue', { prepared: { text: description }, inputs });
    t.teardown(ui.unmount);
    let frame = ui.frame();
    t.match(frame, zh ? '由憑證用戶代表依其持有的副本朗讀憑證申請檔指紋' : 'The certificate subscriber reads the CSR fingerprint');
    // The description is longer than the room left: it scrolls.
    t.match(frame, zh ? /第 1-\d+ 行，共 \d+ 行：PgUp\/PgDn 捲動/ : /lines 1-\d+ of \d+: PgUp\/PgDn to scroll/);
    await ui.press('pageDown');
    frame = ui.frame();
    t.match(frame, 'keyUsage, critical: keyCertSign, cRLSign', 'Page Down shows the extensions');
    await ui.answer('abc');
    t.match(ui.frame(), zh ? '請至少輸入 16 個十六進位字元' : 'type at least 16 hex digits');
    await ui.press('ctrlU');
    await ui.answer('0000 1111 2222 3333');
    t.match(ui.frame(), zh ? '與攜入的憑證申請檔不符' : 'does not match the request brought to the ceremony');
    await ui.press('ctrlU');
    await ui.answer(
      csr.sha256
        .slice(0, 20)
        .toUpperCase()
        .replace(/(.{4})/g, '$1 '),
      'alice',
      'wendy',
    );
    t.same(sent, [{ type: 'step.submit', step: 'issue', performer: 'alice', witnesses: ['wendy'], values: { 'csr-sha256': csr.sha256.slice(0, 20) } }]);
    t.same(overWide(ui.frames.join('\n')), []);
  });

  t.test(`${lang}: issue-crl: next update and the revoked serials`, async (t) => {
    const { ui } = renderStep(lang, SIGNING, 'crl');
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? /下次更新\s+30 天後/ : /Next update\s+in 30 days/);
    t.match(ui.frame(), zh ? '0a1b2c（superseded）' : '0a1b2c (superseded)');
  });

  t.test(`${lang}: accept-certificate: the checks, then accept or reject with a reason`, async (t) => {
    const passed = renderStep(lang, SIGNING, 'accept', { prepared: { ok: true, subject: 'C=TW, O=行政院, CN=醫事憑證管理中心 - G3' } });
    t.teardown(passed.ui.unmount);
    t.match(passed.ui.frame(), zh ? /檢查結果\s+全部通過/ : /Checks\s+all passed/);
    await passed.ui.answer('', 'sam', 'wendy');
    t.same(passed.sent, [{ type: 'step.submit', step: 'accept', performer: 'sam', witnesses: ['wendy'], values: { decision: 'accept' } }]);

    const failed = renderStep(lang, SIGNING, 'accept', { prepared: { ok: false, problem: 'the subject differs' } });
    t.teardown(failed.ui.unmount);
    t.match(failed.ui.frame(), zh ? '未通過：the subject differs' : 'failed: the subject differs');
    t.match(failed.ui.frame(), zh ? /「拒絕」/ : /\[reject\]/, 'only a rejection is offered first');
    await failed.ui.press('right');
    await failed.ui.press('enter');
    t.match(failed.ui.frame(), zh ? '檢查未通過：此憑證只能拒絕' : 'the checks failed: the certificate can only be rejected');
    await failed.ui.press('left');
    await failed.ui.answer('', 'subject differs from the request', 'sam', 'wendy');
    t.same(failed.sent, [
      {
        type: 'step.submit',
        step: 'accept',
        performer: 'sam',
        witnesses: ['wendy'],
        values: { decision: 'reject', reason: 'subject differs from the request' },
      },
    ]);
  });

  t.test(`${lang}: destroy-key: label and fingerprint typed back, two witnesses`, async (t) => {
    const prepared = { label: 'GRCA-G2', token: 'grca', spkiSha256: grca.sha256, words: grca.words, algorithm: 'RSA 4096' };
    const { ui, sent } = renderStep(lang, SIGNING, 'destroy', { prepared });
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? '此步驟將永久銷毀金鑰' : 'This destroys the key for ever');
    await ui.answer('GRCA-G1');
    t.match(ui.frame(), zh ? '標籤為「GRCA-G2」' : 'the label is "GRCA-G2"');
    await ui.press('ctrlU');
    await ui.answer('GRCA-G2', 'ffffffffffffffff');
    t.match(ui.frame(), zh ? '與載具上的金鑰不符' : 'does not match the key on the token');
    await ui.press('ctrlU');
    await ui.answer(grca.sha256.slice(0, 16), 'alice', 'wendy', 'wendy');
    t.match(ui.frame(), zh ? 'wendy 已在本步驟中出現' : 'wendy is already named here');
    await ui.press('ctrlU');
    await ui.answer('walter');
    t.same(sent, [
      {
        type: 'step.submit',
        step: 'destroy',
        performer: 'alice',
        witnesses: ['wendy', 'walter'],
        values: { label: 'GRCA-G2', 'spki-sha256': grca.sha256.slice(0, 16) },
      },
    ]);
  });

  t.test(`${lang}: exception step: the deviations so far, then the witness writes them down`, async (t) => {
    const { ui, sent } = renderStep(lang, ENGINE_FIXTURE, 'deviations', { exceptions: [{ by: 'walter', text: 'fire alarm test', step: 'keygen' }] });
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? '1. fire alarm test（陳志豪 Walter）' : '1. fire alarm test (陳志豪 Walter)', 'by name, not id');
    await ui.answer('none', 'wendy');
    t.same(sent, [{ type: 'step.submit', step: 'deviations', performer: 'wendy', witnesses: [], values: { text: 'none' } }]);
  });

  t.test(`${lang}: lock: nothing to type, Enter logs out`, async (t) => {
    const { ui, sent } = renderStep(lang, ENGINE_FIXTURE, 'lock', {
      sessions: { test: { token: 'test', userType: 'user', credential: 'test-user-pin', setId: 'X', step: 'unlock' } },
    });
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? /載具\s+測試載具（test）/ : /Token\s+Test token \(test\)/);
    await ui.press('enter');
    t.same(sent, [{ type: 'step.submit', step: 'lock', witnesses: [], values: {} }]);
  });
}
