// What each step type is: whether it is sensitive (needs a performer and a witness who are
// different people from non-conflicting roles, DESIGN principle 2) and its default title.
import type { Bilingual, StepType } from './schema.js';

export const SENSITIVE_STEPS: ReadonlySet<StepType> = new Set<StepType>([
  'init-token',
  'split-credential',
  'rotate-credential',
  'unlock',
  'generate-key',
  'create-csr',
  'self-sign',
  'issue-certificate',
  'accept-certificate',
  'issue-crl',
  'destroy-key',
]);

/** Steps that need the token unlocked as user before they run. */
export const NEEDS_USER_LOGIN: ReadonlySet<StepType> = new Set<StepType>([
  'generate-key',
  'create-csr',
  'self-sign',
  'issue-certificate',
  'issue-crl',
  'destroy-key',
]);

export const DEFAULT_TITLES: Record<StepType, Bilingual> = {
  'sign-in': { en: 'Sign in participants', 'zh-TW': '參與人員簽到' },
  record: { en: 'Record values', 'zh-TW': '記錄資料' },
  confirm: { en: 'Confirm', 'zh-TW': '確認' },
  exception: { en: 'Record deviations', 'zh-TW': '記錄異常事項' },
  'sign-off': { en: 'Sign off', 'zh-TW': '簽署確認' },
  'init-token': { en: 'Initialise token and split its PINs', 'zh-TW': '初始化載具並分持PIN碼' },
  'split-credential': { en: 'Set and split a new PIN', 'zh-TW': '設定並分持新PIN碼' },
  'rotate-credential': { en: 'Change the PIN and its custodians', 'zh-TW': '變更PIN碼及保管人' },
  unlock: { en: 'Unlock the token with a quorum', 'zh-TW': '多人控管啟用載具' },
  lock: { en: 'Lock the token', 'zh-TW': '關閉載具' },
  'generate-key': { en: 'Generate the key pair', 'zh-TW': '產製金鑰對' },
  'create-csr': { en: 'Create the certificate request', 'zh-TW': '產製憑證申請檔' },
  'self-sign': { en: 'Self-sign the root certificate', 'zh-TW': '自簽根憑證' },
  'issue-certificate': { en: 'Issue the certificate', 'zh-TW': '簽發憑證' },
  'accept-certificate': { en: 'Check and accept the certificate', 'zh-TW': '憑證接受確認' },
  'issue-crl': { en: 'Issue the CRL', 'zh-TW': '簽發憑證廢止清冊' },
  'destroy-key': { en: 'Destroy the key', 'zh-TW': '銷毀金鑰' },
};

export function isSensitive(type: StepType): boolean {
  return SENSITIVE_STEPS.has(type);
}
