// Issue 16 (room16f item 1): init-token is followed by confirm-result (init-confirmed), whose
// witness types back the SHA-256 of the first share manifest. The read-aloud after init left
// share manifests out, so a witness never heard or wrote down the value asked for and the
// ceremony blocked. Now the read-aloud says exactly the value the confirm step asks for, in
// groups with PGP words; a value that matches in no group says so instead of listing all 16;
// the file name on the confirm screen is not broken at a hyphen. Brief crl16u item 5: every
// manifest init wrote is read aloud (the user-PIN one was only a summary line). en and zh-TW, 80x24.
import t from 'tap';
import { Box } from 'ink';
import type { CeremonyEvent, FileRecord } from '../../src/ceremony/types.js';
import { confirmResultSpec } from '../../src/steps/confirm-result/spec.js';
import { translator, type Lang } from '../../src/ui/i18n/index.js';
import { readoutOf } from '../../src/ui/model/record.js';
import type { ScreenContext } from '../../src/ui/model/screen-context.js';
import type { View } from '../../src/ui/model/view.js';
import type { ShareDesk } from '../../src/ui/share-desk.js';
import { StepScreen } from '../../src/ui/step-screen.js';
import { fingerprint, groupedHex } from '../../src/util/fingerprint.js';
import { overWide, renderUi } from './helpers/render.js';
import { screenContext, stepOf } from './helpers/screen-context.js';

const TOKEN_INIT = new URL('../../ceremonies/hca-token-init.yaml', import.meta.url).pathname;

const file = (name: string, kind: FileRecord['kind']): FileRecord => {
  const f = fingerprint(name);
  return { name, kind, sha256: f.sha256, words: f.words, bytes: 100, step: 'init' };
};
const soManifest = file('hca-so-pin.init.manifest.json', 'share-manifest');
const userManifest = file('hca-user-pin.init.manifest.json', 'share-manifest');
const auditKey = file('hca-audit-key.pem', 'audit-key');
const initResult = { outputs: [soManifest, userManifest, auditKey], performer: 'alice', witnesses: ['wendy'] };

function sc(lang: Lang): ScreenContext {
  return screenContext(TOKEN_INIT, lang, { results: { init: initResult }, stepIndex: 5 });
}

function renderStep(s: ScreenContext, view: View) {
  const sent: CeremonyEvent[] = [];
  let readoutDone = false;
  const ui = renderUi(
    <Box width={80}>
      <StepScreen
        view={view}
        sc={s}
        desk={{} as ShareDesk}
        act={(event) => {
          sent.push(event);
          return undefined;
        }}
        onReadoutDone={() => {
          readoutDone = true;
        }}
        onChoose={() => undefined}
        onShareHidden={() => undefined}
        rows={22}
        width={80}
      />
    </Box>,
    { lang: s.lang },
  );
  return { ui, sent, done: () => readoutDone };
}

/** Whether the frame says `text`, wherever its lines wrapped. */
const says = (frame: string, text: string) => frame.replace(/\s+/g, '').includes(text.replace(/\s+/g, ''));

t.test('the read-aloud after init holds exactly the value init-confirmed asks for', async (t) => {
  const s = sc('en');
  const index = s.definition.steps.findIndex((step) => step.id === 'init');
  const asked = confirmResultSpec.shown(stepOf(s, 'init-confirmed') as never, s.context)['result-sha256'];
  t.equal(asked, soManifest.sha256, 'the confirm step asks for the first manifest');
  const readout = readoutOf(s, index);
  t.ok(readout, 'init has a read-aloud');
  t.ok(
    readout!.entries.some((e) => e.sha256 === asked && e.words === soManifest.words),
    'the asked value is read aloud, with its PGP words',
  );
  // Brief crl16u item 5: the user-PIN manifest written beside it was only a summary line.
  t.same(
    readout!.entries.map((e) => e.sha256),
    [soManifest.sha256, userManifest.sha256, auditKey.sha256],
    'every manifest init wrote is read aloud, then the audit key',
  );
});

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  const zh = lang === 'zh-TW';

  t.test(`${lang}: the read-aloud screen after init shows the manifest's fingerprint in groups and words`, async (t) => {
    const s = sc(lang);
    const index = s.definition.steps.findIndex((step) => step.id === 'init');
    const { ui, done } = renderStep(s, { kind: 'readout', index });
    t.teardown(ui.unmount);
    const frames: string[] = [];
    for (let page = 0; page < 4 && !done(); page++) {
      frames.push(ui.frame());
      t.same(overWide(ui.frame()), [], `page ${page + 1} fits 80 columns`);
      t.ok(ui.frame().split('\n').length <= 24, `page ${page + 1} fits 24 rows`);
      await ui.press('enter');
    }
    t.ok(done(), 'three pages, then on');
    t.ok(
      says(frames[1] ?? '', userManifest.name) && says(frames[1] ?? '', tr('readout.page', { k: 2, n: 3 })),
      `page 2 of 3 reads ${userManifest.name} aloud:\n${frames[1]}`,
    );
    const manifestPage = frames.find((f) => f.includes(soManifest.name));
    t.ok(manifestPage, `a page names ${soManifest.name}`);
    const groups = groupedHex(soManifest.sha256).split(' ');
    t.ok(
      groups.every((g) => manifestPage!.includes(g)),
      'all 16 groups are on it',
    );
    t.ok(says(manifestPage!, soManifest.words.split(' ').slice(0, 4).join(' ')), 'with its PGP words');
    t.ok(says(manifestPage!, tr('readout.hex')) && (zh ? true : manifestPage!.includes('SHA-256')), 'labelled as the other hashes are');
    // The step may have one witness: the prompt does not say "the witnesses" (review16g).
    t.ok(
      frames.every((f) => !/the witnesses/.test(f.replace(/\n\s*/g, ' '))),
      'the prompt to go on does not count the witnesses',
    );
  });

  t.test(`${lang}: init-confirmed: a value that matches in no group says so; the file name is whole`, async (t) => {
    const s = sc(lang);
    const { ui, sent } = renderStep(s, { kind: 'approval', step: stepOf(s, 'init-confirmed') });
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.same(overWide(frame), []);
    t.ok(
      frame.split('\n').some((line) => line.includes(soManifest.name)),
      `"${soManifest.name}" is on one line:\n${frame}`,
    );
    // The audit key's fingerprint, typed by mistake: every group differs from the manifest's.
    const other = fingerprint('nothing alike').sha256;
    const differsEverywhere = [...Array(16).keys()].every((g) => other.slice(g * 4, g * 4 + 4) !== soManifest.sha256.slice(g * 4, g * 4 + 4));
    t.ok(differsEverywhere, 'the typed value differs in every group');
    await ui.answer(other);
    t.ok(says(ui.frame(), tr('confirmResult.noGroupMatches')), 'no group matches');
    t.notOk(says(ui.frame(), tr('confirmResult.groupsDiffer', { groups: '1' }).slice(0, 12)), 'the 16 groups are not listed');
    t.same(overWide(ui.frame()), []);
    await ui.press('ctrlU');
    const oneOff = soManifest.sha256.slice(0, 60) + (soManifest.sha256.slice(60) === '0000' ? '1111' : '0000');
    await ui.answer(oneOff);
    t.ok(says(ui.frame(), tr('confirmResult.groupDiffers', { group: 16 })), 'one group off is still named');
    await ui.press('ctrlU');
    await ui.answer(groupedHex(soManifest.sha256), 'wendy');
    t.match(sent, [{ type: 'step.submit', step: 'init-confirmed', performer: 'wendy', values: { 'result-sha256': soManifest.sha256 } }]);
  });

  // Brief fields18 item 2a: typed back in lower case ("305c 6554 e288 …"), the fingerprint was
  // shown in lower case with no word, while a bag number says it is recorded in capitals.
  t.test(`${lang}: init-confirmed: a fingerprint typed in lower case is shown in capitals, and the screen says so`, async (t) => {
    const s = sc(lang);
    const { ui, sent } = renderStep(s, { kind: 'approval', step: stepOf(s, 'init-confirmed') });
    t.teardown(ui.unmount);
    const lower = groupedHex(soManifest.sha256).toLowerCase();
    t.ok(/[a-f]/.test(lower), 'control: the fingerprint has letters');
    await ui.answer(lower);
    const frame = ui.frame();
    const flat = frame.replace(/\s+/g, '');
    t.ok(flat.includes(soManifest.sha256.toUpperCase() + tr('fingerprint.inCapitals').replace(/\s+/g, '')), `in capitals, said so:\n${frame}`);
    t.notOk(flat.includes(soManifest.sha256), 'no longer in lower case');
    t.same(overWide(frame), [], 'fits 80 columns');
    t.ok(frame.split('\n').length <= 24, 'fits 24 rows');
    await ui.answer('wendy');
    t.match(
      sent,
      [{ type: 'step.submit', step: 'init-confirmed', performer: 'wendy', values: { 'result-sha256': soManifest.sha256 } }],
      'compared and submitted as before',
    );
  });

  t.test(`${lang}: init-confirmed: typed in capitals, nothing more to say`, async (t) => {
    const s = sc(lang);
    const { ui } = renderStep(s, { kind: 'approval', step: stepOf(s, 'init-confirmed') });
    t.teardown(ui.unmount);
    await ui.answer(groupedHex(soManifest.sha256));
    t.notOk(ui.frame().replace(/\s+/g, '').includes(tr('fingerprint.inCapitals').replace(/\s+/g, '')));
  });
}
