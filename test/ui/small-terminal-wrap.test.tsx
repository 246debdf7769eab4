// Wrapping at 80 columns (issue 16 item 10, polish): long paths, names and deviation lines
// break at spaces, `/`, `-` or between CJK characters, never inside a Latin word or a hex
// group, no line is wider than the terminal, and continuation lines keep their indent.
import t from 'tap';
import { Box } from 'ink';
import stringWidth from 'string-width';
import { RecordLog } from '../../src/ui/components/record-log.js';
import { deviationBlocks } from '../../src/ui/model/closing.js';
import { translator } from '../../src/ui/i18n/index.js';
import { ApprovalScreen } from '../../src/ui/screens/approval.js';
import type { Block } from '../../src/ui/model/blocks.js';
import type { Deviation } from '../../src/ceremony/deviations.js';
import { overWide, renderUi } from './helpers/render.js';

const PATH = '/var/lib/keyceremony/ceremonies/hca-g3-keygen-rehearsal/2025-05-01T020304Z/journal.jsonl';
const NAME_EN = 'Maximilian Alexander Wolfeschlegelsteinhausen-Bergerdorff Montgomery-Fitzwilliam';
const NAME_ZH = '歐陽中華民國醫事憑證管理中心首席見證人 Maximilian Wolfeschlegelsteinhausen';
const DETAIL =
  'the share of custodian hn3 was refused because its checksum group 7e44 did not match, and the card was read again under the camera by Wolfeschlegelsteinhausen';

/** The Latin words (and hex groups) of `text`: each must show on one line, whole. */
const latinWords = (text: string) => text.split(/[^A-Za-z0-9]+/).filter((word) => word.length >= 4);

/** The lines of `frame` after the one holding `first`, up to the next line not indented by at least `indent`. */
function continuation(frame: string, first: string, indent: number): string[] {
  const lines = frame.split('\n');
  const at = lines.findIndex((line) => line.includes(first));
  const rest: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() === '' || !line.startsWith(' '.repeat(indent))) break;
    rest.push(line);
  }
  return rest;
}

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  const name = lang === 'en' ? NAME_EN : NAME_ZH;
  const deviations: Deviation[] = [
    { seq: 12, time: '2025-05-01T02:03:04.000Z', kind: 'share-refused', step: 'unlock', who: ['hn3'], detail: DETAIL },
    { seq: 15, time: '2025-05-01T02:09:44.000Z', kind: 'interrupted', step: 'keygen', who: ['walter'], detail: 'SIGINT' },
  ];
  const names = { person: (id: string) => (id === 'hn3' ? name : id), step: (id: string) => tr('deviation.step', { n: 4, title: id }) };
  const blocks: Block[] = [
    {
      kind: 'facts',
      facts: [
        { label: tr('deviation.step', { n: 1, title: 'x' }), value: PATH },
        { label: 'custodian', value: name },
      ],
    },
    ...deviationBlocks(tr, lang, deviations, names),
  ];

  t.test(`${lang}: a long path fact, a long name and deviation lines at 80 columns`, async (t) => {
    const ui = renderUi(
      <Box width={80}>
        <ApprovalScreen blocks={blocks} fields={[]} onSubmit={() => undefined} rows={40} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.same(overWide(frame), [], 'no line wider than 80 columns');
    for (const word of latinWords(`${PATH} ${name} ${DETAIL}`)) t.ok(frame.includes(word), `"${word}" on one line, whole`);
    for (const line of frame.split('\n')) {
      t.notMatch(line, /^\s*[，、。）」]/, `no line starts with closing punctuation: ${line}`);
    }

    // The path's value wraps under its own column (label width + 4), at a `/` or `-`.
    const pathLines = frame.split('\n').filter((line) => /keyceremony|ceremonies|journal\.jsonl|rehearsal|020304Z/.test(line));
    t.ok(pathLines.length > 1, `the path wraps: ${pathLines.join(' | ')}`);
    const valueColumn = stringWidth(pathLines[0]!.slice(0, pathLines[0]!.indexOf('/var')));
    for (const line of pathLines.slice(1)) t.equal(line.length - line.trimStart().length, valueColumn, `"${line}" under the value`);
    for (const line of pathLines.slice(0, -1)) t.match(line, /[/-]$/, `"${line}" breaks at / or -`);
    t.equal([pathLines[0]!.slice(pathLines[0]!.indexOf('/var')), ...pathLines.slice(1)].map((l) => l.trim()).join(''), PATH, 'the whole path, nothing cut');

    // Each deviation starts two columns in; its continuation lines hang at four.
    const refused = tr('deviation.share-refused');
    const lines = frame.split('\n');
    const first = lines.find((line) => line.includes('#12'))!;
    t.match(first, /^ {2}#12 /, 'the deviation line is indented by two');
    const more = continuation(frame, '#12', 4);
    t.ok(more.length >= 2, `the deviation wraps onto hanging lines: ${more.join(' | ')}`);
    t.ok(
      more.every((line) => /^ {4}\S/.test(line)),
      'every continuation line keeps the indent',
    );
    t.match([first, ...more].map((l) => l.trim()).join(' '), refused);
    t.match(
      lines.find((line) => line.includes('#15'))!,
      /^ {2}#15 /,
      'the next deviation starts at two again',
    );
  });

  t.test(`${lang}: a record line naming a long name and a path wraps under its indent`, async (t) => {
    const ui = renderUi(
      <RecordLog
        generation={0}
        width={80}
        items={[
          { kind: 'step', key: 's', number: 3, total: 7, id: 'backup', title: tr('deviation.step', { n: 3, title: 'backup' }), who: name, details: [PATH] },
        ]}
      />,
      { lang },
    );
    t.teardown(ui.unmount);
    const frame = ui.frame();
    t.same(overWide(frame), []);
    for (const word of latinWords(`${PATH} ${name}`)) t.ok(frame.includes(word), `"${word}" whole`);
    const lines = frame.split('\n').filter((line) => line.trim() !== '');
    t.ok(
      lines.slice(1).every((line) => line.startsWith('   ')),
      'continuation and detail lines stay indented',
    );
  });
}
