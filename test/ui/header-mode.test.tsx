// What the header and the lines after exit say about the run itself (review of issue 16 at
// 80x24): a paused ceremony says PAUSED / 已暫停 beside its mode on every screen until two
// people continue it, and a production run's exit lines say PRODUCTION / （正式） as plainly
// as a rehearsal's say DRY RUN / （演練）.
import t from 'tap';
import { renderApp, signIn, SMALL_PEOPLE } from './helpers/app.js';
import { dryRunWord, exitLine, exitStep, exitWord } from '../../src/ceremony/exit-lines.js';
import { loadDefinition } from '../../src/definition/loader.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony, SMALL } from './helpers/ceremony.js';
import { overWide } from './helpers/render.js';

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  const zh = lang === 'zh-TW';

  t.test(`${lang}: while paused, the header says PAUSED / 已暫停 beside the mode; once continued, it does not`, async (t) => {
    t.equal(tr('header.paused'), zh ? '已暫停' : 'PAUSED');
    const fake = fakeCeremony(t, { lang });
    const ui = renderApp(fake.session, lang);
    t.teardown(ui.unmount);
    await ui.waitFor(tr('signIn.intro'));
    await signIn(ui, SMALL_PEOPLE);
    let frame = await ui.waitFor(zh ? '封袋編號' : 'Bag number');
    // The header's first line: the mode and the ceremony's title (the record of what is done is above it).
    const title = zh ? '介面測試儀式' : 'UI test ceremony';
    const header = (f: string) => f.split('\n').find((line) => line.includes(` · ${title}`)) ?? '';
    t.notMatch(header(frame), tr('header.paused'), 'not paused: the header does not say so');
    await ui.press('ctrlP');
    frame = await ui.waitFor(tr('pause.title'));
    t.notMatch(header(frame), tr('header.paused'), 'asking who pauses: not paused yet');
    await ui.answer('wendy', zh ? '等待機房鑰匙' : 'waiting for the room key');
    frame = await ui.waitFor(tr('paused.title', { by: '林美玲 Wendy', reason: zh ? '等待機房鑰匙' : 'waiting for the room key' }));
    t.match(header(frame), `${tr('header.production')} · ${tr('header.paused')} · `, `the header: ${header(frame)}`);
    t.same(overWide(frame), [], 'nothing wider than 80 columns');
    await ui.answer('wendy', 'alice');
    frame = await ui.waitFor(zh ? '封袋編號' : 'Bag number');
    t.notMatch(header(frame), tr('header.paused'), 'continued: the header no longer says paused');
    t.match(header(frame), `${tr('header.production')} · `);
  });

  t.test(`${lang}: a production run's exit lines say PRODUCTION / （正式）, as a rehearsal's say DRY RUN / （演練）`, async (t) => {
    const definition = loadDefinition(SMALL);
    t.equal(dryRunWord(lang, true), zh ? '（演練）' : 'DRY RUN ');
    t.equal(dryRunWord(lang, false), zh ? '（正式）' : 'PRODUCTION ');
    const ended = exitLine(lang, 'ended', { dryRun: dryRunWord(lang, false), ceremony: definition.title[lang], status: exitWord(lang, 'completed'), n: 1046 });
    t.equal(
      ended,
      zh
        ? 'keyceremony: （正式）「介面測試儀式」已完成；日誌共 1046 筆紀錄：'
        : 'keyceremony: PRODUCTION "UI test ceremony" completed; journal of 1046 records:',
    );
    const interrupted = exitLine(lang, 'interrupted', { dryRun: dryRunWord(lang, false), step: exitStep(lang, definition, 'keygen') });
    t.match(interrupted, zh ? 'keyceremony: （正式）於步驟 5「產製金鑰對」中斷' : 'keyceremony: PRODUCTION interrupted at step 5, ');
    t.same(overWide([ended, interrupted].join('\n'), 80), [], 'each fits 80 columns');
  });

  t.test(`${lang}: on a software token the exit lines say so, as the header does (PRODUCTION ON A SOFTWARE TOKEN / 正式（軟體載具）)`, async (t) => {
    const definition = loadDefinition(SMALL);
    const tr = translator(lang);
    const word = dryRunWord(lang, false, true);
    t.equal(word.trim(), tr('header.productionSoftware'), 'the words of the header');
    t.equal(dryRunWord(lang, true, true), dryRunWord(lang, true), 'a rehearsal is a rehearsal');
    const ended = exitLine(lang, 'ended', { dryRun: word, ceremony: definition.title[lang], status: exitWord(lang, 'completed'), n: 1046 });
    t.equal(
      ended,
      zh
        ? 'keyceremony: 正式（軟體載具）「介面測試儀式」已完成；日誌共 1046 筆紀錄：'
        : 'keyceremony: PRODUCTION ON A SOFTWARE TOKEN "UI test ceremony" completed; journal of 1046 records:',
    );
    const interrupted = exitLine(lang, 'interrupted', { dryRun: word, step: exitStep(lang, definition, 'keygen') });
    t.match(
      interrupted,
      zh ? 'keyceremony: 正式（軟體載具）於步驟 5「產製金鑰對」中斷' : 'keyceremony: PRODUCTION ON A SOFTWARE TOKEN interrupted at step 5, ',
    );
  });
}
