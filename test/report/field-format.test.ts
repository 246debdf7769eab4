// Issue 16 items 8 and 11: the plan and the report never show a record field's regular
// expression; they show its format in words and an example, in the reader's language.
import t from 'tap';
import { loadDefinition } from '../../src/definition/loader.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildPlan } from '../../src/report/plan.js';

const hca = loadDefinition('ceremonies/hca-g3-keygen.yaml');
const TOOL = { tool: 'keyceremony 0.1.0' };

t.test('a record field with a pattern shows its format and an example, never the pattern', async (t) => {
  const en = renderMarkdown(buildPlan(hca, 'en', TOOL));
  const zh = renderMarkdown(buildPlan(hca, 'zh-TW', TOOL));
  for (const text of [en, zh]) {
    t.notMatch(text, '[A-Z]{2}[0-9]{6}', 'no regular expression');
    t.notMatch(text, /\{\d+\}|\[0-9\]|\[A-Z\]/, 'no piece of one either');
  }
  t.match(en, 'Tamper-evident bag number (bag-number): format two capital letters and six digits, e.g. AB123456');
  t.match(zh, '防拆封袋編號：格式為兩個大寫英文字母加六位數字，例如 AB123456');
  t.notMatch(zh, '(bag-number)', 'the zh-TW text names the field by its label only (issue 16)');
});
