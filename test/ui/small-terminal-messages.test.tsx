// Messages at 80 columns (issue 16 item 10): the lines a screen says in its own words (the
// sign-in intro, its list of roles and its status, the hand-out card and look-away lines,
// the look-away line of share entry, refusals) wrap at spaces or between CJK characters and
// are never cut with "…"; a ✗ or status line's continuation lines hang under its text.
import t from 'tap';
import { Box } from 'ink';
import { newSecret, split } from '../../src/quorum/index.js';
import { Form, valueLines } from '../../src/ui/components/form.js';
import { footerLines, type KeyHint } from '../../src/ui/components/footer.js';
import { translator } from '../../src/ui/i18n/index.js';
import { ShareField } from '../../src/ui/components/share-field.js';
import { HandoutScreen } from '../../src/ui/screens/handout.js';
import { ShareEntryScreen } from '../../src/ui/screens/share-entry.js';
import { SignInScreen } from '../../src/ui/screens/sign-in.js';
import { overWide, renderUi } from './helpers/render.js';
import stringWidth from 'string-width';

const { shares, manifest } = split(newSecret(), { threshold: 2, of: 3, custodians: ['carol', 'dave', 'erin'], label: 'test-user-pin' });

/** The Latin words of `text` (4 letters or more): each must show whole on one line. */
const latinWords = (text: string) => text.split(/[^A-Za-z0-9]+/).filter((word) => word.length >= 4);

/** The lines from the one holding `first` on, while they are indented by `indent` (the lines it wrapped into). */
function wrappedFrom(frame: string, first: string, indent: number): string[] {
  const lines = frame.split('\n');
  const at = lines.findIndex((line) => line.includes(first));
  if (at < 0) return [];
  const out = [lines[at]!];
  for (const line of lines.slice(at + 1)) {
    if (!/^ +\S/.test(line) || line.length - line.trimStart().length !== indent) break;
    out.push(line);
  }
  return out;
}

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const roles = zh
    ? [
        { id: 'ca-admin', title: '醫事憑證管理中心憑證管理系統管理員', min: 1 },
        { id: 'witness', title: '內部稽核室指派之獨立見證人', min: 2 },
        { id: 'custodian', title: '金鑰分持保管人（資訊安全課）', min: 3 },
        { id: 'auditor', title: '外部稽核機構代表', min: 1 },
      ]
    : [
        { id: 'ca-admin', title: 'certificate authority administrator', min: 1 },
        { id: 'witness', title: 'independent witness from internal audit', min: 2 },
        { id: 'custodian', title: 'key share custodian (information security)', min: 3 },
        { id: 'auditor', title: 'external auditor representative', min: 1 },
      ];
  const name = zh ? '歐陽中華 Maximilian Wolfeschlegelsteinhausen-Bergerdorff' : 'Maximilian Alexander Wolfeschlegelsteinhausen-Bergerdorff';
  const ceremony = zh ? '醫事憑證管理中心第三代根憑證金鑰產製儀式（正式）' : 'Healthcare Certificate Authority generation 3 root key generation';

  t.test(`${lang}: sign-in at 80 columns: the role list and the still-needed status wrap, nothing cut`, async (t) => {
    const ui = renderUi(
      <Box width={80}>
        <SignInScreen roles={roles} conflicts={[]} onSubmit={() => undefined} rows={24} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    let frame = ui.frame();
    t.same(overWide(frame), [], 'no line over 80 columns');
    t.notMatch(frame, '…', 'nothing cut');
    const compact = frame.replace(/\s+/g, '');
    for (const role of roles) t.ok(compact.includes(role.title.replace(/\s+/g, '')), `the role "${role.title}" is all there`);
    for (const word of latinWords(roles.map((r) => r.title).join(' '))) t.ok(frame.includes(word), `"${word}" whole on one line`);

    await ui.press('enter');
    frame = ui.frame();
    t.same(overWide(frame), []);
    t.notMatch(frame, '…');
    const status = wrappedFrom(frame, '✗', 4);
    t.ok(status.length >= 2, `the status wraps: ${status.join(' | ')}`);
    t.match(status[0], /^ {2}✗ /, 'its first line is indented by two, then the mark');
    t.ok(
      status.slice(1).every((line) => /^ {4}\S/.test(line)),
      'its continuation lines hang under the text',
    );
    const said = status.join('').replace(/\s+/g, '');
    for (const role of roles) t.ok(said.includes(role.title.replace(/\s+/g, '')), `the status names "${role.title}" whole`);
  });

  t.test(`${lang}: hand-out at 80 columns: a long name and ceremony wrap on the card and look-away lines, nothing cut`, async (t) => {
    const ui = renderUi(
      <Box width={80}>
        <HandoutScreen
          target={{
            credential: 'test-user-pin',
            credentialTitle: zh ? '測試載具之使用者 PIN 碼' : 'Test token user PIN',
            setId: manifest.setId,
            custodian: 'carol',
            name,
            index: 1,
            count: 3,
            holders: ['張淑芬 Carol', '李建國 Dave', '黃雅婷 Erin', '陳志豪 Walter', '林美玲 Wendy'].slice(0, 3),
            threshold: 2,
            ceremony,
          }}
          done={0}
          total={3}
          revealLines={() => [shares[0]!.text]}
          onHide={() => undefined}
          matches={() => false}
          onConfirmed={() => undefined}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.same(overWide(frame), [], 'no line over 80 columns');
    t.notMatch(frame, '…', 'nothing cut');
    for (const word of latinWords(`${name} ${ceremony}`)) t.ok(frame.includes(word), `"${word}" whole on one line`);
    const compact = frame.replace(/\s+/g, '');
    t.ok(compact.includes(ceremony.replace(/\s+/g, '')), 'the whole ceremony title is on the card line');
    t.ok(compact.split(name.replace(/\s+/g, '')).length - 1 >= 2, 'the whole name on the card and the look-away lines');
  });

  t.test(`${lang}: share entry at 80 columns: the look-away line for a long name wraps, and the list makes room for it`, async (t) => {
    const custodians = [
      { id: 'carol', name, index: 1, entered: false },
      { id: 'dave', name: zh ? '李建國 Dave' : 'Dave', index: 2, entered: false },
    ];
    const ui = renderUi(
      <Box width={80}>
        <ShareEntryScreen
          intro={zh ? '保管人逐一輸入分持碼。' : 'Custodians enter their shares one at a time.'}
          setId={manifest.setId}
          threshold={2}
          custodians={custodians}
          onOffer={() => undefined}
          rows={15}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.answer('carol');
    const frame = ui.frame();
    t.same(overWide(frame), [], 'no line over 80 columns');
    // The custodian list is a table: a name wider than its column is cut there, and only there.
    t.same(
      frame.split('\n').filter((line) => line.includes('…') && !/^ [▶·✓] carol /.test(line)),
      [],
      'nothing cut outside the list',
    );
    t.ok(frame.replace(/\s+/g, '').split(name.replace(/\s+/g, '')).length - 1 >= 2, 'the whole name in the look-away line and the field label');
    for (const word of latinWords(name)) t.ok(frame.includes(word), `"${word}" whole on one line`);
    t.ok(frame.split('\n').length <= 15, `the screen keeps to its 15 rows (${frame.split('\n').length})`);
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const help = zh
    ? '您的代號，即儀式文件所列者；全員簽到後，於空白代號處按 Enter。代號限小寫英文字母、數字及連字號，例如 wolfeschlegelsteinhausen-bergerdorff。'
    : 'your own id, as listed in the ceremony papers; Enter on an empty id when everyone has signed in (lower case letters, digits and dashes)';
  const refusal = zh
    ? '代號「wolfeschlegelsteinhausen-bergerdorff」已被 歐陽中華 Maximilian 使用；請改用儀式文件所列之其他代號。'
    : 'the id "wolfeschlegelsteinhausen-bergerdorff" is already taken by Maximilian Alexander Wolfeschlegelsteinhausen; use another';

  t.test(`${lang}: a form's help and ✗ lines wrap at 80 columns under their indent, nothing cut`, async (t) => {
    const ui = renderUi(
      <Box width={80}>
        <Form width={80} fields={[{ name: 'id', label: zh ? '代號' : 'Id', help, check: () => refusal }]} onSubmit={() => undefined} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    let frame = ui.frame();
    t.same(overWide(frame), []);
    const helpLines = wrappedFrom(frame, help.slice(0, 8), 2);
    t.ok(helpLines.length >= 2, `the help wraps: ${helpLines.join(' | ')}`);
    t.ok(
      helpLines.every((line) => /^ {2}\S/.test(line)),
      'every help line keeps the two-column indent',
    );
    t.equal(helpLines.map((line) => line.trim()).join(zh ? '' : ' '), help, 'the whole help, nothing cut');
    for (const word of latinWords(help)) t.ok(frame.includes(word), `"${word}" whole on one line`);

    await ui.answer('x');
    frame = ui.frame();
    t.same(overWide(frame), []);
    const refused = wrappedFrom(frame, '✗', 4);
    t.ok(refused.length >= 2, `the refusal wraps: ${refused.join(' | ')}`);
    t.match(refused[0], /^ {2}✗ /);
    t.ok(
      refused.slice(1).every((line) => /^ {4}\S/.test(line)),
      'its continuation lines hang under the text',
    );
    for (const word of latinWords(refusal)) t.ok(frame.includes(word), `"${word}" whole on one line`);
    t.equal(refused.join('').replace(/\s+/g, ''), `✗${refusal.replace(/\s+/g, '')}`, 'the whole refusal, nothing cut');
  });

  t.test(`${lang}: sign-in at 80x24 makes room for a help line that wraps`, async (t) => {
    const rows = 12;
    const ui = renderUi(
      <Box width={80}>
        <SignInScreen
          roles={[{ id: 'ca-admin', title: zh ? '管理員' : 'administrator', min: 1 }]}
          conflicts={[]}
          onSubmit={() => undefined}
          rows={rows}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    for (let i = 0; i < 8; i++) await ui.answer(`p${i}`, `Person ${i}`, '1');
    const frame = ui.frame();
    t.ok(frame.split('\n').length <= rows, `${frame.split('\n').length} rows of ${rows}:\n${frame}`);
    t.same(overWide(frame), []);
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: on share entry and hand-out the footer says where Esc goes, unlike ↑, on one line of 80 columns`, async (t) => {
    t.not(tr('hint.shareBack'), tr('hint.back'), 'the footer read "↑ back  Esc back"');
    const hints: KeyHint[] = [
      { keys: 'Enter', action: tr('hint.next') },
      { keys: '↑', action: tr('hint.back') },
      { keys: 'Esc', action: tr('hint.shareBack') },
      { keys: '^E', action: tr('hint.exception'), dropRank: 2 },
      { keys: '^P', action: tr('hint.pause'), dropRank: 3 },
      { keys: '^X', action: tr('hint.abort'), dropRank: 1 },
      { keys: '^C', action: tr('hint.stop') },
    ];
    const lines = footerLines(hints, 80);
    t.equal(lines.length, 1, lines.join('\n'));
    t.same(overWide(lines[0]!), []);
    t.match(lines[0], `Esc ${tr('hint.shareBack')}`);
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';
  const typed = zh
    ? '隔壁大樓火警警報響起，見證人 林美玲 Wendy 核對了 /var/lib/keyceremony/ceremonies/hca-g3-keygen-rehearsal/journal.jsonl 及 Wolfeschlegelsteinhausen 的紀錄'
    : 'the fire alarm rang next door and the witnesses checked /var/lib/keyceremony/ceremonies/hca-g3-keygen-rehearsal/journal.jsonl with Wolfeschlegelsteinhausen';

  t.test(`${lang}: a long answer being typed wraps under its value column, not at column 0, and the cursor stays inside 80 columns`, async (t) => {
    const label = zh ? '發生什麼事' : 'What happened';
    const ui = renderUi(
      <Box width={80}>
        <Form width={80} fields={[{ name: 'text', label }]} onSubmit={() => undefined} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.type(typed);
    const frame = ui.frame();
    t.same(overWide(frame), [], 'no line over 80 columns');
    const lines = frame.split('\n').filter((line) => line.trim() !== '');
    const column = stringWidth(`› ${label} `);
    t.match(lines[0], `› ${label} `);
    t.ok(lines.length >= 3, `the answer wraps: ${lines.join(' | ')}`);
    for (const line of lines.slice(1)) t.equal(line.length - line.trimStart().length, column, `"${line}" under the value`);
    for (const word of latinWords(typed)) t.ok(frame.includes(word), `"${word}" whole on one line`);
    t.equal(
      lines
        .map((line, i) => (i === 0 ? line.slice(line.indexOf(label) + label.length) : line).trim())
        .join('')
        .replace(/\s+/g, ''),
      typed.replace(/\s+/g, ''),
      'all of it, nothing cut',
    );
    await ui.type(' x');
    t.match(ui.frame(), zh ? '的紀錄 x' : 'Wolfeschlegelsteinhausen x', 'typing goes on after a space at the end');
    const parts = valueLines(`${typed} `, 80, stringWidth(label));
    t.match(parts.at(-1), / $/, 'a space typed at the end is kept on the last line, so the cursor moves');
  });
}

t.test('zh-TW: the share field label ending in a full-width colon is followed by no space (第 1 份分持碼：第 4 段)', async (t) => {
  const tr = translator('zh-TW');
  const label = tr('shares.typeShare', { name: '張淑芬 Carol', index: 1 });
  const ui = renderUi(<ShareField label={label} expectedSetId={manifest.setId} onSubmit={() => undefined} />, { lang: 'zh-TW' });
  t.teardown(ui.unmount);
  t.match(ui.frame(), new RegExp(`${label}[^\\s]`), 'the group count follows the colon directly');
  t.notMatch(ui.frame(), '： ');
  const en = renderUi(<ShareField label="Carol, share 1:" expectedSetId={manifest.setId} onSubmit={() => undefined} />);
  t.teardown(en.unmount);
  t.match(en.frame(), 'Carol, share 1: ', 'an English label keeps its space');
});
