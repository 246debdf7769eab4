// Issue 16 item 9: sign-in takes the roles as shown on screen, in either language (a title
// may have spaces), as well as their numbers and ids.
import t from 'tap';
import { Box } from 'ink';
import type { Participant } from '../../src/ceremony/types.js';
import { SignInScreen } from '../../src/ui/screens/sign-in.js';
import { renderUi } from './helpers/render.js';
import { parseRoles } from '../../src/ui/screens/sign-in.js';
import { roleLines } from '../../src/ui/model/people.js';
import type { Definition } from '../../src/definition/definition.js';

const definition = {
  roles: {
    administrator: { min: 1, title: { en: 'CA administrator', 'zh-TW': '管理員' } },
    witness: { min: 1, title: { en: 'Witness', 'zh-TW': '見證人' } },
    custodian: { min: 2, title: { en: 'PIN custodian', 'zh-TW': '保管人' } },
    auditor: { min: 0 },
  },
} as unknown as Definition;

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: numbers, ids and titles in either language name the same roles`, async (t) => {
    const roles = roleLines(definition, lang);
    const ids = (text: string) => parseRoles(text, roles).map((r) => r.role ?? `?${r.typed}`);
    t.same(ids('1, 3'), ['administrator', 'custodian']);
    t.same(ids('administrator custodian'), ['administrator', 'custodian']);
    t.same(ids('管理員、保管人'), ['administrator', 'custodian']);
    t.same(ids('CA administrator, PIN custodian'), ['administrator', 'custodian'], 'titles with spaces');
    t.same(ids('ca  ADMINISTRATOR pin custodian'), ['administrator', 'custodian'], 'case and spacing aside, even without a comma');
    t.same(ids('見證人 auditor'), ['witness', 'auditor'], 'a role without a title by its id');
    t.same(ids('管理員，notary'), ['administrator', '?notary'], 'an unknown role is named as typed');
    t.same(ids('5'), ['?5'], 'a number past the list is unknown');
  });
}

// Titles as the Healthcare CA's definitions write them, longer than what people say.
const long = {
  roles: {
    administrator: { min: 1, title: { en: 'CA administrator', 'zh-TW': '憑證管理中心管理員' } },
    'key-admin': { min: 0, title: { en: 'Key administrator', 'zh-TW': '金鑰管理員' } },
    witness: { min: 1, title: { en: 'Witness', 'zh-TW': '見證人' } },
  },
} as unknown as Definition;

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: a part of a title names the one role whose title holds it; a part two titles hold names neither`, async (t) => {
    const roles = roleLines(long, lang);
    const ids = (text: string) => parseRoles(text, roles).map((r) => r.role ?? `?${r.typed}`);
    t.same(ids('中心管理員'), ['administrator'], 'a part of 憑證管理中心管理員');
    t.same(ids('CA admin'), ['administrator'], 'a part of "CA administrator"');
    t.same(ids('CA admin, 見證'), ['administrator', 'witness']);
    t.same(parseRoles('管理員', roles)[0]!.ambiguous, ['administrator', 'key-admin'], '管理員 is in two titles: ambiguous, none chosen');
    t.same(parseRoles('admin', roles)[0]!.ambiguous, ['administrator', 'key-admin']);
    t.same(ids('見證人'), ['witness'], 'a whole title still wins');
    t.same(ids('證'), ['?證'], 'one character is too little to name a role');
    t.same(ids('notary'), ['?notary']);
  });
}

// Two roles with the same title in one language, and a title that is another role's id.
const shared = {
  roles: {
    administrator: { min: 1, title: { en: 'CA administrator', 'zh-TW': '管理員' } },
    'key-admin': { min: 1, title: { en: 'Key administrator', 'zh-TW': '管理員' } },
    witness: { min: 1, title: { en: 'Witness', 'zh-TW': '見證人' } },
    observer: { min: 0, title: { en: 'witness', 'zh-TW': '觀察員' } },
  },
} as unknown as Definition;

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: a title two roles share names neither; their numbers and other titles still work`, async (t) => {
    const roles = roleLines(shared, lang);
    const parsed = parseRoles('管理員', roles);
    t.same(parsed, [{ typed: '管理員', role: undefined, ambiguous: ['administrator', 'key-admin'] }], 'both roles it could mean, none chosen');
    t.same(parseRoles('Witness', roles)[0]!.ambiguous, ['witness', 'observer'], "a title that is another role's id");
    t.same(
      parseRoles('1, Key administrator, 觀察員', roles).map((r) => r.role),
      ['administrator', 'key-admin', 'observer'],
    );
  });

  t.test(`${lang}: the sign-in screen refuses an ambiguous title and an unknown one, saying which`, async (t) => {
    const submitted: Participant[][] = [];
    const ui = renderUi(
      <Box width={80}>
        <SignInScreen roles={roleLines(shared, lang)} conflicts={[]} onSubmit={(p) => submitted.push(p)} rows={15} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.answer('alice', 'Alice', '管理員');
    const ambiguous =
      lang === 'en'
        ? '"管理員" names more than one role (1 CA administrator, 2 Key administrator): type the number of the one you mean'
        : '「管理員」可指多個角色（1 管理員、2 管理員）：請輸入所指角色的編號';
    t.match(ui.frame().replace(/\s+/g, ' '), ambiguous);
    await ui.press('enter');
    t.notMatch(ui.frame(), /✓? *alice\s+Alice/, 'alice is not signed in with a role she did not choose');
    await ui.press('ctrlU');
    await ui.answer('root');
    t.match(ui.frame(), lang === 'en' ? '"root" is not a role of this ceremony' : '「root」不是本儀式的角色');
    await ui.press('ctrlU');
    await ui.answer('witness');
    t.match(
      ui.frame().replace(/\s+/g, ' '),
      lang === 'en' ? '"witness" names more than one role (3 Witness, 4 witness)' : '「witness」可指多個角色（3 見證人、4 觀察員）',
      "one role's id, another's title",
    );
    await ui.press('ctrlU');
    await ui.answer('2');
    t.match(ui.frame(), /alice\s+Alice\s+(Key administrator|管理員)/, 'the number names the one role');
    t.same(submitted, []);
  });
}

// Someone signed in with two roles: the list names both, joined as the language lists things
// (「管理員、保管人」 in zh-TW, not an English comma).
for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: a participant with two roles is listed with the language's list separator`, async (t) => {
    const ui = renderUi(
      <Box width={80}>
        <SignInScreen roles={roleLines(definition, lang)} conflicts={[]} onSubmit={() => undefined} rows={15} width={80} />
      </Box>,
      { lang },
    );
    t.teardown(ui.unmount);
    await ui.answer('alice', '王小明 Alice', '1 3');
    t.match(ui.frame(), lang === 'en' ? /alice\s+王小明 Alice\s+CA administrator, PIN custodian/ : /alice\s+王小明 Alice\s+管理員、保管人/);
  });
}
