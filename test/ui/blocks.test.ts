// Laying out what a screen shows into lines of 80 columns.
import t from 'tap';
import { blockLines } from '../../src/ui/model/blocks.js';
import { displayWidth } from '../../src/util/text-width.js';

t.test('facts: labels padded by display width, long values wrapped under the value column', async (t) => {
  const lines = blockLines(
    [
      {
        kind: 'facts',
        facts: [
          { label: '主體名稱', value: 'C=TW, O=行政院, CN=醫事憑證管理中心 - G3' },
          { label: 'Key', value: 'x '.repeat(60).trim() },
        ],
      },
    ],
    40,
  );
  t.ok(
    lines.every((l) => displayWidth(l.text) <= 40),
    lines.map((l) => l.text).join('\n'),
  );
  const valueColumn = (text: string, value: string) => displayWidth(text.slice(0, text.indexOf(value)));
  t.equal(valueColumn(lines[0]!.text, 'C=TW'), valueColumn(lines.find((l) => l.text.includes('Key'))!.text, 'x x'));
  t.ok(lines.length > 3, 'the long value goes on over several lines');
});

t.test('preformatted text (what will be signed) is wrapped, never cut', async (t) => {
  const long = `    1. certificatePolicies, not critical: ${'2.16.886.101.0.3.1.1, '.repeat(4)}end`;
  const lines = blockLines([{ kind: 'pre', lines: [long] }], 80).map((l) => l.text);
  t.ok(lines.length > 1);
  t.ok(lines.every((l) => displayWidth(l) <= 80));
  t.equal(
    lines
      .map((l) => l.trim())
      .join(' ')
      .replace(/\s+/g, ' '),
    long.trim().replace(/\s+/g, ' '),
    'nothing is lost',
  );
  t.match(lines[1]!, /^ {8}\S/, 'continuation lines are indented');
});
