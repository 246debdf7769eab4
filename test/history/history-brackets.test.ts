// Issue 16 item 11: the zh-TW history uses the brackets, commas and colons of Chinese text
// (（）、，：), as the report and the screens do; en keeps its own. And one word for a token
// (載具) and a credential (啟用資料) across UI, report and history.
import t from 'tap';
import { findingText } from '../../src/history/document.js';
import type { Finding } from '../../src/history/history.js';
import { historyMessages } from '../../src/history/i18n.js';

const at = (workdir: string, seq: number) => ({ ceremony: workdir, workdir, step: 'keygen', seq, time: '2026-12-06T10:00:00+08:00', who: [], witnesses: [] });
const findings = [
  {
    kind: 'token-serial',
    label: 'HCA-DRYRUN',
    serials: [
      { serial: '1234', ceremonies: ['hca-token-init', 'hca-g3-keygen'] },
      { serial: '9999', ceremonies: ['hca-g3-backup'] },
    ],
  },
  {
    kind: 'key-after-destruction',
    key: 'HCA-G2',
    destroyed: at('hca-g2-destroy', 12),
    used: { kind: 'used', what: 'issue-crl', at: at('hca-g2-final-crl', 20) },
  },
  {
    kind: 'input-kind',
    at: at('hca-g3-accept', 5),
    input: 'hca-g3-cert',
    inputKind: 'certificate',
    output: { name: 'hca-g3.csr.pem', kind: 'csr', sha256: 'ab', at: at('hca-g3-keygen', 30) },
  },
] as unknown as Finding[];

t.test('zh-TW: full-width brackets and list marks in the findings', async (t) => {
  const zh = historyMessages('zh-TW');
  for (const finding of findings) {
    const text = findingText(zh, finding);
    t.notMatch(text, /[()]|, |; /, `${finding.kind}: ${text}`);
    t.match(text, /（/, `${finding.kind}: full-width brackets`);
  }
  t.equal(findingText(zh, findings[0]!), '載具 HCA-DRYRUN 之序號不一致：1234（hca-token-init、hca-g3-keygen）；9999（hca-g3-backup）');
  t.equal(zh.labelled('已銷毀', 'x'), '已銷毀：x');
  // The kinds of the files by the report's words (issue 16 item 11), not certificate and csr.
  t.notMatch(findingText(zh, findings[2]!), /以 ?certificate|（csr）/);
  t.match(findingText(zh, findings[2]!), /以 憑證 帶入|以憑證帶入/);
});

t.test('en keeps its half-width brackets', async (t) => {
  const en = historyMessages('en');
  t.match(findingText(en, findings[0]!), '1234 (hca-token-init, hca-g3-keygen); 9999 (hca-g3-backup)');
  t.equal(en.labelled('destroyed', 'x'), 'destroyed: x');
});

t.test('zh-TW: one word for a token and a credential', async (t) => {
  const text = JSON.stringify(historyMessages('zh-TW').columns) + JSON.stringify(historyMessages('zh-TW').sections);
  t.notMatch(text, /權杖|憑據|通行碼/);
  t.match(text, '載具');
  t.match(text, '啟用資料');
});
