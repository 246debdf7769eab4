// The terms an auditor and a custodian must read the same way. 多人控管 is defined as the
// GPKI certificate policy (v2.0) defines it, because that is what the ceremony has to meet;
// each term is given in both languages whatever the language of the document.
import type { GlossaryBlock } from './document.js';
import type { Lang } from './i18n.js';

interface Term {
  zh: string;
  en: string;
  definition: Record<Lang, string>;
}

const TERMS: readonly Term[] = [
  {
    zh: '多人控管',
    en: 'multiple person control',
    definition: {
      en: 'As the GPKI certificate policy defines it: a single operation must be performed by at least two persons, simultaneously and separately, so that no one can perform and complete it alone. keyceremony requires it at the terminal for every sensitive step: the performer and at least one witness act under different participant ids, from roles that do not conflict, and a token is unlocked only by a quorum of custodians. That the ids are different people is checked on paper (the attendance sheet with an ID check), not by keyceremony.',
      'zh-TW':
        '依政府機關公開金鑰基礎建設（GPKI）憑證政策之定義：單一作業須由至少兩人同時且分別執行，使任何一人均無法單獨執行並完成該作業。keyceremony 於終端機上對每一個機敏步驟要求：執行人與至少一位見證人以不同參與人員代號為之，且所屬角色不互斥；載具須由足額保管人共同啟用。各代號確為不同人員一事，係以紙本簽到表及身分查驗確認，非由 keyceremony 確認。',
    },
  },
  {
    zh: '機敏性資訊',
    en: 'sensitive information',
    definition: {
      en: 'Information whose disclosure, alteration or loss would harm the CA or those who rely on it: private keys, PINs and other activation data, and PIN shares. None of it is written to the journal or to this document; they record only fingerprints and public facts.',
      'zh-TW':
        '一旦洩漏、遭竄改或遺失，即會損及憑證機構或信賴憑證者之資訊，例如私密金鑰、PIN 碼等啟用資料及分持碼。此類資訊均不寫入日誌或本文件，兩者僅記錄指紋與可公開之事實。',
    },
  },
  {
    zh: '憑證用戶',
    en: 'subscriber',
    definition: {
      en: 'The person or organisation to whom a certificate is issued, who is named as its subject and holds the corresponding private key. For a CA certificate requested at this ceremony, the CA itself is the subscriber of the issuing CA.',
      'zh-TW':
        '經憑證機構簽發憑證，於憑證中列為主體名稱並持有對應私密金鑰之個人或組織。於本儀式申請之 CA 憑證，其憑證用戶即為該憑證機構本身，向上層簽發機構申請。',
    },
  },
  {
    zh: '見證人',
    en: 'witness',
    definition: {
      en: 'A participant who watches a step being performed and confirms it at the ceremony terminal; never the person who performs it.',
      'zh-TW': '於現場觀看步驟之執行，並於儀式終端機上確認之參與人員；不得為該步驟之執行人。',
    },
  },
  {
    // 分持碼, the screens' and the share cards' word (docs/zh-TW-glossary.md), not PIN 碼分持 (round 18).
    zh: '分持碼',
    en: 'PIN share',
    definition: {
      en: 'One of the pieces a PIN is split into (Shamir secret sharing): any threshold number of them, entered by their custodians, recover the PIN; fewer reveal nothing about it.',
      'zh-TW': 'PIN 碼經秘密分持（Shamir）切分後之一份：達門檻數量之分持碼由其保管人輸入即可還原 PIN 碼，少於門檻則無法得知 PIN 碼之任何資訊。',
    },
  },
  {
    zh: '指紋與 PGP 字詞',
    en: 'fingerprint and PGP words',
    definition: {
      en: 'The SHA-256 of a key or file, shown as hexadecimal in groups of four and as PGP words (one English word per byte), so that it can be read aloud, compared and written on the paper log.',
      'zh-TW': '金鑰或檔案之 SHA-256 值，以每四字一段之十六進位及 PGP 字詞（每一位元組一個英文字）呈現，以便朗讀、比對並抄錄於紙本紀錄。',
    },
  },
  {
    zh: '雜湊鏈日誌',
    en: 'hash-chained journal',
    definition: {
      en: 'The record keyceremony writes during the ceremony: one line per event, each holding the hash of the one before, so that any change, removal or reordering is detected. The last record seals it.',
      'zh-TW': 'keyceremony 於儀式中寫入之紀錄：每一事件一行，每行包含前一行之雜湊值，任何竄改、刪除或順序錯置皆可被偵測。最後一筆紀錄將其封存。',
    },
  },
];

export function glossary(lang: Lang): GlossaryBlock {
  return {
    kind: 'glossary',
    // Full-width brackets in zh-TW text, as everywhere else (issue 16).
    terms: TERMS.map((term) => ({ term: lang === 'zh-TW' ? `${term.zh}（${term.en}）` : `${term.zh} (${term.en})`, definition: term.definition[lang] })),
  };
}
