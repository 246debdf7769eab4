// A refused share's sentence on a zh-TW screen (deviations step, closing read-aloud) names the
// other credential by its title, as the share entry does, not by its id (review at 80x24, C9:
// 這是 test-so-pin 的分持碼).
import t from 'tap';
import { credentialTitle } from '../../src/definition/definition.js';
import { problemText } from '../../src/ui/problem-text.js';
import { translator } from '../../src/ui/i18n/index.js';
import { deviationNames } from '../../src/ui/model/facts.js';
import { screenContext } from './helpers/screen-context.js';

const ALL_STEPS = new URL('../fixtures/engine/all-steps.yaml', import.meta.url).pathname;

for (const [code, details] of [
  ['share.foreign-set', { setId: 'SSSS0000', expectedSet: 'UUUU1111', otherCredential: 'test-so-pin' }],
  ['share.superseded-set', { setId: 'OLDU0000', expectedSet: 'UUUU1111', otherCredential: 'test-user-pin' }],
] as const) {
  t.test(code, async (t) => {
    const sc = screenContext(ALL_STEPS, 'zh-TW');
    const text = problemText(translator('zh-TW'), 'zh-TW', { step: 'unlock', code, message: 'the share …', hint: undefined, details }, deviationNames(sc));
    const title = credentialTitle(sc.definition, details.otherCredential, 'zh-TW');
    t.not(title, details.otherCredential, 'control: the credential has a title of its own');
    t.match(text, title, 'named by its title');
    t.notMatch(text, details.otherCredential, 'not by its id');
    t.match(text, details.setId);
  });
}
