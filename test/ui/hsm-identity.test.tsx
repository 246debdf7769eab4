// Mode and HSM identity (issue 16 item 1): the header says DRY RUN / 演練 or PRODUCTION /
// 正式; the init, unlock, key generation, signing and destroy screens show the token's
// label, serial, model and firmware as PKCS#11 reports them; before init-token erases a
// token the screen says so, and the witness must type the token label to go ahead.
import t from 'tap';
import { Box } from 'ink';
import type { CeremonyEvent, TokenIdentity } from '../../src/ceremony/types.js';
import { Header } from '../../src/ui/components/header.js';
import { approvalEvent, approvalFields } from '../../src/ui/model/approval.js';
import { stepBlocks } from '../../src/ui/model/facts.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import { translator, type Lang } from '../../src/ui/i18n/index.js';
import { fingerprint } from '../../src/util/fingerprint.js';
import { overWide, renderUi } from './helpers/render.js';
import { FIXTURE, screenContext, stepOf } from './helpers/screen-context.js';

const SMALL = FIXTURE('small.yaml');
const SIGNING = FIXTURE('signing.yaml');
const grca = fingerprint('GRCA-G2 public key');
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

const TOKENS: Record<string, TokenIdentity> = {
  test: { label: 'UI-TEST-TOKEN', serial: '9f3c0a1b2c3d4e5f', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', firmware: '2.6', initialized: false },
  grca: { label: 'GRCA-G2-HSM', serial: 'A1B2C3D4E5F60718', manufacturer: 'Thales', model: 'Luna K7', firmware: '7.8.4', initialized: true },
};

function renderStep(
  lang: Lang,
  file: string,
  stepId: string,
  tokens: Record<string, TokenIdentity> = TOKENS,
  { rows = 30, instructions }: { rows?: number; instructions?: { en: string; 'zh-TW': string } } = {},
) {
  const sc = { ...screenContext(file, lang, { keys }), tokenIdentity: (token: string) => tokens[token] };
  const step = { ...stepOf(sc, stepId), ...(instructions ? { instructions } : {}) };
  const sent: CeremonyEvent[] = [];
  const ui = renderUi(
    <Box width={80}>
      <ApprovalScreen
        blocks={stepBlocks(sc, step)}
        fields={approvalFields(sc, step)}
        onSubmit={(v) => sent.push(approvalEvent(step, v))}
        rows={rows}
        width={80}
      />
    </Box>,
    { lang },
  );
  return { ui, sent, t: sc.t };
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);

  t.test(`${lang}: the header names the mode: DRY RUN / 演練 or PRODUCTION / 正式`, async (t) => {
    t.equal(tr('header.production'), lang === 'en' ? 'PRODUCTION' : '正式');
    for (const dryRun of [true, false]) {
      const ui = renderUi(
        <Header
          title="HCA G3 CA key generation"
          dryRun={dryRun}
          stepNumber={1}
          stepCount={9}
          clock="2025-05-01 10:03:04 UTC+08:00 Asia/Taipei"
          elapsed="00:00:01"
          width={80}
        />,
        { lang },
      );
      t.teardown(ui.unmount);
      t.match(ui.frame(), `${tr(dryRun ? 'header.dryRun' : 'header.production')} · HCA G3 CA key generation`);
      t.notMatch(ui.frame(), tr(dryRun ? 'header.production' : 'header.dryRun'));
    }
  });

  const screens: Array<[string, string, string]> = [
    [SMALL, 'unlock', 'test'],
    [SMALL, 'keygen', 'test'],
    [SIGNING, 'unlock', 'grca'],
    [SIGNING, 'csr', 'grca'],
    [SIGNING, 'root', 'grca'],
    [SIGNING, 'issue', 'grca'],
    [SIGNING, 'crl', 'grca'],
    [SIGNING, 'destroy', 'grca'],
  ];
  for (const [file, stepId, token] of screens) {
    t.test(`${lang}: ${stepId} shows the token's label, serial, model and firmware`, async (t) => {
      const { ui } = renderStep(lang, file, stepId);
      t.teardown(ui.unmount);
      const id = TOKENS[token]!;
      const frame = ui.frame().replace(/\s+/g, ' ');
      t.match(frame, tr('facts.hsm'));
      // Compared without spaces: a wrapped line may break between two CJK characters, where no space was.
      const identity = tr('hsm.identity', { label: id.label, serial: id.serial, model: `${id.manufacturer} ${id.model}`, firmware: id.firmware });
      t.ok(frame.replace(/\s+/g, '').includes(identity.replace(/\s+/g, '')), identity);
      t.same(overWide(ui.frame()), []);
    });
  }

  // room16f item 3: the serial to compare is named (or, when the blank token reports none, not
  // asked for); the label is never printed before it is typed; the witness says who they are first.
  t.test(`${lang}: init-token says the token will be erased; the witness says who they are, then types the label from the tag`, async (t) => {
    // The blank token as PKCS#11 reports it: no label yet, the serial the module gives it; the label it will get is the profile's.
    const blank = { ...TOKENS.test!, label: '', willBeLabelled: 'UI-TEST-TOKEN' };
    const { ui, sent } = renderStep(lang, SMALL, 'init', { ...TOKENS, test: blank });
    t.teardown(ui.unmount);
    const frame = ui.frame().replace(/\s+/g, '');
    t.match(frame, tr('initToken.erases', { serial: '9f3c0a1b2c3d4e5f' }).replace(/\s+/g, ''), 'the warning names the serial to compare');
    t.notMatch(frame, 'UI-TEST-TOKEN', 'the label to type is not on the screen');
    const form = frame.slice(frame.indexOf('›'));
    const order = [tr('people.performer'), tr('people.witness'), tr('initToken.typeLabel')].map((label) =>
      form.indexOf(label.split(/[({（]/)[0]!.replace(/\s+/g, '')),
    );
    t.ok(order.every((at) => at >= 0) && order[0]! < order[1]! && order[1]! < order[2]!, `who first, then the label: ${order.join(' < ')}`);
    await ui.answer('alice', 'wendy');
    t.match(ui.frame().replace(/\s+/g, ''), tr('initToken.typeLabelHelp').replace(/\s+/g, ''), 'typed from the tag or the plan');
    t.notMatch(ui.frame(), 'UI-TEST-TOKEN', 'not shown at the label field either');
    await ui.answer('test');
    t.ok(ui.frame().replace(/\s+/g, '').includes(tr('initToken.labelMismatch').replace(/\s+/g, '')), 'a wrong attempt is refused');
    // review16s item 4: printing the label after one wrong try let the second try copy it.
    t.notMatch(ui.frame(), 'UI-TEST-TOKEN', `not even after a wrong attempt:\n${ui.frame()}`);
    t.same(sent, [], 'nothing sent with a wrong label');
    // Review at 80x24, C5: the right letters in the wrong case were refused as if wrong altogether.
    await ui.press('ctrlU');
    await ui.answer('ui-test-token');
    const flatFrame = ui.frame().replace(/\s+/g, '');
    t.ok(flatFrame.includes(tr('initToken.labelCase').replace(/\s+/g, '')), 'the wrong case is said to be the problem');
    t.notOk(flatFrame.includes(tr('initToken.labelMismatch').replace(/\s+/g, '')), 'not the plain refusal');
    t.notMatch(ui.frame(), 'UI-TEST-TOKEN', 'and the label is still not shown');
    t.same(sent, [], 'nothing sent in the wrong case');
    await ui.press('ctrlU');
    await ui.answer('UI-TEST-TOKEN');
    t.equal(sent.length, 1, 'sent once the label is typed');
    t.same(sent[0], { type: 'step.submit', step: 'init', performer: 'alice', witnesses: ['wendy'], values: {} }, 'the typed label is a gate, not a step value');
    t.same(overWide(ui.frame()), []);
  });

  // review16s item 4: at 80x24 the token's identity was on the second page (`lines 1-8 of 14`,
  // behind PgDn), under the instructions; the witness must see which token is erased at once.
  t.test(`${lang}: at 80x24 init-token shows the erase warning and which token, on the first page, above the instructions`, async (t) => {
    const blank = { ...TOKENS.test!, label: '', willBeLabelled: 'UI-TEST-TOKEN' };
    const instructions = {
      en: 'Take the token out of its tamper-evident bag, read the bag number aloud, write it in the paper log, and plug the token into the ceremony machine.',
      'zh-TW': '自防拆袋取出載具，朗讀袋號並寫入紙本紀錄，再將載具插入儀式電腦。',
    };
    // 15 rows: what the body of a 24-row terminal holds under the header, notices and footer.
    const { ui } = renderStep(lang, SMALL, 'init', { ...TOKENS, test: blank }, { rows: 15, instructions });
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.ok(frame.split('\n').length <= 15, `fits the body rows:\n${frame}`);
    const flat = frame.replace(/\s+/g, '');
    const warning = flat.indexOf(tr('initToken.erases', { serial: '9f3c0a1b2c3d4e5f' }).replace(/\s+/g, ''));
    const identity = flat.indexOf(
      tr('hsm.identity', { label: '—', serial: '9f3c0a1b2c3d4e5f', model: 'SoftHSM project SoftHSM v2', firmware: '2.6' }).replace(/\s+/g, ''),
    );
    const told = flat.indexOf(instructions[lang].replace(/\s+/g, '').slice(0, 20));
    t.ok(warning >= 0, `the erase warning is on the first page:\n${frame}`);
    t.ok(identity >= 0, `the token's identity is on the first page:\n${frame}`);
    t.ok(warning < told && identity < told, `both above the instructions (${warning}, ${identity} < ${told})`);
    t.same(overWide(frame), []);
  });

  t.test(`${lang}: a blank token that reports no serial: the warning does not ask to compare one, the identity line says none`, async (t) => {
    const blank: TokenIdentity = {
      label: '',
      serial: '',
      manufacturer: 'SoftHSM project',
      model: 'SoftHSM v2',
      firmware: '2.6',
      initialized: false,
      willBeLabelled: 'HCA-TOKEN',
    };
    // small.yaml's one token, `test`, is the blank one.
    const { ui, sent } = renderStep(lang, SMALL, 'init', { test: blank });
    t.teardown(ui.unmount);
    const frame = ui.frame().replace(/\s+/g, '');
    t.match(frame, tr('initToken.erasesNoSerial').replace(/\s+/g, ''));
    t.notMatch(frame, tr('initToken.erases', { serial: '' }).replace(/\s+/g, '').slice(-12), 'no serial to compare is asked for');
    t.ok(frame.includes(tr('hsm.noSerial').replace(/\s+/g, '')), `the identity line says none was reported: ${frame}`);
    t.notMatch(frame, 'HCA-TOKEN', 'the label it will get is not shown');
    await ui.answer('alice', 'wendy', 'HCA-TOKEN');
    t.equal(sent.length, 1, 'the label of the profile is what the witness types');
    t.same(overWide(ui.frame()), []);
  });

  t.test(`${lang}: the handout counter is one phrase, never split across lines`, async (t) => {
    const zh = lang === 'zh-TW';
    const { HandoutScreen } = await import('../../src/ui/screens/handout.js');
    const ui = renderUi(
      <Box width={80}>
        <HandoutScreen
          target={{
            credential: 'hca-so-pin',
            credentialTitle: zh ? '醫事憑證管理中心載具之安全管理者(SO) PIN 碼' : 'Healthcare CA token security officer (SO) PIN',
            setId: 'S-1234ABCD',
            custodian: 'hc1',
            name: '張淑芬 Chang Shu-fen',
            index: 1,
            count: 5,
            holders: ['張淑芬 Carol', '李建國 Dave', '黃雅婷 Erin', '陳志豪 Walter', '林美玲 Wendy'].slice(0, 5),
            threshold: 3,
            ceremony: zh ? '醫事憑證管理中心 硬體安全模組載具初始化' : 'Healthcare CA HSM token initialisation',
          }}
          done={0}
          total={5}
          revealLines={() => ['AAAAA']}
          onHide={() => undefined}
          matches={() => false}
          onConfirmed={() => undefined}
          width={80}
        />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const progress = tr('handout.progress', { k: 0, n: 5 });
    t.ok(
      ui
        .frame()
        .split('\n')
        .some((line) => line.includes(progress)),
      `"${progress}" on one line:\n${ui.frame()}`,
    );
    t.same(overWide(ui.frame()), []);
  });
}
