// The words of the history document, in English and Traditional Chinese (Taiwan usage). One
// interface, so a message missing in either language is a compile error. Names, labels,
// hashes and step types come from the journals and are shown as recorded.
import type { Lang } from '../util/lang.js';
import type { KeyEventKind } from './facts.js';
import type { FileKind } from '../ceremony/types.js';
import { messages as reportMessages } from '../report/i18n.js';

export interface HistoryMessages {
  title: string;
  subtitle: (count: number) => string;
  runningHead: string;
  footer: (tool: string) => string;
  clean: string;
  flagged: (count: number) => string;
  dryRun: string;
  sections: { ceremonies: string; findings: string; inputs: string; keys: string; shareSets: string; tokens: string; seals: string };
  noFindings: string;
  none: string;
  columns: {
    number: string;
    ceremony: string;
    workdir: string;
    opened: string;
    status: string;
    finalHash: string;
    input: string;
    kind: string;
    sha256: string;
    producedBy: string;
    event: string;
    what: string;
    when: string;
    who: string;
    setId: string;
    credential: string;
    threshold: string;
    custodians: string;
    created: string;
    replacedBy: string;
    usedIn: string;
    label: string;
    serial: string;
    model: string;
    firmware: string;
    ceremonies: string;
    object: string;
    sealedOut: string;
    openedIn: string;
    result: string;
  };
  statuses: { completed: string; aborted: string; open: string };
  unknownOrigin: string;
  /** Joins places in a list (the ceremonies of a fork). */
  and: string;
  /** A list's separator, a comma inside a list item, and a semicolon between items: half-width in en, full-width in zh-TW. */
  list: string;
  comma: string;
  semicolon: string;
  /** `text (aside)` / `text（aside）`. */
  aside: (text: string, aside: string) => string;
  /** `label: value` / `label：value`. */
  labelled: (label: string, value: string) => string;
  /** The kind of a file brought or made (share-manifest, certificate): its key in English, the report's word in Chinese. */
  fileKind: (kind: string) => string;
  keyHeading: (labels: string, tokens: string) => string;
  keyFields: { spki: string; algorithm: string; origin: string; originUnknown: string; state: string; destroyed: string; alive: string };
  keyEvents: Record<KeyEventKind, string>;
  witnessed: (names: string) => string;
  at: (ceremony: string, step: string | null, seq: number) => string;
  seal: { match: string; mismatch: string; gap: string; open: string; resealed: string };
  findings: {
    journal: (workdir: string, message: string) => string;
    file: (workdir: string, message: string) => string;
    sameJournal: (a: string, b: string) => string;
    inputUnknown: (input: string, at: string, sha: string, unconsumed: string) => string;
    inputLater: (input: string, at: string, output: string, by: string) => string;
    inputKind: (input: string, at: string, inputKind: string, output: string, outputKind: string) => string;
    consumedTwice: (output: string, producer: string, by: string) => string;
    ledgerFork: (ledger: string, origin: string, sha: string, by: string) => string;
    keyAfterDestruction: (key: string, destroyed: string, used: string, what: string) => string;
    setAfterRotation: (setId: string, rotated: string, used: string) => string;
    tokenSerial: (label: string, serials: string) => string;
    sealMismatch: (object: string, out: string, outValue: string, inAt: string, inValue: string) => string;
    sealGap: (object: string, out: string, next: string) => string;
  };
}

const en: HistoryMessages = {
  title: 'Key and custody history across ceremonies',
  subtitle: (count) => `${count} ceremonies, each journal verified, in the order they ran`,
  runningHead: 'history',
  footer: (tool) => `history across ceremonies · ${tool}`,
  clean: 'Nothing is flagged: every journal verifies, every input is an earlier output, and no key, share set or seal is out of order.',
  flagged: (count) => `${count} findings: see section 2. keyceremony history exits 1.`,
  dryRun: 'These ceremonies include dry runs (rehearsal tokens).',
  sections: {
    ceremonies: 'Ceremonies',
    findings: 'Findings',
    inputs: 'Inputs and where they came from',
    keys: 'Keys',
    shareSets: 'Share sets',
    tokens: 'Tokens',
    seals: 'Custody seals',
  },
  noFindings: 'None.',
  none: '—',
  columns: {
    number: '#',
    ceremony: 'Ceremony',
    workdir: 'Workdir',
    opened: 'Opened',
    status: 'Status',
    finalHash: 'Final journal hash',
    input: 'Input',
    kind: 'Kind',
    sha256: 'SHA-256',
    producedBy: 'Output of',
    event: 'Event',
    what: 'Step type',
    when: 'When',
    who: 'Who',
    setId: 'Set',
    credential: 'Credential',
    threshold: 'Threshold',
    custodians: 'Custodians',
    created: 'Created',
    replacedBy: 'Replaced by',
    usedIn: 'Used in',
    label: 'Label',
    serial: 'Serial',
    model: 'Model',
    firmware: 'Firmware',
    ceremonies: 'Ceremonies',
    object: 'Object',
    sealedOut: 'Sealed (out)',
    openedIn: 'Opened (in)',
    result: 'Result',
  },
  statuses: { completed: 'completed', aborted: 'aborted', open: 'not sealed' },
  unknownOrigin: 'no ceremony here',
  and: ' and ',
  list: ', ',
  comma: ', ',
  semicolon: '; ',
  aside: (text, aside) => `${text} (${aside})`,
  labelled: (label, value) => `${label}: ${value}`,
  fileKind: (kind) => kind,
  keyHeading: (labels, tokens) => `${labels} on ${tokens}`,
  keyFields: {
    spki: 'SPKI SHA-256',
    algorithm: 'Algorithm',
    origin: 'Origin',
    originUnknown: 'not made in these ceremonies',
    state: 'State',
    destroyed: 'destroyed',
    alive: 'on the token',
  },
  keyEvents: { placed: 'placed on the token', certified: 'certified', used: 'used', destroyed: 'destroyed' },
  witnessed: (names) => `witnessed by ${names}`,
  at: (ceremony, step, seq) => `${ceremony}${step === null ? '' : `, step ${step}`} (record ${seq})`,
  seal: { match: 'matches', mismatch: 'MISMATCH', gap: 'GAP', open: 'still sealed', resealed: 'sealed again' },
  findings: {
    journal: (workdir, message) => `${workdir}: the journal does not verify: ${message}`,
    file: (workdir, message) => `${workdir}: ${message}`,
    sameJournal: (a, b) => `${a} and ${b} hold the same journal (one ceremony counted twice)`,
    inputUnknown: (input, at, sha, unconsumed) =>
      `input ${input} of ${at} (SHA-256 ${sha}) is no output of these ceremonies${unconsumed === '' ? '' : `; swapped? earlier output of the same kind that nothing took in: ${unconsumed}`}`,
    inputLater: (input, at, output, by) => `input ${input} of ${at} is output ${output} of ${by}, which ran later`,
    inputKind: (input, at, inputKind, output, outputKind) =>
      `input ${input} of ${at} was taken in as ${inputKind}, but it is output ${output}, a ${outputKind}`,
    consumedTwice: (output, producer, by) => `output ${output} of ${producer} is meant to be taken in once, but was taken in by ${by}`,
    ledgerFork: (ledger, origin, sha, by) =>
      `CA ledger ${ledger} (${origin}; SHA-256 ${sha}) was carried on by more than one ceremony, ${by}: a fork, so the key has two branches of serial and CRL-number history; only one ceremony may carry on a ledger state`,
    keyAfterDestruction: (key, destroyed, used, what) => `key ${key} was destroyed in ${destroyed}, then ${what} in ${used}`,
    setAfterRotation: (setId, rotated, used) => `share set ${setId} was replaced in ${rotated}, then used in ${used}`,
    tokenSerial: (label, serials) => `token ${label} has different serial numbers: ${serials}`,
    sealMismatch: (object, out, outValue, inAt, inValue) => `${object}: sealed in ${outValue} at ${out}, but ${inValue} was opened at ${inAt}`,
    sealGap: (object, out, next) => `${object}: sealed in ${out}, then sealed again in ${next} with no seal opened in between (a gap in custody)`,
  },
};

const ZH_FILE_KINDS = reportMessages('zh-TW').fileKinds;

const zhTW: HistoryMessages = {
  title: '跨儀式金鑰與保管歷程',
  subtitle: (count) => `共 ${count} 場儀式，各日誌均已驗證，依執行先後排列`,
  runningHead: '歷程',
  footer: (tool) => `跨儀式歷程・${tool}`,
  clean: '無任何標示事項：各日誌均驗證通過，每項輸入皆為先前儀式之輸出，金鑰、分持組及封袋皆無順序異常。',
  flagged: (count) => `共 ${count} 項標示事項，見第 2 節。keyceremony history 結束碼為 1。`,
  dryRun: '這些儀式包含演練（演練用載具）。',
  sections: { ceremonies: '儀式', findings: '標示事項', inputs: '輸入及其來源', keys: '金鑰', shareSets: '分持組', tokens: '載具', seals: '保管封袋' },
  noFindings: '無。',
  none: '—',
  columns: {
    number: '#',
    ceremony: '儀式',
    workdir: '工作目錄',
    opened: '開始時間',
    status: '狀態',
    finalHash: '日誌最終雜湊值',
    input: '輸入',
    kind: '類別',
    sha256: 'SHA-256',
    producedBy: '來源輸出',
    event: '事件',
    what: '步驟類型',
    when: '時間',
    who: '執行者',
    setId: '分持組',
    credential: '啟用資料',
    threshold: '門檻',
    custodians: '保管人',
    created: '建立',
    replacedBy: '由此取代',
    usedIn: '使用於',
    label: '標籤',
    serial: '序號',
    model: '型號',
    firmware: '韌體',
    ceremonies: '儀式',
    object: '保管物',
    sealedOut: '封存（歸還）',
    openedIn: '開封（取出）',
    result: '結果',
  },
  statuses: { completed: '已完成', aborted: '已中止', open: '未封存' },
  unknownOrigin: '非本資料夾之儀式',
  and: ' 及 ',
  list: '、',
  comma: '，',
  semicolon: '；',
  aside: (text, aside) => `${text}（${aside}）`,
  labelled: (label, value) => `${label}：${value}`,
  // One word for each kind of file across the report and the history (issue 16 item 11).
  fileKind: (kind) => (Object.hasOwn(ZH_FILE_KINDS, kind) ? ZH_FILE_KINDS[kind as FileKind] : kind),
  keyHeading: (labels, tokens) => `${labels}（${tokens}）`,
  keyFields: {
    spki: 'SPKI SHA-256',
    algorithm: '演算法',
    origin: '來源',
    originUnknown: '非於這些儀式中產製',
    state: '狀態',
    destroyed: '已銷毀',
    alive: '仍在載具中',
  },
  keyEvents: { placed: '置於載具', certified: '簽發憑證', used: '使用', destroyed: '銷毀' },
  witnessed: (names) => `見證人：${names}`,
  at: (ceremony, step, seq) => `${ceremony}${step === null ? '' : `，步驟 ${step}`}（紀錄 ${seq}）`,
  seal: { match: '相符', mismatch: '不符', gap: '未記錄開封', open: '仍封存', resealed: '再次封存' },
  findings: {
    journal: (workdir, message) => `${workdir}：日誌驗證失敗：${message}`,
    file: (workdir, message) => `${workdir}：${message}`,
    sameJournal: (a, b) => `${a} 與 ${b} 為同一份日誌（同一場儀式重複計入）`,
    inputUnknown: (input, at, sha, unconsumed) =>
      `${at} 之輸入 ${input}（SHA-256 ${sha}）並非這些儀式之輸出${unconsumed === '' ? '' : `；是否遭調換？先前同類別且未被使用之輸出：${unconsumed}`}`,
    inputLater: (input, at, output, by) => `${at} 之輸入 ${input} 為較晚執行之 ${by} 的輸出 ${output}`,
    inputKind: (input, at, inputKind, output, outputKind) => `${at} 之輸入 ${input} 以 ${inputKind} 帶入，但其為輸出 ${output}（${outputKind}）`,
    consumedTwice: (output, producer, by) => `${producer} 之輸出 ${output} 應僅使用一次，卻被 ${by} 使用`,
    ledgerFork: (ledger, origin, sha, by) =>
      `憑證管理帳冊 ${ledger}（${origin}；SHA-256 ${sha}）被不只一場儀式接續，分別於 ${by}：帳冊分岔，該金鑰之憑證序號與廢止清冊序號歷程因而有兩條分支；同一帳冊狀態僅能由一場儀式接續`,
    keyAfterDestruction: (key, destroyed, used, what) => `金鑰 ${key} 已於 ${destroyed} 銷毀，其後又於 ${used} 出現（${what}）`,
    setAfterRotation: (setId, rotated, used) => `分持組 ${setId} 已於 ${rotated} 被取代，其後又於 ${used} 使用`,
    tokenSerial: (label, serials) => `載具 ${label} 之序號不一致：${serials}`,
    sealMismatch: (object, out, outValue, inAt, inValue) => `${object}：於 ${out} 以 ${outValue} 封存，但於 ${inAt} 開封者為 ${inValue}`,
    sealGap: (object, out, next) => `${object}：以 ${out} 封存後，又以 ${next} 再次封存，其間未記錄開封（保管中斷）`,
  },
};

const CATALOGUE: Readonly<Record<Lang, HistoryMessages>> = { en, 'zh-TW': zhTW };

export function historyMessages(lang: Lang): HistoryMessages {
  return CATALOGUE[lang];
}
