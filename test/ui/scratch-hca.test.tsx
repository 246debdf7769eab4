import t from 'tap';
import { CeremonyApp } from '../../src/ui/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { renderUi } from './helpers/render.js';

const HCA = new URL('../../ceremonies/hca-g3-keygen.yaml', import.meta.url).pathname;
const FIXED = { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false };

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(lang, async (t) => {
    const fake = fakeCeremony(t, { file: HCA, lang, premade: { 'hca-user-pin': ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'] } });
    const tr = translator(lang);
    const ui = renderUi(
      <CeremonyApp session={fake.session} colors={false} onOutcome={() => undefined} onError={() => undefined} clock={FIXED} size={{ columns: 80, rows: 24 }} />,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.waitFor(tr('signIn.intro'));
    for (const [id, name, roles] of [['wang', '王大明 Wang Ta-ming', '1'], ['lin', '林秀英 Lin Hsiu-ying', '2'], ['hc1', '張淑芬 Chang Shu-fen', '3'], ['hc3', '黃美玲 Huang Mei-ling', '3'], ['hc4', '吳俊傑 Wu Chun-chieh', '3']]) await ui.answer(id!, name!, roles!);
    await ui.press('enter');
    await ui.waitFor(lang === 'en' ? 'Approval reference' : '核准文號');
    await ui.answer('X-1', 'room', 'SOFTHSM-1', 'TB100002', 'wang', 'lin');
    await ui.waitFor(tr('shares.custodian'));
    await ui.answer('hc1');
    await ui.type(fake.shares['hca-user-pin']!.hc1!);
    await ui.press('enter');
    await ui.answer('hc3');
    await ui.type(fake.shares['hca-user-pin']!.hc5!.split('-').slice(0, 4).join(''));
    console.log(ui.frame());
    await ui.answer('hc3');
    const g = fake.shares['hca-user-pin']!.hc3!.split('-');
    g[5] = g[5]!.slice(0, 4) + (g[5]!.endsWith('0') ? '1' : '0');
    g[9] = g[9]!.slice(0, 4) + (g[9]!.endsWith('0') ? '1' : '0');
    await ui.type(g.join(''));
    console.log(ui.frame());
    console.log(ui.frame().split('\n').length);
  });
}
