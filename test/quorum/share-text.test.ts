// One normalisation of typed share text (src/quorum/share-text.ts): the handouts check
// (a new share typed back) reads a share exactly as the share entry does.
import t from 'tap';
import { sameShareText } from '../../src/quorum/share-text.js';

const SHARE = 'KC1AB-0C1D2-EFGH3';

t.test('separators: spaces, line breaks, the hyphen and the Unicode dashes and minus sign', async (t) => {
  for (const dash of ['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', ' ', '\n', '']) {
    t.ok(sameShareText(SHARE, `KC1AB${dash}0C1D2${dash}EFGH3`), `separated by ${JSON.stringify(dash)}`);
  }
});

t.test('case and the Crockford aliases (O -> 0, I and L -> 1) do not matter', async (t) => {
  t.ok(sameShareText(SHARE, 'kc1ab-oc1d2-efgh3'));
  t.ok(sameShareText(SHARE, 'KCIAB-0CLD2-EFGH3'));
});

t.test('any other difference is a different share', async (t) => {
  t.notOk(sameShareText(SHARE, 'KC1AB-0C1D2-EFGH4'), 'one symbol');
  t.notOk(sameShareText(SHARE, 'KC1AB-0C1D2-EFGH'), 'one symbol short');
  t.notOk(sameShareText(SHARE, 'KC1AB_0C1D2_EFGH3'), 'an underscore is not a separator');
  t.notOk(sameShareText(SHARE, 'KC1AB.0C1D2.EFGH3'), 'nor a full stop');
});
