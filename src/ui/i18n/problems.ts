// The engine's refusals and failures in Traditional Chinese, as whole sentences (issue 16).
// The engine words them in English (the journal's language) and keeps the facts the words
// name beside them (`details`: share number, custodian, share set, field). A zh-TW screen or
// report says the sentence here from those facts, with no English original after it; the
// English screens and report keep the engine's own words. Step and person are in the line
// or row around the sentence already; a sentence names them only when they are someone else.
//
// Each code lists its sentences, the fullest first: the first whose facts are all on record
// is said (a journal written before the facts were kept has none, and gets the plainest).
// A code with no sentence here says its short gist from the UI catalogue (`code.<code>`);
// the HSM's return values and the storage failures without either say their family's plain
// sentence; any other code with neither is shown as recorded (problemWords returns undefined),
// which test/ui/engine-codes-zh.test.ts keeps from happening to a code the engine gives.
import type { Lang } from '../../util/lang.js';
import { fillChinese, type Params } from '../../util/fill.js';
import { ZH_HINTS, ZH_MORE } from './problems-zh.js';
import { zhTW } from './zh-TW.js';
import { translatedHint } from './hints.js';

const ZH: Readonly<Record<string, readonly string[]>> = {
  // A share typed at the share entry (src/quorum): never a character of the share, only its number and set.
  'share.malformed': ['第 {groups} 段含有分持碼不使用的字元：請對照分持卡重新輸入', '輸入的內容不是完整的分持碼：請對照分持卡逐段重新輸入'],
  'share.version': ['此分持碼的格式版本無法讀取：請確認這是 keyceremony 的分持碼'],
  'share.checksum': [
    '分持碼第 {groups} 段有輸入錯誤：請對照分持卡重新輸入',
    '每段格式均正確，但整份分持碼不符：可能有某段取自另一張分持卡，或某段有多個字元錯誤',
  ],
  'share.foreign-set': [
    '這是{otherCredential}的分持碼（分持組 {setId}），不是分持組 {expectedSet}',
    '此分持碼屬於分持組 {setId}，不是分持組 {expectedSet}',
    '此分持碼的分持組編號開頭為 {setIdStart}，不是分持組 {expectedSet}',
    '此分持碼屬於其他分持組',
  ],
  'share.superseded-set': [
    '這是{otherCredential}已輪替的舊分持組 {setId} 的分持卡，已無法開啟任何資料，應予銷毀；應為分持組 {expectedSet}',
    '此分持卡屬於已輪替的舊分持組',
  ],
  'share.foreign': ['此分持碼屬於分持組 {setId}，不是分持組 {expectedSet}'],
  'share.index': ['分持組 {setId} 沒有第 {index} 份分持碼（僅有第 1 至 {count} 份）', '輸入的是第 {index} 份分持碼，分持組 {setId} 沒有這一份'],
  'share.commitment': ['此分持碼與清冊所記錄、發給 {holder} 的第 {index} 份分持碼不符：請停止並通報安全管理者'],
  'share.custodian': [
    '輸入的是第 {index} 份分持碼，保管人為 {holder}；應輸入自己保管的第 {expectedIndex} 份',
    '輸入的是第 {index} 份分持碼，保管人為 {holder}；每位保管人僅能輸入自己的分持碼',
  ],
  'share.duplicate': ['第 {index} 份分持碼（保管人 {holder}）已輸入過：每份只計一次'],
  'share.duplicate-index': ['第 {index} 份分持碼已輸入過：每份只計一次', '此分持碼已輸入過：每份只計一次'],
  'share.same-custodian': ['{person} 已輸入過分持碼：每位保管人只輸入自己的一份'],
  'share.unknown-custodian': ['保管人 {person} 尚未簽到'],
  'share.not-custodian': ['{person} 不是{role}，不能輸入此分持組的分持碼', '{person} 不是此分持組的保管人'],
  'share.already-confirmed': ['{person} 已確認過分持碼'],
  'share.typed-back': ['抄寫的分持碼與發給 {person} 的不符'],
  'share.too-few': ['分持碼尚不足：已輸入 {have} 份，需 {need} 份'],
  'share.verifier': ['分持碼還原的秘密與清冊的驗證值不符：請停止，勿以此 PIN 登入 HSM，並核對清冊指紋'],
  // The people at a step (多人控管).
  'people.unknown': ['{person} 尚未簽到：須先簽到，方可以其名義記錄'],
  'people.performer-missing': ['未指定執行人'],
  'people.performer-role': ['{person} 不是{role}，不能執行此步驟', '執行人不具此步驟所需的角色'],
  'people.same-person': ['{person} 不能同時為執行人與見證人：須由另一人見證（多人控管）'],
  'people.witness-role': ['{person} 不是{role}，不能見證此步驟', '見證人不具此步驟所需的角色'],
  'people.witness-missing': ['須由 {needed} 位{role}確認，目前 {have} 位（多人控管）', '確認的見證人不足（多人控管）'],
  'people.witness-twice': ['同一位見證人列了兩次'],
  'signoff.twice': ['{person} 已完成簽署'],
  'signoff.note': ['{person} 表示未依腳本執行：須填寫說明'],
  'signoff.missing': ['尚有參與人員未簽署'],
  'exception.step': ['異常事項只能記錄於目前或已完成的步驟'],
  'exception.empty': ['異常事項須寫明內容'],
  'abort.reason': ['中止儀式須記錄原因'],
  'text.control': ['輸入的文字含有控制字元：請不用控制鍵重新輸入'],
  // A step's own checks of what was typed.
  'values.missing': ['欄位「{field}」為必填', '有必填欄位未填'],
  'values.pattern': ['欄位「{field}」格式不符，例如 {example}', '欄位「{field}」格式不符', '有欄位格式不符'],
  'values.unknown': ['輸入了此步驟沒有的欄位'],
  'values.hsm-serial-unread': ['尚未自 HSM 讀取載具「{token}」的序號：請續行儀式以重新讀取', '尚未自 HSM 讀取載具的序號：請續行儀式以重新讀取'],
  'values.hsm-serial': [
    '欄位「{field}」輸入 {typed}，不是載具「{token}」回報的序號 {reported}：請再核對裝置上的序號；若不同，此非腳本所列載具，請停止並記錄異常事項',
    '輸入的序號不是載具回報的序號：請再核對裝置上的序號；若不同，此非腳本所列載具，請停止並記錄異常事項',
  ],
  'decision.missing': ['憑證申請者須決定接受或拒絕'],
  'decision.reason': ['拒絕憑證須說明原因'],
  'certificate.not-acceptable': ['此憑證未通過檢查，不能接受：請記錄拒絕，再向簽發者申請廢止'],
  'destroy.label': ['回輸的標籤不是「{key}」', '回輸的標籤與金鑰的標籤不符'],
  'destroy.fingerprint': ['回輸的指紋與載具上的金鑰 {key} 不符（至少 16 個十六進位字元）', '回輸的指紋與載具上的金鑰不符（至少 16 個十六進位字元）'],
  'destroy.too-early': ['依定義檔，金鑰 {key} 在 {notBefore} 前不得銷毀；須先由兩位參與者於本步驟記錄異常事項'],
  'confirm.fingerprint': ['回輸的指紋不是{of}產出之 {name} 的指紋（須 64 個十六進位字元）', '回輸的指紋與結果不符'],
  'confirm.noResult': ['{of}沒有可確認的結果', '此步驟沒有可確認的結果'],
  'csr.fingerprint-missing': ['請至少輸入申請者朗讀之憑證申請檔指紋的前 16 個十六進位字元'],
  'csr.fingerprint-mismatch': ['輸入的指紋與帶到儀式的憑證申請檔不符：請停止，申請者與簽發者所見的不是同一份申請'],
  'sign-in.empty': ['尚無人簽到'],
  'sign-in.duplicate': ['同一人簽到了兩次'],
  'join.already': ['此人已簽到'],
  // The HSM and the step's work, where the gist says it all but the catalogue has none.
  'hsm.key-survived': ['金鑰銷毀後仍在載具上'],
  'hsm.kek-not-found': ['載具上找不到金鑰加密金鑰'],
  'hsm.key-mismatch': ['載具上的金鑰不是日誌所記錄的那一把'],
  'hsm.certificate-exists': ['載具上已有同名的憑證物件'],
  'hsm.label-length': ['金鑰標籤過長'],
  'ledger.serial-reused': ['此序號已由本金鑰簽發過'],
  'ledger.serial': ['序號與帳冊不符'],
  'manifest.changed': ['分持組清冊在儀式期間遭到變更'],
  ...ZH_MORE,
};

// Codes made at run time, not written in the source: a return value of the HSM (CKR_*) the
// catalogue has no gist for, and a file the system would not write (storage.<errno>). Each
// family has its plain sentence, with the code beside it as the vendor's papers and the
// system name it.
const FAMILIES: ReadonlyArray<{ code: RegExp; sentence: string }> = [
  { code: /^CKR_/, sentence: '硬體安全模組回報錯誤' },
  { code: /^storage\./, sentence: '無法寫入產出檔案' },
];

/** How a sentence names the ids in its facts: people by name, roles and steps by title. */
export interface ProblemNames {
  person?: ((id: string) => string) | undefined;
  role?: ((id: string) => string) | undefined;
  step?: ((id: string) => string) | undefined;
  credential?: ((id: string) => string) | undefined;
}

/** A fact as a sentence names it: people by name, roles and steps by title, group numbers as a Chinese list. */
function factText(key: string, value: string | number, names: ProblemNames): string | number {
  if (typeof value !== 'string') return value;
  if ((key === 'person' || key === 'holder') && names.person) return names.person(value);
  if (key === 'role' && names.role) return names.role(value);
  if (key === 'of' && names.step) return names.step(value);
  // A credential by its title, as the share entry names it (這是 test-so-pin 的分持碼 read as a code; review at 80x24, C9).
  if (key === 'otherCredential' && names.credential) return names.credential(value);
  if (key === 'groups') return value.split(',').join('、');
  return value;
}

const needs = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/**
 * The whole sentence for a refusal or failure in `lang`, or undefined where the engine's own
 * words are the sentence (English) or none is known (shown as recorded).
 */
export function problemWords(lang: Lang, problem: { code?: string | undefined; details?: Params | undefined }, names: ProblemNames = {}): string | undefined {
  if (lang !== 'zh-TW' || problem.code === undefined) return undefined;
  const facts: Params = Object.fromEntries(Object.entries(problem.details ?? {}).map(([key, value]) => [key, factText(key, value, names)]));
  const said = (ZH[problem.code] ?? []).find((template) => needs(template).every((key) => facts[key] !== undefined));
  if (said !== undefined) return besideCode(problem.code, fillChinese(said, facts));
  const gist: Readonly<Record<string, string>> = zhTW;
  const short = gist[`code.${problem.code}`];
  if (short !== undefined) return besideCode(problem.code, short);
  const family = FAMILIES.find((f) => f.code.test(problem.code!));
  return family && `${family.sentence}（${problem.code.replace(/^storage\./, '')}）`;
}

/** The HSM's own return value stays beside the sentence: it is what the vendor's papers and the journal name. */
function besideCode(code: string, sentence: string): string {
  return /^CKR_/.test(code) ? `${sentence}（${code}）` : sentence;
}

/** Whether a code is said in Chinese by its family's plain sentence (CKR_*, storage.*). */
export function saidByFamily(code: string): boolean {
  return FAMILIES.some((f) => f.code.test(code));
}

/** The codes with a sentence or a gist in Traditional Chinese (for the tests' count of what is left). */
export function codesSaidInChinese(): string[] {
  const gists = Object.keys(zhTW).flatMap((key) => (key.startsWith('code.') ? [key.slice('code.'.length)] : []));
  return [...new Set([...Object.keys(ZH), ...gists])].sort();
}

/**
 * The hint in `lang` where the catalogue has it (`fix.<code>`), translated only when the
 * engine's hint is exactly the English text the translation was made from; else undefined.
 */
export function hintWords(lang: Lang, problem: { code?: string | undefined; hint?: string | undefined }): string | undefined {
  if (lang === 'en' || !problem.hint || !problem.code) return undefined;
  const hint = problem.hint;
  // The hints worded by code (problems-zh.ts) first, then the catalogue's fix.<code> entries.
  const worded = ZH_HINTS[problem.code]?.find((h) => hint.startsWith(h.en));
  return worded ? worded.zh : translatedHint(lang, problem);
}
