// Small and resized terminals (issue 16 item 10): messages wrap and are never cut, the
// footer's hints fit 80 columns (whole, on a second line when needed), and below 80x24 a
// "terminal too small" screen replaces the ceremony until it grows. The real resize (no
// ghost header lines) is in test/e2e/ui-tmux.test.ts.
import t from 'tap';
import { footerLines, type KeyHint } from '../../src/ui/components/footer.js';
import { RecordLog } from '../../src/ui/components/record-log.js';
import { CeremonyApp } from '../../src/ui/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { overWide, renderUi } from './helpers/render.js';
import stringWidth from 'string-width';

const FIXED = { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false };

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);

  t.test(`${lang}: every hint fits 80 columns, whole`, async (t) => {
    const hints: KeyHint[] = [
      { keys: 'Enter', action: tr('hint.next') },
      { keys: '↑', action: tr('hint.back') },
      { keys: 'Esc', action: tr('hint.shareBack') },
      { keys: '^D', action: tr('hint.removeLast') },
      { keys: '^E', action: tr('hint.exception') },
      { keys: '^P', action: tr('hint.pause') },
      { keys: '^X', action: tr('hint.abort') },
      { keys: '^N', action: tr('hint.join') },
      { keys: '^C', action: tr('hint.stop') },
    ];
    const lines = footerLines(hints, 80);
    t.ok(
      lines.every((l) => stringWidth(l) <= 80),
      lines.join('\n'),
    );
    for (const h of hints)
      t.ok(
        lines.some((l) => l.includes(`${h.keys} ${h.action}`)),
        `${h.keys} ${h.action} whole`,
      );
  });

  t.test(`${lang}: a long exception in the record wraps, whole`, async (t) => {
    const text =
      'the fire alarm sounded at 10:02 and the room was left for eleven minutes; the HSM stayed in view of the camera and the seal on bag TB123456 was checked on return (which belongs to hn3)';
    const ui = renderUi(
      <RecordLog generation={0} width={80} items={[{ kind: 'exception', key: 'x', number: 1, by: '陳志豪 Walter', text, step: 'keygen' }]} />,
      { lang },
    );
    t.teardown(ui.unmount);
    t.match(ui.frame().replace(/\s+/g, ' '), text);
    t.same(overWide(ui.frame()), []);
  });

  t.test(`${lang}: below 80x24 a "terminal too small" screen replaces the ceremony`, async (t) => {
    const fake = fakeCeremony(t, { lang });
    const small = renderUi(
      <CeremonyApp
        session={fake.session}
        colors={false}
        onOutcome={() => undefined}
        onError={() => undefined}
        clock={FIXED}
        size={{ columns: 72, rows: 22 }}
      />,
      { lang },
    );
    t.teardown(small.unmount);
    const frame = await small.waitFor(tr('tooSmall.title'));
    t.match(frame.replace(/\s+/g, ''), tr('tooSmall.text', { columns: 72, rows: 22, needColumns: 80, needRows: 24 }).replace(/\s+/g, ''));
    t.notMatch(frame, tr('signIn.intro'), 'no part of the ceremony is shown cut down');
    t.same(overWide(frame, 72), []);
    await small.answer('alice');
    t.equal(fake.session.actor.getSnapshot().context.participants.length, 0, 'keys do not reach the hidden screens');
    const big = renderUi(
      <CeremonyApp
        session={fakeCeremony(t, { lang }).session}
        colors={false}
        onOutcome={() => undefined}
        onError={() => undefined}
        clock={FIXED}
        size={{ columns: 80, rows: 24 }}
      />,
      { lang },
    );
    t.teardown(big.unmount);
    t.notMatch(await big.waitFor(tr('signIn.intro')), tr('tooSmall.title'));
  });
}
