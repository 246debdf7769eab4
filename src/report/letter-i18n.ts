// The words of the post-ceremony attestation letter (issue 22 item 14), in English and
// Traditional Chinese (Taiwan government usage: 憑證管理中心, 安全管理人員). Only the frame:
// the tables inside it reuse the record's own words (i18n.ts), so the letter and the record
// name the same things the same way.
import type { Lang } from './i18n.js';

export interface LetterMessages {
  title: (ceremonyTitle: string) => string;
  runningHead: string;
  footer: (ceremony: string, sha: string, tool: string) => string;
  intro: string;
  sections: { ceremony: string; hsm: string; keys: string; outputs: string; participants: string; journal: string; deviations: string; attestation: string };
  place: string;
  placeNotRecorded: string;
  timeZone: string;
  whatHappened: string;
  keyGenerated: (step: string) => string;
  keyRestored: (step: string) => string;
  keyUsed: (step: string) => string;
  keyDestroyed: (step: string) => string;
  auditKeyGenerated: (step: string) => string;
  noKeys: string;
  noOutputs: string;
  role: string;
  people: string;
  records: (count: number) => string;
  checkpoints: (verified: number, total: number) => string;
  deviationsNone: string;
  deviationsIntro: (count: number) => string;
  statement: (sha: string, deviations: number) => string;
  recordsLabel: string;
  securityOfficer: string;
  jobTitle: string;
  certificationAuthority: string;
  witness: string;
}

const en: LetterMessages = {
  title: (ceremonyTitle) => `Key ceremony attestation letter: ${ceremonyTitle}`,
  runningHead: 'attestation letter',
  footer: (ceremony, sha, tool) => `${ceremony} · attestation letter · definition SHA-256 ${sha} · ${tool}`,
  intro:
    "Made by keyceremony from the ceremony's journal after the journal verified. Every fact below is as the journal records it; the signatures are given on paper.",
  sections: {
    ceremony: 'The ceremony',
    hsm: 'HSM and tokens',
    keys: 'Keys generated, used or destroyed',
    outputs: 'Certificates, requests, CRLs and other files produced',
    participants: 'Participants by role',
    journal: 'The journal',
    deviations: 'Deviations',
    attestation: 'Attestation',
  },
  place: 'Place',
  placeNotRecorded: 'not recorded in the journal (write it in by hand)',
  timeZone: 'Time zone of the times shown',
  whatHappened: 'At this ceremony',
  keyGenerated: (step) => `generated at ${step}`,
  keyRestored: (step) => `restored from its backup at ${step}`,
  keyUsed: (step) => `used at ${step}`,
  keyDestroyed: (step) => `destroyed at ${step}`,
  auditKeyGenerated: (step) => `generated at ${step} (audit key of the journal checkpoints)`,
  noKeys: 'No key was generated, used or destroyed.',
  noOutputs: 'No file was produced.',
  role: 'Role',
  people: 'Participants',
  records: (count) => `${count} records, hash-chained`,
  checkpoints: (verified, total) =>
    total === 0 ? 'none (the final hash on the paper log covers every record)' : `${total} signed in the HSM, ${verified} of them verified with the audit key`,
  deviationsNone: 'None: no exception, pause, refusal, failure, interruption or abort was recorded, and no sign-off says the script was not followed.',
  deviationsIntro: (count) => `${count} recorded, as the journal holds them:`,
  statement: (sha, deviations) =>
    `I attest that the key ceremony described above took place as recorded, that it followed the approved ceremony script (definition SHA-256 ${sha}) ${deviations === 0 ? 'without deviation' : `except for the ${deviations === 1 ? 'deviation' : `${deviations} deviations`} listed above`}, and that its journal ends with the final hash shown in section 6, as read aloud at the ceremony.`,
  recordsLabel: 'Records',
  securityOfficer: "The certification authority's security officer",
  jobTitle: 'Title',
  certificationAuthority: 'Certification authority',
  witness: 'Witness',
};

const zhTW: LetterMessages = {
  title: (ceremonyTitle) => `金鑰儀式見證聲明書：${ceremonyTitle}`,
  runningHead: '見證聲明書',
  footer: (ceremony, sha, tool) => `${ceremony}・見證聲明書・定義檔 SHA-256 ${sha}・${tool}`,
  intro: '本聲明書由 keyceremony 於儀式日誌驗證無誤後，依日誌產製。以下事實均依日誌所載；簽名以紙本為之。',
  sections: {
    ceremony: '儀式',
    hsm: '硬體安全模組及載具',
    keys: '產製、使用或銷毀之金鑰',
    outputs: '產出之憑證、憑證請求檔、憑證廢止清冊及其他檔案',
    participants: '各角色參與人員',
    journal: '儀式日誌',
    deviations: '異常事項',
    attestation: '聲明',
  },
  place: '地點',
  placeNotRecorded: '日誌未記錄（請以手寫填入）',
  timeZone: '所示時間之時區',
  whatHappened: '於本儀式',
  keyGenerated: (step) => `於${step}產製`,
  keyRestored: (step) => `於${step}自備份回復`,
  keyUsed: (step) => `於${step}使用`,
  keyDestroyed: (step) => `於${step}銷毀`,
  auditKeyGenerated: (step) => `於${step}產製（日誌查核點之稽核金鑰）`,
  noKeys: '未產製、使用或銷毀任何金鑰。',
  noOutputs: '未產出任何檔案。',
  role: '角色',
  people: '參與人員',
  records: (count) => `共 ${count} 筆紀錄，以雜湊值串鏈`,
  checkpoints: (verified, total) =>
    total === 0 ? '無（紙本紀錄上之最終雜湊值涵蓋所有紀錄）' : `硬體安全模組簽署 ${total} 個，其中 ${verified} 個經稽核金鑰驗證`,
  deviationsNone: '無：未記錄任何異常、暫停、拒絕、失敗、中斷或中止，亦無簽署確認表示未依腳本執行。',
  deviationsIntro: (count) => `共記錄 ${count} 項，依日誌所載如下：`,
  statement: (sha, deviations) =>
    `本人聲明：上述金鑰儀式確依紀錄所載進行，${deviations === 0 ? '完全依照' : `除上列 ${deviations} 項異常事項外，均依照`}核定之儀式腳本（定義檔 SHA-256 ${sha}）執行，且其日誌最終雜湊值即第 6 節所列、於儀式中朗讀之值。`,
  recordsLabel: '紀錄筆數',
  securityOfficer: '憑證管理中心安全管理人員',
  jobTitle: '職稱',
  certificationAuthority: '憑證管理中心',
  witness: '見證人',
};

const CATALOGUE: Readonly<Record<Lang, LetterMessages>> = { en, 'zh-TW': zhTW };

export function letterMessages(lang: Lang): LetterMessages {
  return CATALOGUE[lang];
}
