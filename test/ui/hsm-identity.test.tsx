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

function renderStep(lang: Lang, file: string, stepId: string) {
  const sc = { ...screenContext(file, lang, { keys }), tokenIdentity: (token: string) => TOKENS[token] };
  const step = stepOf(sc, stepId);
  const sent: CeremonyEvent[] = [];
  const ui = renderUi(
    <Box width={80}>
      <ApprovalScreen
        blocks={stepBlocks(sc, step)}
        fields={approvalFields(sc, step)}
        onSubmit={(v) => sent.push(approvalEvent(step, v))}
        rows={30}
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

  t.test(`${lang}: init-token says the token will be erased, and the witness types its label`, async (t) => {
    const { ui, sent } = renderStep(lang, SMALL, 'init');
    t.teardown(ui.unmount);
    const frame = ui.frame().replace(/\s+/g, '');
    t.match(frame, tr('initToken.erases', { label: 'UI-TEST-TOKEN' }).replace(/\s+/g, ''), 'the warning (wrapped at any point)');
    t.match(frame, '9f3c0a1b2c3d4e5f', 'the serial of the blank token C_InitToken will take');
    t.match(frame, tr('initToken.typeLabel').replace(/\s+/g, ''));
    await ui.answer('test');
    t.match(ui.frame(), tr('initToken.labelMismatch', { label: 'UI-TEST-TOKEN' }), "the token's name in the script is not its label");
    await ui.press('ctrlU');
    await ui.answer('UI-TEST-TOKEN', 'alice', 'wendy');
    t.equal(sent.length, 1, 'sent once the label is typed');
    t.same(sent[0], { type: 'step.submit', step: 'init', performer: 'alice', witnesses: ['wendy'], values: {} }, 'the typed label is a gate, not a step value');
  });
}
