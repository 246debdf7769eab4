// Issue 16 item 9: sign-in takes the roles as shown on screen, in either language (a title
// may have spaces), as well as their numbers and ids.
import t from 'tap';
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
