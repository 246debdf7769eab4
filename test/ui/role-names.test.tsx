// Issue 16 (zh-TW complete): roles and custodians by name, never a bare id that passes for a
// word. A built-in role id without a title gets the catalogue's title in both languages; an
// unknown untitled id is shown marked as an id; a custodian of the share set who has not
// signed in is listed on the unlock screen by role title, marked as not signed in.
import t from 'tap';
import { Box } from 'ink';
import type { Definition } from '../../src/definition/definition.js';
import { custodianName, roleLines, roleName } from '../../src/ui/model/people.js';
import { chosenRoles } from '../../src/ui/screens/sign-in.js';
import { ShareEntryScreen } from '../../src/ui/screens/share-entry.js';
import { renderUi } from './helpers/render.js';
import { FIXTURE, PEOPLE, screenContext } from './helpers/screen-context.js';

const untitled = {
  roles: { administrator: { min: 1 }, witness: { min: 1 }, custodian: { min: 2 }, auditor: { min: 0 }, 'key-clerk': { min: 0 } },
} as unknown as Definition;

t.test('built-in role ids without a title are shown by the catalogue title; an unknown one as a marked id', async (t) => {
  t.same(
    Object.keys(untitled.roles).map((role) => roleName(untitled, role, 'en')),
    ['Administrator', 'Witness', 'Custodian', 'Auditor', 'role id "key-clerk"'],
  );
  t.same(
    Object.keys(untitled.roles).map((role) => roleName(untitled, role, 'zh-TW')),
    ['管理人員', '見證人', '保管人', '稽核人員', '角色代號「key-clerk」'],
  );
  const titled = { roles: { administrator: { min: 1, title: { en: 'CA administrator', 'zh-TW': '管理員' } } } } as unknown as Definition;
  t.equal(roleName(titled, 'administrator', 'zh-TW'), '管理員', "the definition's own title comes first");
});

t.test('sign-in takes a built-in title in either language for an untitled role', async (t) => {
  for (const lang of ['en', 'zh-TW'] as const) {
    const roles = roleLines(untitled, lang);
    t.same(chosenRoles('保管人, Witness', roles), ['custodian', 'witness'], lang);
  }
});

t.test('a role typed twice (number, id, title in either language) is taken once', async (t) => {
  const roles = roleLines(untitled, 'zh-TW');
  t.same(chosenRoles('3, custodian, 保管人, Custodian', roles), ['custodian']);
  t.same(chosenRoles('witness 2 auditor', roles), ['witness', 'auditor'], 'in the order typed');
});

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: unlock: a custodian of the set who has not signed in shows by role, marked, not as a bare id`, async (t) => {
    // dave holds share 2 but is not among those signed in.
    const sc = screenContext(FIXTURE('small.yaml'), lang, { participants: PEOPLE.filter((p) => p.id !== 'dave') });
    const custodians = ['carol', 'dave'].map((id, i) => ({ id, name: custodianName(sc, 'test-user-pin', id), index: i + 1, entered: false }));
    t.same(
      custodians.map((c) => c.name),
      lang === 'en' ? ['張淑芬 Carol', 'custodian, not signed in'] : ['張淑芬 Carol', '保管人（未簽到）'],
    );
    const ui = renderUi(
      <Box width={80}>
        <ShareEntryScreen intro="" setId="ABCD1234" threshold={2} custodians={custodians} onOffer={() => undefined} rows={15} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    t.match(ui.frame(), lang === 'en' ? /· dave\s+custodian, not signed in\s+share 2/ : /· dave\s+保管人（未簽到）\s+第 2 份/);
    t.notMatch(ui.frame(), /dave\s+dave/, 'the id is not shown twice');
  });
}
