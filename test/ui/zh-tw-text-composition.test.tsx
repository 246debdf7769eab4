// Issue 16 item 11, the review at 80x24: names and titles composed into sentences. A title
// led by Latin letters put after Chinese text read 擔任PIN 碼分持保管人; a credential title
// ending in PIN 碼 put before 的 read PIN 碼 的保管人, and in English "Custodians of
// Healthcare CA token user PIN enter…"; a chosen answer showed in half-width [是]; a person's
// roles wrapped to column 0 under the sign-in list. Each in both languages, at 80 columns.
import t from 'tap';
import { Box, Text } from 'ink';
import { credentialTitle, type Definition } from '../../src/definition/definition.js';
import { Form } from '../../src/ui/components/form.js';
import { translator } from '../../src/ui/i18n/index.js';
import { SignInScreen } from '../../src/ui/screens/sign-in.js';
import { deviationText } from '../../src/ui/model/closing.js';
import { fillChinese } from '../../src/util/fill.js';
import { SIGNAL_AT_TERMINAL, SIGNAL_UNKNOWN } from '../../src/util/journal-notes.js';
import { displayWidth, wrapDisplay } from '../../src/util/text-width.js';
import { overWide, renderUi } from './helpers/render.js';

t.test('fillChinese: the spaces where a value meets Chinese text follow the characters that meet', async (t) => {
  t.equal(fillChinese('擔任{a}及{b}', { a: 'PIN 碼分持保管人', b: '見證人' }), '擔任 PIN 碼分持保管人及見證人', 'a space before a Latin-led title');
  t.equal(fillChinese('{credential}的保管人', { credential: '載具之使用者 PIN 碼' }), '載具之使用者 PIN 碼的保管人', 'none between two Chinese characters');
  t.equal(fillChinese('{credential}的保管人', { credential: 'HCA-G3' }), 'HCA-G3 的保管人', 'one after a Latin-ended title');
  t.equal(fillChinese('除 {name} 外', { name: '張淑芬 Carol' }), '除 張淑芬 Carol 外', "the template's spaces around a name stay");
  t.equal(fillChinese('除 {name} 外', { name: '張淑芬' }), '除張淑芬外', 'an all-Chinese name meets Chinese text without a space');
  t.equal(fillChinese('應為 {name} 保管的第 {n} 份', { name: '張淑芬', n: 1 }), '應為張淑芬保管的第 1 份', 'on both sides, the digit still spaced');
  t.equal(fillChinese('應為 {name} 保管', { name: 'Carol 張淑芬' }), '應為 Carol 張淑芬 保管', 'a name with Latin in it keeps both (a name is set off whole)');
  t.equal(
    fillChinese('{credential}的保管人', { credential: '醫事憑證管理中心載具' }),
    '醫事憑證管理中心載具的保管人',
    'a title the template runs in stays run in',
  );
  t.equal(fillChinese('位於載具 {token} 上', { token: 'HCA-G3' }), '位於載具 HCA-G3 上', 'a Latin id keeps its spaces');
  t.equal(fillChinese('位於{token}上', { token: 'HCA-G3' }), '位於 HCA-G3 上', 'and gets them when the template has none');
  t.equal(fillChinese('「{label}」', { label: 'HCA' }), '「HCA」', 'none beside full-width punctuation');
  t.equal(fillChinese('標籤：{label}', { label: 'HCA' }), '標籤：HCA', 'nor after it');
  t.equal(fillChinese('第 {k} 步，共 {n} 步', { k: 2, n: 9 }), '第 2 步，共 9 步', 'digits are spaced like letters');
  t.equal(fillChinese('報告 {file}', { file: '/tmp/w/report.md' }), '報告 /tmp/w/report.md', 'a path keeps what the template has');
  t.equal(fillChinese('{a}{b}', { a: '張淑芬', b: 'Carol' }), '張淑芬 Carol', 'two values meeting');
  t.equal(fillChinese('{a} 與 {missing}', { a: 'x' }), 'x 與 {missing}', 'a missing value stays visible and untouched');
  t.equal(fillChinese('標籤： {label} 。', { label: 'HCA' }), '標籤：HCA。', 'a stray space beside full-width punctuation goes');
  t.equal(fillChinese('名稱 {name} 已存在', { name: 'a  b' }), '名稱 a  b 已存在', 'spaces inside a value are its own');
});

const definition = {
  tokens: { hca: { title: { en: 'Healthcare CA token', 'zh-TW': '醫事憑證管理中心載具' } }, bare: {} },
  credentials: {
    'hca-user-pin': { token: 'hca', user: 'user' },
    'hca-so-pin': { token: 'hca', user: 'so' },
    'bare-pin': { token: 'bare', user: 'user' },
  },
} as unknown as Definition;

t.test('a credential title is one noun that reads inside a sentence, in both languages', async (t) => {
  t.equal(credentialTitle(definition, 'hca-user-pin', 'en'), 'Healthcare CA token user PIN');
  t.equal(credentialTitle(definition, 'hca-so-pin', 'zh-TW'), '醫事憑證管理中心載具之安全管理者 PIN 碼');
  t.equal(credentialTitle(definition, 'bare-pin', 'zh-TW'), 'bare 之使用者 PIN 碼', 'a token without a title, by its id, spaced');
  const en = translator('en');
  const zh = translator('zh-TW');
  t.equal(
    en('shares.intro', { credential: credentialTitle(definition, 'hca-user-pin', 'en') }),
    'Custodians of the Healthcare CA token user PIN: enter your shares one at a time; the others look away from the keyboard.',
  );
  t.equal(
    zh('shares.intro', { credential: credentialTitle(definition, 'hca-user-pin', 'zh-TW') }),
    '醫事憑證管理中心載具之使用者 PIN 碼的保管人：請逐一輸入分持碼；其他人請勿注視鍵盤。',
  );
  t.equal(
    zh('handout.title', { credential: credentialTitle(definition, 'hca-so-pin', 'zh-TW'), setId: 'K7Q2M9XA' }),
    '醫事憑證管理中心載具之安全管理者 PIN 碼的新分持碼，分持組 K7Q2M9XA',
  );
  t.equal(
    en('handout.title', { credential: credentialTitle(definition, 'hca-so-pin', 'en'), setId: 'K7Q2M9XA' }),
    'New shares of the Healthcare CA token SO PIN, set K7Q2M9XA',
  );
  t.equal(zh('record.unlocked', { token: '醫事憑證管理中心載具' }), '醫事憑證管理中心載具已啟用', 'no 載具 before a title that says it, no spaces around it');
  t.equal(en('record.unlocked', { token: 'Healthcare CA token' }), 'Healthcare CA token unlocked', 'nor "token" twice in English');
  t.equal(zh('readout.key', { label: 'HCA-G3', algorithm: 'EC P-384', token: '醫事憑證管理中心載具' }), '金鑰 HCA-G3（EC P-384），位於醫事憑證管理中心載具');
  for (const [lang, text] of [
    ['en', en('shares.intro', { credential: credentialTitle(definition, 'hca-user-pin', 'en') })],
    ['zh-TW', zh('shares.intro', { credential: credentialTitle(definition, 'hca-user-pin', 'zh-TW') })],
  ] as const) {
    t.notMatch(text, /  |PIN 碼 的|token: /, `${lang}: no doubled space, no "PIN 碼 的", no "token: user PIN" inside the sentence`);
  }
});

const custodianRoles = (zh: boolean) => [
  { id: 'administrator', title: zh ? '憑證管理中心管理員' : 'CA administrator', titles: [], min: 1 },
  { id: 'witness', title: zh ? '見證人' : 'Witness', titles: [], min: 1 },
  { id: 'custodian', title: zh ? 'PIN 碼分持保管人' : 'PIN share custodian', titles: [], min: 1 },
  { id: 'auditor', title: zh ? '稽核人員' : 'Auditor', titles: [], min: 0 },
  { id: 'key-officer', title: zh ? '金鑰管理及保管作業負責人員' : 'Officer responsible for key management and custody', titles: [], min: 0 },
];

for (const lang of ['en', 'zh-TW'] as const) {
  const zh = lang === 'zh-TW';

  t.test(`${lang}: sign-in names a conflict with a Latin-led title spaced, and wrapped roles keep their column`, async (t) => {
    const ui = renderUi(
      <Box width={80}>
        <SignInScreen roles={custodianRoles(zh)} conflicts={[['custodian', 'witness']]} onSubmit={() => undefined} rows={24} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.answer('hc1', '張淑芬 Chang Shu-fen', '3,2');
    t.match(
      ui.frame().replace(/\n\s*/g, ' '),
      zh
        ? 'hc1（張淑芬 Chang Shu-fen）不得同時擔任 PIN 碼分持保管人及見證人：角色互斥'
        : 'hc1 (張淑芬 Chang Shu-fen) cannot be both PIN share custodian and Witness: the roles conflict',
    );
    t.notMatch(ui.frame(), '擔任PIN');
    await ui.press('ctrlU');
    await ui.answer('3,4,5');
    const frame = ui.frame();
    t.same(overWide(frame), [], 'every line within 80 columns');
    const lines = frame.split('\n');
    const first = lines.findIndex((line) => line.includes('hc1') && line.includes('張淑芬'));
    t.ok(first >= 0, 'the person is listed');
    // In columns: a Chinese character takes two.
    const rolesColumn = displayWidth(lines[first]!.slice(0, lines[first]!.indexOf(zh ? 'PIN 碼分持保管人' : 'PIN share custodian')));
    const next = lines[first + 1]!;
    t.ok(next.trim() !== '' && /^ +\S/.test(next), `the roles go on on a second line: ${JSON.stringify(next)}`);
    t.equal(next.length - next.trimStart().length, rolesColumn, 'the continuation starts under the first role, not at column 0');
    const shown = lines
      .slice(first, first + 3)
      .map((line) => line.trim())
      .join(zh ? '' : ' ');
    t.match(
      shown,
      zh ? 'PIN 碼分持保管人、稽核人員、金鑰管理及保管作業負責人員' : 'PIN share custodian, Auditor, Officer responsible for key management and custody',
      'and every role is shown whole',
    );
    t.notMatch(frame, /PIN\n|^\s*碼/m, 'PIN 碼 is never split across lines');
  });

  t.test(`${lang}: a chosen answer in the screen language's brackets`, async (t) => {
    const choice = [
      {
        name: 'followed',
        label: zh ? '是否依腳本執行？' : 'Followed the script?',
        kind: 'choice' as const,
        choices: [
          { value: 'yes', label: zh ? '是' : 'yes' },
          { value: 'no', label: zh ? '否' : 'no' },
        ],
      },
    ];
    const ui = renderUi(<Form fields={choice} onSubmit={() => undefined} width={80} />, { lang });
    t.teardown(ui.unmount);
    t.match(ui.frame(), zh ? '「是」 \u3000否' : '[yes]  no');
    await ui.press('right');
    t.match(ui.frame(), zh ? '\u3000是\u3000 「否」' : ' yes  [no]');
    if (zh) t.notMatch(ui.frame(), /\[|\]/, 'no half-width bracket on the Chinese screen');
  });
}

t.test('a wrap never splits PIN 碼', async (t) => {
  for (let width = 8; width <= 30; width++) {
    const lines = wrapDisplay('保管人請輸入醫事憑證管理中心載具之使用者 PIN 碼的分持碼', width);
    t.notOk(
      lines.some((line) => line.endsWith('PIN')),
      `at ${width} columns: ${JSON.stringify(lines)}`,
    );
  }
  t.same(wrapDisplay('ABCDEFGH PIN 碼', 12), ['ABCDEFGH', 'PIN 碼'], 'the term moves to the next line whole');
});

t.test('an interruption on the deviation lines: what stopped it, in the screen language', async (t) => {
  const names = { person: (id: string) => id, step: (id: string) => id };
  const base = { seq: 7, time: '2026-12-06T10:00:00.000+08:00', kind: 'interrupted' as const, step: null, who: [] };
  for (const [signal, en, zh] of [
    [SIGNAL_UNKNOWN, 'no signal, and no one named', '無訊號，亦未記錄停止者'],
    ['SIGTERM', 'signal SIGTERM', '訊號 SIGTERM'],
    [SIGNAL_AT_TERMINAL, 'stopped at the terminal', '於終端機上停止'],
  ] as const) {
    t.match(deviationText(translator('en'), 'en', { ...base, detail: signal }, names), en);
    const chinese = deviationText(translator('zh-TW'), 'zh-TW', { ...base, detail: signal }, names);
    t.match(chinese, zh);
    t.notMatch(chinese, /unknown|none:/, `${signal}: no engine word on the Chinese line`);
  }
});

// Issue 16 (words16k): an all-Chinese name runs into Chinese text (除張淑芬外); a name that
// meets the text in a Latin letter keeps its space (除 張淑芬 Carol 外). On screen at 80 columns.
for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: a custodian's name in the look-away line and the refusal, at 80 columns`, async (t) => {
    const say = translator(lang);
    for (const name of ['張淑芬', '張淑芬 Carol']) {
      const lines = [
        say('shares.othersLookAway', { name }),
        say('shares.wrongIndex', { got: 2, holder: '李建國', want: 1, name }),
        say('handout.lookAway', { name }),
      ];
      const ui = renderUi(
        <Box width={80} flexDirection="column">
          {lines.map((line, i) => (
            <Text key={i}>{line}</Text>
          ))}
        </Box>,
        { lang },
      );
      t.teardown(ui.unmount);
      t.same(overWide(ui.frame()), [], `${name}: nothing past 80 columns`);
      // The sentences as worded (a wrap on screen may fall at the space being tested).
      const flat = lines.join('');
      if (lang === 'en') t.match(flat, `Everyone but ${name} looks away`);
      else if (name === '張淑芬') {
        t.match(flat, '除張淑芬外，其他人請勿注視鍵盤。', 'no space around an all-Chinese name');
        t.match(flat, '保管人為李建國；應為張淑芬保管的第 1 份。', 'nor in the refusal');
        t.match(flat, '除張淑芬外，所有人現在請轉身');
      } else {
        t.match(flat, '除 張淑芬 Carol 外，其他人請勿注視鍵盤。', 'a name ending in Latin keeps its spaces');
        t.match(flat, '應為 張淑芬 Carol 保管的第 1 份。');
      }
    }
  });
}
