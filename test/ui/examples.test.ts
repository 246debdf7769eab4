// Issue 16 item 12: the examples on screen are this ceremony's own people (the ids signed
// in, in the role the field asks for), never an invented "alice"; the header's clock names
// its zone once.
import t from 'tap';
import { CATALOGUES } from '../../src/ui/i18n/index.js';
import { formatClock } from '../../src/ui/model/clock.js';
import { peopleFields, twoPeopleFields } from '../../src/ui/model/people.js';
import { ENGINE_FIXTURE, screenContext, stepOf } from './helpers/screen-context.js';

t.test('the clock names the zone once', async (t) => {
  t.equal(formatClock(new Date('2025-05-01T02:03:04Z'), 'Asia/Taipei'), '2025-05-01 10:03:04 UTC+08:00 Asia/Taipei');
  t.equal(formatClock(new Date('2025-05-01T02:03:04Z'), 'UTC'), '2025-05-01 02:03:04 UTC');
  t.equal(formatClock(new Date('2025-05-01T02:03:04Z'), 'Europe/London'), '2025-05-01 03:03:04 UTC+01:00 Europe/London');
});

t.test('no catalogue gives an invented person as an example', async (t) => {
  for (const [lang, messages] of Object.entries(CATALOGUES)) {
    for (const [key, text] of Object.entries(messages)) t.notMatch(text, /\balice\b/i, `${lang} ${key}`);
  }
});

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: id fields name the people of this ceremony who may answer`, async (t) => {
    const sc = screenContext(ENGINE_FIXTURE, lang);
    const [performer, witness] = peopleFields(sc, stepOf(sc, 'keygen'));
    const sep = lang === 'en' ? ', ' : '、';
    t.match(performer!.help, /: alice$|：alice$/, 'the administrators signed in');
    t.match(witness!.help, `wendy${sep}walter`, 'the witnesses signed in');
    t.notMatch(witness!.help, 'carol', 'not someone outside the role');
    const [first] = twoPeopleFields(sc);
    t.match(first!.help, `alice${sep}wendy${sep}walter${sep}carol${sep}…`, 'anyone signed in, at most four shown');
    const nobody = screenContext(ENGINE_FIXTURE, lang, { participants: [] });
    t.equal(twoPeopleFields(nobody)[0]!.help, nobody.t('people.typeOwnId'), 'nobody to name yet');
  });
}
