// Small and resized terminals (issue 16 item 10): messages wrap and are never cut, the
// footer's hints fit one line of 80 columns (the rarest left out), and below 80x24 a
// "terminal too small" screen replaces the ceremony until it grows. The real resize (no
// ghost header lines) is in test/e2e/ui-tmux.test.ts.
import t, { type Test } from 'tap';
import { useState } from 'react';
import { footerLines, type KeyHint } from '../../src/ui/components/footer.js';
import { RecordLog } from '../../src/ui/components/record-log.js';
import { CeremonyApp, type UiSession } from '../../src/ui/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { fakeCeremony } from './helpers/ceremony.js';
import { overWide, renderUi } from './helpers/render.js';
import stringWidth from 'string-width';

const FIXED = { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false };

/** The whole app on a fake ceremony, at the given terminal size. */
function renderApp(t: Test, lang: 'en' | 'zh-TW', session: UiSession, size: { columns: number; rows: number }) {
  const ui = renderUi(<CeremonyApp session={session} colors={false} onOutcome={() => undefined} onError={() => undefined} clock={FIXED} size={size} />, {
    lang,
  });
  t.teardown(ui.unmount);
  return ui;
}

/** The app at a size the test changes, as a window resized by hand. */
function renderResizable(t: Test, lang: 'en' | 'zh-TW', session: UiSession, start: { columns: number; rows: number }) {
  const control: { resize: (size: { columns: number; rows: number }) => void } = { resize: () => undefined };
  function Resizable() {
    const [size, setSize] = useState(start);
    control.resize = setSize;
    return <CeremonyApp session={session} colors={false} onOutcome={() => undefined} onError={() => undefined} clock={FIXED} size={size} />;
  }
  const ui = renderUi(<Resizable />, { lang });
  t.teardown(ui.unmount);
  return { ui, resize: (size: { columns: number; rows: number }) => control.resize(size) };
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);

  t.test(`${lang}: the most hints fit one line of 80 columns, the rarest left out first, each shown one whole`, async (t) => {
    const hints: KeyHint[] = [
      { keys: 'Enter', action: tr('hint.next') },
      { keys: '↑', action: tr('hint.back') },
      { keys: '^D', action: tr('hint.removeLast') },
      { keys: 'Esc', action: tr('hint.shareBack') },
      { keys: '^E', action: tr('hint.exception'), dropRank: 2 },
      { keys: '^P', action: tr('hint.pause'), dropRank: 3 },
      { keys: '^X', action: tr('hint.abort'), dropRank: 1 },
      { keys: '^N', action: tr('hint.join'), dropRank: 4 },
      { keys: '^C', action: tr('hint.stop') },
    ];
    const lines = footerLines(hints, 80);
    t.equal(lines.length, 1, lines.join('\n'));
    t.ok(stringWidth(lines[0]!) <= 80, `${stringWidth(lines[0]!)} columns: ${lines[0]}`);
    const shown = hints.filter((h) => lines[0]!.includes(`${h.keys} ${h.action}`));
    t.same(
      hints.filter((h) => h.dropRank === undefined),
      shown.filter((h) => h.dropRank === undefined),
      'the hints without a rank always stay, whole',
    );
    const dropped = hints.filter((h) => !shown.includes(h));
    t.ok(dropped.length > 0, 'this many do not fit 80 columns');
    t.ok(
      dropped.every((d) => shown.every((s) => (s.dropRank ?? -1) < d.dropRank!)),
      'what is left out ranks above everything shown',
    );
    t.same(footerLines(hints, 200), [hints.map((h) => `${h.keys} ${h.action}`).join('  ')], 'a wide screen shows them all');
    const long = footerLines([{ keys: 'Enter', action: 'x'.repeat(90) }], 80);
    t.ok(long.length > 1 && long.every((l) => stringWidth(l) <= 80), 'a hint that must stay is wrapped');
    t.equal(long.join('').replace(/\s/g, ''), `Enter${'x'.repeat(90)}`, 'never cut');
  });

  t.test(`${lang}: the screens with the most keys (sign-in, a step, an open ^E) keep the footer on one line at 80x24`, async (t) => {
    const ui = renderApp(t, lang, fakeCeremony(t, { lang }).session, { columns: 80, rows: 24 });
    const footer = (what: string) => {
      const lines = ui.frame().split('\n');
      const at = lines.findIndex((l) => l.startsWith(`Enter ${tr('hint.next')}`));
      t.ok(at >= 0, `${what}: a footer`);
      t.ok(stringWidth(lines[at]!) <= 80, `${what}: ${lines[at]}`);
      t.equal(
        lines
          .slice(at + 1)
          .join('')
          .trim(),
        '',
        `${what}: nothing below the footer's one line`,
      );
      t.match(lines[at], `^C ${tr('hint.stop')}`, `${what}: ^C is always shown`);
    };
    await ui.waitFor(tr('signIn.intro'));
    await ui.answer('alice', 'Alice', '1', 'wendy', 'Wendy', '2');
    footer('sign-in with two people');
    t.match(ui.frame(), `^D ${tr('hint.removeLast')}`);
    await ui.answer('dave', 'Dave', '3', 'carol', 'Carol', '3');
    await ui.press('enter');
    await ui.waitFor(lang === 'en' ? 'Bag number' : '封袋編號');
    footer('a step, every key working');
    await ui.type('\u0005');
    await ui.waitFor(`Esc ${tr('hint.cancel')}`);
    footer('the exception form');
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
    const small = renderApp(t, lang, fake.session, { columns: 72, rows: 22 });
    const frame = await small.waitFor(tr('tooSmall.title'));
    t.match(frame.replace(/\s+/g, ''), tr('tooSmall.text', { columns: 72, rows: 22, needColumns: 80, needRows: 24 }).replace(/\s+/g, ''));
    t.notMatch(frame, tr('signIn.intro'), 'no part of the ceremony is shown cut down');
    t.same(overWide(frame, 72), []);
    await small.answer('alice');
    t.equal(fake.session.actor.getSnapshot().context.participants.length, 0, 'keys do not reach the hidden screens');
    const big = renderApp(t, lang, fakeCeremony(t, { lang }).session, { columns: 80, rows: 24 });
    t.notMatch(await big.waitFor(tr('signIn.intro')), tr('tooSmall.title'));
  });

  t.test(`${lang}: Ctrl+C on the "too small" screen says how to stop, then the stop screen opens once it is 80x24`, async (t) => {
    const need = { needColumns: 80, needRows: 24 };
    const flat = (text: string) => text.replace(/\s+/g, '');
    const fake = fakeCeremony(t, { lang });
    const { ui, resize } = renderResizable(t, lang, fake.session, { columns: 72, rows: 22 });
    await ui.waitFor(tr('tooSmall.title'));
    t.notMatch(flat(ui.frame()), flat(tr('tooSmall.stopOne', need)), 'nothing about stopping before Ctrl+C');
    await ui.press('ctrlC');
    const frame = await ui.waitFor(lang === 'en' ? 'Ctrl+C pressed' : '已按下 Ctrl+C');
    t.match(flat(frame), flat(tr('tooSmall.stopOne', need)), 'no one signed in yet: the stop screen asks for yes');
    t.same(overWide(frame, 72), [], 'wrapped to 72 columns');
    t.notMatch(frame, tr('stop.title'), 'the stop screen itself waits for the size');
    resize({ columns: 80, rows: 24 });
    const grown = await ui.waitFor(tr('stop.title'));
    t.notMatch(grown, tr('tooSmall.title'));
    t.match(grown, tr('stop.confirm'));
  });

  t.test(`${lang}: two people signed in: Ctrl+C when too small says who stops and who confirms`, async (t) => {
    const need = { needColumns: 80, needRows: 24 };
    const flat = (text: string) => text.replace(/\s+/g, '');
    const fake = fakeCeremony(t, { lang });
    const { ui, resize } = renderResizable(t, lang, fake.session, { columns: 80, rows: 24 });
    await ui.waitFor(tr('signIn.intro'));
    await ui.answer('alice', 'Alice', '1', 'wendy', 'Wendy', '2', 'dave', 'Dave', '3', 'carol', 'Carol', '3');
    await ui.press('enter');
    await ui.waitFor(lang === 'en' ? 'Bag number' : '封袋編號');
    resize({ columns: 72, rows: 22 });
    await ui.waitFor(tr('tooSmall.title'));
    await ui.press('ctrlC');
    const frame = await ui.waitFor(lang === 'en' ? 'Ctrl+C pressed' : '已按下 Ctrl+C');
    t.match(flat(frame), flat(tr('tooSmall.stopTwo', need)));
    // The record above it was printed at 80 columns, before the window shrank.
    t.same(overWide(frame.slice(frame.indexOf(tr('tooSmall.title'))), 72), [], 'the too-small screen wraps to 72 columns');
    resize({ columns: 80, rows: 24 });
    const grown = await ui.waitFor(tr('stop.title'));
    t.match(grown, tr('stop.who'));
    t.match(grown, tr('stop.second'));
  });
}
