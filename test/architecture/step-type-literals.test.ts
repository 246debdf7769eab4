// DESIGN principle 9: code outside src/steps iterates the step registry instead of naming
// step types. Two scans: the step-type names that cannot be another word (the hyphenated
// ones) anywhere as a string literal; and every name, the short ones too (`record`, `lock`,
// `exception` are also field kinds, event types and words), where it is compared with a
// step's type or a step's type is switched on. Only the message catalogues may name them.
import t from 'tap';
import { STEP_TYPES } from '../../src/steps/index.js';
import { sourceFiles } from './helpers/source-graph.js';

/** Same spelling, other meaning: the record's section named after the sign-off (a SectionKey of src/report/document.ts), left out of the scan. */
const SECTION_KEY = /SECTION_KEYS = \[[^\]]*\]|topSection\('sign-off'|sections\['sign-off'\]|sectionRef\(\w+, 'sign-off'\)/g;

const names = STEP_TYPES.filter((type) => type.includes('-'));
const literal = new RegExp(`['"\`](${names.join('|')})['"\`]`, 'g');
/** `step.type === 'lock'`, `'record' !== step.type`, `switch (s.step.type)`: a branch on a step's type. */
const onStepType = new RegExp(
  [
    `\\bstep\\.type\\s*[!=]==?\\s*['"\`](${STEP_TYPES.join('|')})['"\`]`,
    `['"\`](${STEP_TYPES.join('|')})['"\`]\\s*[!=]==?\\s*step\\.type\\b`,
    `switch\\s*\\(\\s*(?:\\w+\\.)*step\\.type\\s*\\)`,
  ].join('|'),
  'g',
);

const outsideSteps = () => sourceFiles().filter((file) => !file.path.startsWith('src/steps/') && !/\/i18n(\/|\.ts$)/.test(file.path));

t.test('the scans find what they look for', async (t) => {
  t.ok(names.length >= 10, `${names.length} hyphenated step types scanned`);
  t.ok(STEP_TYPES.includes('lock') && STEP_TYPES.includes('record'), 'the short names are step types');
  for (const branch of ["if (step.type === 'lock')", 'step.type !== "record"', "'exception' === step.type", 'switch (step.type) {', 'switch (s.step.type) {'])
    t.match(branch, new RegExp(onStepType.source), `found in: ${branch}`);
  for (const other of ["event.type === 'exception'", "case 'exception':", "kind: 'record'", 'step.typed'])
    t.notMatch(other, new RegExp(onStepType.source), `not taken for a branch on a step type: ${other}`);
  t.match("produces: 'generate-key'", new RegExp(literal.source), 'a hyphenated literal is found');
  t.match("step.type === 'sign-off'".replace(SECTION_KEY, ''), new RegExp(literal.source), 'the sign-off step is found');
  t.notMatch(
    "sectionRef(s, 'sign-off'), topSection('sign-off', t.sections['sign-off'])".replace(SECTION_KEY, ''),
    new RegExp(literal.source),
    'the sign-off section is not',
  );
});

t.test('no step-type name as a string literal outside src/steps and the message catalogues', async (t) => {
  for (const file of outsideSteps()) {
    const found = [...file.text.replace(SECTION_KEY, '').matchAll(literal)].map((m) => m[1]!);
    t.same(found, [], `${file.path}: no step-type literals`);
  }
});

t.test('no branch on a step type, short names included, outside src/steps', async (t) => {
  for (const file of outsideSteps()) {
    const found = [...file.text.matchAll(onStepType)].map((m) => m[0]);
    t.same(found, [], `${file.path}: no branch on a step's type`);
  }
});
