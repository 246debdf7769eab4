// The role ids people use without giving them titles (the DESIGN.md sketch's roles, the
// default custodian role of a credential, a subscriber, the custodians of a recovery key).
// A definition that gives a role no title is still shown in words, in both languages, for
// these; any other untitled role is shown by its id in a marked form (see roleName in
// src/ui/model/people.ts and src/report/script.ts), so it is never mistaken for a word.
import type { Bilingual } from './primitives.js';

export const BUILT_IN_ROLE_TITLES: Readonly<Record<string, Bilingual>> = {
  administrator: { en: 'Administrator', 'zh-TW': '管理人員' },
  witness: { en: 'Witness', 'zh-TW': '見證人' },
  custodian: { en: 'Custodian', 'zh-TW': '保管人' },
  auditor: { en: 'Auditor', 'zh-TW': '稽核人員' },
  officer: { en: 'Security officer', 'zh-TW': '安全管理人員' },
  subscriber: { en: 'Subscriber', 'zh-TW': '憑證用戶' },
  'recovery-custodian': { en: 'Recovery custodian', 'zh-TW': '復原分持人' },
};

/** The role's title as the definition gives it, else the built-in title of its id, else undefined. */
export function roleTitles(roles: Readonly<Record<string, { title?: Bilingual | undefined }>>, role: string): Bilingual | undefined {
  return roles[role]?.title ?? (Object.hasOwn(BUILT_IN_ROLE_TITLES, role) ? BUILT_IN_ROLE_TITLES[role] : undefined);
}
