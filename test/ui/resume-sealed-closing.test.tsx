// Killed on the closing read-aloud after the seal (issue 16 items 2 and 3): `resume` at a
// terminal printed lines (hash, words, "a witness signs the paper log") where the officers had
// been on the closing screen. It now shows the same closing screen as a normal end, rebuilt from
// the sealed journal: the hash in whole groups with its PGP words, every deviation of the
// ceremony and this crash (which no record can hold: the seal is the last), and that the
// acknowledgement is on the screen and the paper log only. Only a witness acknowledges; then
// the lines follow as with --answers, and nothing is written to the journal.
import t from 'tap';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resumeCeremony } from '../../src/ceremony/runner.js';
import { runnerDeps } from '../../src/cli/runner-deps.js';
import { CeremonyApp, type UiOutcome } from '../../src/ui/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { groupedHex, pgpWords } from '../../src/util/fingerprint.js';
import { screenTime } from '../../src/ui/model/clock.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { journalRecords, newWorkdir, runCeremony } from '../helpers/ceremony.js';
import { softhsm } from '../helpers/softhsm.js';
import { until } from '../helpers/until.js';
import { overWide, renderUi, type Rendered } from './helpers/render.js';

const REPORT_FIXTURES = new URL('../report/fixtures/', import.meta.url).pathname;
const definition = join(REPORT_FIXTURES, 'report.yaml');
const answers = join(REPORT_FIXTURES, 'report.answers.yaml');

const fx = softhsm(t);
const workdir = newWorkdir(fx);
const ceremony = await runCeremony(fx, { definition, profile: fx.profile({ test: 'SEALED-UI' }), workdir, answers });
t.equal(ceremony.code, 0, ceremony.stderr);
const journalBytes = readFileSync(join(workdir, 'journal.jsonl'));
const seal = journalRecords(workdir).at(-1)!;
t.equal(seal.event, 'ceremony.sealed');
const groups = groupedHex(seal.hash).split(' ');
const words = pgpWords(Buffer.from(seal.hash, 'hex'));

// The header's clock in Taipei, the journal written in UTC: every time on the closing screen is the
// header's (review17: the crash-after-seal notice said 13:29:50 where the header said 21:29).
const SCREEN_ZONE = 'Asia/Taipei';
const SCREEN_CLOCK = { now: () => new Date(), timeZone: SCREEN_ZONE, tick: false };
/** The seal's time as the screen says it, in the header's zone. */
const sealShown = (shape: 'date-time' | 'time') => screenTime(seal.time, SCREEN_ZONE, shape);

const SCROLL = /(?:lines (\d+)-(\d+) of (\d+)|第 (\d+)-(\d+) 行，共 (\d+) 行)/;

/** The whole closing text, page by page (PgDn) as the room reads it at 24 rows: the lines between the rule and the scroll line. */
async function readWhole(ui: Rendered): Promise<string> {
  const pages: string[] = [];
  for (let page = 0; page < 10; page++) {
    const lines = ui.frame().split('\n');
    const rule = lines.findIndex((line) => /^─{80}$/.test(line));
    const at = lines.findIndex((line) => SCROLL.test(line));
    if (at < 0) return lines.slice(rule + 1).join('\n');
    pages.push(lines.slice(rule + 1, at).join('\n'));
    const [, , to, n, , zhTo, zhN] = SCROLL.exec(lines[at]!)!;
    if ((to ?? zhTo) === (n ?? zhN)) break;
    const before = ui.frame();
    await ui.press('pageDown');
    await until(() => ui.frame() !== before, 'PgDn shows the next page');
  }
  return pages.join('\n');
}

/** `resume` in this process on the terminal UI (80x24, every frame kept); `drive` is the room. */
async function resumeAtTerminal(lang: 'en' | 'zh-TW', drive: (ui: Rendered) => Promise<void>) {
  const out: string[] = [];
  let frames: string[] = [];
  const before = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = fx.conf;
  try {
    const code = await resumeCeremony(
      {
        workdir,
        lang,
        out: (line) => out.push(line),
        interactive: (session) =>
          new Promise<UiOutcome>((resolve, reject) => {
            const ui = renderUi(
              <CeremonyApp session={session} colors={false} onOutcome={resolve} onError={reject} size={{ columns: 80, rows: 24 }} clock={SCREEN_CLOCK} />,
              {
                lang,
              },
            );
            frames = ui.frames;
            t.teardown(ui.unmount);
            drive(ui).catch(reject);
          }),
      },
      runnerDeps(),
    );
    return { code, out, frames };
  } finally {
    process.env.SOFTHSM2_CONF = before;
  }
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  // Chinese wraps between any two characters: compared without whitespace; English with single spaces.
  const squeeze = (text: string) => (lang === 'zh-TW' ? text.replace(/\s+/g, '') : text.replace(/\s+/g, ' '));
  t.test(`${lang}: resume of a journal sealed before a crash shows the closing read-aloud, for a witness`, async (t) => {
    // As if killed on the closing screen: the run writes its reports only after the acknowledgement.
    for (const format of ['md', 'html']) rmSync(join(workdir, `report.${format}`), { force: true });
    const seen: string[] = [];
    const result = await resumeAtTerminal(lang, async (ui) => {
      await ui.waitFor(tr('closing.hash'), 10_000);
      // Read page by page, as at 24 rows the list goes below the fold.
      seen.push(await readWhole(ui));
      // Only a witness of the ceremony: a custodian is refused by name and roles.
      await ui.answer('carol');
      seen.push(ui.frame());
      await ui.press('ctrlU');
      await ui.answer('wendy');
    });
    t.equal(result.code, 0, 'exit 0: completed, acknowledged');
    const flat = squeeze(seen.join('\n'));
    const first = seen[0]!;
    t.match(first, `    ${groups.slice(0, 8).join(' ')}\n`, 'the first eight groups whole on a line');
    t.match(first, `    ${groups.slice(8).join(' ')}\n`, 'the last eight on the next');
    t.ok(flat.includes(squeeze(words)), 'the PGP words, wrapped between words');
    t.ok(
      flat.includes(squeeze(tr('closing.resumedAfterCrash', { seq: seal.seq, time: sealShown('date-time') }))),
      'the screen says the journal was sealed before the crash',
    );
    t.ok(flat.includes(squeeze(tr('closing.ackOnPaper'))), 'and that the acknowledgement is on the screen and the paper log only');
    // Every deviation of the ceremony, from the journal, and the crash no record holds.
    t.ok(flat.includes(squeeze(tr('deviation.count', { n: 4 }))), 'an exception, a pause, the deviations step text and this crash');
    for (const text of ['fire alarm test at 10:02', 'fire alarm test only', '午休 lunch break']) t.ok(flat.includes(squeeze(text)), text);
    t.ok(
      flat.includes(squeeze(tr('deviation.afterSeal', { seq: seal.seq, time: sealShown('time'), what: tr('deviation.crashed') }))),
      'this crash, after the seal, in no record',
    );
    t.match(
      seen[1]!.replace(/\s+/g, ' '),
      lang === 'en' ? /carol \(張淑芬 Carol\) signed in as custodian, not as witness/i : 'carol（張淑芬 Carol）簽到的角色為保管人，不是見證人',
      'a custodian does not acknowledge it',
    );
    t.match(result.frames.at(-1)!, tr('finished.completed'), 'the last frame: completed and sealed');
    t.same(overWide(result.frames.join('\n')), [], 'nothing wider than 80 columns');
    // Then the lines, as a scripted resume prints them, and the reports the run did not write.
    const out = result.out.join('\n');
    t.match(out, lang === 'en' ? 'keyceremony: final journal hash (SHA-256):' : 'keyceremony: 日誌最終雜湊值（SHA-256）：');
    t.match(out, `keyceremony:   ${groups.slice(0, 8).join(' ')}`);
    t.ok(existsSync(join(workdir, 'report.md')) && existsSync(join(workdir, 'report.html')), 'the reports written from the journal');
    t.same(readFileSync(join(workdir, 'journal.jsonl')), journalBytes, 'nothing written to the journal after the seal');
    const verify = await keyceremonyInProcess(['journal', 'verify', workdir], { env: fx.env });
    t.equal(verify.code, 0, verify.stderr);
  });
}

t.test('a second resume after the closing was acknowledged: the screen again, with no crash claimed', async (t) => {
  const tr = translator('en');
  let frame = '';
  const result = await resumeAtTerminal('en', async (ui) => {
    await ui.waitFor(tr('closing.hash'), 10_000);
    frame = await readWhole(ui);
    await ui.answer('wendy');
  });
  t.equal(result.code, 0);
  const flat = frame.replace(/\s+/g, ' ');
  t.ok(flat.includes(tr('closing.resumedSealed', { seq: seal.seq, time: sealShown('date-time') })), 'shown again');
  t.notMatch(flat, tr('deviation.crashed'), 'the reports were written: that run ended in order, no crash is listed');
  t.ok(flat.includes(tr('deviation.count', { n: 3 }).replace(/\s+/g, ' ')));
});
